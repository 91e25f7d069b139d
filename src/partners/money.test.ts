import { describe, expect, it } from 'vitest';
import { formatMicros } from './money.js';

describe('formatMicros', () => {
  it('writes exact decimals of integer micro-units, never through a float', () => {
    expect(formatMicros(477)).toBe('0.000477');
    expect(formatMicros(10_000_000_000)).toBe('10000.00');
    expect(formatMicros(1_500_000)).toBe('1.50');
    expect(formatMicros(-477)).toBe('-0.000477');
    expect(formatMicros(0)).toBe('0.00');
    // 2^53 − 1 micro-units: a float division would end in …740992 / 1e6 and lose the last digit.
    expect(formatMicros(Number.MAX_SAFE_INTEGER)).toBe('9007199254.740991');
  });

  it('rounds half away from zero to cents and groups thousands for people', () => {
    const cents = { grouping: true, precision: 'cents' } as const;
    expect(formatMicros(10_000_000_000, cents)).toBe('10,000.00');
    expect(formatMicros(12_345_005_000, cents)).toBe('12,345.01');
    expect(formatMicros(12_345_004_999, cents)).toBe('12,345.00');
    expect(formatMicros(-5_000, cents)).toBe('-0.01');
    expect(formatMicros(-4_999, cents)).toBe('0.00');
  });

  it('refuses a value that is not a safe integer', () => {
    expect(() => formatMicros(0.5)).toThrow(RangeError);
  });
});
