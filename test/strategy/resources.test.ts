import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, schema } from '../../src/store/index.js';
import type { ResourceGrant, SharedResource } from '../../src/strategy/index.js';
import { postgresReachable, storeKinds } from '../support/stores.js';
import { seedPartner, strategyHarness, type StrategyHarness } from './support.js';

describe.each(storeKinds)('resource sharing: catalogue and per-partner grants (%s)', (kind) => {
  let h: StrategyHarness;
  let owner: string;
  let other: string;
  beforeAll(async () => {
    if (kind === 'postgres' && !(await postgresReachable())) return;
    h = await strategyHarness(kind);
    owner = await seedPartner(h.store, 'Fintech SI');
    other = await seedPartner(h.store, 'Retail Reseller');
    await h.store.db.insert(schema.deployments).values({ id: newId('dep'), name: 'fintech-ft', kind: 'upstream', upstreamUrl: 'http://127.0.0.1:9', ownerPartnerId: owner });
    await h.store.db.insert(schema.deployments).values({ id: newId('dep'), name: 'public-model', kind: 'upstream', upstreamUrl: 'http://127.0.0.1:9' });
  });
  afterAll(async () => h?.dispose());

  it('grants, lists and revokes a shared data set per partner', async ({ skip }) => {
    if (!h) skip();
    const res = (await h.api<SharedResource>('POST', '/api/resources', { kind: 'dataset', name: 'support tickets (zh)', uri: 's3://bucket/tickets' })).json;
    const grant = await h.api<ResourceGrant>('POST', `/api/resources/${res.id}/grants`, { partnerId: other });
    expect(grant.status).toBe(201);
    expect((await h.api('POST', `/api/resources/${res.id}/grants`, { partnerId: other })).status).toBe(409);
    const shared = (await h.api<{ data: SharedResource[] }>('GET', `/api/resources/shared?partnerId=${other}`)).json.data;
    expect(shared.map((r) => r.id)).toEqual([res.id]);
    const revoked = await h.api<ResourceGrant>('POST', `/api/resources/${res.id}/grants/${grant.json.id}/revoke`);
    expect(revoked.json.revokedAt).not.toBeNull();
    expect((await h.api('POST', `/api/resources/${res.id}/grants/${grant.json.id}/revoke`)).status).toBe(409);
    expect((await h.api<{ data: SharedResource[] }>('GET', `/api/resources?partnerId=${other}`)).json.data).toEqual([]);
    expect((await h.api<SharedResource>('GET', `/api/resources/${res.id}`)).json.grants).toHaveLength(1);
  });

  it('catalogues a partner\'s fine-tune only with a deployment that partner owns', async ({ skip }) => {
    if (!h) skip();
    const noOwner = await h.api<{ error: { param: string } }>('POST', '/api/resources', { kind: 'fine_tune', name: 'ft', deploymentName: 'fintech-ft' });
    expect(noOwner.json.error.param).toBe('ownerPartnerId');
    const wrong = await h.api<{ error: { code: string; message: string } }>('POST', '/api/resources', { kind: 'fine_tune', name: 'ft', ownerPartnerId: owner, deploymentName: 'public-model' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.message).toContain('set its ownerPartnerId');
    const ok = await h.api<SharedResource>('POST', '/api/resources', { kind: 'fine_tune', name: 'fintech fine-tune', ownerPartnerId: owner, deploymentName: 'fintech-ft' });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ kind: 'fine_tune', ownerPartnerId: owner, deploymentName: 'fintech-ft', uri: 'qudao:deployment/fintech-ft' });
    const ownView = (await h.api<{ data: SharedResource[] }>('GET', `/api/resources/shared?partnerId=${owner}`)).json.data;
    expect(ownView.map((r) => r.name)).toContain('fintech fine-tune');
  });

  it('refuses an unknown kind and asks an admin to name the partner of a shared view', async ({ skip }) => {
    if (!h) skip();
    expect((await h.api<{ error: { param: string } }>('POST', '/api/resources', { kind: 'weights', name: 'x' })).json.error.param).toBe('kind');
    expect((await h.api<{ error: { param: string } }>('GET', '/api/resources/shared')).json.error.param).toBe('partnerId');
  });
});
