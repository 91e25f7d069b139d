/**
 * The hash chain: a row's hash is stable across a `jsonb` round trip for any JSON diff (fast-check,
 * seeded), appends under concurrency never fork the chain, and the verifier names the first edited,
 * missing or truncated row.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, postgresReachable, type TestStore } from '../../../test/support/stores.js';
import type { AuditPatchOperation } from '../schema/audit.js';
import { appendAudit, canonicalJson, verifyAuditChain, type AuditEntry } from './index.js';

const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const entry = (diff: AuditPatchOperation[], n = 0): AuditEntry => ({ actor: { userId: null, label: 'test', role: 'owner', kind: 'admin' }, action: 'things.update', route: 'PATCH /api/things/:id', targetType: 'things', targetId: `t${n}`, diff });

describe('canonicalJson', () => {
  it('is the same for any key order and parses back to the value', () => {
    fc.assert(
      fc.property(json, (value) => {
        const reordered = JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v))) as unknown;
        expect(canonicalJson(reordered)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(value);
      }),
      { seed: 19, numRuns: 300 },
    );
  });
});

describe.each(['pglite', 'postgres'] as const)('the audit chain on %s', (kind) => {
  let t: TestStore | undefined;
  beforeAll(async () => {
    if (kind === 'postgres' && !(await postgresReachable())) return;
    t = await openTestStore(kind);
  }, 60_000);
  afterAll(async () => t?.dispose());

  it('verifies after a jsonb round trip of any diff', async (ctx) => {
    if (!t) return ctx.skip();
    const { store } = t;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ path: fc.string({ maxLength: 12 }).map((s) => `/${s}`), value: json }), { maxLength: 4 }), async (ops) => {
        await store.withTransaction(() => appendAudit(store.db, entry(ops.map((o) => ({ op: 'replace', ...o })))));
      }),
      { seed: 19, numRuns: 40 },
    );
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, rows: 40, firstBadSeq: null, reason: null });
  }, 60_000);

  it('keeps one chain when 20 appends race, and names the first bad row after tampering', async (ctx) => {
    if (!t) return ctx.skip();
    const { store } = t;
    const before = (await verifyAuditChain(store.db)).rows;
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.withTransaction(() => appendAudit(store.db, entry([{ op: 'replace', path: '/n', value: i }], i)))));
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, rows: before + 20 });
    await store.execRaw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    const edited = before + 5;
    await store.query(`UPDATE audit_log SET target_id = 'other' WHERE seq = $1`, [edited]);
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, rows: edited - 1, firstBadSeq: edited });
    await store.query(`DELETE FROM audit_log WHERE seq = $1`, [edited]);
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, firstBadSeq: edited, reason: expect.stringMatching(/missing/) });
  }, 60_000);
});
