import { describe, expect, it } from 'vitest';
import { microsOfUnits } from './credits.js';

describe('credit amounts on the command line', () => {
  it('are converted to micro-units exactly, from the digits', () => {
    expect(microsOfUnits('25')).toBe(25_000_000);
    expect(microsOfUnits('12.5')).toBe(12_500_000);
    expect(microsOfUnits('0.000001')).toBe(1);
    expect(microsOfUnits('0.1')).toBe(100_000); // 0.1 is not exact in binary; the digits are
    expect(microsOfUnits('-0.00022')).toBe(-220);
    expect(microsOfUnits('9007199254.740991')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuse what is not a plain amount with at most six decimals', () => {
    for (const bad of ['', '1e3', '1.0000001', '12,50', '+3', '.5', 'ten', '9007199254.740992']) expect(() => microsOfUnits(bad), bad).toThrow();
  });
});
