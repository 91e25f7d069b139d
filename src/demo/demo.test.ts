import { describe, expect, it } from 'vitest';
import { migrate, openPglite, type Store } from '../store/index.js';
import { generateDemo } from './simulate.js';

const TABLES = [
  'segments', 'price_plans', 'deployments', 'partner_tiers', 'partners', 'agreements', 'channels', 'campaigns', 'links', 'spend',
  'touchpoints', 'customers', 'api_keys', 'usage_events', 'usage_daily', 'customer_months', 'kpi_monthly',
];

/** An MD5 of every row of every demo table, in a stable order. */
async function contentHash(store: Store): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const [row] = await store.query<{ h: string }>(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM ${table} t`);
    out[table] = row!.h;
  }
  return out;
}

async function demoHash(seed: number): Promise<{ hash: Record<string, string>; counts: Record<string, number> }> {
  const store = await openPglite('memory://');
  try {
    await migrate(store);
    await generateDemo(store, { seed, months: 1, scale: 0.5, until: new Date('2026-03-01T00:00:00Z') });
    const [c] = await store.query<Record<string, string>>(`SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM usage_events) AS usage,
      (SELECT count(DISTINCT type) FROM channels) AS channel_types, (SELECT count(*) FROM partners) AS partners, (SELECT count(DISTINCT tier_id) FROM partners) AS tiers,
      (SELECT count(*) FROM agreements) AS agreements, (SELECT count(*) FROM spend) AS spend, (SELECT count(*) FROM touchpoints) AS touchpoints`);
    return { hash: await contentHash(store), counts: Object.fromEntries(Object.entries(c!).map(([k, v]) => [k, Number(v)])) };
  } finally {
    await store.close();
  }
}

describe('demo workspace', () => {
  it('writes identical rows for the same seed', async () => {
    const a = await demoHash(7);
    const b = await demoHash(7);
    expect(b.hash).toEqual(a.hash);
    expect(a.counts).toMatchObject({ channel_types: 6, partners: 20, tiers: 4, agreements: 20 });
    expect(a.counts.customers).toBeGreaterThan(10);
    expect(a.counts.usage).toBeGreaterThan(100);
    expect(a.counts.spend).toBeGreaterThan(0);
    expect(a.counts.touchpoints).toBeGreaterThan(0);
  });
});
