import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { runCliAgainst, startTestApp } from '../support/cli.js';
import { seedPartner } from './support.js';

describe('qudao segments | market | selection | promotion | campaigns | links | attribution | ecosystem | resources', () => {
  let running: RunningApp;
  const run = (...args: string[]) => runCliAgainst(running, ...args);
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(async () => running?.stop());

  it('creates and sizes segments, and ranks them', async () => {
    const created = await run('segments', 'create', 'fintech-cn', '--industry', 'fintech', '--region', 'cn', '--size', 'mid', '--accounts', '1000', '--price', '12000000000', '--serviceable', '0.5', '--adoption', '0.1', '--fit', '9', '--wtp', '8', '--competition', '6', '--growth', '0.2');
    expect(created.code).toBe(0);
    await run('segments', 'create', 'retail-eu', '--industry', 'retail', '--region', 'eu', '--size', 'small', '--accounts', '4000', '--price', '2400000000', '--serviceable', '0.25', '--adoption', '0.05', '--fit', '5', '--wtp', '4', '--competition', '3', '--growth', '0.1');
    const size = await run('market', 'size', '--json');
    expect(JSON.parse(size.out)).toMatchObject({ tamMicros: 21_600_000_000_000, somMicros: 720_000_000_000 });
    const rank = await run('market', 'rank', '--weight', 'size=3', '--weight', 'growth=1', '--weight', 'willingnessToPay=2', '--weight', 'competition=1', '--weight', 'fit=3');
    expect(rank.code).toBe(0);
    expect(rank.out.split('\n')[1]).toMatch(/^fintech-cn\s/);
  });

  it('ranks partner candidates from the command line and asks for a matrix when none is given', async () => {
    const a = JSON.parse((await run('selection', 'add-criterion', 'quality', '--position', '0', '--json')).out) as { id: string };
    const b = JSON.parse((await run('selection', 'add-criterion', 'price', '--kind', 'cost', '--position', '1', '--json')).out) as { id: string };
    await run('selection', 'add-candidate', 'Alpha', '--score', `${a.id}=8`, '--score', `${b.id}=300`);
    await run('selection', 'add-candidate', 'Beta', '--score', `${a.id}=6`, '--score', `${b.id}=100`);
    const ranked = await run('selection', 'rank', '--matrix', '[[1,3],[0.3333333333,1]]');
    expect(ranked.code).toBe(0);
    expect(ranked.out).toMatch(/AHP weights \(CR 0\.000\): quality 0\.750, price 0\.250/);
    const missing = await run('selection', 'rank');
    expect(missing.code).toBe(2);
  });

  it('plans a campaign with a tracked link, records spend and attributes', async () => {
    const partnerId = await seedPartner(running.services.store, 'Referrer');
    const campaign = JSON.parse((await run('campaigns', 'create', 'Launch', '--goal', 'signups', '--channel', 'search_ads', '--budget', '5000000000', '--json')).out) as { id: string };
    const link = await run('links', 'create', 'https://example.com/signup', '--code', 'launch', '--campaign', campaign.id, '--partner', partnerId);
    expect(link.out).toMatch(/launch\s+https:\/\/example\.com\/signup/);
    expect((await fetch(`${running.url}/r/launch`, { redirect: 'manual' })).status).toBe(302);
    expect((await run('links', 'list', '--campaign', campaign.id)).out).toMatch(/launch.*search_ads\s+1\s+1\s+0/);
    expect((await run('campaigns', 'spend', '--channel', 'search_ads', '--amount', '1000000', '--campaign', campaign.id)).code).toBe(0);
    const negative = await run('campaigns', 'spend', '--channel', 'search_ads', '--amount', '-5');
    expect(negative.code).not.toBe(0);
    expect((await run('promotion', 'economics')).out).toMatch(/search_ads\s+1\.00\s+1\s+0\s+0/);
    expect((await run('attribution')).out).toContain('0 conversions');
    expect((await run('ecosystem', 'graph')).out).toContain('Referrer');
    const resource = await run('resources', 'add', 'prompt pack', '--kind', 'prompt_pack', '--json');
    const id = (JSON.parse(resource.out) as { id: string }).id;
    expect((await run('resources', 'grant', id, partnerId)).code).toBe(0);
    expect((await run('resources', 'list', '--partner', partnerId)).out).toMatch(/prompt_pack\s+prompt pack.*\s1\s*$/m);
  });
});
