/**
 * How mutating routes are named in the audit trail (from their URLs and the other routes) and which
 * fields never reach a diff.
 */
import { describe, expect, it } from 'vitest';
import { partnerRoutes, statementRoutes } from '../../shared/contract/partners.js';
import { gatewayAdminRoutes } from '../../shared/contract/gateway.js';
import { defineRoute } from '../../shared/contract/route.js';
import { applyPatch, type Operation } from 'rfc6902';
import { diffOf } from './recorder.js';
import { redactSecrets, REDACTED } from './redact.js';
import { auditShape, type KnownRoute } from './target.js';

const all: KnownRoute[] = [...Object.values(gatewayAdminRoutes), ...Object.values(statementRoutes), ...Object.values(partnerRoutes)];

describe('auditShape', () => {
  it('names creates, updates, actions and deletes from the URL, with the target and where before comes from', () => {
    expect(auditShape(gatewayAdminRoutes.createPlan, all)).toEqual({ action: 'plans.create', targetType: 'plans', targetParam: null, beforeUrl: null });
    expect(auditShape(gatewayAdminRoutes.updatePlan, all)).toEqual({ action: 'plans.update', targetType: 'plans', targetParam: 'id', beforeUrl: '/api/plans/:id' });
    expect(auditShape(statementRoutes.finalize, all)).toEqual({ action: 'statements.finalize', targetType: 'statements', targetParam: 'id', beforeUrl: '/api/statements/:id' });
    expect(auditShape(statementRoutes.remove, all)).toMatchObject({ action: 'statements.delete', beforeUrl: '/api/statements/:id' });
    // The contract's policy names the month's computation.
    expect(auditShape(statementRoutes.generate, all)).toMatchObject({ action: 'statements.generate', targetType: 'statements', targetParam: null });
    expect(auditShape(gatewayAdminRoutes.revokeKey, all)).toMatchObject({ action: 'keys.revoke', targetType: 'keys', targetParam: 'id' });
  });

  it('names a nested resource by both parts and reads the nearest GET above it', () => {
    const route = defineRoute({ method: 'DELETE', url: '/api/partners/:id/users/:userId', tag: 't', summary: 's', access: 'admin', response: { 204: undefined as never } });
    expect(auditShape(route, all)).toMatchObject({ action: 'partners.users.delete', targetType: 'partners.users', targetParam: 'userId', beforeUrl: '/api/partners/:id/users' });
  });
});

describe('redactSecrets', () => {
  it('replaces passwords, tokens, key secrets and hashes at any depth, and keeps look-alike names', () => {
    const value = { key: 'qd_sk_live_secret', keyPrefix: 'qd_sk_live', user: { email: 'a@b.c', password: 'hunter2', passwordHash: 'scrypt$...' }, tokens: [{ token: 't', tokenHash: 'h', promptTokens: 12 }], apiKeyEnv: 'OPENAI_KEY', sessionId: 's' };
    expect(redactSecrets(value)).toEqual({ key: REDACTED, keyPrefix: 'qd_sk_live', user: { email: 'a@b.c', password: REDACTED, passwordHash: REDACTED }, tokens: [{ token: REDACTED, tokenHash: REDACTED, promptTokens: 12 }], apiKeyEnv: 'OPENAI_KEY', sessionId: REDACTED });
  });
});

describe('diffOf', () => {
  it('holds each overwritten value in a test operation, and still turns before into after', () => {
    const before = { id: 'st_1', status: 'draft', lines: [{ amount: 1 }, { amount: 2 }], note: 'x', password: 'p' };
    const after = { id: 'st_1', status: 'final', lines: [{ amount: 1 }], password: 'q' };
    const diff = diffOf(before, after);
    expect(diff).toEqual(
      expect.arrayContaining([
        { op: 'test', path: '/status', value: 'draft' },
        { op: 'replace', path: '/status', value: 'final' },
        { op: 'test', path: '/note', value: 'x' },
        { op: 'remove', path: '/note' },
      ]),
    );
    const doc = structuredClone(redactSecrets(before));
    expect(applyPatch(doc, diff as Operation[]).every((r) => r === null)).toBe(true);
    expect(doc).toEqual(redactSecrets(after));
    expect(JSON.stringify(diff)).not.toMatch(/"[pq]"/);
  });

  it('keeps what a delete removed', () => {
    expect(diffOf({ id: 'u1', email: 'a@b.c' }, null)).toEqual([{ op: 'test', path: '', value: { id: 'u1', email: 'a@b.c' } }, { op: 'replace', path: '', value: null }]);
  });
});

describe('redactPersonalPair', () => {
  it("records that a customer's name, e-mail and meta were set or changed, never their values", async () => {
    const { redactPersonalPair, PERSONAL, PERSONAL_CHANGED } = await import('./redact.js');
    const before = { id: 'cus_1', name: 'Ada Lovelace', email: 'ada@example.com', meta: { note: 'VIP' }, region: 'EU' };
    const after = { id: 'cus_1', name: 'Ada Lovelace', email: 'ada@new.example', meta: null, region: 'US' };
    const [b, a] = redactPersonalPair(before, after);
    expect(b).toEqual({ id: 'cus_1', name: PERSONAL, email: PERSONAL, meta: PERSONAL, region: 'EU' });
    expect(a).toEqual({ id: 'cus_1', name: PERSONAL, email: PERSONAL_CHANGED, meta: null, region: 'US' });
    expect(JSON.stringify(diffOf(b, a))).not.toMatch(/Ada|ada@|VIP/);
    const [, created] = redactPersonalPair(null, before);
    expect(created).toEqual({ id: 'cus_1', name: PERSONAL_CHANGED, email: PERSONAL_CHANGED, meta: PERSONAL_CHANGED, region: 'EU' });
  });
});
