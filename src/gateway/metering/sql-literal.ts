/**
 * SQL literals for the ledger's group-commit INSERT. The batch is sent as one simple-protocol statement
 * because on PGlite that is ~4x faster than binding 20 parameters per row (measured: 64 rows in 3.8 ms
 * against 12.7 ms with parameters and 45 ms through the query builder). Only values of these four kinds
 * are ever written, and each is rendered so that it cannot end the literal.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return `'${value.toISOString()}'::timestamptz`;
  if (typeof value === 'string') {
    // standard_conforming_strings is on (the default since PostgreSQL 9.1): only the quote needs doubling.
    // NUL cannot be stored in a text value at all, so it is dropped.
    return `'${value.replace(/\0/g, '').replace(/'/g, "''")}'`;
  }
  throw new TypeError(`cannot write a ${typeof value} as a SQL literal`);
}
