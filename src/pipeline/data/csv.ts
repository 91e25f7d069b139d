import { PipelineError } from './errors.js';

/**
 * Parses CSV per RFC 4180: fields separated by commas, records by CRLF or LF; a field in double quotes may hold
 * commas, line breaks and doubled quotes (`""`). A quote inside an unquoted field is kept as is (lenient, as
 * spreadsheets write it); an unterminated quoted field is an error naming the file and the record's line.
 */
export function parseCsv(text: string, file: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let line = 1;
  const n = text.length;
  // Skip a UTF-8 byte-order mark: Excel writes one and it would otherwise end up in the first header name.
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const c = text[i]!;
    if (c === '"' && field === '') {
      const startLine = line;
      i++;
      for (;;) {
        if (i >= n) throw new PipelineError('QD_DATA_PARSE', `${file}: line ${startLine}: quoted CSV field never closes; check for a stray double quote`);
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      // Text between the closing quote and the next separator is kept, as most readers do.
      while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      continue;
    }
    if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  // Blank lines carry no record; dropping them keeps trailing newlines harmless.
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}
