import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Database } from '../../store/index.js';

export { num, idOrNull } from '../../store/index.js';

/** Rows of a raw query on either driver (PGlite and node-postgres both answer `{ rows }`). */
export async function selectRows<T>(db: Database, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}


/** SQL for the UTC month 'YYYY-MM' of a timestamptz column. */
export const monthOfTs = (column: SQL): SQL => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM')`;
