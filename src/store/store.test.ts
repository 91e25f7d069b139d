import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase, openTestStore, postgresReachable, storeKinds, type TestStore } from '../../test/support/stores.js';
import { listMigrations, migrate, newId, openPglite, openPostgres, schema } from './index.js';

for (const kind of storeKinds) {
  describe(`store on ${kind}`, async () => {
    const available = kind === 'pglite' || (await postgresReachable());
    let t: TestStore;
    beforeAll(async () => {
      if (available) t = await openTestStore(kind);
    });
    afterAll(async () => t?.dispose());

    it.skipIf(!available)('creates the core tables', async () => {
      const rows = await t.store.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      );
      const names = rows.map((r) => r.table_name);
      for (const table of ['models', 'model_versions', 'deployments', 'channels', 'price_plans', 'partners', 'agreements', 'customers', 'api_keys', 'usage_events', 'segments', 'campaigns', 'spend', 'links', 'touchpoints', 'partner_relations', 'resources', 'resource_grants', 'statements']) {
        expect(names).toContain(table);
      }
    });

    it.skipIf(!available)('migrations are idempotent', async () => {
      expect(await migrate(t.store)).toEqual([]);
    });

    it.skipIf(!available)('round-trips money as integer micro-units and refuses a duplicate request id', async () => {
      const { db } = t.store;
      const requestId = newId('req');
      const row = { requestId, model: 'm', endpoint: 'chat', status: 'ok', httpStatus: 200, priceMicros: 9_007_199_254, costMicros: 1 };
      await db.insert(schema.usageEvents).values(row);
      await expect(db.insert(schema.usageEvents).values(row)).rejects.toThrow();
      const [back] = await db.select().from(schema.usageEvents).where(eq(schema.usageEvents.requestId, requestId));
      expect(back?.priceMicros).toBe(9_007_199_254);
      const counted = await t.store.query<{ n: number }>('SELECT count(*)::int AS n FROM usage_events WHERE request_id = $1', [requestId]);
      expect(counted[0]?.n).toBe(1);
    });

    it.skipIf(!available)('delivers notifications to listeners', async () => {
      const got: string[] = [];
      const stop = await t.store.listen('qudao_test', (p) => got.push(p));
      await t.store.notify('qudao_test', 'hello');
      for (let i = 0; i < 50 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      await stop();
      expect(got).toEqual(['hello']);
    });
  });
}

describe('PGlite data folder', () => {
  it('keeps data across reopen and refuses a second opener while held', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qd-store-'));
    const first = await openPglite(dir);
    await migrate(first);
    await first.db.insert(schema.workspaceSettings).values({ key: 'k', value: { v: 1 } });
    await expect(openPglite(dir)).rejects.toThrow(/in use by process/);
    await first.close();
    const second = await openPglite(dir);
    expect(await migrate(second)).toEqual([]);
    const rows = await second.db.select().from(schema.workspaceSettings);
    expect(rows).toEqual([expect.objectContaining({ key: 'k', value: { v: 1 } })]);
    await second.close();
  });
});

describe('concurrent migration on PostgreSQL', async () => {
  const available = await postgresReachable();
  it.skipIf(!available)('two processes migrating at once apply each migration exactly once', async () => {
    const temp = await createTempDatabase();
    try {
      const a = await openPostgres(temp.url, 2);
      const b = await openPostgres(temp.url, 2);
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      expect([...ra, ...rb].sort()).toEqual(listMigrations().map((m) => m.name).sort());
      const rows = await a.query<{ n: number }>('SELECT count(*)::int AS n FROM qudao_migrations');
      expect(rows[0]?.n).toBe(listMigrations().length);
      await a.close();
      await b.close();
    } finally {
      await temp.drop();
    }
  });
});
