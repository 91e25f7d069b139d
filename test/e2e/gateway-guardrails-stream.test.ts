import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { schema } from '../../src/store/index.js';
import { gpt2Tokenizer } from '../../src/tokenizer/index.js';
import { adminCall, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js';
import { RawStreamClient } from '../support/raw-stream-client.js';

const BUFFER_BYTES = 32 * 1024;
const N = 16;
const MAX_TOKENS = 32_768;
const REQUESTED = N * MAX_TOKENS;

/**
 * An output guardrail on a stream keeps the stream guarantees: a client that stops reading still pauses
 * the upstream, the gateway still holds at most its buffer, the stalled client is cut, and what it is
 * billed is exactly what reached its socket — redacted text, never the matched words.
 */
describe('output guardrails on streams to clients that do not read', () => {
  let running: RunningApp;
  let mock: MockUpstream;
  let key: string;
  let keyId: string;
  beforeAll(async () => {
    mock = await startMockUpstream({ backpressure: true });
    const config = loadConfig({
      env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN, QUDAO_STREAM_BUFFER_BYTES: String(BUFFER_BYTES), QUDAO_STREAM_STALL_MS: '1500' },
    });
    running = await startApp(config);
    expect((await adminCall(running.url, 'POST', '/api/deployments', { name: 'guarded', kind: 'upstream', upstreamUrl: mock.url })).status).toBe(201);
    const g = await adminCall(running.url, 'POST', '/api/deployments/guarded/guardrails', { name: 'w7', stage: 'output', kind: 'blocklist', action: 'redact', terms: ['w7', 'w100'] });
    expect(g.status).toBe(201);
    ({ key, keyId } = await seedGatewayKey(running.url, running.services.store, { rpmLimit: null, tpmLimit: null, monthlyTokenQuota: null }));
  });
  afterAll(async () => {
    await running?.stop();
    await mock?.close();
  });

  it('a paused client is cut, held bounded, billed exactly what reached its socket, and sees only redacted text', async () => {
    const client = new RawStreamClient(running.url, '/v1/chat/completions', { authorization: `Bearer ${key}` }, { model: 'guarded', messages: [{ role: 'user', content: 'go' }], n: N, max_tokens: MAX_TOKENS, stream: true }, 0);
    await client.paused();
    let rows = await running.services.store.db.select().from(schema.usageEvents).where(eq(schema.usageEvents.keyId, keyId));
    while (!rows.some((r) => r.endpoint === 'chat')) {
      await new Promise((r) => setTimeout(r, 50));
      rows = await running.services.store.db.select().from(schema.usageEvents).where(eq(schema.usageEvents.keyId, keyId));
    }
    const received = await client.finish();
    const row = rows.find((r) => r.endpoint === 'chat')!;
    const content = received.events
      .filter((e) => e !== '[DONE]')
      .flatMap((e) => (JSON.parse(e) as { choices: { delta?: { content?: string } }[] }).choices.map((c) => c.delta?.content ?? ''))
      .join('');
    expect(row).toMatchObject({ status: 'cancelled', httpStatus: 499, streamed: true });
    expect(row.completionTokens).toBe(gpt2Tokenizer().encode(content).length);
    expect(row.completionTokens).toBeLessThan(REQUESTED / 4);
    expect(content).toContain('[redacted]');
    expect(content).not.toMatch(/\bw7\b|\bw100\b/);
    expect(received.events.includes('[DONE]')).toBe(false);
    expect(running.services.gateway!.metrics.streamBufferPeakBytes).toBeLessThanOrEqual(BUFFER_BYTES + 4096);
    expect(mock.received.chunksWritten).toBeLessThan(REQUESTED);
  }, 60_000);
});
