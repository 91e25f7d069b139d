import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/store/index.js';
import { gpt2Tokenizer } from '../../src/tokenizer/index.js';
import { seedDataDir, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';
import { startMockUpstream } from '../support/mock-upstream.js';
import { startQudao } from '../support/process.js';

const PROGRESS_MS = 100;
/** Allowance for the gateway's event loop being late with a journal timer on a loaded machine. */
const LAG_MS = 2_000;

// The seeded deployments: `live` streams on and on, `hang` sends 300 words per choice then holds.

/** A client reading a stream to its end (or the connection's), recording each event's text and arrival time. */
interface Reader {
  readonly id: string;
  readonly events: { at: number; text: string }[];
  readonly ended: Promise<void>;
}

async function openStream(url: string, key: string, model: string): Promise<Reader> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'go' }], n: 2, max_tokens: 32_768, stream: true }),
  });
  if (res.status !== 200) throw new Error(`stream answered ${res.status}: ${await res.text()}`);
  const events: Reader['events'] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const data = buffer.slice(6, end);
          buffer = buffer.slice(end + 2);
          if (data === '[DONE]') continue;
          const choices = (JSON.parse(data) as { choices: { delta?: { content?: string } }[] }).choices;
          events.push({ at: Date.now(), text: choices.map((c) => c.delta?.content ?? '').join('') });
        }
      }
    } catch {
      /* the gateway was killed: what came before the cut is what the client received */
    }
  })();
  return { id: res.headers.get('x-request-id')!, events, ended };
}

const tokens = (events: Reader['events']) => gpt2Tokenizer().encode(events.map((e) => e.text).join('')).length;

/** Characters of delivered text a stream's journal file records so far. */
function journaledChars(dataDir: string, id: string): number {
  const path = join(dataDir, 'stream-journal', `${id}.stream.jsonl`);
  if (!existsSync(path)) return -1;
  const lines = readFileSync(path, 'utf8').split('\n').slice(1, -1);
  return lines.reduce((n, l) => n + (JSON.parse(l) as { t: string }).t.length, 0);
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
}

describe('kill -9 of the gateway with streams in flight', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'qd-gw-stream-kill-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('bills every interrupted stream once, as cancelled, for what its client received (less at most the last progress interval)', async () => {
    const live = await startMockUpstream({ chunkDelayMs: 5 });
    const hang = await startMockUpstream({ hangAfter: 300 });
    try {
      const key = await seedDataDir(dataDir, [{ id: 'dep_live', name: 'live', url: live.url, timeoutMs: 600_000 }, { id: 'dep_hang', name: 'hang', url: hang.url, timeoutMs: 600_000 }]);
      const env = { QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN, QUDAO_DEMO: 'false', QUDAO_STREAM_PROGRESS_MS: String(PROGRESS_MS) };
      const server = await startQudao(['--data-dir', dataDir], env);
      const streams = await Promise.all([...['live', 'live', 'live'].map((m) => openStream(server.url, key, m)), ...['hang', 'hang', 'hang'].map((m) => openStream(server.url, key, m))]);
      const [liveStreams, hangStreams] = [streams.slice(0, 3), streams.slice(3)];
      // Long enough that many progress intervals have passed; the held streams' journals have caught up.
      await until(() => liveStreams.every((s) => s.events.length >= 1_500));
      await until(() => hangStreams.every((s) => s.events.length >= 2 * 300 && journaledChars(dataDir, s.id) === s.events.map((e) => e.text).join('').length));
      const killedAt = Date.now();
      server.child.kill('SIGKILL');
      await server.exited;
      await Promise.all(streams.map((s) => s.ended));

      const restarted = await startQudao(['--data-dir', dataDir], env);
      restarted.child.kill('SIGTERM');
      expect(await restarted.exited, restarted.stderr()).toBe(0);
      expect(readdirSync(join(dataDir, 'stream-journal')).filter((f) => f.endsWith('.jsonl'))).toEqual([]);
      const store = await openPglite(dataDir);
      try {
        const rows = await store.query<{ request_id: string; status: string; http_status: number; streamed: boolean; completion_tokens: number }>('SELECT request_id, status, http_status, streamed, completion_tokens FROM usage_events');
        for (const s of streams) {
          const mine = rows.filter((r) => r.request_id === s.id);
          expect(mine, s.id).toHaveLength(1);
          expect(mine[0]).toMatchObject({ status: 'cancelled', http_status: 499, streamed: true });
        }
        const billed = (s: Reader) => rows.find((r) => r.request_id === s.id)!.completion_tokens;
        // Quiet streams, journal caught up: billed exactly what the client received.
        for (const s of hangStreams) expect(billed(s)).toBe(tokens(s.events));
        for (const s of liveStreams) {
          const received = tokens(s.events);
          const surelyJournaled = tokens(s.events.filter((e) => e.at <= killedAt - PROGRESS_MS - LAG_MS));
          console.log(`live stream: received ${received} tokens, billed ${billed(s)}, lower bound ${surelyJournaled}`);
          expect(billed(s)).toBeLessThanOrEqual(received);
          expect(billed(s)).toBeGreaterThanOrEqual(surelyJournaled);
          expect(surelyJournaled).toBeGreaterThan(0);
        }
      } finally {
        await store.close();
      }
    } finally {
      await live.close();
      await hang.close();
    }
  }, 120_000);
});
