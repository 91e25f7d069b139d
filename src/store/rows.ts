/**
 * The rows of a raw `db.execute()` result. Both drivers answer `{ rows }` (node-postgres' QueryResult,
 * PGlite's Results), but `Database` is typed over either, so drizzle types the result loosely; this checks
 * the shape at run time. The row type is the caller's word for what its SELECT returns.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (typeof result === 'object' && result !== null && 'rows' in result && Array.isArray(result.rows)) {
    return result.rows as T[];
  }
  throw new TypeError('the database driver answered a query without a rows array');
}

/** A bigint/numeric column of a raw row as a JS number (drivers return them as strings); null is 0. */
export const num = (value: unknown): number => (value == null ? 0 : Number(value));

/** A nullable text id of a raw row, '' and null becoming null. */
export const idOrNull = (value: unknown): string | null => (value == null || value === '' ? null : String(value));

/** A jsonb column of a raw row: node-postgres parses it, PGlite may answer the text. */
export const jsonOf = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;
