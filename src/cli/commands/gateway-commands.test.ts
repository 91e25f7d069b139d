import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../app.js';
import { runCliAgainst, startTestApp } from '../../../test/support/cli.js';
import { runCli } from '../run.js';
import { rootCommand } from './index.js';
import { seedCustomer, TEST_ADMIN_TOKEN } from '../../../test/support/gateway-workspace.js';

describe('qudao keys | plans | deployments (through the server /api)', () => {
  let running: RunningApp;
  const run = (...args: string[]) => runCliAgainst(running, ...args);
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(async () => running?.stop());

  it('creates a plan, a deployment and a key, lists them, and revokes the key', async () => {
    const plan = await run('plans', 'create', 'starter', '--input-per-1m', '500000', '--output-per-1m', '1500000', '--rpm', '60', '--monthly-quota', 'none', '--json');
    expect(plan.code).toBe(0);
    const planId = (JSON.parse(plan.out) as { id: string }).id;
    expect((await run('plans', 'update', 'starter', '--tpm', '1000', '--json')).out).toContain('"tpmLimit": 1000');
    expect((await run('plans', 'list')).out).toMatch(/starter\s+0\.50\s+1\.50\s+60\s+1000/);
    const dep = await run('deployments', 'create', 'vllm-small', '--upstream-url', 'http://127.0.0.1:8000/v1', '--upstream-model', 'Qwen/Qwen2.5-0.5B', '--max-retries', '1');
    expect(dep.code).toBe(0);
    expect((await run('deployments', 'list')).out).toContain('vllm-small');
    const claude = await run('deployments', 'create', 'claude', '--provider', 'anthropic', '--upstream-url', 'http://127.0.0.1:9', '--upstream-model', 'claude-x', '--api-version', '2023-06-01');
    expect(claude.code).toBe(0);
    expect((await run('deployments', 'list')).out).toMatch(/claude\s+upstream\s+anthropic\s/);
    expect(JSON.parse((await run('deployments', 'update', 'claude', '--provider', 'gemini', '--api-version', 'none', '--json')).out)).toMatchObject({ provider: 'gemini', apiVersion: null });
    const typo = await run('deployments', 'create', 'x', '--provider', 'cohere', '--upstream-url', 'http://127.0.0.1:9');
    expect(typo.code).toBe(2);
    expect(typo.err.trim().split('\n')).toHaveLength(1);
    expect(typo.err).toContain('--provider must be one of openai-compatible, anthropic, gemini, azure-openai');
    const { customerId, channelId } = await seedCustomer(running.services.store);
    const created = await run('keys', 'create', '--customer', customerId, '--channel', channelId, '--plan', planId, '--model', 'vllm-small');
    expect(created.code).toBe(0);
    const secret = /API key \(shown once, keep it safe\): (qd_sk_\S+)/.exec(created.out)![1]!;
    const models = await fetch(`${running.url}/v1/models`, { headers: { authorization: `Bearer ${secret}` } });
    expect(((await models.json()) as { data: { id: string }[] }).data.map((m) => m.id)).toEqual(['vllm-small']);
    const listed = await run('keys', 'list', '--customer', customerId);
    expect(listed.out).toContain(secret.slice(0, 14));
    expect(listed.out).not.toContain(secret);
    const [row] = (JSON.parse((await run('keys', 'list', '--customer', customerId, '--json')).out) as { data: { customerId: string; customerName: string | null }[] }).data;
    expect(row).toMatchObject({ customerId, customerName: `customer ${customerId}` }); // the list reads by name
    expect((await run('keys', 'revoke', secret.slice(0, 14))).out).toContain('is revoked');
    const after = await fetch(`${running.url}/v1/models`, { headers: { authorization: `Bearer ${secret}` } });
    expect(after.status).toBe(401);
    expect((await run('deployments', 'archive', 'vllm-small')).code).toBe(0);
  });

  it('fails with one line naming the code when the server refuses', async () => {
    const r = await run('keys', 'revoke', 'key_missing');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/QD_NOT_FOUND/);
    const bad = await runCli(rootCommand, ['plans', 'list', '--url', 'http://127.0.0.1:9', '--admin-token', TEST_ADMIN_TOKEN], { out: () => {}, err: () => {} });
    expect(bad).toBe(2);
  });
});
