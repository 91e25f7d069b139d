import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { schema } from '../../src/store/index.js';
import { gpt2Tokenizer } from '../../src/tokenizer/index.js';
import { fakeRuntime, fakeRuntimeLoader } from '../support/fake-runtime.js';
import { adminCall, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js';
import { RawStreamClient } from '../support/raw-stream-client.js';

const BUFFER_BYTES = 32 * 1024;
const N = 16;
const MAX_TOKENS = 32_768;
const REQUESTED = N * MAX_TOKENS;

/**
 * Clients that stop reading a stream: the gateway must pause the model / stop reading the upstream, hold
 * at most `streamBufferBytes` per stream, cut the client after `streamStallMs`, and bill exactly the tokens
 * it handed to the socket — which, read after the cut, is exactly what the client receives.
 */
describe('streams to clients that do not read', () => {
  let running: RunningApp;
  let mock: MockUpstream;
  let key: string;
  let keyId: string;
  beforeAll(async () => {
    mock = await startMockUpstream({ backpressure: true });
    const config = loadConfig({
      env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN, QUDAO_STREAM_BUFFER_BYTES: String(BUFFER_BYTES), QUDAO_STREAM_STALL_MS: '1500' },
    });
    running = await startApp(config, { runtimeLoader: fakeRuntimeLoader(fakeRuntime(1 << 20)) });
    expect((await adminCall(running.url, 'POST', '/api/deployments', { name: 'up', kind: 'upstream', upstreamUrl: mock.url })).status).toBe(201);
    const [model] = await running.services.store.db.insert(schema.models).values({ id: 'mdl_fake', name: 'fake', kind: 'gpt' }).returning();
    await running.services.store.db.insert(schema.modelVersions).values({ id: 'mv_fake', modelId: model!.id, version: 1, config: {}, checkpointPath: '/nowhere' });
    expect((await adminCall(running.url, 'POST', '/api/deployments', { name: 'local', kind: 'local', modelVersionId: 'mv_fake' })).status).toBe(201);
    ({ key, keyId } = await seedGatewayKey(running.url, running.services.store, { rpmLimit: null, tpmLimit: null, monthlyTokenQuota: null }));
  });
  afterAll(async () => {
    await running?.stop();
    await mock?.close();
  });

  const rowsOfKey = () => running.services.store.db.select().from(schema.usageEvents).where(eq(schema.usageEvents.keyId, keyId));

  /** Waits (on events, not a clock the test asserts on) until the ledger holds `count` rows for the key. */
  async function rowsWhenSettled(count: number) {
    for (;;) {
      const rows = await rowsOfKey();
      if (rows.length >= count) return rows;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  function open(model: string, readFirst: number): RawStreamClient {
    return new RawStreamClient(running.url, '/v1/chat/completions', { authorization: `Bearer ${key}` }, { model, messages: [{ role: 'user', content: 'go' }], n: N, max_tokens: MAX_TOKENS, stream: true }, readFirst);
  }

  const contentOf = (events: string[]) =>
    events.filter((e) => e !== '[DONE]').flatMap((e) => (JSON.parse(e) as { choices: { delta?: { content?: string } }[] }).choices.map((c) => c.delta?.content ?? ''));

  it('HTTP upstream: three paused sockets are cut, held bounded, and billed exactly what reached the socket', async () => {
    const before = (await rowsOfKey()).length;
    const clients = [open('up', 0), open('up', 0), open('up', 20_000)];
    await Promise.all(clients.map((c) => c.paused()));
    const rows = (await rowsWhenSettled(before + 3)).slice(before);
    const received = await Promise.all(clients.map((c) => c.finish()));
    const tok = gpt2Tokenizer();
    const billed = rows.map((r) => r.completionTokens).sort((a, b) => a - b);
    const delivered = received.map((r) => tok.encode(contentOf(r.events).join('')).length).sort((a, b) => a - b);
    for (const row of rows) {
      expect(row.status).toBe('cancelled');
      expect(row.httpStatus).toBe(499);
      expect(row.streamed).toBe(true);
      // What the loopback kernel buffers took (~4 MB, ~20k events of 2–3 GPT-2 tokens each) of 16 × 32768.
      expect(row.completionTokens).toBeLessThan(REQUESTED / 4);
    }
    // The connection was closed after the socket took those bytes, so the client reads exactly them.
    expect(billed).toEqual(delivered);
    expect(received.every((r) => !r.events.includes('[DONE]'))).toBe(true);
    // Bounded: the gateway held at most its buffer (plus one event) per stream, and stopped reading the
    // upstream, which could write only what the kernel's socket buffers between them hold (~48k chunks a
    // stream on loopback here) of the 16 × 32768 chunks each request asks for.
    expect(running.services.gateway!.metrics.streamBufferPeakBytes).toBeLessThanOrEqual(BUFFER_BYTES + 4096);
    expect(mock.received.chunksWritten).toBeLessThan(REQUESTED);
  }, 60_000);

  it('local model: generation pauses per request, the stalled client is cut, and billed exactly what it can read', async () => {
    const before = (await rowsOfKey()).length;
    const clients = [open('local', 0), open('local', 0), open('local', 20_000)];
    await Promise.all(clients.map((c) => c.paused()));
    const rows = (await rowsWhenSettled(before + 3)).slice(before);
    const received = await Promise.all(clients.map((c) => c.finish()));
    const billed = rows.map((r) => r.completionTokens).sort((a, b) => a - b);
    // One fake token per content chunk (the role chunks carry empty content).
    const delivered = received.map((r) => contentOf(r.events).filter((c) => c !== '').length).sort((a, b) => a - b);
    for (const row of rows) {
      expect(row.status).toBe('cancelled');
      expect(row.completionTokens).toBeGreaterThan(0);
      expect(row.completionTokens).toBeLessThan(REQUESTED / 10);
    }
    expect(billed).toEqual(delivered);
    expect(running.services.gateway!.metrics.streamBufferPeakBytes).toBeLessThanOrEqual(BUFFER_BYTES + 4096);
  }, 60_000);

  it('Responses stream from a local model: an unread stream is cut and billed exactly the deltas it can read', async () => {
    const before = (await rowsOfKey()).length;
    const clients = [0, 20_000].map((readFirst) => new RawStreamClient(running.url, '/v1/responses', { authorization: `Bearer ${key}` }, { model: 'local', input: 'go', max_output_tokens: MAX_TOKENS, stream: true }, readFirst));
    await Promise.all(clients.map((c) => c.paused()));
    const rows = (await rowsWhenSettled(before + 2)).slice(before);
    const received = await Promise.all(clients.map((c) => c.finish()));
    const deltas = received.map((r) => r.events.map((e) => JSON.parse(e) as { type: string }).filter((e) => e.type === 'response.output_text.delta').length).sort((a, b) => a - b);
    for (const row of rows) expect(row).toMatchObject({ endpoint: 'responses', status: 'cancelled', httpStatus: 499, streamed: true });
    // One fake token per delta event: what the client can read is what it is billed for.
    expect(rows.map((r) => r.completionTokens).sort((a, b) => a - b)).toEqual(deltas);
    expect(received.every((r) => !r.events.some((e) => e.includes('response.completed')))).toBe(true);
  }, 60_000);

  it('a pause longer than the upstream timeout is the stall timeout\'s business, not an upstream timeout', async () => {
    expect((await adminCall(running.url, 'POST', '/api/deployments', { name: 'up-quick', kind: 'upstream', upstreamUrl: mock.url, timeoutMs: 500 })).status).toBe(201);
    // The catalog learns of the new deployment through its change feed: wait until it serves.
    for (;;) {
      const res = await fetch(`${running.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'up-quick', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 }) });
      if (res.status === 200) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const before = (await rowsOfKey()).length;
    const client = open('up-quick', 0);
    await client.paused();
    const [row] = (await rowsWhenSettled(before + 1)).slice(before);
    const received = await client.finish();
    expect(row).toMatchObject({ status: 'cancelled', httpStatus: 499, errorCode: null });
    expect(row!.completionTokens).toBe(gpt2Tokenizer().encode(contentOf(received.events).join('')).length);
  }, 60_000);

  it('a client that reads everything still gets the whole stream, billed ok', async () => {
    const res = await fetch(`${running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'up', messages: [{ role: 'user', content: 'go' }], n: 4, max_tokens: 2000, stream: true }),
    });
    const text = await res.text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const id = res.headers.get('x-request-id')!;
    const [row] = await running.services.store.db.select().from(schema.usageEvents).where(eq(schema.usageEvents.requestId, id));
    expect(row?.status).toBe('ok');
    expect(row?.completionTokens).toBe(8000);
  }, 60_000);
});
