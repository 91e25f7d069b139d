import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { effectiveRole, mayCall, ROLES, roleWithin } from '../shared/contract/access.js';
import { listMigrations, migrate, openPglite } from '../store/index.js';
import { AdminTokens } from './admin-tokens.js';
import { hashSecret } from './secrets.js';

describe('admin tokens of a database from before users existed', () => {
  it('become the owner\'s on the first start of this version, and keep working', async () => {
    const store = await openPglite('memory://');
    try {
      await migrate(store, listMigrations().filter((m) => m.name < '0006'));
      const old = 'qd_admin_from_before_users_0123456789abcdef';
      await store.query("INSERT INTO admin_tokens (id, name, prefix, token_hash) VALUES ('adm_old', 'first start', $1, $2)", [old.slice(0, 12), hashSecret(old)]);
      await migrate(store);
      const tokens = new AdminTokens(store);
      expect(await tokens.ensure(undefined, 'boss@example.com')).toEqual({});
      expect(tokens.verify(old)).toMatchObject({ kind: 'admin', email: 'boss@example.com', role: 'owner', via: 'token', tokenId: 'adm_old' });
      const [row] = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM admin_tokens WHERE user_id IS NULL');
      expect(row!.n).toBe(0);
      expect(tokens.verify('qd_admin_not_a_token_0000000000000000000000')).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

describe('a token\'s role', () => {
  const role = fc.constantFrom(...ROLES);
  it('never exceeds its user\'s current role, nor its scope', () => {
    fc.assert(
      fc.property(fc.option(role, { nil: null }), role, (scope, userRole) => {
        const acting = effectiveRole(scope, userRole);
        expect(roleWithin(acting, userRole)).toBe(true);
        if (scope !== null) expect(roleWithin(acting, scope)).toBe(true);
        if (scope === null) expect(acting).toBe(userRole);
      }),
      { seed: 19, numRuns: 200 },
    );
  });

  it('allows no route its user\'s role does not (checked on sample routes of every method)', () => {
    const routes = ['GET /api/users', 'POST /api/plans', 'POST /api/partners', 'POST /api/campaigns', 'POST /api/deploy', 'GET /api/audit', 'GET /api/customers'].map((k) => {
      const [method, url] = k.split(' ') as ['GET' | 'POST', string];
      const tag = url.split('/')[2]!;
      return { method, url, tag: { plans: 'gateway', deploy: 'pipeline', users: 'team' }[tag] ?? tag };
    });
    fc.assert(
      fc.property(fc.option(role, { nil: null }), role, fc.constantFrom(...routes), (scope, userRole, route) => {
        if (mayCall(effectiveRole(scope, userRole), route)) expect(mayCall(userRole, route)).toBe(true);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
