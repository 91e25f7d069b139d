import { describe, expect, it } from 'vitest';
import { averageDailyActive, lastCompleteMonth, monthPeriod } from './period.js';

describe('monthPeriod', () => {
  it('on 2 December at noon, December has 2 elapsed days and is not complete; November is', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    expect(monthPeriod('2026-12', now)).toEqual({ month: '2026-12', complete: false, elapsedDays: 2, daysInMonth: 31 });
    expect(monthPeriod('2026-11', now)).toEqual({ month: '2026-11', complete: true, elapsedDays: 30, daysInMonth: 30 });
    expect(monthPeriod('2027-01', now)).toEqual({ month: '2027-01', complete: false, elapsedDays: 0, daysInMonth: 31 });
  });
  it('a month is complete from the first instant of the next one', () => {
    expect(monthPeriod('2026-02', new Date('2026-02-28T23:59:59.999Z'))).toMatchObject({ complete: false, elapsedDays: 28 });
    expect(monthPeriod('2026-02', new Date('2026-03-01T00:00:00Z'))).toMatchObject({ complete: true, elapsedDays: 28 });
    expect(lastCompleteMonth(new Date('2027-01-01T00:00:00Z'))).toBe('2026-12');
    expect(lastCompleteMonth(new Date('2026-12-02T08:00:00Z'))).toBe('2026-11');
  });
  it('refuses a malformed month', () => {
    expect(() => monthPeriod('2026-13', new Date())).toThrow(/YYYY-MM/);
  });
});

describe('averageDailyActive', () => {
  it('divides customer-days by elapsed days, not calendar days', () => {
    // 661 customers active on the 1st or 2nd, 1,300 customer-days: 650 a day, where ÷ 31 would say 41.9.
    const now = new Date('2026-12-02T09:00:00Z');
    expect(averageDailyActive(1_300, monthPeriod('2026-12', now))).toBe(650);
    expect(averageDailyActive(3_100, monthPeriod('2026-10', now))).toBe(100);
    expect(averageDailyActive(0, monthPeriod('2027-01', now))).toBeNull();
  });
});
