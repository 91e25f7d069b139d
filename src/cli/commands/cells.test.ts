import { describe, expect, it } from 'vitest';
import { columnHeader, formatCell, formatColumnCell } from './cells.js';

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

describe('money columns of CLI tables', () => {
  it('print currency units exactly, under a header without the unit suffix', () => {
    expect(columnHeader('revenueMicros')).toBe('revenue');
    expect(columnHeader('inputPer1mMicros')).toBe('inputPer1m');
    expect(columnHeader('tokens')).toBe('tokens');
    expect(formatColumnCell('revenueMicros', 10_000_000_000)).toBe('10,000.00');
    expect(formatColumnCell('cacMicros', 477)).toBe('0.000477');
    expect(formatColumnCell('inputPer1mMicros', -1_500_000)).toBe('-1.50');
    expect(formatColumnCell('revenueMicros', null)).toBe('-');
    expect(formatColumnCell('tokens', 10_000_000_000)).toBe('10000000000');
  });
});
