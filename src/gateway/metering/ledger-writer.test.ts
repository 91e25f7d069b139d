import { appendFileSync, mkdtempSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
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

    it.skipIf(!available)('refuses a journal folder another live writer holds', async () => {
      const dir = journalDir();
      const first = new LedgerWriter(t.store, { journalDir: dir });
      await first.open();
      await expect(new LedgerWriter(t.store, { journalDir: dir }).open()).rejects.toMatchObject({ code: 'QD_DATA_DIR_LOCKED' });
      await first.drain();
    });
  });
}
