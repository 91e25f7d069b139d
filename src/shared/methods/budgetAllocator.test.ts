import { describe, expect, it } from 'vitest';
import { allocateBudget, type ChannelBudgetInput } from './budgetAllocator.js';
import { expectedOutcome } from './responseCurves.js';
import { StrategyInputError } from './errors.js';

const M = 1_000_000;

function contribution(channels: readonly ChannelBudgetInput[], spends: readonly number[]): number {
  return channels.reduce((s, c, i) => s + c.marginPerOutcomeMicros * expectedOutcome(c.curve, spends[i]!) - spends[i]!, 0);
}

/**
 * Independent reference: exhaustive grid over splits of the whole budget (2 or 3 channels; the
 * third takes the rest). Used where the budget binds, so the optimum spends all of it.
 */
function gridBest(channels: readonly ChannelBudgetInput[], total: number, steps: number): number {
  let best = Number.NEGATIVE_INFINITY;
  const bound = (c: ChannelBudgetInput): [number, number] => [c.minSpendMicros ?? 0, Math.min(c.maxSpendMicros ?? total, total)];
  for (let i = 0; i <= steps; i++) {
    for (let j = 0; j <= (channels.length === 2 ? 0 : steps); j++) {
      const x1 = (total * i) / steps;
      const x2 = channels.length === 2 ? total - x1 : (total * j) / steps;
      const rest = total - x1 - x2;
      const spends = channels.length === 2 ? [x1, x2] : [x1, x2, rest];
      if (rest < -1e-9 || spends.some((x, k) => x < bound(channels[k]!)[0] - 1e-9 || x > bound(channels[k]!)[1] + 1e-9)) continue;
      best = Math.max(best, contribution(channels, spends));
    }
  }
  return best;
}

// Channels: outcome = paying customers; margin per customer = its LTV in micro-units.
const search: ChannelBudgetInput = {
  channelId: 'search-ads', marginPerOutcomeMicros: 400 * M,
  curve: { model: 'negativeExponential', params: { a: 300, b: 1 / (20_000 * M) } },
};
const social: ChannelBudgetInput = {
  channelId: 'social', marginPerOutcomeMicros: 250 * M,
  curve: { model: 'negativeExponential', params: { a: 500, b: 1 / (40_000 * M) } },
};
const partners: ChannelBudgetInput = {
  channelId: 'partner-co-marketing', marginPerOutcomeMicros: 600 * M,
  curve: { model: 'hill', params: { a: 150, k: 15_000 * M, s: 0.9 } },
};

describe('allocateBudget', () => {
  it('binding budget: beats or matches a brute-force grid and equalises marginal returns (KKT)', () => {
    const total = 30_000 * M;
    const channels = [search, social, partners];
    const result = allocateBudget(total, channels);
    expect(result.budgetBinding).toBe(true);
    expect(result.spentMicros).toBe(total);
    expect(result.shadowPrice).toBeGreaterThan(1);
    const achieved = contribution(channels, result.channels.map((c) => c.spendMicros));
    const grid = gridBest(channels, total, 300);
    expect(achieved).toBeGreaterThanOrEqual(grid - 1e-6 * Math.abs(grid));
    for (const c of result.channels.filter((ch) => ch.atBound === null)) {
      expect(c.marginalReturn).toBeCloseTo(result.shadowPrice, 4);
    }
    expect(result.channels.every((c) => Number.isSafeInteger(c.spendMicros))).toBe(true);
  });

  it('closed form for two negative-exponential channels: x = ln(M·a·b/μ)/b', () => {
    const total = 20_000 * M;
    const r = allocateBudget(total, [search, social]);
    const mu = r.shadowPrice;
    const x1 = Math.log((400 * M * 300 * (1 / (20_000 * M))) / mu) * 20_000 * M;
    const x2 = Math.log((250 * M * 500 * (1 / (40_000 * M))) / mu) * 40_000 * M;
    expect(x1 + x2).toBeCloseTo(total, -2);
    expect(r.channels[0]!.spendMicros).toBeCloseTo(x1, -3);
    expect(contribution([search, social], r.channels.map((c) => c.spendMicros))).toBeGreaterThanOrEqual(gridBest([search, social], total, 4000) - 1);
  });

  it('does not spend past the point where a unit returns less than a unit', () => {
    const r = allocateBudget(10_000_000 * M, [search, social]);
    expect(r.budgetBinding).toBe(false);
    expect(r.shadowPrice).toBe(1);
    expect(r.spentMicros).toBeLessThan(10_000_000 * M);
    r.channels.forEach((c) => expect(c.marginalReturn).toBeCloseTo(1, 4));
  });

  it('respects min and max bounds and reports them', () => {
    const total = 30_000 * M;
    const channels = [{ ...search, maxSpendMicros: 5_000 * M }, { ...social, minSpendMicros: 12_000 * M }, partners];
    const r = allocateBudget(total, channels);
    expect(r.channels[0]!.spendMicros).toBeLessThanOrEqual(5_000 * M);
    expect(r.channels[1]!.spendMicros).toBeGreaterThanOrEqual(12_000 * M);
    expect(r.channels[0]!.atBound).toBe('max');
    expect(r.channels[0]!.marginalReturn).toBeGreaterThanOrEqual(r.shadowPrice);
    const achieved = contribution(channels, r.channels.map((c) => c.spendMicros));
    expect(achieved).toBeGreaterThanOrEqual(gridBest(channels, total, 300) - 1e-6 * achieved);
  });

  it('spendAll fills the budget exactly even below break-even', () => {
    const total = 3_000_000 * M + 7;
    const r = allocateBudget(total, [search, social], { spendAll: true });
    expect(r.spentMicros).toBe(total);
    expect(r.shadowPrice).toBeLessThan(1);
    expect(r.channels[0]!.marginalReturn).toBeCloseTo(r.channels[1]!.marginalReturn!, 6);
  });

  it('S-shaped Hill channel: picks minimum or concave part, no worse than the grid', () => {
    const sCurve: ChannelBudgetInput = { channelId: 'events', marginPerOutcomeMicros: 2_000 * M, curve: { model: 'hill', params: { a: 100, k: 10_000 * M, s: 3 } } };
    const total = 25_000 * M;
    const r = allocateBudget(total, [search, sCurve], { spendAll: true });
    const achieved = contribution([search, sCurve], r.channels.map((c) => c.spendMicros));
    expect(r.channels[1]!.spendMicros).toBeGreaterThan(10_000 * M); // past the inflection, not starved
    expect(achieved).toBeGreaterThanOrEqual(gridBest([search, sCurve], total, 5000) - 1e-6 * Math.abs(achieved));
  });

  it('rejects infeasible and bad inputs', () => {
    expect(() => allocateBudget(100, [{ ...search, minSpendMicros: 200 }])).toThrowError(/exceed/);
    expect(() => allocateBudget(100, [{ ...search, maxSpendMicros: 50 }], { spendAll: true })).toThrowError(StrategyInputError);
    expect(() => allocateBudget(-1, [search])).toThrowError(StrategyInputError);
    expect(() => allocateBudget(100, [])).toThrowError(StrategyInputError);
    expect(() => allocateBudget(100, [{ ...search, curve: { model: 'hill', params: { a: 1, k: Number.NaN, s: 1 } } }])).toThrowError(/parameter k/);
    try { allocateBudget(100, [{ ...search, minSpendMicros: 200 }]); } catch (e) { expect((e as StrategyInputError).code).toBe('QD_BUDGET_INFEASIBLE'); }
  });
});
