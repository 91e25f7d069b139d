import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { createEngine, saveCheckpoint, type Engine } from '../../src/engine/index.js';
import { LOCAL_FIELDS } from '../../src/gateway/upstream/local-fields.js';
import { RESPONSES_FIELDS } from '../../src/gateway/openai/responses-api.js';
import { createModel, presetSpec, toCheckpoint, type GPT } from '../../src/models/index.js';
import { schema } from '../../src/store/index.js';
import { byteTokenizer } from '../../src/tokenizer/index.js';
import { adminCall, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';
import { fakeRuntime, fakeRuntimeLoader } from '../support/fake-runtime.js';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js';

/**
 * The #15 endpoints and fields through the official openai SDK, against a started app serving an engine
 * model in-process (the tiny preset, byte tokenizer) and a mock OpenAI-compatible upstream.
 */
describe('embeddings, responses, sampling fields and timeouts through the openai SDK', () => {
  let running: RunningApp;
  let mock: MockUpstream;
  let client: OpenAI;
  let key: Awaited<ReturnType<typeof seedGatewayKey>>;
  let engine: Engine;
  let model: GPT;
  const dir = mkdtempSync(join(tmpdir(), 'qd-v1more-'));
  const rowOf = async (requestId: string) => (await running.services.store.db.select().from(schema.usageEvents).where(eq(schema.usageEvents.requestId, requestId)))[0];
  const post = (path: string, body: Record<string, unknown>, apiKey = key.key) =>
    fetch(`${running.url}/v1/${path}`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const errorOf = async (res: Response) => ({ status: res.status, ...(((await res.json()) as { error?: { code?: string; param?: string } }).error ?? {}) });
  const norm = (v: readonly number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

  beforeAll(async () => {
    engine = await createEngine({ backend: 'reference' });
    const spec = presetSpec('tiny');
    model = createModel(engine, spec) as GPT;
    model.train(false);
    await saveCheckpoint(join(dir, 'ckpt'), toCheckpoint(spec, model, undefined, byteTokenizer().toJSON()));
    mock = await startMockUpstream({ chunkDelayMs: 0, slowMs: 3_000 });
    running = await startApp(loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN, QUDAO_THREADS: '1' } }));
    const { db } = running.services.store;
    await db.insert(schema.models).values({ id: 'mdl_tiny', name: 'tiny', kind: 'gpt' });
    await db.insert(schema.modelVersions).values({ id: 'mv_tiny', modelId: 'mdl_tiny', version: 1, config: spec.config, checkpointPath: join(dir, 'ckpt') });
    const dep = async (body: Record<string, unknown>) => expect((await adminCall(running.url, 'POST', '/api/deployments', body)).status).toBe(201);
    await dep({ name: 'tiny', kind: 'local', modelVersionId: 'mv_tiny' });
    await dep({ name: 'mock-model', kind: 'upstream', upstreamUrl: mock.url, upstreamModel: 'm', maxRetries: 0 });
    await dep({ name: 'slow-deployment', kind: 'upstream', upstreamUrl: mock.url, upstreamModel: 'slow-1', timeoutMs: 150, maxRetries: 0 });
    await dep({ name: 'slow-patient', kind: 'upstream', upstreamUrl: mock.url, upstreamModel: 'slow-2', maxRetries: 0 });
    key = await seedGatewayKey(running.url, running.services.store, { rpmLimit: null, tpmLimit: null, monthlyTokenQuota: null });
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: key.key, maxRetries: 0 });
  });
  afterAll(async () => {
    await running?.stop();
    await mock?.close();
    await engine?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the endpoints each model supports', async () => {
    const models = new Map<string, unknown>();
    for await (const m of client.models.list()) models.set(m.id, (m as unknown as { endpoints: unknown }).endpoints);
    expect(models.get('tiny')).toEqual(['chat.completions', 'completions', 'embeddings', 'messages', 'responses']);
    expect(((await client.models.retrieve('mock-model')) as unknown as { endpoints: string[] }).endpoints).toContain('embeddings');
  });

  describe('POST /v1/embeddings', () => {
    it('pools the final hidden states: the mean over the input\'s tokens after ln_f, L2-normalised, as computed here from the model', async () => {
      const ids = Array.from(Buffer.from('Hello'));
      engine.resetArena();
      const hidden = engine.noGrad(() => model.features(Int32Array.from(ids), [1, ids.length]).toArray());
      const width = hidden.length / ids.length;
      const mean = Array.from({ length: width }, (_, c) => ids.reduce((s, _t, t) => s + hidden[t * width + c]!, 0) / ids.length);
      const expected = mean.map((x) => x / norm(mean));
      const { data, response } = await client.embeddings.create({ model: 'tiny', input: 'Hello', encoding_format: 'float' }).withResponse();
      const got = data.data[0]!.embedding;
      expect(got).toHaveLength(width);
      got.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 4));
      expect(norm(got)).toBeCloseTo(1, 5);
      expect(data.usage).toEqual({ prompt_tokens: 5, total_tokens: 5 });
      const row = await rowOf(response.headers.get('x-request-id')!);
      expect(row).toMatchObject({ endpoint: 'embeddings', model: 'tiny', promptTokens: 5, completionTokens: 0, status: 'ok', httpStatus: 200, keyId: key.keyId });
      expect(row?.priceMicros).toBe(5); // 5 tokens × 1.00 per 1M input tokens
    });

    it('answers base64 (the SDK\'s default, which it decodes) equal to floats, batches in order, and reads token arrays', async () => {
      const floats = await client.embeddings.create({ model: 'tiny', input: ['a', 'bb', 'Hi'], encoding_format: 'float' });
      // The SDK asks for base64 when no format is given and decodes little-endian float32 itself.
      const decoded = await client.embeddings.create({ model: 'tiny', input: ['a', 'bb', 'Hi'] });
      expect(decoded.data.map((d) => d.index)).toEqual([0, 1, 2]);
      expect(decoded.data.map((d) => d.embedding)).toEqual(floats.data.map((d) => Array.from(Float32Array.from(d.embedding))));
      const raw = (await (await post('embeddings', { model: 'tiny', input: 'a', encoding_format: 'base64' })).json()) as { data: { embedding: string }[] };
      const buf = Buffer.from(raw.data[0]!.embedding, 'base64');
      expect(Array.from({ length: buf.length / 4 }, (_, i) => buf.readFloatLE(i * 4))).toEqual(Array.from(Float32Array.from(floats.data[0]!.embedding)));
      // Each input of a batch is embedded as it would be alone.
      const alone = await client.embeddings.create({ model: 'tiny', input: 'bb', encoding_format: 'float' });
      expect(floats.data[1]!.embedding).toEqual(alone.data[0]!.embedding);
      const tokens = await client.embeddings.create({ model: 'tiny', input: [[72, 105]], encoding_format: 'float' });
      expect(tokens.data[0]!.embedding).toEqual(floats.data[2]!.embedding);
      expect(floats.usage.prompt_tokens).toBe(5);
    });

    it('truncates to dimensions and renormalises; refuses more dimensions than the model has, over-long inputs and unknown fields, naming the param', async () => {
      const full = (await client.embeddings.create({ model: 'tiny', input: 'Hello', encoding_format: 'float' })).data[0]!.embedding;
      const cut = (await client.embeddings.create({ model: 'tiny', input: 'Hello', dimensions: 8, encoding_format: 'float' })).data[0]!.embedding;
      expect(cut).toHaveLength(8);
      expect(norm(cut)).toBeCloseTo(1, 5);
      cut.forEach((x, i) => expect(x).toBeCloseTo(full[i]! / norm(full.slice(0, 8)), 5));
      expect(await errorOf(await post('embeddings', { model: 'tiny', input: 'Hello', dimensions: 100_000 }))).toMatchObject({ status: 400, code: 'QD_INVALID_REQUEST', param: 'dimensions' });
      expect(await errorOf(await post('embeddings', { model: 'tiny', input: 'x'.repeat(200) }))).toMatchObject({ status: 400, code: 'QD_CONTEXT_TOO_LONG', param: 'input' });
      expect(await errorOf(await post('embeddings', { model: 'tiny', input: ['ok', 'x'.repeat(200)] }))).toMatchObject({ status: 400, code: 'QD_CONTEXT_TOO_LONG', param: 'input.1' });
      expect(await errorOf(await post('embeddings', { model: 'tiny', input: [[1, 999]] }))).toMatchObject({ status: 400, code: 'QD_INVALID_REQUEST', param: 'input.0' });
      expect(await errorOf(await post('embeddings', { model: 'tiny', input: '' }))).toMatchObject({ status: 400, code: 'QD_INVALID_REQUEST', param: 'input' });
      expect(await errorOf(await post('embeddings', { model: 'tiny', input: 'x', encoding_format: 'int8' }))).toMatchObject({ status: 400, code: 'QD_INVALID_REQUEST', param: 'encoding_format' });
      // Every field of the SDK's request type is implemented; a field outside it is refused, not dropped.
      const fields: Record<keyof OpenAI.EmbeddingCreateParams, true> = { model: true, input: true, encoding_format: true, dimensions: true, user: true };
      expect(Object.keys(fields).sort()).toEqual([...LOCAL_FIELDS.embeddings].sort());
      expect((await post('embeddings', { model: 'tiny', input: 'x', user: 'u1', dimensions: null, encoding_format: null })).status).toBe(200);
      expect(await errorOf(await post('embeddings', { model: 'tiny', input: 'x', normalize: false }))).toMatchObject({ status: 400, code: 'QD_UNSUPPORTED_PARAMETER', param: 'normalize' });
    });

    it('passes an upstream\'s embeddings through, metered by the usage it reports', async () => {
      const { data, response } = await client.embeddings.create({ model: 'mock-model', input: ['abc', 'de'] }).withResponse();
      expect(data.data.map((d) => d.embedding)).toEqual([Array.from(Float32Array.from([1, 0])), Array.from(Float32Array.from([Math.cos(1), Math.sin(1)]))]);
      expect(data.usage.prompt_tokens).toBe(5);
      expect(await rowOf(response.headers.get('x-request-id')!)).toMatchObject({ endpoint: 'embeddings', model: 'mock-model', promptTokens: 5, completionTokens: 0, status: 'ok' });
      expect(mock.received.embeddings).toBe(1);
    });
  });

  describe('POST /v1/responses', () => {
    it('answers text input as the chat path would, with usage equal to its ledger row', async () => {
      const res = await client.responses.create({ model: 'tiny', input: 'Hi', max_output_tokens: 6, temperature: 0, store: false });
      const chat = await client.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 6, temperature: 0 });
      expect(res.object).toBe('response');
      expect(res.output_text).toBe(chat.choices[0]!.message.content);
      expect(res.usage).toMatchObject({ input_tokens: chat.usage!.prompt_tokens, output_tokens: chat.usage!.completion_tokens, total_tokens: chat.usage!.total_tokens });
      expect(res.status).toBe(chat.choices[0]!.finish_reason === 'length' ? 'incomplete' : 'completed');
      const row = await rowOf(res.id.replace(/^resp_/, ''));
      expect(row).toMatchObject({ endpoint: 'responses', promptTokens: res.usage!.input_tokens, completionTokens: res.usage!.output_tokens, status: 'ok', streamed: false });
    });

    it('reads instructions and message arrays', async () => {
      const res = await client.responses.create({
        model: 'tiny',
        instructions: 'Be brief.',
        input: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: [{ type: 'output_text', text: 'Hello' }] } as never, { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'And?' }] }],
        max_output_tokens: 4,
        temperature: 0,
      });
      const chat = await client.chat.completions.create({
        model: 'tiny',
        messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }, { role: 'user', content: 'And?' }],
        max_tokens: 4,
        temperature: 0,
      });
      expect(res.output_text).toBe(chat.choices[0]!.message.content);
      expect(res.usage?.input_tokens).toBe(chat.usage?.prompt_tokens);
    });

    it('streams the typed events the SDK expects, in order and numbered; the deltas make the final text; usage equals the ledger row', async () => {
      const stream = await client.responses.create({ model: 'tiny', input: 'Hi', max_output_tokens: 8, temperature: 0.9, stream: true });
      const events: OpenAI.Responses.ResponseStreamEvent[] = [];
      for await (const e of stream) events.push(e);
      const types = events.map((e) => e.type);
      expect(types.slice(0, 4)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
      expect(types.slice(-4, -1)).toEqual(['response.output_text.done', 'response.content_part.done', 'response.output_item.done']);
      expect(['response.completed', 'response.incomplete']).toContain(types.at(-1));
      expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
      const deltas = events.filter((e): e is OpenAI.Responses.ResponseTextDeltaEvent => e.type === 'response.output_text.delta').map((e) => e.delta).join('');
      const done = events.find((e): e is OpenAI.Responses.ResponseTextDoneEvent => e.type === 'response.output_text.done')!;
      expect(done.text).toBe(deltas);
      const final = (events.at(-1) as OpenAI.Responses.ResponseCompletedEvent).response;
      expect(final.output_text ?? (final.output[0] as OpenAI.Responses.ResponseOutputMessage).content.map((c) => (c.type === 'output_text' ? c.text : '')).join('')).toBe(deltas);
      const row = await rowOf(final.id.replace(/^resp_/, ''));
      expect(row).toMatchObject({ endpoint: 'responses', streamed: true, status: 'ok', promptTokens: final.usage!.input_tokens, completionTokens: final.usage!.output_tokens });
      expect(final.usage!.output_tokens).toBe(8);
    });

    it('serves an upstream deployment through its chat endpoint', async () => {
      const res = await client.responses.create({ model: 'mock-model', input: 'Hi', max_output_tokens: 3 });
      expect(res.output_text).toBe('w0 w1 w2');
      const stream = await client.responses.create({ model: 'mock-model', input: 'Hi', max_output_tokens: 3, stream: true });
      let text = '';
      for await (const e of stream) if (e.type === 'response.output_text.delta') text += e.delta;
      expect(text).toBe('w0 w1 w2');
    });

    it('implements or refuses every field of the SDK\'s request type, naming it', async () => {
      // A field the SDK adds fails this file's compile until it is decided here.
      const fields: Record<keyof OpenAI.Responses.ResponseCreateParamsNonStreaming, boolean> = {
        model: true, input: true, instructions: true, max_output_tokens: true, temperature: true, top_p: true, stream: true, store: true, metadata: true, user: true, safety_identifier: true, text: true, truncation: true,
        background: false, context_management: false, conversation: false, include: false, moderation: false, parallel_tool_calls: false, previous_response_id: false, prompt: false, prompt_cache_key: false,
        prompt_cache_options: false, prompt_cache_retention: false, reasoning: false, service_tier: false, stream_options: false, tool_choice: false, tools: false, top_logprobs: false,
      };
      expect(Object.keys(fields).filter((f) => fields[f as keyof typeof fields]).sort()).toEqual([...RESPONSES_FIELDS].sort());
      const failures: string[] = [];
      for (const field of Object.keys(fields).filter((f) => !fields[f as keyof typeof fields])) {
        for (const model of ['tiny', 'mock-model']) {
          const e = await errorOf(await post('responses', { model, input: 'Hi', max_output_tokens: 2, [field]: 1 }));
          if (e.status !== 400 || e.code !== 'QD_UNSUPPORTED_PARAMETER' || e.param !== field) failures.push(`${model} ${field}: ${JSON.stringify(e)}`);
        }
      }
      expect(failures).toEqual([]);
      // Values of implemented fields that are not implemented: stored responses, other text formats, tool items.
      for (const [extra, param] of [
        [{ store: true }, 'store'],
        [{ text: { format: { type: 'json_object' } } }, 'text.format'],
        [{ truncation: 'auto' }, 'truncation'],
        [{ input: [{ type: 'function_call_output', call_id: 'c', output: 'x' }] }, 'input.0.type'],
        [{ input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'data:,' }] }] }, 'input.0.content.0.type'],
      ] as const) {
        expect(await errorOf(await post('responses', { model: 'tiny', input: 'Hi', max_output_tokens: 2, ...extra }))).toMatchObject({ status: 400, code: 'QD_UNSUPPORTED_PARAMETER', param });
      }
      const ok = await post('responses', { model: 'tiny', input: 'Hi', max_output_tokens: 2, store: false, metadata: { a: 'b' }, text: { format: { type: 'text' } }, truncation: 'disabled', user: 'u', previous_response_id: null });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { metadata: unknown }).metadata).toEqual({ a: 'b' });
      // The chat path's errors name the Responses field.
      expect(await errorOf(await post('responses', { model: 'tiny', input: 'Hi', max_output_tokens: 10_000 }))).toMatchObject({ status: 400, code: 'QD_CONTEXT_TOO_LONG', param: 'max_output_tokens' });
    });
  });

  describe('sampling fields of an in-process model', () => {
    it('reports chat logprobs: each the greedy token\'s, the top alternatives sorted, the same whole and streamed', async () => {
      const ask = { model: 'tiny', messages: [{ role: 'user' as const, content: 'Hi' }], max_tokens: 6, temperature: 0, logprobs: true, top_logprobs: 3 };
      const whole = await client.chat.completions.create(ask);
      const content = whole.choices[0]!.logprobs!.content!;
      expect(content.length).toBeGreaterThan(0);
      expect(content.length).toBeLessThanOrEqual(whole.usage!.completion_tokens);
      expect(content.map((t) => Buffer.from(t.bytes!).toString('latin1')).join('')).toBe(Buffer.from(whole.choices[0]!.message.content!, 'utf8').toString('latin1'));
      let sum = 0;
      for (const t of content) {
        sum += t.logprob;
        expect(t.top_logprobs).toHaveLength(3);
        for (let i = 1; i < 3; i++) expect(t.top_logprobs[i - 1]!.logprob).toBeGreaterThanOrEqual(t.top_logprobs[i]!.logprob);
        // Greedy: the chosen token is the most likely one.
        expect(t.top_logprobs[0]).toMatchObject({ token: t.token, logprob: t.logprob });
      }
      expect(sum).toBeLessThanOrEqual(0);
      const stream = await client.chat.completions.create({ ...ask, stream: true });
      const streamed: OpenAI.Chat.Completions.ChatCompletionTokenLogprob[] = [];
      for await (const chunk of stream) streamed.push(...(chunk.choices[0]?.logprobs?.content ?? []));
      expect(streamed).toEqual(content);
    });

    it('reports completions logprobs in the legacy shape', async () => {
      const res = await client.completions.create({ model: 'tiny', prompt: 'The', max_tokens: 5, temperature: 0, logprobs: 2 });
      const lp = res.choices[0]!.logprobs!;
      expect(lp.tokens).toHaveLength(5);
      expect(lp.token_logprobs).toHaveLength(5);
      expect(lp.top_logprobs!.every((alts) => Object.keys(alts).length <= 2)).toBe(true);
      expect(lp.text_offset).toEqual(lp.tokens!.map((_, i) => lp.tokens!.slice(0, i).join('').length));
      for (const v of lp.token_logprobs!) expect(v).toBeLessThanOrEqual(0);
    });

    it('cuts at a stop sequence, whole and streamed, without ever streaming part of it', async () => {
      const base = { model: 'tiny', prompt: 'Once', max_tokens: 20, temperature: 0 };
      const text = (await client.completions.create(base)).choices[0]!.text;
      const stop = text.slice(3, 6);
      const expected = text.slice(0, text.indexOf(stop));
      const cut = await client.completions.create({ ...base, stop: [stop, 'never-there'] });
      expect(cut.choices[0]!.text).toBe(expected);
      expect(cut.choices[0]!.finish_reason).toBe('stop');
      const stream = await client.completions.create({ ...base, stop, stream: true });
      let streamed = '';
      for await (const chunk of stream) streamed += chunk.choices[0]?.text ?? '';
      expect(streamed).toBe(expected);
      expect(await errorOf(await post('completions', { ...base, stop: ['a', 'b', 'c', 'd', 'e'] }))).toMatchObject({ status: 400, param: 'stop' });
    });

    it('gives the same output for the same seed, and changes the distribution with logit_bias and penalties', async () => {
      const ask = { model: 'tiny', prompt: 'Once', max_tokens: 10, temperature: 1, seed: 99 };
      const a = await client.completions.create(ask);
      expect((await client.completions.create(ask)).choices[0]!.text).toBe(a.choices[0]!.text);
      const greedy = await client.completions.create({ model: 'tiny', prompt: 'Once', max_tokens: 3, temperature: 0, logprobs: 0 });
      const first = greedy.choices[0]!.text.charCodeAt(0);
      const banned = await client.completions.create({ model: 'tiny', prompt: 'Once', max_tokens: 3, temperature: 0, logit_bias: { [String(first)]: -100 } });
      expect(banned.choices[0]!.text.charCodeAt(0)).not.toBe(first);
      const forced = await client.completions.create({ model: 'tiny', prompt: 'Once', max_tokens: 4, temperature: 1, seed: 1, logit_bias: { '65': 100 } });
      expect(forced.choices[0]!.text).toBe('AAAA');
      // A strong frequency penalty makes a forced token give way after its first use.
      const penalised = await client.completions.create({ model: 'tiny', prompt: 'Once', max_tokens: 4, temperature: 0, logit_bias: { '65': 30 }, frequency_penalty: 2, presence_penalty: 2, logprobs: 1 });
      expect(penalised.choices[0]!.text.length).toBe(4);
      expect(await errorOf(await post('completions', { ...ask, logit_bias: { '300': 5 } }))).toMatchObject({ status: 400, code: 'QD_INVALID_REQUEST', param: 'logit_bias.300' });
      expect(await errorOf(await post('completions', { ...ask, presence_penalty: 3 }))).toMatchObject({ status: 400, code: 'QD_INVALID_REQUEST', param: 'presence_penalty' });
    });
  });

  describe('request timeouts', () => {
    it('answers 504 QD_UPSTREAM_TIMEOUT past the deployment\'s timeout, and the ledger row says so', async () => {
      const err = (await client.chat.completions.create({ model: 'slow-deployment', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 2 }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(err.status).toBe(504);
      expect(err.code).toBe('QD_UPSTREAM_TIMEOUT');
      expect(await rowOf(err.requestID!)).toMatchObject({ status: 'error', httpStatus: 504, errorCode: 'QD_UPSTREAM_TIMEOUT', completionTokens: 0, priceMicros: 0 });
    });

    it('answers 504 past the key\'s own timeout when it is shorter than the deployment\'s, on every endpoint', async () => {
      const created = await adminCall<{ key: string; timeoutMs: number }>(running.url, 'POST', '/api/keys', { customerId: key.customerId, channelId: key.channelId, planId: key.planId, timeoutMs: 150 });
      expect(created.json.timeoutMs).toBe(150);
      const impatient = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: created.json.key, maxRetries: 0 });
      for (const call of [
        () => impatient.chat.completions.create({ model: 'slow-patient', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 2 }),
        () => impatient.completions.create({ model: 'slow-patient', prompt: 'Hi', max_tokens: 2, stream: true }),
        () => impatient.responses.create({ model: 'slow-patient', input: 'Hi', max_output_tokens: 2 }),
        () => impatient.embeddings.create({ model: 'slow-patient', input: 'Hi' }),
      ]) {
        const err = (await call().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
        expect(err.status).toBe(504);
        expect(err.code).toBe('QD_UPSTREAM_TIMEOUT');
        expect(await rowOf(err.requestID!)).toMatchObject({ status: 'error', httpStatus: 504, errorCode: 'QD_UPSTREAM_TIMEOUT' });
      }
      // The same deployment with a key that sets no timeout waits for the slow upstream (its own 60 s apply).
      const res = await client.chat.completions.create({ model: 'slow-patient', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 2 });
      expect(res.choices[0]!.message.content).toBe('w0 w1');
    });
  });
});

