import { describe, expect, it } from 'vitest';
import { apportionLargestRemainder } from './apportion.js';

// Hand computation of Hamilton's largest-remainder method: 10 over shares 1:1:1 gives quotas
// 3.33 each, floors 3,3,3, the one unit left goes to the first (ties by lower index).
describe('apportionLargestRemainder', () => {
  it('splits exactly with ties to the lower index', () => {
    expect(apportionLargestRemainder(10, [1, 1, 1])).toEqual([4, 3, 3]);
  });
  it('gives leftovers to the largest remainders', () => {
    // quotas 100·(0.155, 0.345, 0.5) = 15.5, 34.5, 50 → floors 15, 34, 50, 1 left → tie → index 0
    expect(apportionLargestRemainder(100, [0.155, 0.345, 0.5])).toEqual([16, 34, 50]);
    expect(apportionLargestRemainder(7, [0.1, 0.6, 0.3])).toEqual([1, 4, 2]);
  });
  it('sums exactly for large micro-unit totals', () => {
    const shares = [1 / 3, 1 / 7, 1 / 11, 0.4, 0];
    const total = 9_007_199_254_740;
    const parts = apportionLargestRemainder(total, shares);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
    expect(parts[4]).toBe(0);
  });
  it('refuses to split a positive total over zero shares', () => {
    expect(() => apportionLargestRemainder(5, [0, 0])).toThrow(/all 0/);
    expect(apportionLargestRemainder(0, [0, 0])).toEqual([0, 0]);
    expect(() => apportionLargestRemainder(1.5, [1])).toThrow();
  });
});
