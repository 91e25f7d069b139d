import { describe, expect, it } from 'vitest';
import { allocateBudget, expectedOutcome } from '../strategy.js';
import { budgetInputOf, curveOf, exampleChannels, type ChannelRow } from './budgetInputs.js';

const row: ChannelRow = { channelId: 'search', model: 'negativeExponential', saturation: 400, halfSaturationSpend: 20_000, shape: 1, marginPerOutcome: 600, minSpend: 0, maxSpend: null };

describe('budget allocator inputs', () => {
  it('puts half the saturation at the half-saturation spend for both curve families', () => {
    for (const model of ['negativeExponential', 'hill'] as const) {
      const curve = curveOf({ ...row, model, shape: 2 });
      expect(expectedOutcome(curve, 20_000_000_000)).toBeCloseTo(200, 9);
      expect(expectedOutcome(curve, 200_000_000_000)).toBeLessThan(400);
    }
  });

  it('converts currency units to micro-units and leaves an empty maximum out', () => {
    expect(budgetInputOf({ ...row, minSpend: 5, maxSpend: null })).toMatchObject({ marginPerOutcomeMicros: 600_000_000, minSpendMicros: 5_000_000 });
    expect(budgetInputOf(row)).not.toHaveProperty('maxSpendMicros');
    expect(budgetInputOf({ ...row, maxSpend: 7 }).maxSpendMicros).toBe(7_000_000);
  });

  it('gives the allocator a feasible problem with the example channels, spending within the bounds', () => {
    const result = allocateBudget(100_000_000_000, exampleChannels.map(budgetInputOf));
    expect(result.spentMicros).toBeLessThanOrEqual(100_000_000_000);
    const events = result.channels.find((c) => c.channelId === 'events')!;
    expect(events.spendMicros).toBeGreaterThanOrEqual(5_000_000_000);
    expect(events.spendMicros).toBeLessThanOrEqual(60_000_000_000);
  });
});