describe('request timeouts of an in-process model', () => {
  let running: RunningApp;
  let client: OpenAI;
  let key: Awaited<ReturnType<typeof seedGatewayKey>>;
  const rowOf = async (requestId: string) => (await running.services.store.db.select().from(schema.usageEvents).where(eq(schema.usageEvents.requestId, requestId)))[0];

  beforeAll(async () => {
    // A model that takes 400 ms per token: slower than the deployment's 150 ms timeout.
    running = await startApp(loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN } }), { runtimeLoader: fakeRuntimeLoader(fakeRuntime(4096, 400)) });
    const { db } = running.services.store;
    await db.insert(schema.models).values({ id: 'mdl_slow', name: 'slow', kind: 'gpt' });
    await db.insert(schema.modelVersions).values({ id: 'mv_slow', modelId: 'mdl_slow', version: 1, config: {}, checkpointPath: '/nowhere' });
    expect((await adminCall(running.url, 'POST', '/api/deployments', { name: 'slow-local', kind: 'local', modelVersionId: 'mv_slow', timeoutMs: 150 })).status).toBe(201);
    expect((await adminCall(running.url, 'POST', '/api/deployments', { name: 'patient-local', kind: 'local', modelVersionId: 'mv_slow' })).status).toBe(201);
    key = await seedGatewayKey(running.url, running.services.store, { rpmLimit: null, tpmLimit: null, monthlyTokenQuota: null });
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: key.key, maxRetries: 0 });
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('answers 504 QD_UPSTREAM_TIMEOUT when no token comes within the deployment\'s timeout, whole or streamed', async () => {
    const err = (await client.chat.completions.create({ model: 'slow-local', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 3 }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(504);
    expect(err.code).toBe('QD_UPSTREAM_TIMEOUT');
    expect(await rowOf(err.requestID!)).toMatchObject({ status: 'error', httpStatus: 504, errorCode: 'QD_UPSTREAM_TIMEOUT', completionTokens: 0 });
    // A stream has sent its first (role) chunk already: the timeout ends it with an error event.
    const stream = await client.chat.completions.create({ model: 'slow-local', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 3, stream: true }).withResponse();
    const failure = await (async () => {
      for await (const _chunk of stream.data) void _chunk;
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(await rowOf(stream.response.headers.get('x-request-id')!)).toMatchObject({ status: 'error', httpStatus: 504, errorCode: 'QD_UPSTREAM_TIMEOUT', streamed: true });
  });

  it('applies a key\'s shorter timeout, and serves a slow model within the default one', async () => {
    const created = await adminCall<{ key: string }>(running.url, 'POST', '/api/keys', { customerId: key.customerId, channelId: key.channelId, planId: key.planId, timeoutMs: 150 });
    const impatient = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: created.json.key, maxRetries: 0 });
    const err = (await impatient.completions.create({ model: 'patient-local', prompt: 'Hi', max_tokens: 2 }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err.code).toBe('QD_UPSTREAM_TIMEOUT');
    const res = await client.completions.create({ model: 'patient-local', prompt: 'Hi', max_tokens: 2 });
    expect(res.choices[0]!.text).toBe(' t0 t1');
  });
});
