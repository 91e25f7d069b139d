import { describe, expect, it } from 'vitest';
import { sqlLiteral } from './sql-literal.js';

describe('sqlLiteral', () => {
  it('renders values so that they cannot break out of the literal', () => {
    expect(sqlLiteral("O'Brien'); DROP TABLE x; --")).toBe("'O''Brien''); DROP TABLE x; --'");
    expect(sqlLiteral('a\0b')).toBe("'ab'");
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(42)).toBe('42');
    expect(sqlLiteral(true)).toBe('TRUE');
    expect(sqlLiteral(new Date(0))).toBe("'1970-01-01T00:00:00.000Z'::timestamptz");
    expect(() => sqlLiteral(Number.NaN)).toThrow();
    expect(() => sqlLiteral({})).toThrow();
  });
});
