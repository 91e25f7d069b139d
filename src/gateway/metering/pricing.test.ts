import { describe, expect, it } from 'vitest';
import { priceOfTokens } from './pricing.js';

describe('priceOfTokens', () => {
  it('prices per 1M tokens in integer micro-units, rounding up', () => {
    // 1,000 prompt tokens at 0.50/1M and 2,000 completion tokens at 1.50/1M = 0.0005 + 0.003 = 3,500 micros
    expect(priceOfTokens(1_000, 2_000, 500_000, 1_500_000)).toBe(3_500);
    expect(priceOfTokens(1, 0, 1, 0)).toBe(1);
    expect(priceOfTokens(0, 0, 9, 9)).toBe(0);
    expect(Number.isInteger(priceOfTokens(7, 13, 333_333, 777_777))).toBe(true);
  });
});
