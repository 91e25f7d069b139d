import { eq } from 'drizzle-orm';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { schema } from '../../src/store/index.js';
import { LOCAL_FIELDS } from '../../src/gateway/upstream/local-fields.js';
import { gpt2Tokenizer } from '../../src/tokenizer/index.js';
import { fakeRuntime, fakeRuntimeLoader } from '../support/fake-runtime.js';
import { adminCall, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js';

describe('gateway through the official openai SDK', () => {
  let running: RunningApp;
  let mock: MockUpstream;
  let flaky: MockUpstream;
  let bare: MockUpstream;
  let client: OpenAI;
  let key: Awaited<ReturnType<typeof seedGatewayKey>>;
  const runtime = fakeRuntime();
  const rowOf = async (requestId: string) => (await running.services.store.db.select().from(schema.usageEvents).where(eq(schema.usageEvents.requestId, requestId)))[0];
  const idOf = (responseId: string) => responseId.replace(/^(chatcmpl|cmpl)-/, '');

  beforeAll(async () => {
    mock = await startMockUpstream({ chunkDelayMs: 0 });
    flaky = await startMockUpstream({ failFirst: 2 });
    bare = await startMockUpstream({ omitUsage: true });
    const config = loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN } });
    running = await startApp(config, { runtimeLoader: fakeRuntimeLoader(runtime) });
    const dep = async (body: Record<string, unknown>) => {
      const r = await adminCall<{ id: string }>(running.url, 'POST', '/api/deployments', { kind: 'upstream', maxRetries: 2, costInputPer1mMicros: 100_000, costOutputPer1mMicros: 200_000, ...body });
      expect(r.status).toBe(201);
      return r.json.id;
    };
    const mockId = await dep({ name: 'mock-model', upstreamUrl: mock.url, upstreamModel: 'upstream-name' });
    await dep({ name: 'broken-model', upstreamUrl: mock.url, upstreamModel: 'fail-always', maxRetries: 1, fallbackDeploymentId: mockId });
    await dep({ name: 'flaky-model', upstreamUrl: flaky.url, upstreamModel: 'm' });
    await dep({ name: 'bare-model', upstreamUrl: bare.url, upstreamModel: 'm' });
    const [model] = await running.services.store.db.insert(schema.models).values({ id: 'mdl_fake', name: 'fake', kind: 'gpt' }).returning();
    await running.services.store.db.insert(schema.modelVersions).values({ id: 'mv_fake', modelId: model!.id, version: 1, config: {}, checkpointPath: '/nowhere' });
    await dep({ name: 'local-model', kind: 'local', modelVersionId: 'mv_fake' });
    key = await seedGatewayKey(running.url, running.services.store, { rpmLimit: null, tpmLimit: null, monthlyTokenQuota: null });
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: key.key, maxRetries: 0 });
  });
  afterAll(async () => {
    await running?.stop();
    await Promise.all([mock?.close(), flaky?.close(), bare?.close()]);
  });

  it('lists the models the key may use', async () => {
    const models = [];
    for await (const m of client.models.list()) models.push(m.id);
    expect(models.sort()).toEqual(['bare-model', 'broken-model', 'flaky-model', 'local-model', 'mock-model']);
    expect(await client.models.retrieve('mock-model')).toMatchObject({ id: 'mock-model', object: 'model' });
    expect(await client.models.retrieve('nope').catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('answers a chat completion and meters it before answering', async () => {
    const res = await client.chat.completions.create({ model: 'mock-model', messages: [{ role: 'user', content: 'Hello' }], max_tokens: 3, temperature: 0.2, top_p: 0.9, seed: 7, user: 'u1', stop: ['zz'] });
    expect(res.choices[0]!.message.content).toBe('w0 w1 w2');
    expect(res.model).toBe('mock-model');
    expect(res.usage).toEqual({ prompt_tokens: 21, completion_tokens: 3, total_tokens: 24 });
    const row = await rowOf(idOf(res.id));
    expect(row).toMatchObject({ keyId: key.keyId, customerId: key.customerId, channelId: key.channelId, model: 'mock-model', endpoint: 'chat', promptTokens: 21, completionTokens: 3, status: 'ok', httpStatus: 200, streamed: false });
    // price: 21 × 1.00/1M + 3 × 2.00/1M = 27 micros; cost: 21 × 0.10/1M + 3 × 0.20/1M = 2.7 -> 3 micros
    expect(row?.priceMicros).toBe(27);
    expect(row?.costMicros).toBe(3);
  });

  it('streams a chat completion with usage in the last chunk', async () => {
    const stream = await client.chat.completions.create({ model: 'mock-model', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage;
    let id = '';
    for await (const chunk of stream) {
      id = chunk.id;
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('w0 w1 w2 w3');
    expect(usage).toMatchObject({ completion_tokens: 4 });
    expect(await rowOf(idOf(id))).toMatchObject({ status: 'ok', streamed: true, completionTokens: 4 });
  });

  it('answers and streams text completions with n choices', async () => {
    const res = await client.completions.create({ model: 'mock-model', prompt: 'Once', max_tokens: 2, n: 2 });
    expect(res.choices.map((c) => c.text)).toEqual(['w0 w1', 'w0 w1']);
    expect(res.usage?.completion_tokens).toBe(4);
    const stream = await client.completions.create({ model: 'mock-model', prompt: 'Once', max_tokens: 2, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe('w0 w1');
  });

  it('retries a failing upstream with backoff, then answers', async () => {
    const res = await client.chat.completions.create({ model: 'flaky-model', messages: [{ role: 'user', content: 'x' }], max_tokens: 1 });
    expect(res.choices[0]!.message.content).toBe('w0');
    expect(flaky.received.failed).toBe(2);
  });

  it('falls back to another deployment and meters the one that served', async () => {
    const res = await client.chat.completions.create({ model: 'broken-model', messages: [{ role: 'user', content: 'x' }], max_tokens: 2 });
    expect(res.choices[0]!.message.content).toBe('w0 w1');
    const row = await rowOf(idOf(res.id));
    expect(row?.model).toBe('mock-model');
  });

  it('counts tokens itself when a streamed upstream sends no usage', async () => {
    const stream = await client.chat.completions.create({ model: 'bare-model', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 6, stream: true });
    let id = '';
    let text = '';
    for await (const chunk of stream) {
      id = chunk.id;
      text += chunk.choices[0]?.delta.content ?? '';
    }
    const row = await rowOf(idOf(id));
    expect(row?.completionTokens).toBe(gpt2Tokenizer().encode(text).length);
    expect(row?.promptTokens).toBe(gpt2Tokenizer().encode('Hi').length);
  });

  it('serves an in-process model, generating concurrent requests together', async () => {
    const res = await client.chat.completions.create({ model: 'local-model', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 3 });
    expect(res.choices[0]!.message.content).toBe(' t0 t1 t2');
    expect(res.usage).toEqual({ prompt_tokens: Buffer.byteLength('User: Hi\nAssistant:'), completion_tokens: 3, total_tokens: Buffer.byteLength('User: Hi\nAssistant:') + 3 });
    const all = await Promise.all(Array.from({ length: 8 }, () => client.completions.create({ model: 'local-model', prompt: 'p', max_tokens: 2 })));
    expect(all.every((r) => r.choices[0]!.text === ' t0 t1')).toBe(true);
    expect(runtime.maxConcurrent).toBeGreaterThan(1);
    const stream = await client.chat.completions.create({ model: 'local-model', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 5, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(' t0 t1 t2 t3 t4');
    expect(usage?.completion_tokens).toBe(5);
  });

  it('refuses every OpenAI request field an in-process model does not implement, naming it, and passes them to an upstream', async () => {
    // Every field of the SDK's request types, marked implemented by an in-process model or not: a field the
    // SDK adds fails this file's compile until it is marked, so none is accepted and dropped unnoticed.
    const chat: Record<keyof OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming, boolean> = {
      messages: true, model: true, max_tokens: true, max_completion_tokens: true, temperature: true, top_p: true, n: true, stop: true, stream: true, stream_options: true, seed: true, user: true,
      response_format: true, tools: true, tool_choice: true, parallel_tool_calls: true,
      frequency_penalty: true, presence_penalty: true, logit_bias: true, logprobs: true, top_logprobs: true,
      audio: false, function_call: false, functions: false, metadata: false, modalities: false, moderation: false,
      prediction: false, prompt_cache_key: false, prompt_cache_options: false, prompt_cache_retention: false, reasoning_effort: false, safety_identifier: false,
      service_tier: false, store: false, verbosity: false, web_search_options: false,
    };
    const completions: Record<keyof OpenAI.CompletionCreateParamsNonStreaming, boolean> = {
      model: true, prompt: true, max_tokens: true, temperature: true, top_p: true, n: true, stop: true, stream: true, stream_options: true, seed: true, user: true,
      frequency_penalty: true, logit_bias: true, logprobs: true, presence_penalty: true,
      best_of: false, echo: false, suffix: false,
    };
    const implemented = (fields: Record<string, boolean>) => Object.keys(fields).filter((f) => fields[f]).sort();
    expect(implemented(chat)).toEqual([...LOCAL_FIELDS.chat].sort());
    expect(implemented(completions)).toEqual([...LOCAL_FIELDS.completions].sort());
    const post = (path: string, body: Record<string, unknown>) =>
      fetch(`${running.url}/v1/${path}`, { method: 'POST', headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const failures: string[] = [];
    for (const [path, fields, base] of [
      ['chat/completions', chat, { messages: [{ role: 'user', content: 'Hi' }], max_tokens: 2 }],
      ['completions', completions, { prompt: 'p', max_tokens: 2 }],
    ] as const) {
      for (const field of Object.keys(fields).filter((f) => !(fields as Record<string, boolean>)[f])) {
        const res = await post(path, { model: 'local-model', ...base, [field]: 1 });
        const error = ((await res.json()) as { error?: { code?: string; param?: string } }).error;
        if (res.status !== 400 || error?.code !== 'QD_UNSUPPORTED_PARAMETER' || error.param !== field) failures.push(`${path} ${field}: ${res.status} ${JSON.stringify(error)}`);
      }
    }
    expect(failures).toEqual([]);
    // Inside messages: a message name, an image part, a tool call that is not a function.
    for (const [messages, param] of [
      [[{ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'custom', custom: { name: 'x', input: '' } }] }], 'messages.0.tool_calls.0'],
      [[{ role: 'user', content: 'Hi', name: 'ann' }], 'messages.0.name'],
      [[{ role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'image_url', image_url: { url: 'data:,' } }] }], 'messages.0.content.1.type'],
    ] as const) {
      const res = await post('chat/completions', { model: 'local-model', messages, max_tokens: 2 });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { param: string } }).error.param).toBe(param);
    }
    // Null is "not set", as OpenAI reads it; an upstream gets the fields it implements itself.
    expect((await post('chat/completions', { model: 'local-model', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 2, tools: null, response_format: null })).status).toBe(200);
    const upstream = await post('chat/completions', { model: 'mock-model', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 2, response_format: { type: 'json_object' }, logprobs: true });
    expect(upstream.status).toBe(200);
  });

  it('refuses a prompt longer than the local model\'s context', async () => {
    const err = await client.completions.create({ model: 'local-model', prompt: 'x'.repeat(5000), max_tokens: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('QD_CONTEXT_TOO_LONG');
  });

  it('refuses revoked, expired and out-of-scope keys with stable codes', async () => {
    const scoped = await adminCall<{ key: string; id: string }>(running.url, 'POST', '/api/keys', { customerId: key.customerId, channelId: key.channelId, planId: key.planId, models: ['mock-model'] });
    const scopedClient = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: scoped.json.key, maxRetries: 0 });
    const err = await scopedClient.chat.completions.create({ model: 'local-model', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('QD_MODEL_NOT_ALLOWED');
    const listed = [];
    for await (const m of scopedClient.models.list()) listed.push(m.id);
    expect(listed).toEqual(['mock-model']);
    expect((await adminCall(running.url, 'POST', `/api/keys/${scoped.json.id}/revoke`)).json).toMatchObject({ status: 'revoked' });
    const revoked = await scopedClient.chat.completions.create({ model: 'mock-model', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect((revoked as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
    expect((revoked as InstanceType<typeof OpenAI.APIError>).code).toBe('QD_API_KEY_REVOKED');
    const expired = await adminCall<{ key: string }>(running.url, 'POST', '/api/keys', { customerId: key.customerId, channelId: key.channelId, planId: key.planId, expiresAt: new Date(Date.now() - 1000).toISOString() });
    const e2 = await new OpenAI({ baseURL: `${running.url}/v1`, apiKey: expired.json.key, maxRetries: 0 }).models.list().catch((e: unknown) => e);
    expect((e2 as InstanceType<typeof OpenAI.APIError>).code).toBe('QD_API_KEY_EXPIRED');
  });

  it('never lets a customer key call /api, and lists keys without secrets', async () => {
    const res = await fetch(`${running.url}/api/keys`, { headers: { authorization: `Bearer ${key.key}` } });
    expect(res.status).toBe(401);
    const list = await adminCall<{ data: Record<string, unknown>[] }>(running.url, 'GET', `/api/keys?customerId=${key.customerId}`);
    expect(list.json.data.length).toBeGreaterThan(0);
    for (const k of list.json.data) {
      expect(k.key).toBeUndefined();
      expect(k.key_hash).toBeUndefined();
      expect(k.keyHash).toBeUndefined();
      expect(String(k.prefix)).toMatch(/^qd_sk_/);
    }
    const usage = await adminCall<{ data: Record<string, unknown>[]; totals: Record<string, number> }>(running.url, 'GET', `/api/usage?keyId=${key.keyId}&limit=2`);
    expect(usage.status).toBe(200);
    expect(usage.json.data.length).toBe(2);
    expect(usage.json.data[0]).toMatchObject({ keyId: key.keyId, customerId: key.customerId });
    expect(usage.json.totals.requests).toBeGreaterThan(5);
    expect(usage.json.totals.priceMicros).toBeGreaterThan(0);
    expect((await adminCall(running.url, 'GET', '/api/usage?limit=0')).status).toBe(400);
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toMatch(/qudao_gateway_requests_total\{model="mock-model",endpoint="chat",status="ok"\} \d+/);
    expect(metrics).toMatch(/qudao_gateway_tokens_total\{model="mock-model",kind="completion"\} \d+/);
  });

  it('meters an upstream that fails mid-stream for the tokens delivered, and ends with an error event', async () => {
    await adminCall(running.url, 'POST', '/api/deployments', { name: 'cut-stream', kind: 'upstream', upstreamUrl: mock.url, upstreamModel: 'cut-1' });
    const stream = await client.chat.completions.create({ model: 'cut-stream', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 10, stream: true });
    let id = '';
    let text = '';
    const err = await (async () => {
      for await (const chunk of stream) {
        id = chunk.id;
        text += chunk.choices[0]?.delta.content ?? '';
      }
    })().catch((e: unknown) => e);
    expect(text).toBe('w0 w1');
    expect(err).toBeInstanceOf(OpenAI.APIError);
    const row = await rowOf(idOf(id));
    expect(row).toMatchObject({ status: 'error', errorCode: 'QD_UPSTREAM_ERROR', streamed: true, completionTokens: gpt2Tokenizer().encode('w0 w1').length });
    expect(row?.priceMicros).toBeGreaterThan(0);
  });

  it('bills a cancelled stream for what the client received', async () => {
    const slow = await startMockUpstream({ chunkDelayMs: 30 });
    try {
      await adminCall(running.url, 'POST', '/api/deployments', { name: 'slow-stream', kind: 'upstream', upstreamUrl: slow.url, upstreamModel: 'm' });
      const controller = new AbortController();
      const stream = await client.chat.completions.create({ model: 'slow-stream', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 200, stream: true }, { signal: controller.signal });
      let id = '';
      let text = '';
      try {
        for await (const chunk of stream) {
          id = chunk.id;
          text += chunk.choices[0]?.delta.content ?? '';
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
      expect(row?.status).toBe('cancelled');
      expect(row?.completionTokens).toBeGreaterThanOrEqual(gpt2Tokenizer().encode(text).length);
      expect(row?.completionTokens).toBeLessThan(gpt2Tokenizer().encode(' w1'.repeat(200)).length / 2);
      for (let i = 0; i < 100 && slow.received.aborted === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(slow.received.aborted).toBe(1);
    } finally {
      await slow.close();
    }
  });
});
