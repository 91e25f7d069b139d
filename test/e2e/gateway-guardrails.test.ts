import { and, desc, eq, like } from 'drizzle-orm';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import type { ClassifierLoader } from '../../src/inference/index.js';
import { schema } from '../../src/store/index.js';
import { fakeRuntime, fakeRuntimeLoader } from '../support/fake-runtime.js';
import { adminCall, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js';

/** A fake classifier for the serve path: "spam" when the text says "buy now" (the engine's is tested in inference). */
const fakeClassifiers: ClassifierLoader = async () => ({
  labels: ['ham', 'spam'],
  classify: async (text) => {
    const spam = /buy now/i.test(text) ? 0.97 : 0.02;
    return { probabilities: { ham: 1 - spam, spam }, tokens: Buffer.byteLength(text) };
  },
});

describe('guardrails through the official openai SDK', () => {
  let running: RunningApp;
  let mock: MockUpstream;
  let client: OpenAI;
  let key: Awaited<ReturnType<typeof seedGatewayKey>>;
  const ids: Record<string, string> = {};
  const db = () => running.services.store.db;
  const lastMockText = () => JSON.stringify(mock.bodies[mock.bodies.length - 1]);
  const guardrailLines = (guardrailId: string) => db().select().from(schema.usageEvents).where(like(schema.usageEvents.requestId, `%:guardrail:${guardrailId}`)).orderBy(desc(schema.usageEvents.seq));
  const apiError = async (p: Promise<unknown>) => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    return err as InstanceType<typeof OpenAI.APIError>;
  };
  const guard = async (deployment: string, body: Record<string, unknown>) => {
    const r = await adminCall<{ id: string }>(running.url, 'POST', `/api/deployments/${deployment}/guardrails`, body);
    expect(r.status).toBe(201);
    return r.json.id;
  };
  const streamText = async (stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) => {
    let text = '';
    const finish: (string | null)[] = [];
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]?.finish_reason) finish.push(chunk.choices[0].finish_reason);
    }
    return { text, finish };
  };

  beforeAll(async () => {
    mock = await startMockUpstream({ chunkDelayMs: 0 });
    const config = loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN } });
    running = await startApp(config, { runtimeLoader: fakeRuntimeLoader(fakeRuntime()), classifierLoader: fakeClassifiers });
    const dep = async (name: string, upstreamModel: string) => {
      const r = await adminCall<{ id: string }>(running.url, 'POST', '/api/deployments', { name, kind: 'upstream', upstreamUrl: mock.url, upstreamModel, maxRetries: 0, costInputPer1mMicros: 100_000, costOutputPer1mMicros: 200_000 });
      expect(r.status).toBe(201);
      return r.json.id;
    };
    await dep('guard-in', 'echo-in');
    await dep('guard-out', 'echo-out');
    await dep('plain', 'echo-plain');
    const [model] = await db().insert(schema.models).values({ id: 'mdl_fake', name: 'fake', kind: 'gpt' }).returning();
    await db().insert(schema.modelVersions).values({ id: 'mv_fake', modelId: model!.id, version: 1, config: {}, checkpointPath: '/nowhere' });
    await db().insert(schema.models).values({ id: 'mdl_spam', name: 'spam', kind: 'gpt-classifier' });
    await db().insert(schema.modelVersions).values({ id: 'mv_spam', modelId: 'mdl_spam', version: 1, config: { kind: 'gpt', classifier: { labels: ['ham', 'spam'], padId: 0, seqLen: 128 } }, checkpointPath: '/nowhere' });
    const local = await adminCall<{ id: string }>(running.url, 'POST', '/api/deployments', { name: 'guard-local', kind: 'local', modelVersionId: 'mv_fake' });
    expect(local.status).toBe(201);

    ids.blocked = await guard('guard-in', { name: 'no secrets plan', stage: 'input', kind: 'blocklist', action: 'refuse', terms: ['project nightingale'], order: 1 });
    ids.cards = await guard('guard-in', { name: 'card numbers', stage: 'input', kind: 'regex', action: 'redact', patterns: ['\\b\\d{4}[ -]?\\d{4}[ -]?\\d{4}[ -]?\\d{4}\\b'], order: 2 });
    ids.hello = await guard('guard-in', { name: 'greetings', stage: 'input', kind: 'blocklist', action: 'flag', terms: ['hello'], order: 3 });
    ids.size = await guard('guard-in', { name: 'short prompts', stage: 'input', kind: 'max_prompt', action: 'refuse', maxChars: 2_000, order: 4 });
    ids.spam = await guard('guard-in', { name: 'spam', stage: 'input', kind: 'classifier', action: 'refuse', classifier: { modelVersionId: 'mv_spam', label: 'spam', threshold: 0.9, costPer1mMicros: 1_000_000 }, order: 5 });
    ids.nasty = await guard('guard-in', { name: 'nasty pattern', stage: 'input', kind: 'regex', action: 'flag', patterns: ['(a|a)*b'], order: 6 });
    ids.outRedact = await guard('guard-out', { name: 'codename', stage: 'output', kind: 'blocklist', action: 'redact', terms: ['blue falcon'] });
    ids.outRefuse = await guard('guard-out', { name: 'no launch codes', stage: 'output', kind: 'regex', action: 'refuse', patterns: ['launch code \\d+'] });
    ids.outFlag = await guard('guard-out', { name: 'mentions weather', stage: 'output', kind: 'blocklist', action: 'flag', terms: ['weather'] });
    ids.localRedact = await guard('guard-local', { name: 'names', stage: 'input', kind: 'blocklist', action: 'redact', terms: ['alice'] });
    key = await seedGatewayKey(running.url, running.services.store, { rpmLimit: null, tpmLimit: null, monthlyTokenQuota: null });
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: key.key, maxRetries: 0 });
  });
  afterAll(async () => {
    await running?.stop();
    await mock?.close();
  });

  it('refuses an input with a blocked phrase: 400 naming the guardrail, never the text; no model call, no billed row', async () => {
    const before = mock.bodies.length;
    const err = await apiError(client.chat.completions.create({ model: 'guard-in', messages: [{ role: 'user', content: 'Tell me about Project   NIGHTINGALE today' }] }));
    expect(err.status).toBe(400);
    expect(err.code).toBe('QD_GUARDRAIL_BLOCKED');
    expect(err.message).toContain('no secrets plan');
    expect(err.message.toLowerCase()).not.toContain('nightingale');
    expect(mock.bodies.length).toBe(before);
    const [line] = await guardrailLines(ids.blocked!);
    expect(line).toMatchObject({ endpoint: 'guardrail', status: 'refuse', httpStatus: 400, errorCode: 'QD_GUARDRAIL_BLOCKED', priceMicros: 0, promptTokens: 0, completionTokens: 0, customerId: key.customerId });
    const requestId = line!.requestId.split(':guardrail:')[0]!;
    expect(await db().select().from(schema.usageEvents).where(eq(schema.usageEvents.requestId, requestId))).toEqual([]);
    // A word inside another word is no match: "nightingales" is served.
    await expect(client.chat.completions.create({ model: 'guard-in', messages: [{ role: 'user', content: 'project nightingales' }] })).resolves.toBeTruthy();
  });

  it('redacts an input before the model sees it (chat and completions), and meters the redaction', async () => {
    const res = await client.chat.completions.create({ model: 'guard-in', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'my card is 4111 1111 1111 1111, ok?' }] });
    expect(lastMockText()).toContain('my card is [redacted], ok?');
    expect(lastMockText()).not.toContain('4111');
    expect(res.choices[0]!.message.content).toBe('my card is [redacted], ok?');
    await client.completions.create({ model: 'guard-in', prompt: ['card 4111-1111-1111-1111'] });
    expect(lastMockText()).toContain('"prompt":["card [redacted]"]');
    const lines = await guardrailLines(ids.cards!);
    expect(lines.length).toBe(2);
    expect(lines.every((l) => l.status === 'redact' && l.priceMicros === 0)).toBe(true);
  });

  it('redacts input on a local (in-process) deployment too', async () => {
    const res = await client.completions.create({ model: 'guard-local', prompt: 'Alice met Bob', max_tokens: 2 });
    expect(res.choices[0]!.text).toBe(' t0 t1');
    expect((await guardrailLines(ids.localRedact!))[0]).toMatchObject({ status: 'redact', model: 'guard-local' });
  });

  it('flags: the request is served unchanged, counted in the stats and the ledger', async () => {
    const res = await client.chat.completions.create({ model: 'guard-in', messages: [{ role: 'user', content: 'Hello there' }] });
    expect(res.choices[0]!.message.content).toBe('Hello there');
    expect(lastMockText()).toContain('Hello there');
    const [line] = await guardrailLines(ids.hello!);
    expect(line).toMatchObject({ status: 'flag', httpStatus: 200, priceMicros: 0 });
    // The request itself has its own, ordinary row.
    const requestId = line!.requestId.split(':guardrail:')[0]!;
    const [row] = await db().select().from(schema.usageEvents).where(eq(schema.usageEvents.requestId, requestId));
    expect(row).toMatchObject({ endpoint: 'chat', status: 'ok' });
    const stats = await adminCall<{ data: { guardrailId: string; name: string; refusals: number; redactions: number; flags: number }[] }>(running.url, 'GET', '/api/deployments/guard-in/guardrails/stats');
    expect(stats.status).toBe(200);
    const byId = new Map(stats.json.data.map((s) => [s.guardrailId, s]));
    expect(byId.get(ids.hello!)).toMatchObject({ name: 'greetings', flags: 1, refusals: 0, redactions: 0 });
    expect(byId.get(ids.blocked!)).toMatchObject({ refusals: 1 });
    expect(byId.get(ids.cards!)).toMatchObject({ redactions: 2 });
    const future = await adminCall<{ data: { flags: number }[] }>(running.url, 'GET', '/api/deployments/guard-in/guardrails/stats?from=2999-01-01T00:00:00Z');
    expect(future.json.data.every((s) => s.flags === 0)).toBe(true);
  });

  it('refuses a prompt over the size limit with QD_GUARDRAIL_PROMPT_TOO_LARGE', async () => {
    const err = await apiError(client.chat.completions.create({ model: 'guard-in', messages: [{ role: 'user', content: 'x'.repeat(2_001) }] }));
    expect(err.status).toBe(400);
    expect(err.code).toBe('QD_GUARDRAIL_PROMPT_TOO_LARGE');
    expect(err.message).toContain('short prompts');
  });

  it('refuses what the classifier scores as spam, and meters each classifier run at its cost', async () => {
    const err = await apiError(client.chat.completions.create({ model: 'guard-in', messages: [{ role: 'user', content: 'BUY NOW cheap pills' }] }));
    expect(err.code).toBe('QD_GUARDRAIL_BLOCKED');
    expect(err.message).toContain('"spam"');
    const lines = await guardrailLines(ids.spam!);
    // Every request that reached the classifier has a line (pass or refuse); 19 bytes at 1.00 per 1M tokens rounds to 0.
    expect(lines[0]).toMatchObject({ status: 'refuse', priceMicros: 0 });
    expect(lines.some((l) => l.status === 'pass')).toBe(true);
  });

  it('redacts an answer before the client sees it, whole and streamed with the phrase split across chunks', async () => {
    const whole = await client.chat.completions.create({ model: 'guard-out', messages: [{ role: 'user', content: 'the Blue Falcon flies' }] });
    expect(whole.choices[0]!.message.content).toBe('the [redacted] flies');
    // echo-* streams three characters per chunk: "the| Bl|ue |Fal|con|..." — the phrase spans four chunks.
    const streamed = await streamText(await client.chat.completions.create({ model: 'guard-out', messages: [{ role: 'user', content: 'the blue falcon flies over the blue  falcon' }], stream: true }));
    expect(streamed.text).toBe('the [redacted] flies over the [redacted]');
    const text = await client.completions.create({ model: 'guard-out', prompt: 'say blue falcon', stream: true });
    let got = '';
    for await (const c of text) got += c.choices[0]?.text ?? '';
    expect(got).toBe('say [redacted]');
    expect((await guardrailLines(ids.outRedact!)).length).toBe(3);
  });

  it('refuses an answer: whole → 400 and not billed as a completion; streamed → cut with content_filter before the text leaves', async () => {
    const err = await apiError(client.chat.completions.create({ model: 'guard-out', messages: [{ role: 'user', content: 'the launch code 1234 is secret' }] }));
    expect(err.status).toBe(400);
    expect(err.code).toBe('QD_GUARDRAIL_BLOCKED');
    expect(err.message).not.toContain('1234');
    const [line] = await guardrailLines(ids.outRefuse!);
    const requestId = line!.requestId.split(':guardrail:')[0]!;
    const [row] = await db().select().from(schema.usageEvents).where(eq(schema.usageEvents.requestId, requestId));
    expect(row).toMatchObject({ status: 'error', errorCode: 'QD_GUARDRAIL_BLOCKED', completionTokens: 0, priceMicros: 0 });

    const stream = await client.chat.completions.create({ model: 'guard-out', messages: [{ role: 'user', content: `${'fine words '.repeat(60)}then launch code 987 follows` }], stream: true });
    let text = '';
    const finish: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        if (chunk.choices[0]?.finish_reason) finish.push(chunk.choices[0].finish_reason);
      }
    })().then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(finish).toEqual(['content_filter']);
    expect(text.startsWith('fine words fine words')).toBe(true);
    expect(text).not.toContain('launch');
    expect(text).not.toContain('987');
  });

  it('flags an answer without changing it', async () => {
    const res = await client.chat.completions.create({ model: 'guard-out', messages: [{ role: 'user', content: 'nice weather' }] });
    expect(res.choices[0]!.message.content).toBe('nice weather');
    expect((await guardrailLines(ids.outFlag!))[0]).toMatchObject({ status: 'flag' });
  });

  it('refuses a pattern that needs backtracking with 400 naming it, and stays linear on a hostile prompt', async () => {
    const bad = await adminCall<{ error: { code: string; param: string; message: string } }>(running.url, 'POST', '/api/deployments/plain/guardrails', { name: 'backref', stage: 'input', kind: 'regex', action: 'flag', patterns: ['ok', '(a)\\1'] });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'patterns.1' });
    const empty = await adminCall<{ error: { param: string } }>(running.url, 'POST', '/api/deployments/plain/guardrails', { name: 'empty', stage: 'input', kind: 'regex', action: 'flag', patterns: ['x*'] });
    expect(empty.status).toBe(400);
    expect(empty.json.error.param).toBe('patterns.0');
    const wrongKind = await adminCall<{ error: { param: string } }>(running.url, 'POST', '/api/deployments/plain/guardrails', { name: 'w', stage: 'output', kind: 'max_prompt', action: 'refuse', maxChars: 5 });
    expect(wrongKind.json.error.param).toBe('stage');
    const missing = await adminCall<{ error: { param: string } }>(running.url, 'POST', '/api/deployments/plain/guardrails', { name: 'w', stage: 'input', kind: 'blocklist', action: 'refuse' });
    expect(missing.json.error.param).toBe('terms');
    // `(a|a)*b` backtracks exponentially in JavaScript; on RE2 this prompt is one linear scan (the size guardrail allows 2,000).
    const res = await client.chat.completions.create({ model: 'guard-in', messages: [{ role: 'user', content: `${'a'.repeat(1_990)}!` }] });
    expect(res.choices[0]!.message.content).toHaveLength(1_991);
  });

  it('answers a huge prompt (no 500, no hang) through every matcher', async () => {
    await guard('plain', { name: 'big blocklist', stage: 'input', kind: 'blocklist', action: 'redact', terms: Array.from({ length: 300 }, (_, i) => `term${i} word`) });
    await guard('plain', { name: 'big regex', stage: 'input', kind: 'regex', action: 'flag', patterns: ['(x+x+)+y', '[a-z]+@[a-z]+\\.com'] });
    const huge = `${'xxxxxxxxxx '.repeat(60_000)}term7 word`;
    const res = await client.completions.create({ model: 'plain', prompt: huge, max_tokens: 1 });
    expect(res.choices[0]!.text.endsWith('[redacted]')).toBe(true);
  });

  it('edits and removes guardrails; the cache follows at once', async () => {
    const list = await adminCall<{ data: { id: string; name: string }[] }>(running.url, 'GET', '/api/deployments/guard-out/guardrails');
    expect(list.json.data.map((g) => g.name)).toEqual(['codename', 'no launch codes', 'mentions weather']);
    const off = await adminCall<{ enabled: boolean }>(running.url, 'PATCH', `/api/deployments/guard-out/guardrails/${ids.outRedact}`, { enabled: false });
    expect(off.json.enabled).toBe(false);
    expect((await client.chat.completions.create({ model: 'guard-out', messages: [{ role: 'user', content: 'blue falcon' }] })).choices[0]!.message.content).toBe('blue falcon');
    const changed = await adminCall<{ terms: string[] }>(running.url, 'PATCH', `/api/deployments/guard-out/guardrails/${ids.outRedact}`, { enabled: true, terms: ['falcon'] });
    expect(changed.json.terms).toEqual(['falcon']);
    expect((await client.chat.completions.create({ model: 'guard-out', messages: [{ role: 'user', content: 'blue falcon' }] })).choices[0]!.message.content).toBe('blue [redacted]');
    const removed = await adminCall(running.url, 'DELETE', `/api/deployments/guard-out/guardrails/${ids.outRedact}`);
    expect(removed.status).toBe(200);
    expect((await client.chat.completions.create({ model: 'guard-out', messages: [{ role: 'user', content: 'blue falcon' }] })).choices[0]!.message.content).toBe('blue falcon');
    expect((await adminCall(running.url, 'DELETE', `/api/deployments/guard-out/guardrails/${ids.outRedact}`)).status).toBe(404);
    // The removed guardrail's ledger lines stay.
    expect((await guardrailLines(ids.outRedact!)).length).toBeGreaterThan(0);
  });

  it('keeps guardrail lines out of /api/usage (they are no requests)', async () => {
    const usage = await adminCall<{ data: { endpoint: string }[]; totals: { requests: number } }>(running.url, 'GET', `/api/usage?keyId=${key.keyId}&limit=1000`);
    expect(usage.status).toBe(200);
    expect(usage.json.data.every((r) => r.endpoint !== 'guardrail')).toBe(true);
    const all = await db().select().from(schema.usageEvents).where(and(eq(schema.usageEvents.keyId, key.keyId)));
    expect(usage.json.totals.requests).toBe(all.filter((r) => r.endpoint !== 'guardrail').length);
  });
});
