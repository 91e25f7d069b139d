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
