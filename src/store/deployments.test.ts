import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../../test/support/stores.js';
import { CACHE_CHANNEL } from './cache-channel.js';
import { DeploymentStore } from './deployments.js';

describe('DeploymentStore, the one owner of deployments', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore('pglite');
  });
  afterAll(async () => t?.dispose());

  it('creates, finds, updates and keeps the trail: retargets only by default, every entry with `always`', async () => {
    let changes = 0;
    const deployments = new DeploymentStore(t.store, { changed: async () => void changes++ });
    const d = await deployments.create({ name: 'up', kind: 'upstream', upstreamUrl: 'http://a.example' });
    expect(d.id).toMatch(/^dep_/);
    expect((await deployments.find(d.id))?.name).toBe('up');
    expect((await deployments.find('up'))?.id).toBe(d.id);
    expect(await deployments.byName(d.id)).toBeUndefined();
    await deployments.update(d.id, { timeoutMs: 5_000 });
    await deployments.update(d.id, { upstreamUrl: 'http://b.example' });
    await deployments.update(d.id, { maxRetries: 1 }, 'always');
    const trail = await deployments.history(d.id);
    expect(trail.map((h) => h.upstreamUrl)).toEqual(['http://a.example', 'http://b.example', 'http://b.example']);
    expect(trail.every((h, i) => i === 0 || h.changedAt.getTime() > trail[i - 1]!.changedAt.getTime())).toBe(true);
    expect(changes).toBe(4);
    await expect(deployments.update('dep_missing', { timeoutMs: 1 })).rejects.toMatchObject({ code: 'QD_NOT_FOUND' });
    await deployments.create({ name: 'another', kind: 'upstream', upstreamUrl: 'http://c.example' });
    expect((await deployments.list('name')).map((r) => r.name)).toEqual(['another', 'up']);
    expect((await deployments.list('created')).map((r) => r.name)).toEqual(['up', 'another']);
  });

  it('notifies the cache channel on every change by default', async () => {
    const heard: string[] = [];
    const stop = await t.store.listen(CACHE_CHANNEL, (p) => heard.push(p));
    const deployments = new DeploymentStore(t.store);
    const d = await deployments.create({ name: 'heard', kind: 'upstream', upstreamUrl: 'http://h.example' });
    await deployments.update(d.id, { status: 'archived' });
    for (let i = 0; i < 50 && heard.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    await stop();
    expect(heard.length).toBeGreaterThanOrEqual(2);
  });
});
