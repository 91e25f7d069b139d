/**
 * The audit trail through the real server on both drivers: every /api mutation appends a hash-chained
 * row in the transaction of its change (a failing append rolls the change back), secrets never reach a
 * diff, concurrent mutations keep one unforked chain, and an edited or deleted row is found by the
 * verifier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import type { AuditEntry } from '../../src/shared/contract/audit.js';
import { caller, PARTNER_TESTS_ADMIN, startPartnersApp, type ApiCaller } from '../support/partners.js';

const kinds = ['pglite', 'postgres'] as const;

describe.each(kinds)('the audit trail on %s', (kind) => {
  let running: RunningApp;
  let api: ApiCaller;
  const sql = (text: string, params: unknown[] = []) => running.services.store.query(text, params);
  const audit = async (query: string) => {
    const res = await api('GET', `/api/audit?${query}`);
    expect(res.statusCode).toBe(200);
    return res.json() as { data: AuditEntry[]; total: number };
  };
  const verify = async () => (await api('GET', '/api/audit/verify')).json() as { ok: boolean; rows: number; firstBadSeq: number | null; reason: string | null; headHash: string | null };
  const rowCount = async () => Number((await sql('SELECT count(*)::int AS n FROM audit_log'))[0]!.n);

  beforeAll(async () => {
    running = await startPartnersApp(kind);
    api = caller(running, `Bearer ${PARTNER_TESTS_ADMIN}`);
  }, 60_000);
  afterAll(async () => running?.stop());

  it('records a create and an update with who, what, the target and a JSON Patch from before to after', async () => {
    const created = await api('POST', '/api/plans', { name: 'Audit starter', inputPer1mMicros: 100, outputPer1mMicros: 200 });
    expect(created.statusCode).toBe(201);
    const plan = created.json() as { id: string };
    const changed = await api('PATCH', `/api/plans/${plan.id}`, { name: 'Audit pro', outputPer1mMicros: 300 });
    expect(changed.statusCode).toBe(200);

    const { data, total } = await audit(`targetType=plans&targetId=${plan.id}`);
    expect(total).toBe(2);
    const [update, create] = data;
    expect(create).toMatchObject({ action: 'plans.create', route: 'POST /api/plans', targetType: 'plans', targetId: plan.id, actorLabel: 'owner@localhost', actorUserId: expect.any(String), actorRole: 'owner', principalKind: 'admin' });
    expect(create!.diff).toEqual([{ op: 'test', path: '', value: null }, { op: 'replace', path: '', value: expect.objectContaining({ id: plan.id, name: 'Audit starter' }) }]);
    expect(update).toMatchObject({ action: 'plans.update', route: 'PATCH /api/plans/:id', targetId: plan.id, requestId: expect.stringMatching(/^req_/), sourceIp: '127.0.0.1' });
    // before is what GET /api/plans/:id answered inside the transaction; after is the PATCH's answer.
    // Each overwritten value is kept in the `test` operation before its replace.
    expect(update!.diff).toEqual(expect.arrayContaining([{ op: 'test', path: '/name', value: 'Audit starter' }, { op: 'replace', path: '/name', value: 'Audit pro' }, { op: 'test', path: '/outputPer1mMicros', value: 200 }, { op: 'replace', path: '/outputPer1mMicros', value: 300 }]));
    expect(update!.diff.every((op) => op.path !== '/inputPer1mMicros')).toBe(true);
    expect(update!.seq).toBe(create!.seq + 1);
    expect(update!.prevHash).toBe(create!.hash);
  });

  it('a refused mutation (400, 404) leaves no row', async () => {
    const before = await rowCount();
    expect((await api('PATCH', '/api/plans/plan_missing', { name: 'x' })).statusCode).toBe(404);
    expect((await api('POST', '/api/plans', { name: '', inputPer1mMicros: 1, outputPer1mMicros: 1 })).statusCode).toBe(400);
    expect(await rowCount()).toBe(before);
  });

  it('a failure after the change was written rolls back the change and its row together', async () => {
    const plan = (await api('POST', '/api/plans', { name: 'Rollback me', inputPer1mMicros: 1, outputPer1mMicros: 1 })).json() as { id: string; name: string };
    const before = await rowCount();
    // The audit append itself fails (a failing dependency): the plan's update was already written in the
    // same transaction, so it must roll back with it.
    await running.services.store.execRaw(`
      CREATE FUNCTION audit_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit storage failed'; END $$;
      CREATE TRIGGER audit_test_fail BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.action = 'plans.update') EXECUTE FUNCTION audit_test_fail();`);
    try {
      const res = await api('PATCH', `/api/plans/${plan.id}`, { name: 'Should not stick' });
      expect(res.statusCode).toBe(500);
    } finally {
      await running.services.store.execRaw('DROP TRIGGER audit_test_fail ON audit_log; DROP FUNCTION audit_test_fail();');
    }
    expect(((await api('GET', `/api/plans/${plan.id}`)).json() as { name: string }).name).toBe('Rollback me');
    expect(await rowCount()).toBe(before);
    expect((await verify()).ok).toBe(true);
  });

  it('never records a secret: the key shown once is redacted in the diff', async () => {
    const channel = (await api('POST', '/api/channels', { name: `audit-direct-${kind}`, type: 'direct' })).json() as { id: string };
    const customer = (await api('POST', '/api/customers', { name: 'Audit customer' })).json() as { id: string };
    const plan = (await api('POST', '/api/plans', { name: 'Key plan', inputPer1mMicros: 1, outputPer1mMicros: 1 })).json() as { id: string };
    const res = await api('POST', '/api/keys', { customerId: customer.id, channelId: channel.id, planId: plan.id });
    expect(res.statusCode).toBe(201);
    const { key, id } = res.json() as { key: string; id: string };
    const [row] = (await audit(`action=keys.create&targetId=${id}`)).data;
    expect(row!.diff.find((op) => op.op === 'replace')!.value).toMatchObject({ id, key: '[redacted]' });
    const stored = await sql('SELECT diff::text AS d FROM audit_log');
    expect(stored.some((r) => String(r.d).includes(key))).toBe(false);
    expect(stored.some((r) => String(r.d).includes(key.slice(-12)))).toBe(false);
  });

  it('20 concurrent mutations append 20 rows to one chain that verifies', async () => {
    const before = await rowCount();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => api('POST', '/api/plans', { name: `Concurrent ${i}`, inputPer1mMicros: i, outputPer1mMicros: i })));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(201));
    expect(await rowCount()).toBe(before + 20);
    const seqs = (await sql('SELECT seq FROM audit_log ORDER BY seq')).map((r) => Number(r.seq));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(await verify()).toEqual({ ok: true, rows: before + 20, firstBadSeq: null, reason: null, headHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('refuses UPDATE and DELETE on the table; an edited or deleted row is found by the verifier', async () => {
    await expect(sql(`UPDATE audit_log SET action = 'x' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(sql(`DELETE FROM audit_log WHERE seq = 1`)).rejects.toThrow(/append-only/);
    // Someone with the database's owner rights switches the guard off and edits a diff.
    await running.services.store.execRaw(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
    try {
      await sql(`UPDATE audit_log SET diff = '[]'::jsonb WHERE seq = 3`);
      expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 3, reason: expect.stringMatching(/row 3 was changed/) });
      await sql(`DELETE FROM audit_log WHERE seq = 3`);
      expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 3, reason: expect.stringMatching(/row 3 is missing/) });
      const last = Number((await sql('SELECT max(seq) AS m FROM audit_log'))[0]!.m);
      await sql(`DELETE FROM audit_log WHERE seq = $1`, [last]);
      const report = await verify();
      expect(report.ok).toBe(false);
    } finally {
      await running.services.store.execRaw(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
    }
  });
});
