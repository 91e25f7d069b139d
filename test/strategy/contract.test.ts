import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strategyRoutes } from '../../src/shared/contract/strategy/index.js';
import { strategyHarness, type StrategyHarness } from './support.js';

/** The `/api` prefixes of the strategy routes. */
const STRATEGY_PREFIXES = ['/api/segments', '/api/market/', '/api/selection/', '/api/promotion/', '/api/campaigns', '/api/links', '/api/spend', '/api/touchpoints', '/api/attribution', '/api/partner-relations', '/api/ecosystem', '/api/resources', '/api/strategy/'];

describe('strategy contracts (src/shared/contract/strategy)', () => {
  let h: StrategyHarness;
  beforeAll(async () => {
    h = await strategyHarness('pglite');
  });
  afterAll(async () => h?.dispose());

  it('declares each route once, and the server registers exactly the declared ones', () => {
    const declared = Object.values(strategyRoutes).map((r) => `${r.method} ${r.url}`);
    expect(new Set(declared).size).toBe(declared.length);
    const registered = h.app.routeList.filter((r) => STRATEGY_PREFIXES.some((p) => r.url.startsWith(p))).map((r) => `${r.method} ${r.url}`);
    expect([...registered].sort()).toEqual([...declared].sort());
  });

  it('refuses a query field the contract does not declare, naming it', async () => {
    const res = await h.api<{ error: { code: string; param: string | null } }>('GET', '/api/segments?colour=red');
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'colour' });
  });

  it('answers a malformed window with QD_INVALID_REQUEST naming the field', async () => {
    const res = await h.api<{ error: { code: string; param: string | null } }>('GET', '/api/ecosystem?from=yesterday');
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'from' });
  });
});
