import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bpsOf, proRate, roundHalfUp, tokensAt } from './rounding.js';

describe('the rounding rule: half-up, once per line', () => {
  it('rounds ties up and the rest to the nearest micro-unit', () => {
    expect(roundHalfUp(5n, 2n)).toBe(3); // 2.5 → 3
    expect(roundHalfUp(7n, 3n)).toBe(2); // 2.33 → 2
    expect(roundHalfUp(8n, 3n)).toBe(3); // 2.67 → 3
    expect(roundHalfUp(-5n, 2n)).toBe(-2); // −2.5 → −2 (half-up is towards +∞)
    expect(roundHalfUp(0n, 7n)).toBe(0);
    expect(tokensAt(1, 500_000)).toBe(1); // 0.5 micro → 1
    expect(tokensAt(3, 100_000)).toBe(0); // 0.3 micro → 0
    expect(bpsOf(1_000_005, 1_000)).toBe(100_001); // 100,000.5 → 100,001
    expect(proRate(30_000_000, 15 * 86_400, 30 * 86_400)).toBe(15_000_000);
  });

  it('agrees with the exact rational, to within half a micro-unit, on random inputs', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), (n, d) => {
        const r = BigInt(roundHalfUp(n, d));
        // r − ½ ≤ n/d < r + ½  ⇔  2rd − d ≤ 2n < 2rd + d
        expect(2n * r * d - d <= 2n * n).toBe(true);
        expect(2n * n < 2n * r * d + d).toBe(true);
      }),
      { seed: 16, numRuns: 2000 },
    );
  });
});
