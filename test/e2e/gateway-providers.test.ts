import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { eq } from 'drizzle-orm';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { schema } from '../../src/store/index.js';
import { adminCall, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';
import { mockEmbedding, mockPromptTokens, startProviderMock, type MockProvider, type ProviderFixture, type ProviderMock } from '../support/provider-mocks.js';

const fixture = (p: MockProvider) => JSON.parse(readFileSync(new URL(`../fixtures/providers/${p}.json`, import.meta.url), 'utf8')) as ProviderFixture;
const providers: readonly MockProvider[] = ['anthropic', 'gemini', 'azure-openai'];

/**
 * The OpenAI SDK (and the Anthropic SDK) against deployments whose upstreams are Anthropic, Gemini and
 * Azure OpenAI mocks speaking each provider's documented wire format: requests translated, answers,
 * streams, errors and usage translated back, the ledger metering the provider's own token counts, and a
 * fallback chain that crosses providers.
 */
describe('gateway upstream providers (anthropic, gemini, azure-openai)', () => {
  let running: RunningApp;
  const mocks = {} as Record<MockProvider, ProviderMock>;
  const replays = {} as Record<MockProvider, ProviderMock>;
  let client: OpenAI;
  let key: Awaited<ReturnType<typeof seedGatewayKey>>;
  const rowOf = async (requestId: string) => (await running.services.store.db.select().from(schema.usageEvents).where(eq(schema.usageEvents.requestId, requestId)))[0];
  const idOf = (responseId: string) => responseId.replace(/^(chatcmpl|cmpl)-/, '');
  const keys: Record<MockProvider, string> = { anthropic: 'sk-ant-fixture-key', gemini: 'gm-fixture-key', 'azure-openai': 'az-fixture-key' };
  const envOf = (p: MockProvider) => `QD_TEST_${p.replace('-', '_').toUpperCase()}_KEY`;

  beforeAll(async () => {
    for (const p of providers) {
      process.env[envOf(p)] = keys[p];
      mocks[p] = await startProviderMock(p);
      replays[p] = await startProviderMock(p, { replay: fixture(p) });
    }
    running = await startApp(loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN } }));
    const dep = async (body: Record<string, unknown>) => {
      const r = await adminCall<{ id: string; provider: string }>(running.url, 'POST', '/api/deployments', { kind: 'upstream', maxRetries: 1, ...body });
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      expect(r.json.provider).toBe(body.provider);
      return r.json.id;
    };
    const upstreamModels: Record<MockProvider, string> = { anthropic: 'claude-3-5-haiku-20241022', gemini: 'gemini-2.0-flash', 'azure-openai': 'gpt-4o-mini-prod' };
    for (const p of providers) {
      await dep({ name: `fixture-${p === 'azure-openai' ? 'azure' : p}`, provider: p, upstreamUrl: replays[p].url, upstreamModel: upstreamModels[p], upstreamKeyEnv: envOf(p) });
      await dep({ name: p, provider: p, upstreamUrl: mocks[p].url, upstreamModel: 'model-1', upstreamKeyEnv: envOf(p) });
      for (const failure of ['bad', 'limited', 'cut', 'broken']) await dep({ name: `${p}-${failure}`, provider: p, upstreamUrl: mocks[p].url, upstreamModel: `${failure}-1` });
    }
    const geminiId = (await adminCall<{ id: string }>(running.url, 'GET', '/api/deployments/gemini')).json.id;
    await dep({ name: 'anthropic-down', provider: 'anthropic', upstreamUrl: mocks.anthropic.url, upstreamModel: 'busy-1', fallbackDeploymentId: geminiId });
    key = await seedGatewayKey(running.url, running.services.store, { rpmLimit: null, tpmLimit: null, monthlyTokenQuota: null });
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: key.key, maxRetries: 0 });
  });
  afterAll(async () => {
    await running?.stop();
    await Promise.all(providers.flatMap((p) => [mocks[p]?.close(), replays[p]?.close()]));
    for (const p of providers) delete process.env[envOf(p)];
  });

  for (const p of providers) {
    it(`${p}: translates the recorded exchange both ways, whole and streamed, and meters the provider's usage`, async () => {
      const f = fixture(p);
      const mock = replays[p];
      const body = f.inbound.body as unknown as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
      const whole = await client.chat.completions.create(body);
      const sent = mock.received.at(-1)!;
      expect(sent.path).toBe(f.upstream.path);
      expect(sent.headers).toMatchObject(f.upstream.headers);
      expect(sent.body).toEqual(f.upstream.body);
      expect(whole).toMatchObject({ ...f.expected.whole, model: body.model, object: 'chat.completion' });
      expect(await rowOf(idOf(whole.id))).toMatchObject({ model: body.model, endpoint: 'chat', status: 'ok', promptTokens: f.expected.usage.prompt_tokens, completionTokens: f.expected.usage.completion_tokens });

      const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
      let text = '';
      let usage: OpenAI.CompletionUsage | undefined;
      let id = '';
      const finishes: (string | null)[] = [];
      for await (const chunk of stream) {
        id = chunk.id;
        for (const c of chunk.choices) {
          text += c.delta.content ?? '';
          if (c.finish_reason) finishes.push(c.finish_reason);
        }
        usage = chunk.usage ?? usage;
      }
      const streamed = mock.received.at(-1)!;
      expect(streamed.path).toBe(f.stream.path);
      expect(streamed.body).toEqual(f.stream.body);
      expect(text).toBe(f.expected.streamText);
      expect(finishes).toEqual(['stop']);
      expect(usage).toMatchObject(f.expected.usage);
      expect(await rowOf(idOf(id))).toMatchObject({ status: 'ok', streamed: true, promptTokens: f.expected.usage.prompt_tokens, completionTokens: f.expected.usage.completion_tokens });
    });

    it(`${p}: chat and stream through the mock, usage in the ledger equal to the provider's`, async () => {
      const messages = [{ role: 'system' as const, content: 'Be brief and kind.' }, { role: 'user' as const, content: 'Tell me three words' }];
      const expectedPrompt = mockPromptTokens(['Be brief and kind.', 'Tell me three words']);
      const whole = await client.chat.completions.create({ model: p, messages, max_tokens: 3 });
      expect(whole.choices).toMatchObject([{ index: 0, message: { role: 'assistant', content: 'w0 w1 w2' }, finish_reason: 'length' }]);
      expect(whole.usage).toMatchObject({ prompt_tokens: expectedPrompt, completion_tokens: 3 });
      expect(await rowOf(idOf(whole.id))).toMatchObject({ model: p, promptTokens: expectedPrompt, completionTokens: 3, status: 'ok' });

      const stream = await client.chat.completions.create({ model: p, messages, max_tokens: 4, stream: true });
      let text = '';
      let id = '';
      for await (const chunk of stream) {
        id = chunk.id;
        text += chunk.choices[0]?.delta.content ?? '';
      }
      expect(text).toBe('w0 w1 w2 w3');
      // No include_usage asked: the client gets none, but the ledger still has the provider's counts.
      expect(await rowOf(idOf(id))).toMatchObject({ streamed: true, promptTokens: expectedPrompt, completionTokens: 4, status: 'ok' });
    });

    it(`${p}: an upstream 400 is the client's error with the provider's message; a 429 is retried, then a 502`, async () => {
      const bad = await client.chat.completions.create({ model: `${p}-bad`, messages: [{ role: 'user', content: 'x' }], max_tokens: 2 }).catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
      expect((bad as InstanceType<typeof OpenAI.APIError>).code).toBe('QD_INVALID_REQUEST');
      expect((bad as Error).message).toContain('mock refuses this request');
      const before = mocks[p].failed();
      const limited = await client.chat.completions.create({ model: `${p}-limited`, messages: [{ role: 'user', content: 'x' }], max_tokens: 2 }).catch((e: unknown) => e);
      expect((limited as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
      expect((limited as InstanceType<typeof OpenAI.APIError>).code).toBe('QD_UPSTREAM_ERROR');
      expect((limited as Error).message).toContain('429');
      expect(mocks[p].failed() - before).toBe(2); // the first try and one retry (maxRetries 1)
    });

    it(`${p}: a stream cut by the upstream ends with an error event, billed for what was delivered`, async () => {
      const stream = await client.chat.completions.create({ model: `${p}-cut`, messages: [{ role: 'user', content: 'x' }], max_tokens: 6, stream: true });
      let text = '';
      let id = '';
      const err = await (async () => {
        for await (const chunk of stream) {
          id = chunk.id;
          text += chunk.choices[0]?.delta.content ?? '';
        }
      })().catch((e: unknown) => e);
      expect(text).toBe('w0 w1');
      expect(err).toBeInstanceOf(OpenAI.APIError);
      expect(await rowOf(idOf(id))).toMatchObject({ status: 'error', errorCode: 'QD_UPSTREAM_ERROR', streamed: true });
    });
  }

  it('anthropic: an error event in the stream (overloaded) ends the client stream with an error', async () => {
    const stream = await client.chat.completions.create({ model: 'anthropic-broken', messages: [{ role: 'user', content: 'x' }], max_tokens: 6, stream: true });
    let text = '';
    const err = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(text).toBe('w0 w1');
    expect((err as Error).message).toContain('overloaded_error');
  });

  it('embeddings: a gemini upstream gets batchEmbedContents and an azure one its deployment path; floats and base64 agree; an anthropic one and token ids on gemini are refused by name', async () => {
    const texts = ['Once upon a time', 'Hello'];
    for (const [model, upstreamPath] of [['gemini', /^\/v1beta\/models\/model-1:batchEmbedContents$/], ['azure-openai', /^\/openai\/deployments\/model-1\/embeddings\?api-version=/]] as const) {
      const floats = await client.embeddings.create({ model, input: texts, encoding_format: 'float' });
      expect(floats.data.map((d) => d.embedding)).toEqual(texts.map((t) => mockEmbedding(t)));
      const sent = mocks[model].received.at(-1)!;
      expect(sent.path).toMatch(upstreamPath);
      // The SDK asks for base64 by default and decodes it: the same numbers (as float32).
      const decoded = await client.embeddings.create({ model, input: texts });
      expect(decoded.data.map((d) => d.embedding)).toEqual(texts.map((t) => Array.from(Float32Array.from(mockEmbedding(t)))));
      const row = await rowOf(idOf((await client.embeddings.create({ model, input: 'x' }).withResponse()).response.headers.get('x-request-id')!));
      expect(row).toMatchObject({ endpoint: 'embeddings', completionTokens: 0, status: 'ok' });
      expect(row!.promptTokens).toBeGreaterThan(0);
    }
    expect(mocks.gemini.received.at(-1)!.body).toEqual({ requests: [{ model: 'models/model-1', content: { parts: [{ text: 'x' }] } }] });
    await client.embeddings.create({ model: 'gemini', input: 'abc', dimensions: 2 }).then((r) => expect(r.data[0]!.embedding).toEqual(Array.from(Float32Array.from(mockEmbedding('abc', 2)))));
    expect((mocks.gemini.received.at(-1)!.body as { requests: { outputDimensionality?: number }[] }).requests[0]!.outputDimensionality).toBe(2);
    const refused = async (body: OpenAI.EmbeddingCreateParams) => client.embeddings.create(body).then(() => undefined, (e: unknown) => e as { status: number; code: string; param: string });
    expect(await refused({ model: 'gemini', input: [[1, 2, 3]] })).toMatchObject({ status: 400, code: 'QD_UNSUPPORTED_PARAMETER', param: 'input' });
    expect(await refused({ model: 'anthropic', input: 'x' })).toMatchObject({ status: 400, code: 'QD_UNSUPPORTED_PARAMETER', param: 'model' });
    const listed = new Map<string, string[]>();
    for await (const m of client.models.list()) listed.set(m.id, (m as unknown as { endpoints: string[] }).endpoints);
    expect(listed.get('gemini')).toContain('embeddings');
    expect(listed.get('azure-openai')).toContain('embeddings');
    expect(listed.get('anthropic')).not.toContain('embeddings');
  });

  it('refuses, by name, fields a provider cannot express, and text completions on chat-only providers', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['anthropic', { tools: [{ type: 'function', function: { name: 'f', parameters: {} } }] }, 'tools'],
      ['anthropic', { n: 2 }, 'n'],
      ['anthropic', { seed: 1 }, 'seed'],
      ['anthropic', { response_format: { type: 'json_object' } }, 'response_format'],
      ['gemini', { logprobs: true }, 'logprobs'],
      ['gemini', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:,' } }] }] }, 'messages.0.content.0.type'],
      ['gemini', { messages: [{ role: 'user', content: 'a' }, { role: 'system', content: 'late' }] }, 'messages.1.role'],
    ];
    for (const [model, extra, param] of cases) {
      const err = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }], max_tokens: 2, ...extra } as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming).catch((e: unknown) => e);
      expect(err, `${model} ${param}`).toBeInstanceOf(OpenAI.BadRequestError);
      expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('QD_UNSUPPORTED_PARAMETER');
      expect((err as InstanceType<typeof OpenAI.APIError>).param).toBe(param);
    }
    const completion = await client.completions.create({ model: 'anthropic', prompt: 'x', max_tokens: 2 }).catch((e: unknown) => e);
    expect((completion as InstanceType<typeof OpenAI.APIError>).param).toBe('prompt');
    // Azure serves text completions (OpenAI's format at the deployment path), metered with its usage.
    const text = await client.completions.create({ model: 'azure-openai', prompt: 'Once upon a time', max_tokens: 2 });
    expect(text.choices[0]!.text).toBe('w0 w1');
    expect(mocks['azure-openai'].received.at(-1)!.path).toMatch(/^\/openai\/deployments\/model-1\/completions\?api-version=/);
    expect(await rowOf(idOf(text.id))).toMatchObject({ endpoint: 'completions', promptTokens: mockPromptTokens(['Once upon a time']), completionTokens: 2 });
    // Gemini takes seed and the penalties in generationConfig.
    const seeded = await client.chat.completions.create({ model: 'gemini', messages: [{ role: 'user', content: 'x' }], max_tokens: 2, seed: 5, presence_penalty: 0.5 });
    expect(seeded.choices[0]!.message.content).toBe('w0 w1');
    expect(mocks.gemini.received.at(-1)!.body).toMatchObject({ generationConfig: { maxOutputTokens: 2, seed: 5, presencePenalty: 0.5 } });
  });

  it('falls back from a failing anthropic upstream to a gemini one, whole and streamed, metering the one that served', async () => {
    const before = mocks.anthropic.failed();
    const whole = await client.chat.completions.create({ model: 'anthropic-down', messages: [{ role: 'user', content: 'one two' }], max_tokens: 2 });
    expect(whole.choices[0]!.message.content).toBe('w0 w1');
    expect(mocks.anthropic.failed() - before).toBe(2);
    expect(mocks.gemini.received.at(-1)!.path).toBe('/v1beta/models/model-1:generateContent');
    expect(await rowOf(idOf(whole.id))).toMatchObject({ model: 'gemini', promptTokens: mockPromptTokens(['one two']), completionTokens: 2, status: 'ok' });
    const stream = await client.chat.completions.create({ model: 'anthropic-down', messages: [{ role: 'user', content: 'one two' }], max_tokens: 3, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('w0 w1 w2');
    expect(usage).toMatchObject({ prompt_tokens: mockPromptTokens(['one two']), completion_tokens: 3 });
  });

  it('the Anthropic SDK reaches an anthropic upstream through /v1/messages, usage as the provider counted it', async () => {
    const anthropic = new Anthropic({ baseURL: running.url, apiKey: key.key, maxRetries: 0 });
    const message = await anthropic.messages.create({ model: 'anthropic', max_tokens: 3, system: 'Be kind.', messages: [{ role: 'user', content: 'Hello there' }] });
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'w0 w1 w2' })]);
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage).toMatchObject({ input_tokens: mockPromptTokens(['Be kind.', 'Hello there']), output_tokens: 3 });
    const sent = mocks.anthropic.received.at(-1)!;
    expect(sent.body).toMatchObject({ system: 'Be kind.', max_tokens: 3, messages: [{ role: 'user', content: 'Hello there' }] });
    expect(await rowOf(message.id.replace(/^msg_/, ''))).toMatchObject({ endpoint: 'messages', model: 'anthropic', promptTokens: message.usage.input_tokens, completionTokens: 3 });
    // Which stop sequence ended the answer, as Anthropic said, whole and streamed; OpenAI clients see only `stop`.
    const stopped = await anthropic.messages.create({ model: 'anthropic', max_tokens: 6, stop_sequences: ['zz', 'w3'], messages: [{ role: 'user', content: 'Hello there' }] });
    expect(stopped).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'w3', content: [{ text: 'w0 w1 w2' }] });
    const streamedStop = await anthropic.messages.stream({ model: 'anthropic', max_tokens: 6, stop_sequences: ['w2'], messages: [{ role: 'user', content: 'Hello there' }] }).finalMessage();
    expect(streamedStop).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'w2', content: [{ text: 'w0 w1' }] });
    const viaOpenAI = await client.chat.completions.create({ model: 'anthropic', max_tokens: 6, stop: ['w3'], messages: [{ role: 'user', content: 'Hello there' }] });
    expect(viaOpenAI.choices[0]).toEqual({ index: 0, message: { role: 'assistant', content: 'w0 w1 w2' }, finish_reason: 'stop' });
    const final = await anthropic.messages.stream({ model: 'gemini', max_tokens: 4, messages: [{ role: 'user', content: 'Hello there' }] }).finalMessage();
    expect(final.content).toEqual([expect.objectContaining({ type: 'text', text: 'w0 w1 w2 w3' })]);
    expect(final.usage).toMatchObject({ input_tokens: mockPromptTokens(['Hello there']), output_tokens: 4 });
  });

  it('shows each deployment\'s provider in /api/deployments and refuses a provider on a local deployment', async () => {
    const list = await adminCall<{ data: { name: string; provider: string; apiVersion: string | null }[] }>(running.url, 'GET', '/api/deployments');
    expect(list.json.data.find((d) => d.name === 'gemini')).toMatchObject({ provider: 'gemini', apiVersion: null });
    const patched = await adminCall<{ apiVersion: string }>(running.url, 'PATCH', '/api/deployments/azure-openai', { apiVersion: '2024-06-01' });
    expect(patched.json.apiVersion).toBe('2024-06-01');
    // The new api-version is in the next call's URL; the mock routes any version.
    await client.chat.completions.create({ model: 'azure-openai', messages: [{ role: 'user', content: 'x' }], max_tokens: 1 });
    expect(mocks['azure-openai'].received.at(-1)!.path).toBe('/openai/deployments/model-1/chat/completions?api-version=2024-06-01');
    const local = await adminCall<{ error: { code: string; param: string } }>(running.url, 'POST', '/api/deployments', { name: 'local-x', kind: 'local', modelVersionId: 'mv_x', provider: 'gemini' });
    expect(local.status).toBe(400);
    expect(local.json.error.param).toBe('provider');
    const unknown = await adminCall<{ error: { code: string; param: string } }>(running.url, 'POST', '/api/deployments', { name: 'up-x', kind: 'upstream', upstreamUrl: 'http://127.0.0.1:1', provider: 'cohere' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.param).toBe('provider');
  });
});
