import { describe, expect, it } from 'vitest';
import { decimalToMicros, formatMoney, microsToDecimal } from './money.js';

describe('formatMoney', () => {
  it('writes currency units with two decimals in the locale, exactly', () => {
    expect(formatMoney(10_000_000_000, { locale: 'en-US' })).toBe('10,000.00');
    expect(formatMoney(10_000_000_000, { locale: 'zh-CN' })).toBe('10,000.00');
    expect(formatMoney(12_345_005_000, { locale: 'en-US' })).toBe('12,345.01'); // half away from zero on the exact decimal
    expect(formatMoney(1_005_000, { locale: 'en-US' })).toBe('1.01'); // 1.005 as a float is 1.00499…
    expect(formatMoney(-2_500_000, { locale: 'en-US' })).toBe('-2.50');
    expect(formatMoney(0, { locale: 'zh-CN' })).toBe('0.00');
  });

  it('shows a sub-cent amount as "< 0.01", never a second six-decimal form', () => {
    expect(formatMoney(477, { locale: 'en-US' })).toBe('< 0.01');
    expect(formatMoney(477, { locale: 'zh-CN' })).toBe('< 0.01');
    expect(formatMoney(-477, { locale: 'en-US' })).toBe('> -0.01');
    expect(formatMoney(5_000, { locale: 'en-US' })).toBe('0.01');
  });

  it('adds the currency when the workspace names one', () => {
    expect(formatMoney(10_000_000_000, { locale: 'en-US', currency: 'USD' })).toBe('$10,000.00');
    expect(formatMoney(10_000_000_000, { locale: 'zh-CN', currency: 'CNY' })).toBe('¥10,000.00');
  });
});

describe('microsToDecimal', () => {
  it('is the exact decimal of the micro-units', () => {
    expect(microsToDecimal(477)).toBe('0.000477');
    expect(microsToDecimal(10_000_000_000)).toBe('10000.00');
    expect(microsToDecimal(-1_500_000)).toBe('-1.50');
    expect(microsToDecimal(Number.MAX_SAFE_INTEGER)).toBe('9007199254.740991');
  });
});

describe('decimalToMicros', () => {
  it('reads what a person types exactly, from the digits', () => {
    expect(decimalToMicros('25.5')).toBe(25_500_000);
    expect(decimalToMicros(' 0.000477 ')).toBe(477);
    expect(decimalToMicros('1.005')).toBe(1_005_000); // a float would read 1.00499…
    expect(decimalToMicros('-3')).toBe(-3_000_000);
    expect(decimalToMicros('.5')).toBe(500_000);
    expect(decimalToMicros('10.')).toBe(10_000_000);
    expect(decimalToMicros('-0')).toBe(0);
    expect(Object.is(decimalToMicros('-0'), 0)).toBe(true);
  });

  it('refuses what is not an amount with at most six decimals', () => {
    for (const bad of ['', 'abc', '1.0000001', '1,5', '1e3', '--1', '9007199254.740992']) expect(decimalToMicros(bad), bad).toBeNull();
  });
});
