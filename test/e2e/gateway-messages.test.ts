import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { MESSAGES_FIELDS } from '../../src/gateway/anthropic/messages.js';
import { BUNDLED_MODEL_NAME, ensureBundledModel } from '../../src/pipeline/index.js';
import { schema } from '../../src/store/index.js';
import { gpt2Tokenizer } from '../../src/tokenizer/index.js';
import { adminCall, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js';

/**
 * `POST /v1/messages` through the official Anthropic SDK, unchanged, against the bundled model served
 * in-process and against an OpenAI-compatible upstream: whole and streamed answers, usage equal to the
 * ledger's row, Anthropic's error shape with Qudao's codes, and every field of the SDK's request type either
 * served or refused by name.
 */
describe('POST /v1/messages through the official Anthropic SDK', () => {
  let running: RunningApp;
  let mock: MockUpstream;
  let anthropic: Anthropic;
  let key: Awaited<ReturnType<typeof seedGatewayKey>>;
  const rowOf = async (requestId: string) => (await running.services.store.db.select().from(schema.usageEvents).where(eq(schema.usageEvents.requestId, requestId)))[0];
  const idOf = (messageId: string) => messageId.replace(/^msg_/, '');
  const post = (body: unknown, headers: Record<string, string> = { 'x-api-key': key.key }) =>
    fetch(`${running.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    mock = await startMockUpstream({ chunkDelayMs: 0 });
    running = await startApp(loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN, QUDAO_THREADS: '1' } }));
    const { pipeline } = running.services;
    if (!pipeline) throw new Error('the app has no pipeline services');
    expect(await ensureBundledModel(pipeline, fileURLToPath(new URL('../../models/bundled', import.meta.url)))).toBe('deployed');
    expect((await adminCall(running.url, 'POST', '/api/deployments', { name: 'mock-model', kind: 'upstream', upstreamUrl: mock.url, upstreamModel: 'upstream-name' })).status).toBe(201);
    key = await seedGatewayKey(running.url, running.services.store, { rpmLimit: null, tpmLimit: null, monthlyTokenQuota: null });
    anthropic = new Anthropic({ baseURL: running.url, apiKey: key.key, maxRetries: 0 });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await mock?.close();
  });

  it('answers with the bundled model, whole and streamed (greedy: the same text), usage equal to the ledger row', { timeout: 120_000 }, async () => {
    const greedy = { temperature: 0 };
    const params = { model: BUNDLED_MODEL_NAME, max_tokens: 8, system: 'You are a newspaper.', messages: [{ role: 'user' as const, content: 'The jury said' }], ...greedy };
    const whole = await anthropic.messages.create(params);
    expect(whole).toMatchObject({ type: 'message', role: 'assistant', model: BUNDLED_MODEL_NAME, stop_reason: 'max_tokens', stop_sequence: null });
    expect(whole.content).toHaveLength(1);
    expect(whole.content[0]!.type).toBe('text');
    expect(whole.usage.output_tokens).toBe(8);
    expect(await rowOf(idOf(whole.id))).toMatchObject({ endpoint: 'messages', model: BUNDLED_MODEL_NAME, status: 'ok', streamed: false, promptTokens: whole.usage.input_tokens, completionTokens: 8 });

    const events: string[] = [];
    const stream = anthropic.messages.stream(params);
    stream.on('streamEvent', (e) => events.push(e.type));
    const final = await stream.finalMessage();
    expect(final.content).toEqual(whole.content);
    expect(final.usage).toMatchObject({ input_tokens: whole.usage.input_tokens, output_tokens: 8 });
    expect(final.stop_reason).toBe('max_tokens');
    // Anthropic's documented order: one message, one text block.
    const distinct = events.filter((t, i) => t !== events[i - 1]);
    expect(distinct).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(await rowOf(idOf(final.id))).toMatchObject({ endpoint: 'messages', streamed: true, status: 'ok', promptTokens: final.usage.input_tokens, completionTokens: 8 });
  });

  it('answers through an OpenAI-compatible upstream, stop sequences and user passed on', async () => {
    const message = await anthropic.messages.create({ model: 'mock-model', max_tokens: 3, stop_sequences: ['zz', 'yy'], metadata: { user_id: 'u-7' }, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }, { type: 'text', text: ' there' }] }] });
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'w0 w1 w2' })]);
    expect(message.stop_reason).toBe('max_tokens');
    const row = await rowOf(idOf(message.id));
    expect(row).toMatchObject({ endpoint: 'messages', model: 'mock-model', promptTokens: message.usage.input_tokens, completionTokens: 3 });
    const text = await anthropic.messages.stream({ model: 'mock-model', max_tokens: 4, messages: [{ role: 'user', content: 'Hi' }] }).finalText();
    expect(text).toBe('w0 w1 w2 w3');
  });

  it("declares Anthropic's error shape for /v1/messages in the OpenAPI document, and every other route keeps OpenAI's", async () => {
    const doc = (await (await fetch(`${running.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: { properties?: Record<string, unknown>; $ref?: string } }> }> }>> };
    const errorOf = (path: string, status: string) => doc.paths[path]!.post!.responses[status]!.content['application/json']!.schema;
    for (const status of ['4XX', '5XX']) {
      expect(errorOf('/v1/messages', status).properties?.type).toMatchObject({ const: 'error' });
      expect(errorOf('/v1/chat/completions', status).properties?.type ?? errorOf('/v1/chat/completions', status).$ref).not.toMatchObject({ const: 'error' });
    }
    const wrong = await post({ model: 'mock-model', messages: [] });
    const body = (await wrong.json()) as { type: string; error: { type: string; message: string; code: string; param: string | null } };
    expect(Object.keys(body).sort()).toEqual(Object.keys(errorOf('/v1/messages', '4XX').properties!).sort());
  });

  it('takes the key as x-api-key or Bearer, and answers errors in Anthropic\'s shape with Qudao\'s code', async () => {
    const bearer = new Anthropic({ baseURL: running.url, authToken: key.key, apiKey: null, maxRetries: 0 });
    expect((await bearer.messages.create({ model: 'mock-model', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] })).content[0]).toMatchObject({ text: 'w0' });

    const wrong = await new Anthropic({ baseURL: running.url, apiKey: 'qd_sk_wrong', maxRetries: 0 }).messages.create({ model: 'mock-model', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((wrong as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'authentication_error', code: 'QD_INVALID_API_KEY' } });
    expect((wrong as InstanceType<typeof Anthropic.APIError>).headers?.get('x-qudao-error-code')).toBe('QD_INVALID_API_KEY');

    const missing = await anthropic.messages.create({ model: 'nope', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
    expect((missing as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ error: { type: 'not_found_error', code: 'QD_MODEL_NOT_FOUND' } });

    // Validation errors: catalogued code and param, no validator text; max_tokens is required, as Anthropic's is.
    for (const [body, param] of [
      [{ model: 'mock-model', messages: [{ role: 'user', content: 'x' }] }, 'max_tokens'],
      [{ model: 'mock-model', max_tokens: 1, messages: [{ role: 'system', content: 'x' }] }, 'messages.0.role'],
      [{ model: 'mock-model', max_tokens: 1_000_000, messages: [{ role: 'user', content: 'x' }] }, 'max_tokens'],
    ] as const) {
      const res = await post(body);
      expect(res.status).toBe(400);
      const json = (await res.json()) as { type: string; error: { type: string; code: string; param: string; message: string } };
      expect(json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', code: 'QD_INVALID_REQUEST', param } });
      expect(json.error.message).not.toMatch(/expected|Invalid input/);
      expect(res.headers.get('x-qudao-error-code')).toBe('QD_INVALID_REQUEST');
    }
  });

  it('serves or refuses, by name, every field of the SDK\'s request type', async () => {
    // Every field of the SDK's request type, marked served or not: a field the SDK adds fails this file's
    // compile until it is decided, so none is accepted and dropped unnoticed.
    const fields: Record<keyof Anthropic.MessageCreateParamsNonStreaming, boolean> = {
      model: true, max_tokens: true, messages: true, system: true, stop_sequences: true, stream: true, metadata: true,
      cache_control: false, container: false, diagnostics: false, inference_geo: false, output_config: false, service_tier: false, speed: false,
      thinking: false, tool_choice: false, tools: false, user_profile_id: false, workspace_id: false,
    };
    const served = Object.keys(fields).filter((f) => fields[f as keyof typeof fields]);
    // temperature, top_p and top_k left the SDK's type; older clients send them, and they are served too.
    expect([...served, 'temperature', 'top_p', 'top_k'].sort()).toEqual([...MESSAGES_FIELDS].sort());
    const base = { model: 'mock-model', max_tokens: 2, messages: [{ role: 'user', content: 'Hi' }] };
    const failures: string[] = [];
    for (const field of Object.keys(fields).filter((f) => !fields[f as keyof typeof fields])) {
      const res = await post({ ...base, [field]: field === 'service_tier' ? 'auto' : { type: 'enabled' } });
      const json = (await res.json()) as { error?: { type?: string; code?: string; param?: string } };
      if (res.status !== 400 || json.error?.code !== 'QD_UNSUPPORTED_PARAMETER' || json.error.param !== field || json.error.type !== 'invalid_request_error') failures.push(`${field}: ${res.status} ${JSON.stringify(json)}`);
    }
    expect(failures).toEqual([]);
    // Inside the request: non-text blocks, block extras, metadata extras, a prefilled assistant turn.
    for (const [body, param] of [
      [{ ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AA==' } }] }] }, 'messages.0.content.0.type'],
      [{ ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral' } }] }] }, 'messages.0.content.0.cache_control'],
      [{ ...base, system: [{ type: 'text', text: 'a' }, { type: 'document', source: {} }] }, 'system.1.type'],
      [{ ...base, messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'The answer is' }] }, 'messages.1.role'],
      [{ ...base, metadata: { user_id: 'u', tier: 'gold' } }, 'metadata.tier'],
      [{ ...base, model: BUNDLED_MODEL_NAME, top_k: 5 }, 'top_k'],
    ] as const) {
      const res = await post(body);
      const json = (await res.json()) as { error: { code: string; param: string } };
      expect(res.status, param).toBe(400);
      expect(json.error).toMatchObject({ code: 'QD_UNSUPPORTED_PARAMETER', param });
    }
    // Beta features are asked for by a header: refused too, rather than answered as if they were on.
    const beta = await post(base, { 'x-api-key': key.key, 'anthropic-beta': 'prompt-caching-2024-07-31' });
    expect(beta.status).toBe(400);
    expect(((await beta.json()) as { error: { param: string } }).error.param).toBe('anthropic-beta');
    // Served ones: null means "not sent"; top_k reaches an upstream (the mock ignores it).
    expect((await post({ ...base, tools: null, thinking: null, top_k: 5, temperature: 0.3, top_p: 0.5 })).status).toBe(200);
    expect((await post({ ...base, stream: true })).headers.get('content-type')).toMatch(/^text\/event-stream/);
  });

  it('a client that goes away mid-stream is billed, as messages, for what it received, and the upstream call is aborted', async () => {
    const slow = await startMockUpstream({ chunkDelayMs: 30 });
    try {
      await adminCall(running.url, 'POST', '/api/deployments', { name: 'slow-messages', kind: 'upstream', upstreamUrl: slow.url, upstreamModel: 'm' });
      const controller = new AbortController();
      let text = '';
      let id = '';
      const stream = await anthropic.messages.create({ model: 'slow-messages', max_tokens: 200, stream: true, messages: [{ role: 'user', content: 'x' }] }, { signal: controller.signal });
      try {
        for await (const event of stream) {
          if (event.type === 'message_start') id = event.message.id;
          if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
          if (text.split(' ').length >= 3) controller.abort();
        }
      } catch {
        /* aborted */
      }
      let row;
      for (let i = 0; i < 100 && !row; i++) {
        row = await rowOf(idOf(id));
        if (!row) await new Promise((r) => setTimeout(r, 20));
      }
      expect(row).toMatchObject({ endpoint: 'messages', status: 'cancelled', streamed: true });
      // Counted with the gateway's tokenizer (the upstream sent no usage before the cut): at least what the client read.
      expect(row!.completionTokens).toBeGreaterThanOrEqual(gpt2Tokenizer().encode(text).length);
      expect(row!.completionTokens).toBeLessThan(gpt2Tokenizer().encode(' w1'.repeat(200)).length / 2);
      for (let i = 0; i < 100 && slow.received.aborted === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(slow.received.aborted).toBe(1);
    } finally {
      await slow.close();
    }
  });

  it('a stream that fails before its first token is an ordinary Anthropic error; one cut midway ends with an error event', async () => {
    await adminCall(running.url, 'POST', '/api/deployments', { name: 'cut-stream', kind: 'upstream', upstreamUrl: mock.url, upstreamModel: 'cut-1', maxRetries: 0 });
    await adminCall(running.url, 'POST', '/api/deployments', { name: 'fail-stream', kind: 'upstream', upstreamUrl: mock.url, upstreamModel: 'fail-1', maxRetries: 0 });
    const before = await anthropic.messages.create({ model: 'fail-stream', max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(before).toBeInstanceOf(Anthropic.InternalServerError);
    expect((before as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ error: { type: 'api_error', code: 'QD_UPSTREAM_ERROR' } });
    const stream = anthropic.messages.stream({ model: 'cut-stream', max_tokens: 6, messages: [{ role: 'user', content: 'x' }] });
    let text = '';
    stream.on('text', (t) => (text += t));
    const err = await stream.finalMessage().catch((e: unknown) => e);
    expect(text).toBe('w0 w1');
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(String((err as Error).message)).toContain('QD_UPSTREAM_ERROR');
  });
});
