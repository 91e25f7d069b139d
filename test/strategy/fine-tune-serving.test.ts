import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { adminCall, seedCustomer, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js';
import { seedPartner } from './support.js';

/**
 * Resource sharing's promise about fine-tunes, checked through the real gateway: a deployment with an
 * `ownerPartnerId` (a partner's fine-tune) answers that partner's keys only; another partner's key, or a
 * key issued without a partner, is told the model does not exist (its name is not public), and /v1/models
 * lists it to the owner only. The gateway (src/gateway/serve/resolve-model.ts) enforces this.
 */
describe('a partner fine-tune is served through the gateway to that partner\'s keys only', () => {
  let running: RunningApp;
  let mock: MockUpstream;
  const keys: Record<'owner' | 'other' | 'direct', string> = { owner: '', other: '', direct: '' };
  const partners: Record<'owner' | 'other', string> = { owner: '', other: '' };
  beforeAll(async () => {
    mock = await startMockUpstream();
    running = await startApp(loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN } }));
    const { store } = running.services;
    const owner = await seedPartner(store, 'Fintech SI');
    const other = await seedPartner(store, 'Retail Reseller');
    Object.assign(partners, { owner, other });
    const dep = await adminCall(running.url, 'POST', '/api/deployments', { name: 'fintech-ft', kind: 'upstream', upstreamUrl: mock.url, ownerPartnerId: owner });
    expect(dep.status).toBe(201);
    const plan = await adminCall<{ id: string }>(running.url, 'POST', '/api/plans', { name: 'ft-plan', inputPer1mMicros: 1_000_000, outputPer1mMicros: 2_000_000 });
    for (const [who, partnerId] of [['owner', owner], ['other', other], ['direct', undefined]] as const) {
      const { customerId, channelId } = await seedCustomer(store, partnerId ? { partnerId } : {});
      const k = await adminCall<{ key: string }>(running.url, 'POST', '/api/keys', { customerId: customerId, channelId: channelId, planId: plan.json.id, ...(partnerId ? { partnerId: partnerId } : {}) });
      expect(k.status).toBe(201);
      keys[who] = k.json.key;
    }
  });
  afterAll(async () => {
    await running?.stop();
    await mock?.close();
  });

  const chat = (key: string) =>
    fetch(`${running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fintech-ft', messages: [{ role: 'user', content: 'hi' }], max_tokens: 3 }),
    });

  it('answers the owner partner\'s key', async () => {
    const res = await chat(keys.owner);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: unknown[] }).choices).toHaveLength(1);
  });

  it.each(['other', 'direct'] as const)('refuses the %s key as an unknown model', async (who) => {
    const res = await chat(keys[who]);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('QD_MODEL_NOT_FOUND');
  });

  it('lists the fine-tune in /v1/models to its owner only', async () => {
    const models = async (key: string) => ((await (await fetch(`${running.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).json()) as { data: { id: string }[] }).data.map((m) => m.id);
    expect(await models(keys.owner)).toContain('fintech-ft');
    expect(await models(keys.other)).not.toContain('fintech-ft');
  });

  it('shows a partner user, through its portal session, the catalogued fine-tune it owns and only its own grants', async () => {
    const resource = await adminCall<{ id: string }>(running.url, 'POST', '/api/resources', { kind: 'fine_tune', name: 'fintech fine-tune', ownerPartnerId: partners.owner, deploymentName: 'fintech-ft' });
    expect(resource.status).toBe(201);
    const pack = await adminCall<{ id: string }>(running.url, 'POST', '/api/resources', { kind: 'prompt_pack', name: 'claims prompts' });
    await adminCall(running.url, 'POST', `/api/resources/${pack.json.id}/grants`, { partnerId: partners.owner });
    await adminCall(running.url, 'POST', `/api/resources/${pack.json.id}/grants`, { partnerId: partners.other });
    expect((await adminCall(running.url, 'POST', `/api/partners/${partners.owner}/users`, { email: 'ops@fintech.example', password: 'correct horse battery' })).status).toBe(201);
    const login = await fetch(`${running.url}/api/portal/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ops@fintech.example', password: 'correct horse battery' }) });
    const { token } = (await login.json()) as { token: string };
    const shared = await fetch(`${running.url}/api/resources/shared?partnerId=${partners.other}`, { headers: { authorization: `Bearer ${token}` } });
    expect(shared.status).toBe(200);
    const data = ((await shared.json()) as { data: { name: string; grants: { partnerId: string }[] }[] }).data;
    expect(data.map((r) => r.name).sort()).toEqual(['claims prompts', 'fintech fine-tune']);
    expect(data.flatMap((r) => r.grants.map((g) => g.partnerId))).toEqual([partners.owner]);
    const adminOnly = await fetch(`${running.url}/api/resources`, { headers: { authorization: `Bearer ${token}` } });
    expect(adminOnly.status).toBe(403);
  });
});
