import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { mayCall, PATH_AREAS, ROLES, rolesFor, ROUTE_ROLES, TAG_AREAS, type Role } from '../../src/shared/contract/access.js';
import { createTempDatabase, postgresReachable, storeKinds } from '../support/stores.js';

const ownerToken = 'qd_admin_team_access_tests_0123456789abcdef';

/** Fills `:params` and wildcards of a route pattern with placeholder values. */
function concretePath(url: string): string {
  return url.replace(/:[A-Za-z_]+/g, 'x_placeholder').replace(/\*$/, 'x_placeholder');
}

type Running = { running: RunningApp; drop?: () => Promise<void> };

/** Starts an app on PGlite (memory) or on a fresh PostgreSQL database; undefined when PostgreSQL is unreachable. */
async function start(kind: (typeof storeKinds)[number], extraEnv: Record<string, string> = {}, databaseUrl?: string): Promise<Running | undefined> {
  const env: Record<string, string> = { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: ownerToken, ...extraEnv };
  let drop: (() => Promise<void>) | undefined;
  if (kind === 'postgres') {
    if (!databaseUrl) {
      if (!(await postgresReachable())) return undefined;
      const temp = await createTempDatabase();
      databaseUrl = temp.url;
      drop = temp.drop;
    }
    env.DATABASE_URL = databaseUrl;
  }
  return { running: await startApp(loadConfig({ env })), drop };
}

/** Calls the app with a bearer credential. */
async function call(running: RunningApp, credential: string | undefined, method: string, url: string, payload?: unknown) {
  const res = await running.app.inject({ method: method as 'GET', url, headers: credential ? { authorization: `Bearer ${credential}` } : {}, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Record<string, unknown> & { error?: { code: string; message: string } }) : {}, headers: res.headers };
}

/** Creates a user of `role` (with a password), signs them in and issues them an API token; returns the token. */
async function userWithToken(running: RunningApp, role: Role, email = `${role}@example.com`, scope?: Role): Promise<{ userId: string; token: string; session: string }> {
  const password = `pw-${role}-0123456789`;
  const created = await call(running, ownerToken, 'POST', '/api/users', { email, name: role, role, password });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const login = await call(running, undefined, 'POST', '/api/auth/login', { email, password });
  expect(login.status).toBe(200);
  const session = login.body.token as string;
  const token = await call(running, session, 'POST', '/api/tokens', { name: `${role} script`, ...(scope ? { scope } : {}) });
  expect(token.status, JSON.stringify(token.body)).toBe(201);
  return { userId: (created.body.user as { id: string }).id, token: token.body.token as string, session };
}

