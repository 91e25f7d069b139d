import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { rootCommand, runCli } from '../../src/cli/index.js';
import { loadConfig } from '../../src/config/index.js';
import { readLocalServer } from '../../src/server/index.js';
import { runCliAgainst, startTestApp } from '../support/cli.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(rootCommand, argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('qudao users | tokens (through the server /api)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp();
  }, 60_000);
  afterAll(async () => running?.stop());

  it('creates, lists, changes and deletes a user, and refuses to demote the last owner', async () => {
    const created = await runCliAgainst(running, 'users', 'create', 'ana@example.com', '--role', 'finance', '--name', 'Ana');
    expect(created.code, created.err).toBe(0);
    const id = /user (usr_\S+) ana@example.com \(finance\)/.exec(created.out)?.[1];
    expect(id, created.out).toBeTruthy();
    const password = /password \(shown once[^)]*\): (\S+)/.exec(created.out)?.[1];
    expect((await running.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'ana@example.com', password } })).statusCode).toBe(200);
    expect((await runCliAgainst(running, 'users', 'list')).out).toMatch(/ana@example.com\s+Ana\s+finance/);
    expect((await runCliAgainst(running, 'users', 'update', id!, '--role', 'viewer')).out).toContain('viewer');
    const bad = await runCliAgainst(running, 'users', 'create', 'x@example.com', '--role', 'boss');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('--role must be one of owner, finance');
    const owner = JSON.parse((await runCliAgainst(running, 'users', 'list', '--json')).out).data.find((u: { role: string }) => u.role === 'owner');
    const last = await runCliAgainst(running, 'users', 'update', owner.id, '--role', 'viewer');
    expect(last.code).not.toBe(0);
    expect(last.err).toContain('QD_LAST_OWNER');
    expect((await runCliAgainst(running, 'users', 'delete', id!)).code).toBe(0);
  });

  it('creates, rotates and revokes a token, printing each secret once', async () => {
    const created = await runCliAgainst(running, 'tokens', 'create', 'nightly export', '--scope', 'viewer');
    expect(created.code, created.err).toBe(0);
    expect(created.out).toContain('acting as viewer');
    const id = /token (adm_\S+)/.exec(created.out)![1]!;
    const secret = /shown once, keep it safe\): (\S+)/.exec(created.out)![1]!;
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });
    expect((await running.app.inject({ url: '/api/auth/me', headers: auth(secret) })).json()).toMatchObject({ role: 'viewer' });
    expect((await runCliAgainst(running, 'tokens', 'list')).out).toMatch(/nightly export\s+qd_admin_\S+\s+owner@localhost\s+viewer\s+viewer/);
    const rotated = await runCliAgainst(running, 'tokens', 'rotate', id);
    expect(rotated.code, rotated.err).toBe(0);
    const next = /shown once, keep it safe\): (\S+)/.exec(rotated.out)![1]!;
    const nextId = /successor is (adm_\S+)/.exec(rotated.out)![1]!;
    expect((await running.app.inject({ url: '/api/auth/me', headers: auth(secret) })).statusCode).toBe(401);
    expect((await running.app.inject({ url: '/api/auth/me', headers: auth(next) })).statusCode).toBe(200);
    expect((await runCliAgainst(running, 'tokens', 'revoke', nextId)).out).toContain('revoked at');
    expect((await running.app.inject({ url: '/api/auth/me', headers: auth(next) })).statusCode).toBe(401);
    expect((await runCliAgainst(running, 'tokens', 'list', '--everyone', '--all')).out).toContain(nextId);
  });
});

describe('qudao admin reset-owner', () => {
  const root = mkdtempSync(join(tmpdir(), 'qd-reset-owner-'));
  const dataDir = join(root, 'data');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('recovers a workspace whose owner token is lost: a new owner password and token, with the server stopped', async () => {
    const env = { QUDAO_DATA_DIR: dataDir, QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent' };
    const first = await startApp(loadConfig({ env }));
    expect(first.createdAdminToken).toMatch(/^qd_admin_/);
    // The local CLI token in the data folder is the owner's.
    const local = readLocalServer(dataDir)!;
    expect((await first.app.inject({ url: '/api/users', headers: { authorization: `Bearer ${local.adminToken}` } })).statusCode).toBe(200);
    // While the server holds the embedded store, reset-owner cannot open it and says so.
    const busy = await cli('admin', 'reset-owner', '--data-dir', dataDir);
    expect(busy.code).not.toBe(0);
    await first.stop();

    const reset = await cli('admin', 'reset-owner', '--data-dir', dataDir, '--email', 'Founder@Example.com');
    expect(reset.code, reset.err).toBe(0);
    const password = /password \(shown once[^)]*\): (\S+)/.exec(reset.out)![1]!;
    const token = /owner token \(shown once, keep it safe\): (\S+)/.exec(reset.out)![1]!;
    expect(reset.out).toContain('owner founder@example.com');

    const second = await startApp(loadConfig({ env }));
    try {
      expect(second.createdAdminToken).toBeUndefined();
      const me = await second.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
      expect(me.json()).toMatchObject({ role: 'owner', user: { email: 'founder@example.com' } });
      const login = await second.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'founder@example.com', password } });
      expect(login.statusCode).toBe(200);
      // The recovery is in the audit trail, as the OS user who ran it, with neither secret, and the chain verifies.
      const audit = (await second.app.inject({ url: '/api/audit?action=admin.reset-owner', headers: { authorization: `Bearer ${token}` } })).json() as { data: { actorLabel: string; principalKind: string; diff: unknown }[] };
      expect(audit.data).toHaveLength(1);
      expect(audit.data[0]).toMatchObject({ actorLabel: expect.stringMatching(/^cli:/), principalKind: 'cli', diff: [{ op: 'add', path: '/reset', value: { email: 'founder@example.com', role: 'owner' } }] });
      expect(JSON.stringify(audit.data)).not.toContain(password);
      expect(JSON.stringify(audit.data)).not.toContain(token);
      expect((await second.app.inject({ url: '/api/audit/verify', headers: { authorization: `Bearer ${token}` } })).json()).toMatchObject({ ok: true });
      // The first-start token is still the first owner's (nothing was revoked but sessions).
      expect((await second.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${first.createdAdminToken!}` } })).json()).toMatchObject({ role: 'owner', user: { email: 'owner@localhost' } });
    } finally {
      await second.stop();
    }
  }, 120_000);
});
