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
}
