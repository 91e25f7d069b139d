import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Database } from '../../store/index.js';

/** Rows of a raw query on either driver (PGlite and node-postgres both answer `{ rows }`). */
export async function selectRows<T>(db: Database, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}

/** A bigint/numeric column as a JS number (drivers return them as strings); null stays 0. */
export const num = (value: unknown): number => (value == null ? 0 : Number(value));

/** A nullable text id as the KPI formulas' key, '' and null becoming null. */
export const idOrNull = (value: unknown): string | null => (value == null || value === '' ? null : String(value));

/** SQL for the UTC month 'YYYY-MM' of a timestamptz column. */
export const monthOfTs = (column: SQL): SQL => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM')`;
