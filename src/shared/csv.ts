/**
 * Writing CSV (RFC 4180): fields separated by commas, records by CRLF, a field quoted when it holds a comma,
 * a quote or a line break. Every CSV Qudao serves (statements, invoices, the accounting export) is written
 * here, so quoting and formula neutralising are one rule. (Reading CSV is src/pipeline/data/csv.ts.)
 */

/** A cell: text, a number, or null for an empty cell. */
export type CsvCell = string | number | null;

/** A plain decimal number as text (`-0.000001`, `10000.00`): a spreadsheet reads it as a number, never as a formula. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * One field: quoted when it holds a comma, quote or line break (quotes doubled). Text starting with
 * `= + - @` makes spreadsheets evaluate the cell, so it gets a leading `'` (OWASP CSV injection advice),
 * except a plain decimal such as a negative amount, which must stay a number.
 */
export function csvField(v: CsvCell): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@]/.test(s) && !DECIMAL.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A whole CSV text: a header record, then the rows, each record ended by CRLF. */
export function csvText(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}
