import { describe, expect, it } from 'vitest';
import { formatCell } from './cells.js';

describe('formatCell: one table cell of an /api value', () => {
  it('reads nested objects as key=value, never [object Object]', () => {
    expect(formatCell({ minMonthlyRevenueMicros: 10_000_000_000, minCertifiedStaff: 2 })).toBe('minMonthlyRevenueMicros=10000000000, minCertifiedStaff=2');
    expect(formatCell({ maxErrorRateBps: 100, window: { days: 30 } })).toBe('maxErrorRateBps=100, window={days=30}');
    expect(formatCell({ deep: { a: { b: 1 } } })).toBe('deep={"a":{"b":1}}');
    expect(formatCell([{ id: 'a', n: 1 }, { id: 'b', n: 2 }])).toBe('{id=a, n=1}; {id=b, n=2}');
  });

  it('keeps primitives, lists, empty and missing values readable', () => {
    expect(formatCell('Gold')).toBe('Gold');
    expect(formatCell(2)).toBe('2');
    expect(formatCell(false)).toBe('false');
    expect(formatCell(['fintech', 'retail'])).toBe('fintech,retail');
    expect(formatCell([])).toBe('*');
    expect(formatCell({})).toBe('none');
    expect(formatCell(null)).toBe('-');
    expect(formatCell(undefined)).toBe('-');
  });

  it('never prints [object Object] for any shape of nesting', () => {
    const shapes: unknown[] = [{ a: {} }, [{}], [[1, 2]], { a: [{ b: 1 }] }, [{ a: { b: { c: 1 } } }], { a: null }];
    for (const s of shapes) expect(formatCell(s)).not.toContain('[object Object]');
  });
});
