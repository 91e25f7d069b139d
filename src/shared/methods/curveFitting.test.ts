import { describe, expect, it } from 'vitest';
import { fitResponseCurve, type SpendObservation } from './curveFitting.js';
import { expectedOutcome, marginalOutcome } from './responseCurves.js';
import { StrategyInputError } from './errors.js';

const M = 1_000_000;
const spends = [0, 1_000, 2_000, 5_000, 10_000, 20_000, 40_000].map((x) => x * M);
const noise = [3, -5, 8, -2, 6, -7, 4];

/**
 * Independent reference for y = a(1 − e^{−bx}): for fixed b the least-squares a is closed form,
 * a = Σ y g / Σ g² with g = 1 − e^{−bx} (variable projection, Golub & Pereyra 1973), so a fine
 * scan over b gives the global least-squares fit without any iterative solver.
 */
function profileFitNegExp(obs: readonly SpendObservation[]): { a: number; b: number; sse: number } {
  let best = { a: 0, b: 0, sse: Number.POSITIVE_INFINITY };
  for (let i = 0; i <= 20_000; i++) {
    const b = 10 ** (-12 + (3 * i) / 20_000); // 1e-12 .. 1e-9 per micro-unit
    const g = obs.map((o) => 1 - Math.exp(-b * o.spendMicros));
    const a = obs.reduce((s, o, k) => s + o.outcome * g[k]!, 0) / g.reduce((s, x) => s + x * x, 0);
    const sse = obs.reduce((s, o, k) => s + (o.outcome - a * g[k]!) ** 2, 0);
    if (sse < best.sse) best = { a, b, sse };
  }
  return best;
}

describe('fitResponseCurve', () => {
  it('recovers exact negative-exponential parameters from noiseless data', () => {
    const obs = spends.map((x) => ({ spendMicros: x, outcome: 500 * (1 - Math.exp(-x / (8_000 * M))) }));
    const fit = fitResponseCurve(obs, 'negativeExponential');
    expect(fit.params['a']).toBeCloseTo(500, 6);
    expect(fit.params['b']! * 8_000 * M).toBeCloseTo(1, 8);
    expect(fit.rSquared).toBeCloseTo(1, 10);
    expect(fit.converged).toBe(true);
  });

  it('recovers exact Hill parameters, including an S-shaped one', () => {
    const obs = spends.map((x) => ({ spendMicros: x, outcome: (300 * x ** 2.2) / ((6_000 * M) ** 2.2 + x ** 2.2) }));
    const fit = fitResponseCurve(obs, 'hill');
    expect(fit.params['a']).toBeCloseTo(300, 5);
    expect(fit.params['k']! / (6_000 * M)).toBeCloseTo(1, 6);
    expect(fit.params['s']).toBeCloseTo(2.2, 6);
  });

  it('matches the profile least-squares reference on noisy data', () => {
    const obs = spends.map((x, i) => ({ spendMicros: x, outcome: 500 * (1 - Math.exp(-x / (8_000 * M))) + noise[i]! }));
    const fit = fitResponseCurve(obs, 'negativeExponential');
    const ref = profileFitNegExp(obs);
    expect(fit.sse).toBeLessThanOrEqual(ref.sse + 1e-9);
    expect(fit.sse).toBeCloseTo(ref.sse, 2);
    expect(fit.params['a']! / ref.a).toBeCloseTo(1, 3);
    const mean = obs.reduce((s, o) => s + o.outcome, 0) / obs.length;
    const sst = obs.reduce((s, o) => s + (o.outcome - mean) ** 2, 0);
    expect(fit.rSquared).toBeCloseTo(1 - fit.sse / sst, 12);
    expect(fit.rmse).toBeCloseTo(Math.sqrt(fit.sse / 7), 12);
  });

  it('evaluates curves and their marginal outcome (checked by finite differences)', () => {
    const curve = { model: 'hill' as const, params: { a: 120, k: 3_000 * M, s: 1.7 } };
    const x = 4_000 * M;
    const h = 1_000;
    const fd = (expectedOutcome(curve, x + h) - expectedOutcome(curve, x - h)) / (2 * h);
    expect(marginalOutcome(curve, x) / fd).toBeCloseTo(1, 6);
    expect(expectedOutcome(curve, 3_000 * M)).toBeCloseTo(60, 10);
  });

  it('guards degenerate and bad data', () => {
    const cases: [SpendObservation[], string][] = [
      [[], 'QD_FIT_DEGENERATE'],
      [[{ spendMicros: 5, outcome: 1 }, { spendMicros: 5, outcome: 2 }], 'QD_FIT_DEGENERATE'],
      [spends.map((x) => ({ spendMicros: x, outcome: 0 })), 'QD_FIT_DEGENERATE'],
      [spends.map((x) => ({ spendMicros: x, outcome: 7 })), 'QD_FIT_DEGENERATE'],
      [[{ spendMicros: -1, outcome: 1 }, { spendMicros: 2, outcome: 2 }, { spendMicros: 3, outcome: 3 }], 'QD_INVALID_INPUT'],
      [[{ spendMicros: 1, outcome: Number.NaN }, { spendMicros: 2, outcome: 2 }], 'QD_INVALID_INPUT'],
    ];
    for (const [obs, code] of cases) {
      try {
        fitResponseCurve(obs, 'negativeExponential');
        expect.unreachable(JSON.stringify(obs));
      } catch (e) {
        expect(e).toBeInstanceOf(StrategyInputError);
        expect((e as StrategyInputError).code).toBe(code);
      }
    }
    expect(() => fitResponseCurve([{ spendMicros: 1, outcome: 1 }, { spendMicros: 2, outcome: 2 }], 'hill')).toThrow(/3 distinct/);
  });
});
