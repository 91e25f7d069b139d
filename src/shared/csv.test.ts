import { describe, expect, it } from 'vitest';
import { csvField, csvText } from './csv.js';

describe('csvField', () => {
  it('quotes commas, quotes and line breaks, doubling quotes (RFC 4180)', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('plain')).toBe('plain');
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
  });

  it('neutralises formula starts in text, but leaves a negative decimal a number', () => {
    expect(csvField('=cmd')).toBe(`'=cmd`);
    expect(csvField('+1+1')).toBe(`'+1+1`);
    expect(csvField('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(csvField('-x')).toBe(`'-x`);
    expect(csvField('-0.000001')).toBe('-0.000001');
    expect(csvField('-10000.00')).toBe('-10000.00');
    expect(csvField('-1e5')).toBe(`'-1e5`);
  });
});

describe('csvText', () => {
  it('ends every record with CRLF, header first', () => {
    expect(csvText(['a', 'b'], [['x', 1], [null, 'y,z']])).toBe('a,b\r\nx,1\r\n,"y,z"\r\n');
  });
});
