import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, postgresReachable, storeKinds, type TestStore } from '../../../test/support/stores.js';
import { LedgerWriter, type UsageRow } from './ledger-writer.js';

const row = (requestId: string, extra: Partial<UsageRow> = {}): UsageRow => ({ requestId, model: "it's", endpoint: 'chat', status: 'ok', httpStatus: 200, promptTokens: 3, completionTokens: 4, priceMicros: 9_007_199_254, occurredAt: new Date('2026-01-02T03:04:05.678Z'), ...extra });

for (const kind of storeKinds) {
  describe(`ledger writer on ${kind}`, async () => {
    const available = kind === 'pglite' || (await postgresReachable());
    let t: TestStore;
    beforeAll(async () => {
      if (available) t = await openTestStore(kind);
    });
    afterAll(async () => t?.dispose());

    it.skipIf(!available)('group-commits concurrent rows and resolves each once durable', async () => {
      const writer = new LedgerWriter(t.store, { maxBatch: 50 });
      await Promise.all(Array.from({ length: 120 }, (_, i) => writer.append(row(`r${i}`))));
      const [n] = await t.store.query<{ n: number }>('SELECT count(*)::int AS n FROM usage_events');
      expect(n?.n).toBe(120);
      const [r] = await t.store.query<Record<string, unknown>>("SELECT model, price_micros::text AS price, occurred_at FROM usage_events WHERE request_id = 'r7'");
      expect(r).toMatchObject({ model: "it's", price: '9007199254' });
      expect(new Date(r!.occurred_at as string).toISOString()).toBe('2026-01-02T03:04:05.678Z');
    });

    it.skipIf(!available)('never writes a request id twice', async () => {
      const writer = new LedgerWriter(t.store);
      await writer.append(row('dup', { promptTokens: 1 }));
      await writer.append(row('dup', { promptTokens: 2 }));
      const rows = await t.store.query<{ prompt_tokens: number }>("SELECT prompt_tokens FROM usage_events WHERE request_id = 'dup'");
      expect(rows).toEqual([{ prompt_tokens: 1 }]);
    });

    it.skipIf(!available)('fills omitted columns with their defaults', async () => {
      const writer = new LedgerWriter(t.store);
      await writer.append({ requestId: 'minimal', model: 'm', endpoint: 'chat', status: 'error', httpStatus: 502 });
      const [r] = await t.store.query<{ streamed: boolean; completion_tokens: number }>("SELECT streamed, completion_tokens FROM usage_events WHERE request_id = 'minimal'");
      expect(r).toEqual({ streamed: false, completion_tokens: 0 });
    });
  });

  describe(`ledger writer with a journal on ${kind}`, async () => {
    const available = kind === 'pglite' || (await postgresReachable());
    let t: TestStore;
    const dirs: string[] = [];
    const journalDir = () => {
      const dir = mkdtempSync(join(tmpdir(), 'qd-journal-'));
      dirs.push(dir);
      return dir;
    };
    const count = async (prefix: string) => (await t.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM usage_events WHERE request_id LIKE '${prefix}%'`))[0]!.n;
    const segments = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
    beforeAll(async () => {
      if (available) t = await openTestStore(kind);
    });
    afterAll(async () => {
      await t?.dispose();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    it.skipIf(!available)('answers once the row is journaled, reaches the database in the background, and leaves no segment after drain', async () => {
      const dir = journalDir();
      const writer = new LedgerWriter(t.store, { journalDir: dir, flushIntervalMs: 60_000 });
      expect(await writer.open()).toBe(0);
      await Promise.all(Array.from({ length: 40 }, (_, i) => writer.append(row(`jbg${i}`))));
      expect(await count('jbg')).toBe(0); // durable in the journal only: the insert waits for its interval
      expect(segments(dir)).toHaveLength(1);
      await writer.settled();
      expect(await count('jbg')).toBe(40);
      await writer.drain();
      expect(segments(dir)).toEqual([]);
      await expect(writer.append(row('jbg-late'))).rejects.toMatchObject({ code: 'QD_STORE_UNAVAILABLE' });
    });

    it.skipIf(!available)('replays what a crash left in the journal exactly once, dropping a torn last line', async () => {
      const dir = journalDir();
      const crashed = new LedgerWriter(t.store, { journalDir: dir, flushIntervalMs: 60_000 });
      await crashed.open();
      await Promise.all(Array.from({ length: 25 }, (_, i) => crashed.append(row(`jcr${i}`, { occurredAt: undefined }))));
      await crashed.settled(); // these 25 reach the database; the next 25 do not before the "crash"
      await Promise.all(Array.from({ length: 25 }, (_, i) => crashed.append(row(`jcr${25 + i}`))));
      const [segment] = segments(dir);
      appendFileSync(join(dir, segment!), '{"requestId":"jcr-torn","mod'); // a write cut short by the crash
      unlinkSync(join(dir, 'qudao.lock')); // the process is gone: its lock is stale
      expect(await count('jcr')).toBe(25);

      const restarted = new LedgerWriter(t.store, { journalDir: dir });
      expect(await restarted.open()).toBe(50); // every journaled row, the 25 already inserted included
      expect(await count('jcr')).toBe(50); // ... but none twice
      expect(await count('jcr-torn')).toBe(0);
      const [r] = await t.store.query<{ occurred_at: string }>("SELECT occurred_at FROM usage_events WHERE request_id = 'jcr3'");
      expect(new Date(r!.occurred_at).getTime()).toBeGreaterThan(Date.now() - 60_000); // stamped when journaled
      expect(segments(dir)).toEqual([]);
      await restarted.drain();
    });

    it.skipIf(!available)('journals each row as its one-line SQL tuple under a column header, line breaks in text included', async () => {
      const dir = journalDir();
      const writer = new LedgerWriter(t.store, { journalDir: dir, flushIntervalMs: 60_000 });
      await writer.open();
      await writer.append(row('jnl-1', { errorCode: "two\nlines, it's" }));
      const text = readFileSync(join(dir, segments(dir)[0]!), 'utf8');
      const lines = text.split('\n');
      expect(lines).toHaveLength(3); // header, the row, and the empty rest after the last newline
      expect(lines[0]!.startsWith('-- request_id,occurred_at,')).toBe(true);
      expect(lines[1]!.startsWith("('jnl-1','2026-01-02T03:04:05.678Z'::timestamptz,")).toBe(true);
      await writer.drain();
      const [r] = await t.store.query<{ error_code: string; price: string }>("SELECT error_code, price_micros::text AS price FROM usage_events WHERE request_id = 'jnl-1'");
      expect(r).toEqual({ error_code: "two\nlines, it's", price: '9007199254' });
    });

    it.skipIf(!available)('replays segments of older versions: JSON lines without a header, and tuples of an older column list', async () => {
      const dir = journalDir();
      writeFileSync(join(dir, 'ledger-000000000000001-000000.jsonl'), `${JSON.stringify(row('jold-json', { occurredAt: new Date('2026-01-02T00:00:00.000Z') }))}\n`);
      writeFileSync(join(dir, 'ledger-000000000000002-000000.jsonl'), "-- request_id,model,endpoint,status,http_status,prompt_tokens\n('jold-cols','m','chat','ok',200,7)\n");
      const writer = new LedgerWriter(t.store, { journalDir: dir });
      expect(await writer.open()).toBe(2);
      const rows = await t.store.query<{ request_id: string; prompt_tokens: number; completion_tokens: number; occurred_at: string }>("SELECT request_id, prompt_tokens, completion_tokens, occurred_at FROM usage_events WHERE request_id LIKE 'jold-%' ORDER BY request_id");
      expect(rows.map((r) => [r.request_id, r.prompt_tokens, r.completion_tokens])).toEqual([
        ['jold-cols', 7, 0], // columns the old version did not write take their defaults
        ['jold-json', 3, 4],
      ]);
      expect(new Date(rows[1]!.occurred_at).toISOString()).toBe('2026-01-02T00:00:00.000Z');
      expect(segments(dir)).toEqual([]);
      await writer.drain();
    });

    it.skipIf(!available)('fails only the request whose row cannot be encoded; the rest of its batch is journaled', async () => {
      const dir = journalDir();
      const writer = new LedgerWriter(t.store, { journalDir: dir });
      await writer.open();
      const [bad, good] = await Promise.allSettled([writer.append(row('jbad', { latencyMs: Number.NaN })), writer.append(row('jgood'))]);
      expect(bad).toMatchObject({ status: 'rejected', reason: { code: 'QD_STORE_UNAVAILABLE' } });
      expect(good.status).toBe('fulfilled');
      await writer.drain();
      expect(await count('jgood')).toBe(1);
      expect(await count('jbad')).toBe(0);
    });

    it.skipIf(!available)('refuses a journal folder another live writer holds', async () => {
      const dir = journalDir();
      const first = new LedgerWriter(t.store, { journalDir: dir });
      await first.open();
      await expect(new LedgerWriter(t.store, { journalDir: dir }).open()).rejects.toMatchObject({ code: 'QD_DATA_DIR_LOCKED' });
      await first.drain();
    });
  });
}
