import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../app.js';
import { appendUsage, PARTNER_TESTS_ADMIN, seedCustomer, seedPlan, startPartnersApp } from '../../../test/support/partners.js';
import { runCli } from '../run.js';
import { rootCommand } from './index.js';

describe('qudao channels | partners | tiers | agreements | statements (through the server /api)', () => {
  let running: RunningApp;
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(rootCommand, [...args, '--url', running.url, '--admin-token', PARTNER_TESTS_ADMIN], { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const json = async <T = Record<string, unknown>>(...args: string[]): Promise<T> => {
    const r = await run(...args, '--json');
    if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.err}`);
    return JSON.parse(r.out) as T;
  };
  beforeAll(async () => {
    running = await startPartnersApp('postgres');
  });
  afterAll(async () => running?.stop());

  it('sets up a tier, a partner, its channel and agreement, and settles a month with a CSV', async () => {
    const plan = await seedPlan(running.services.store);
    const tier = await json<{ id: string }>('tiers', 'create', 'Gold', '--rank', '2', '--requirements', '{"minMonthlyRevenueMicros":1000}', '--benefits', '{"revenueShareBps":2000}');
    expect((await run('tiers', 'list')).out).toMatch(/Gold\s+2\s+monthly revenue ≥ 0\.001\s+revenue share 20\.00 %/);
    // Nested values (requirements, benefits, an agreement's SLA) read as words or key=value in every table.
    const tables = [await run('tiers', 'list'), await run('tiers', 'create', 'Silver', '--rank', '1', '--requirements', '{"minCertifiedStaff":1}'), await run('tiers', 'show', tier.id)];
    const partner = await json<{ id: string }>('partners', 'create', 'CLI Partner', '--type', 'reseller', '--region', 'cn', '--segment', 'fintech', '--segment', 'retail', '--tier', tier.id);
    expect((await run('partners', 'list')).out).toMatch(/CLI Partner\s+reseller\s+cn\s+fintech,retail/);
    const channel = await json<{ id: string }>('channels', 'create', 'CLI resale', '--type', 'reseller', '--owner', partner.id, '--plan', plan, '--margin-bps', '2000');
    expect((await run('channels', 'types')).out).toContain('system_integrator');
    const signed = await run('agreements', 'create', '--partner', partner.id, '--revenue-share-bps', '1500', '--monthly-quota', 'none', '--sla-max-error-bps', '100', '--starts', '2025-01-01T00:00:00Z');
    expect(signed.code).toBe(0);
    tables.push(signed, await run('agreements', 'list', '--partner', partner.id));
    for (const t of tables) expect(t.out).not.toContain('[object Object]');
    expect(tables[0]!.out).toContain('monthly revenue ≥ 0.001');
    expect(tables[1]!.out).toContain('certified staff ≥ 1');
    expect(signed.out).toContain('maxErrorRateBps=100');
    expect((await run('agreements', 'list', '--partner', partner.id)).out).toMatch(/active\s+1500/);
    const customer = await seedCustomer(running.services.store, partner.id, channel.id);
    await appendUsage(running.services.store, [{ partnerId: partner.id, channelId: channel.id, customerId: customer, occurredAt: '2026-03-03T00:00:00Z', priceMicros: 2_000_000 }]);

    expect((await run('channels', 'map', '--month', '2026-03')).out).toMatch(/CLI resale\s+reseller\s+1\s+0\s+1\s+100\s+2\.00\s+0\.40/);
    expect((await run('partners', 'scorecard', partner.id, '--month', '2026-03')).out).toMatch(/CLI Partner\s+2026-03\s+0\s+1\s+100\s+2\.00\s/);
    expect((await run('partners', 'onboarding', partner.id, '--tick', 'sales_training')).out).toMatch(/sales_training\s+Sales.*true/);
    const user = await json<{ id: string }>('partners', 'users', partner.id, '--email', 'cli@partner.example', '--password', 'a long enough password');
    expect((await run('partners', 'user-disable', partner.id, user.id)).out).toMatch(/disabled/);
    expect((await run('partners', 'user-remove', partner.id, user.id)).out).toContain('deleted');

    const [draft] = (await json<{ data: { id: string }[] }>('statements', 'generate', '--month', '2026-03', '--partner', partner.id)).data;
    expect((await run('statements', 'finalize', draft!.id)).out).toMatch(/final\s+2\.00\s+0\.00\s+0\.30\s/);
    const file = join(mkdtempSync(join(tmpdir(), 'qd-csv-')), 's.csv');
    expect((await run('statements', 'csv', draft!.id, '--out', file)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/,total,.*,2\.00,0\.30\r\n$/);
    expect((await run('statements', 'show', draft!.id)).out).toMatch(/usage\s+2026-03/);
  });

  it('fails with one line naming the code, and checks flags before calling', async () => {
    const refused = await run('channels', 'delete', 'chn_missing');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^qudao: QD_NOT_FOUND: no channel chn_missing$/);
    expect((await run('statements', 'generate', '--month', 'March')).code).toBe(2);
    expect((await run('tiers', 'create', 'X', '--requirements', 'not json')).code).toBe(2);
    expect((await run('agreements', 'create')).err).toContain('--partner is required');
  });
});
