import { describe, expect, it } from 'vitest';
import type { Caller } from '../types.js';
import { actualAmounts, chargesFor, monthOf, msToMonthEnd } from './meters.js';

const caller = (plan: Partial<Caller['plan']>, customer: Partial<Caller['customer']> = {}): Caller => ({
  key: { id: 'key_1', prefix: 'p', keyHash: 'h', customerId: 'cus_1', channelId: 'chn_1', partnerId: null, planId: 'plan_1', models: [], status: 'active', expiresAtMs: null, timeoutMs: null },
  plan: { id: 'plan_1', name: 'p', inputPer1mMicros: 0, outputPer1mMicros: 0, trainingPer1mMicros: 0, rpmLimit: null, tpmLimit: null, monthlyTokenQuota: null, ...plan },
  customer: { id: 'cus_1', acquiredPartnerId: null, acquiredCampaignId: null, spendBudgetMicros: null, monthlyTokenQuota: null, status: 'active', billingMode: 'postpaid', prepaidSinceMs: null, creditedMicros: 0, lowBalanceMicros: null, ...customer },
});

describe('meters', () => {
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);

  it('charges only the limits a plan and customer set, the customer quota overriding the plan', () => {
    expect(chargesFor(caller({}), { tokens: 10, priceMicros: 5 }, now)).toEqual([]);
    const charges = chargesFor(caller({ rpmLimit: 60, tpmLimit: 1000, monthlyTokenQuota: 5000 }, { monthlyTokenQuota: 7000, spendBudgetMicros: 99 }), { tokens: 10, priceMicros: 5 }, now);
    expect(charges.map((c) => [c.name, c.limit, c.amount])).toEqual([
      ['requests_per_minute', 60, 1],
      ['tokens_per_minute', 1000, 10],
      ['monthly_tokens', 7000, 10],
      ['monthly_spend', 99, 5],
    ]);
    expect(charges[2]!.key).toBe('qd:{cus_1}:mtok:2026-11');
    expect(actualAmounts(charges, 7, 3)).toEqual([1, 7, 7, 3]);
  });

  it('moves to the next month\'s counters at the month\'s end, and back for an instant of the earlier month (the month memo)', () => {
    const c = caller({ monthlyTokenQuota: 5000 }, { spendBudgetMicros: 99 });
    const endOfNovember = Date.UTC(2026, 11, 1) - 1;
    const december = Date.UTC(2026, 11, 1);
    const at = (t: number) => chargesFor(c, { tokens: 10, priceMicros: 5 }, t).map((m) => [m.key, m.retryHintMs, m.owner]);
    const november = { customerId: 'cus_1', fromMs: Date.UTC(2026, 10, 1), untilMs: december };
    expect(at(endOfNovember)).toEqual([
      ['qd:{cus_1}:mtok:2026-11', 1, november],
      ['qd:{cus_1}:mspend:2026-11', 1, november],
    ]);
    const decemberOwner = { customerId: 'cus_1', fromMs: december, untilMs: Date.UTC(2027, 0, 1) };
    expect(at(december)).toEqual([
      ['qd:{cus_1}:mtok:2026-12', Date.UTC(2027, 0, 1) - december, decemberOwner],
      ['qd:{cus_1}:mspend:2026-12', Date.UTC(2027, 0, 1) - december, decemberOwner],
    ]);
    expect(at(now)[0]![0]).toBe('qd:{cus_1}:mtok:2026-11');
    expect(msToMonthEnd(endOfNovember)).toBe(1);
  });

  it('charges a prepaid customer\'s maximum price against its credited total, and settles it to the price', () => {
    const since = Date.UTC(2026, 9, 3);
    const charges = chargesFor(caller({}, { billingMode: 'prepaid', prepaidSinceMs: since, creditedMicros: 1_000 }), { tokens: 10, priceMicros: 5 }, now);
    expect(charges).toEqual([
      { name: 'prepaid_balance', key: `qd:{cus_1}:prepaid:${since}`, kind: 'month', limit: 1_000, amount: 5, periodMs: 15 * 60_000, retryHintMs: 0, owner: { customerId: 'cus_1', fromMs: since, untilMs: null } },
    ]);
    expect(actualAmounts(charges, 7, 3)).toEqual([3]);
  });

  it('keeps counting a prepaid period while the customer is back on postpaid, without refusing anything', () => {
    const charges = chargesFor(caller({}, { billingMode: 'postpaid', prepaidSinceMs: 1, creditedMicros: 0 }), { tokens: 10, priceMicros: 5 }, now);
    expect(charges.map((c) => [c.name, c.limit])).toEqual([['prepaid_balance', Number.MAX_SAFE_INTEGER]]);
  });

  it('sums a month meter over its calendar month', () => {
    const [charge] = chargesFor(caller({ monthlyTokenQuota: 10 }), { tokens: 1, priceMicros: 1 }, now);
    expect(charge!.owner).toEqual({ customerId: 'cus_1', fromMs: Date.UTC(2026, 10, 1), untilMs: Date.UTC(2026, 11, 1) });
  });

  it('knows the month and the time to its end in UTC', () => {
    expect(monthOf(now)).toBe('2026-11');
    expect(msToMonthEnd(now)).toBe(Date.UTC(2026, 11, 1) - now);
    expect(monthOf(Date.UTC(2026, 11, 31, 23, 59, 59))).toBe('2026-12');
  });
});