describe.each(storeKinds)('the role × route matrix on %s', (kind) => {
  let app: Running | undefined;
  const tokens = new Map<Role, string>();
  beforeAll(async () => {
    app = await start(kind);
    if (!app) return;
    tokens.set('owner', ownerToken);
    for (const role of ROLES.filter((r) => r !== 'owner')) tokens.set(role, (await userWithToken(app.running, role)).token);
  }, 120_000);
  afterAll(async () => {
    await app?.running.stop();
    await app?.drop?.();
  });

  it('walks every admin route with every role: denied by the table is 403 QD_FORBIDDEN naming the roles, allowed is neither 401 nor 403', async (ctx) => {
    if (!app) return ctx.skip();
    const running = app.running;
    const routes = running.app.routeList.filter((r) => r.url.startsWith('/api/') && r.contract && (r.contract.access === 'admin' || r.contract.access === 'signed-in'));
    expect(routes.length).toBeGreaterThan(100);
    const failures: string[] = [];
    let denied = 0;
    let allowed = 0;
    for (const route of routes) {
      const contract = route.contract!;
      for (const role of ROLES) {
        const res = await call(running, tokens.get(role), route.method, concretePath(route.url), route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
        if (mayCall(role, contract)) {
          allowed++;
          if (res.status === 401 || res.status === 403 || res.status >= 500) failures.push(`${role} ${route.method} ${route.url}: allowed, got ${res.status} ${res.body.error?.code ?? ''}`);
        } else {
          denied++;
          const ok = res.status === 403 && res.body.error?.code === 'QD_FORBIDDEN' && rolesFor(contract).every((r) => res.body.error!.message.includes(r));
          if (!ok) failures.push(`${role} ${route.method} ${route.url}: denied, got ${res.status} ${res.body.error?.code ?? ''} ${res.body.error?.message ?? ''}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // Both outcomes occur for every role but the owner (who is never denied).
    expect(denied).toBeGreaterThan(100);
    expect(allowed).toBeGreaterThan(routes.length);
  }, 300_000);

  it('gives every admin route an area: no route is owner-only by accident of a tag the table does not know', () => {
    if (!app) return;
    const unknown = app.running.app.routeList.filter((r) => r.contract && r.contract.access !== 'customer-key' && r.contract.access !== 'public' && !(r.contract.tag in TAG_AREAS) && !PATH_AREAS.some(([p]) => r.url === p || r.url.startsWith(`${p}/`)) && !(`${r.method} ${r.url}` in ROUTE_ROLES));
    expect(unknown.map((r) => `${r.method} ${r.url} (tag ${r.contract!.tag})`)).toEqual([]);
  });

  it('lets the viewer only read, and every role read what the viewer reads', () => {
    if (!app) return;
    for (const route of app.running.app.routeList.filter((r) => r.contract && r.contract.access === 'admin')) {
      const contract = route.contract!;
      expect(mayCall('owner', contract), `${route.method} ${route.url}`).toBe(true);
      if (mayCall('viewer', contract)) for (const role of ROLES) expect(mayCall(role, contract), `${role} ${route.method} ${route.url}`).toBe(true);
      const selfService = route.url.startsWith('/api/tokens') || route.url.startsWith('/api/auth/');
      if (route.method !== 'GET' && !selfService) expect(mayCall('viewer', contract), `${route.method} ${route.url}`).toBe(false);
    }
  });
});

describe('team access on PGlite', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = (await start('pglite'))!.running;
  }, 60_000);
  afterAll(async () => running?.stop());

  it('makes the configured token the owner\'s, shown by /api/auth/me and /api/whoami', async () => {
    const me = await call(running, ownerToken, 'GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ role: 'owner', via: 'token', user: { email: 'owner@localhost', role: 'owner', hasPassword: false } });
    const who = await call(running, ownerToken, 'GET', '/api/whoami');
    expect(who.body.principal).toMatchObject({ kind: 'admin', email: 'owner@localhost', role: 'owner', via: 'token' });
  });

  it('caps a token at its scope: a finance user\'s viewer token reads but cannot write finance routes', async () => {
    const { token, session } = await userWithToken(running, 'finance', 'fin-scope@example.com', 'viewer');
    expect((await call(running, token, 'GET', '/api/plans')).status).toBe(200);
    const write = await call(running, token, 'POST', '/api/plans', {});
    expect(write.status).toBe(403);
    expect(write.body.error?.message).toContain('the role viewer may not call POST /api/plans');
    // The same user's session may (its body is what is wrong then).
    expect((await call(running, session, 'POST', '/api/plans', {})).status).toBe(400);
    // A scope wider than the user's role is refused.
    const wide = await call(running, session, 'POST', '/api/tokens', { name: 'too wide', scope: 'owner' });
    expect(wide.status).toBe(400);
    expect(wide.body.error).toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'scope' });
    const beside = await call(running, session, 'POST', '/api/tokens', { name: 'beside', scope: 'engineer' });
    expect(beside.status).toBe(400);
  });

  it('caps a token when its user is demoted: an owner token of a user made marketing acts as marketing', async () => {
    const { userId, session } = await userWithToken(running, 'owner', 'second-owner@example.com');
    const ownerScoped = await call(running, session, 'POST', '/api/tokens', { name: 'owner script', scope: 'owner' });
    const token = ownerScoped.body.token as string;
    expect((await call(running, token, 'GET', '/api/users')).status).toBe(200);
    expect((await call(running, ownerToken, 'PATCH', `/api/users/${userId}`, { role: 'marketing' })).status).toBe(200);
    const me = await call(running, token, 'GET', '/api/auth/me');
    expect(me.body).toMatchObject({ role: 'marketing', via: 'token' });
    expect((await call(running, token, 'GET', '/api/users')).status).toBe(403);
    // The listing says the same: scope owner, acting as marketing.
    const listed = await call(running, token, 'GET', '/api/tokens');
    expect((listed.body.data as { name: string; scope: string; role: string }[]).find((t) => t.name === 'owner script')).toMatchObject({ scope: 'owner', role: 'marketing' });
    // A role change ends the user's sessions.
    expect((await call(running, session, 'GET', '/api/auth/me')).status).toBe(401);
  });

  it('refuses an expired token with 401', async () => {
    const { session } = await userWithToken(running, 'engineer', 'expiring@example.com');
    const soon = new Date(Date.now() + 1500).toISOString();
    const created = await call(running, session, 'POST', '/api/tokens', { name: 'short', expiresAt: soon });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect((await call(running, token, 'GET', '/api/auth/me')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    const after = await call(running, token, 'GET', '/api/auth/me');
    expect(after.status).toBe(401);
    expect(after.body.error?.code).toBe('QD_UNAUTHENTICATED');
    expect((await call(running, session, 'POST', '/api/tokens', { name: 'past', expiresAt: new Date(Date.now() - 1000).toISOString() })).status).toBe(400);
  });

  it('revokes at once, and rotation stops the old secret while the new one works', async () => {
    const { token, session } = await userWithToken(running, 'marketing', 'rotate@example.com');
    const mine = await call(running, session, 'GET', '/api/tokens');
    const id = (mine.body.data as { id: string }[])[0]!.id;
    const rotated = await call(running, session, 'POST', `/api/tokens/${id}/rotate`);
    expect(rotated.status).toBe(201);
    const fresh = rotated.body.token as string;
    expect(fresh).not.toBe(token);
    expect((await call(running, token, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await call(running, fresh, 'GET', '/api/auth/me')).status).toBe(200);
    const revoked = await call(running, session, 'POST', `/api/tokens/${rotated.body.id as string}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await call(running, fresh, 'GET', '/api/auth/me')).status).toBe(401);
    // Someone else's token is not found for a non-owner; the owner may revoke it.
    const other = await userWithToken(running, 'viewer', 'other-viewer@example.com');
    const otherId = ((await call(running, other.session, 'GET', '/api/tokens')).body.data as { id: string }[])[0]!.id;
    expect((await call(running, session, 'POST', `/api/tokens/${otherId}/revoke`)).status).toBe(404);
    expect((await call(running, ownerToken, 'POST', `/api/tokens/${otherId}/revoke`)).status).toBe(200);
    expect((await call(running, other.token, 'GET', '/api/auth/me')).status).toBe(401);
  });

  it('records last use at most once a minute, without a write per request', async () => {
    const { token, session } = await userWithToken(running, 'viewer', 'lastused@example.com');
    for (let i = 0; i < 5; i++) expect((await call(running, token, 'GET', '/api/system')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    const listed = (await call(running, session, 'GET', '/api/tokens')).body.data as { lastUsedAt: string | null }[];
    expect(listed[0]!.lastUsedAt).not.toBeNull();
  });

  it('keeps the last active owner: demoting, disabling or deleting them is 409 QD_LAST_OWNER', async () => {
    const users = (await call(running, ownerToken, 'GET', '/api/users')).body.data as { id: string; role: string; disabledAt: string | null; email: string }[];
    // Demote every other owner first, so one active owner is left.
    const owners = users.filter((u) => u.role === 'owner' && u.disabledAt === null);
    const first = owners.find((u) => u.email === 'owner@localhost')!;
    for (const u of owners) if (u.id !== first.id) expect((await call(running, ownerToken, 'PATCH', `/api/users/${u.id}`, { role: 'viewer' })).status).toBe(200);
    for (const [method, body] of [['PATCH', { role: 'finance' }], ['PATCH', { disabled: true }], ['DELETE', undefined]] as const) {
      const res = await call(running, ownerToken, method, `/api/users/${first.id}`, body);
      expect(res.status, `${method} ${JSON.stringify(body)}`).toBe(409);
      expect(res.body.error?.code).toBe('QD_LAST_OWNER');
    }
    // With a second owner, the first may step down.
    const second = await call(running, ownerToken, 'POST', '/api/users', { email: 'heir@example.com', role: 'owner' });
    expect(second.status).toBe(201);
    expect(typeof (second.body as { initialPassword: string }).initialPassword).toBe('string');
    expect((await call(running, ownerToken, 'PATCH', `/api/users/${first.id}`, { name: 'Founder' })).status).toBe(200);
  });

  it('answers a wrong password and an unknown e-mail the same way, and throttles guessing', async () => {
    await call(running, ownerToken, 'POST', '/api/users', { email: 'known@example.com', role: 'viewer', password: 'correct-horse-battery' });
    const wrong = await call(running, undefined, 'POST', '/api/auth/login', { email: 'known@example.com', password: 'wrong-password-123' });
    const unknown = await call(running, undefined, 'POST', '/api/auth/login', { email: 'nobody@example.com', password: 'wrong-password-123' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    for (let i = 0; i < 5; i++) await call(running, undefined, 'POST', '/api/auth/login', { email: 'known@example.com', password: 'wrong-password-123' });
    const throttled = await call(running, undefined, 'POST', '/api/auth/login', { email: 'known@example.com', password: 'correct-horse-battery' });
    expect(throttled.status).toBe(429);
    expect(throttled.body.error?.code).toBe('QD_RATE_LIMITED');
  });

  it('sets an HttpOnly SameSite=Strict cookie on /api that signs in the dashboard, and logout ends it', async () => {
    await call(running, ownerToken, 'POST', '/api/users', { email: 'cookie@example.com', role: 'partner_manager', password: 'cookie-password-1' });
    const login = await call(running, undefined, 'POST', '/api/auth/login', { email: 'COOKIE@example.com', password: 'cookie-password-1' });
    expect(login.status).toBe(200);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/^qd_admin_session=qd_as_\w+; Path=\/api; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const pair = cookie.split(';')[0]!;
    const me = await running.app.inject({ url: '/api/auth/me', headers: { cookie: pair } });
    expect(me.json()).toMatchObject({ role: 'partner_manager', via: 'session', user: { email: 'cookie@example.com' } });
    const out = await running.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: pair } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await running.app.inject({ url: '/api/auth/me', headers: { cookie: pair } })).statusCode).toBe(401);
  });

  it('changes my password: the old one stops, my other sessions end, this one stays', async () => {
    await call(running, ownerToken, 'POST', '/api/users', { email: 'pw@example.com', role: 'engineer', password: 'first-password-1' });
    const a = (await call(running, undefined, 'POST', '/api/auth/login', { email: 'pw@example.com', password: 'first-password-1' })).body.token as string;
    const b = (await call(running, undefined, 'POST', '/api/auth/login', { email: 'pw@example.com', password: 'first-password-1' })).body.token as string;
    expect((await call(running, a, 'POST', '/api/auth/password', { currentPassword: 'nope', newPassword: 'second-password-2' })).status).toBe(401);
    expect((await call(running, a, 'POST', '/api/auth/password', { currentPassword: 'first-password-1', newPassword: 'second-password-2' })).status).toBe(204);
    expect((await call(running, a, 'GET', '/api/auth/me')).status).toBe(200);
    expect((await call(running, b, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await call(running, undefined, 'POST', '/api/auth/login', { email: 'pw@example.com', password: 'first-password-1' })).status).toBe(401);
    expect((await call(running, undefined, 'POST', '/api/auth/login', { email: 'pw@example.com', password: 'second-password-2' })).status).toBe(200);
  });

  it('disabling a user stops their tokens and sessions at once', async () => {
    const { userId, token, session } = await userWithToken(running, 'finance', 'disabled@example.com');
    expect((await call(running, ownerToken, 'PATCH', `/api/users/${userId}`, { disabled: true })).status).toBe(200);
    expect((await call(running, token, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await call(running, session, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await call(running, undefined, 'POST', '/api/auth/login', { email: 'disabled@example.com', password: 'pw-finance-0123456789' })).status).toBe(401);
  });

  it('shows the roles of each operation in the OpenAPI document', async () => {
    const doc = (await running.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { 'x-qudao-roles'?: string[]; description?: string }>> };
    expect(doc.paths['/api/users']!.get!['x-qudao-roles']).toEqual(['owner']);
    expect(doc.paths['/api/plans']!.post!['x-qudao-roles']).toEqual(['owner', 'finance']);
    expect(doc.paths['/api/plans']!.post!.description).toContain('Roles: owner, finance.');
    expect(doc.paths['/api/auth/login']!.post!['x-qudao-roles']).toBeUndefined();
  });
});

describe('a revoked token on a second replica (PostgreSQL NOTIFY)', () => {
  it('stops working on the other replica without a restart', async (ctx) => {
    if (!(await postgresReachable())) return ctx.skip();
    const temp = await createTempDatabase();
    // Both replicas start at once on the empty database: one owner is created, not two (nor a failed start).
    const [a, b] = (await Promise.all([start('postgres', {}, temp.url), start('postgres', {}, temp.url)])).map((r) => r!.running) as [RunningApp, RunningApp];
    try {
      const owners = ((await call(a, ownerToken, 'GET', '/api/users')).body.data as { role: string }[]).filter((u) => u.role === 'owner');
      expect(owners).toHaveLength(1);
      const { token, session } = await userWithToken(a, 'engineer', 'replica@example.com');
      const deadline = Date.now() + 10_000;
      while ((await call(b, token, 'GET', '/api/auth/me')).status !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect((await call(b, token, 'GET', '/api/auth/me')).status).toBe(200);
      const id = ((await call(a, session, 'GET', '/api/tokens')).body.data as { id: string }[])[0]!.id;
      expect((await call(a, session, 'POST', `/api/tokens/${id}/revoke`)).status).toBe(200);
      while ((await call(b, token, 'GET', '/api/auth/me')).status !== 401 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect((await call(b, token, 'GET', '/api/auth/me')).status).toBe(401);
    } finally {
      await a.stop();
      await b.stop();
      await temp.drop();
    }
  }, 60_000);
});

describe('two owners demoting each other at once (PostgreSQL, concurrent transactions)', () => {
  it('lets exactly one succeed: the workspace keeps an active owner', async (ctx) => {
    const app = await start('postgres');
    if (!app) return ctx.skip();
    const { running } = app;
    try {
      const me = await call(running, ownerToken, 'GET', '/api/auth/me');
      const firstId = (me.body.user as { id: string }).id;
      const second = await userWithToken(running, 'owner', 'co-owner@example.com');
      for (let round = 0; round < 5; round++) {
        const [a, b] = await Promise.all([
          call(running, second.token, 'PATCH', `/api/users/${firstId}`, { role: 'viewer' }),
          call(running, ownerToken, 'PATCH', `/api/users/${second.userId}`, { role: 'viewer' }),
        ]);
        const statuses = [a.status, b.status].sort();
        // One demotion lands; the other is refused, as the last owner's (409) or as no longer an owner's (401/403).
        expect(statuses.filter((s) => s === 200)).toHaveLength(1);
        const owners = ((await call(running, a.status === 200 ? second.token : ownerToken, 'GET', '/api/users')).body.data as { role: string; disabledAt: string | null }[]).filter((u) => u.role === 'owner' && u.disabledAt === null);
        expect(owners).toHaveLength(1);
        // Restore both owners for the next round.
        const survivor = a.status === 200 ? second.token : ownerToken;
        const demoted = a.status === 200 ? firstId : second.userId;
        expect((await call(running, survivor, 'PATCH', `/api/users/${demoted}`, { role: 'owner' })).status).toBe(200);
      }
    } finally {
      await running.stop();
      await app.drop?.();
    }
  }, 60_000);
});
