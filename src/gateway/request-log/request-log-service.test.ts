import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../store/index.js';
import { openTestStore, postgresReachable, storeKinds, type TestStore } from '../../../test/support/stores.js';
import { RequestLogService } from './request-log-service.js';

const DAY = 86_400_000;

describe.each(storeKinds)('request log retention on %s', (kind) => {
  let t: TestStore | undefined;
  const now = new Date('2026-06-15T12:00:00Z');

  beforeAll(async () => {
    if (kind === 'postgres' && !(await postgresReachable())) return;
    t = await openTestStore(kind);
    const { db } = t.store;
    await db.insert(schema.deployments).values([
      { id: 'dep_short', name: 'short', kind: 'upstream', upstreamUrl: 'http://127.0.0.1:1/v1', requestLogEnabled: true, requestLogRetentionDays: 1 },
      { id: 'dep_long', name: 'long', kind: 'upstream', upstreamUrl: 'http://127.0.0.1:1/v1', requestLogEnabled: true, requestLogRetentionDays: 30 },
    ]);
    const row = (requestId: string, deploymentId: string, ageMs: number) => ({
      requestId, deploymentId, keyId: null, customerId: null, endpoint: 'chat', model: 'm', promptText: 'p', completionText: 'c', status: 'ok', httpStatus: 200, createdAt: new Date(now.getTime() - ageMs),
    });
    await db.insert(schema.requestLogs).values([
      row('short_fresh', 'dep_short', DAY - 60_000),
      row('short_old', 'dep_short', DAY + 60_000),
      row('long_fresh', 'dep_long', 29 * DAY),
      row('long_old', 'dep_long', 31 * DAY),
      row('orphan', 'dep_gone', 0),
    ]);
  });
  afterAll(async () => t?.dispose());

  const remaining = async () => (await t!.store.db.select({ id: schema.requestLogs.requestId }).from(schema.requestLogs)).map((r) => r.id).sort();

  it('deletes each row older than its own deployment\'s retention, as of the injected clock', async (ctx) => {
    if (!t) return ctx.skip();
    const service = new RequestLogService(t.store);
    // As of a time before every row was written, nothing has expired (the orphan aside: no deployment keeps it).
    expect(await service.purgeExpired(new Date(now.getTime() - 40 * DAY))).toBe(1);
    expect(await remaining()).toEqual(['long_fresh', 'long_old', 'short_fresh', 'short_old']);
    // The background job runs at once with the clock it is given, then on its interval.
    const stop = service.startRetention(3_600_000, () => now, (err) => {
      throw err;
    });
    await stop();
    expect(await remaining()).toEqual(['long_fresh', 'short_fresh']);
    // A day later the short deployment's last row goes; the long one keeps its row a while more.
    expect(await service.purgeExpired(new Date(now.getTime() + DAY))).toBe(1);
    expect(await remaining()).toEqual(['long_fresh']);
  });
});
