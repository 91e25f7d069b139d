import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';

describe('parseCsv (RFC 4180)', () => {
  it('splits plain records on LF and CRLF and drops blank lines', () => {
    expect(parseCsv('a,b\r\n1,2\n\n3,4\n', 'f.csv')).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
  });
  it('reads quoted fields with commas, line breaks and doubled quotes', () => {
    const csv = 'text,label\n"Hello, world",pos\n"two\r\nlines",neg\n"she said ""hi""",pos\n"",neg';
    expect(parseCsv(csv, 'f.csv')).toEqual([
      ['text', 'label'],
      ['Hello, world', 'pos'],
      ['two\r\nlines', 'neg'],
      ['she said "hi"', 'pos'],
      ['', 'neg'],
    ]);
  });
  it('keeps empty fields and a last record without newline', () => {
    expect(parseCsv('a,,c\n,,', 'f.csv')).toEqual([['a', '', 'c'], ['', '', '']]);
  });
  it('skips a UTF-8 byte-order mark before the header', () => {
    expect(parseCsv('\uFEFFtext\nx', 'f.csv')[0]).toEqual(['text']);
  });
  it('keeps a quote inside an unquoted field, as spreadsheets write it', () => {
    expect(parseCsv('5" pipe,x', 'f.csv')).toEqual([['5" pipe', 'x']]);
  });
  it('names the file and line of an unterminated quoted field', () => {
    expect(() => parseCsv('text\nok\n"never closed\nmore', 'bad.csv')).toThrow(/bad\.csv: line 3: quoted CSV field never closes/);
  });
});
