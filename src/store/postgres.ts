import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { QudaoError } from '../errors/index.js';
import * as schema from './schema/index.js';
import type { Database, Store } from './database.js';
import { AmbientTransactions, type BeginTransaction } from './ambient.js';

/** Opens a pool on a real PostgreSQL server (`DATABASE_URL`). Fails fast with QD_STORE_UNAVAILABLE. */
export async function openPostgres(url: string, poolSize = 10): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => {
    /* an idle client lost its connection; the pool replaces it */
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw new QudaoError('QD_STORE_UNAVAILABLE', `DATABASE_URL: cannot connect (${(err as Error).message})`, { cause: err });
  }
  const root: Database = drizzle({ client: pool, schema });
  const ambient = new AmbientTransactions(beginOn(pool));
  let listener: pg.PoolClient | undefined;
  const handlers = new Map<string, Set<(payload: string) => void>>();
  return {
    kind: 'postgres',
    db: ambient.database(root),
    async execRaw(sql) {
      const tx = ambient.current();
      if (tx) await tx.exec(sql);
      else await pool.query(sql);
    },
    async query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      const tx = ambient.current();
      if (tx) return tx.query<T>(sql, params);
      const result = await pool.query(sql, params);
      return result.rows as T[];
    },
    async listen(channel, onPayload) {
      if (!listener) {
        listener = await pool.connect();
        listener.on('notification', (msg) => {
          for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
        });
      }
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await listener.query(`LISTEN "${channel.replace(/"/g, '')}"`);
      }
      set.add(onPayload);
      return async () => {
        set.delete(onPayload);
      };
    },
    async notify(channel, payload) {
      const tx = ambient.current();
      if (tx) await tx.query('SELECT pg_notify($1, $2)', [channel, payload]);
      else await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    withTransaction: (fn) => ambient.run(fn),
    afterCommit: (callback) => ambient.afterCommit(callback),
    outsideTransaction: (fn) => ambient.outside(fn),
    async close() {
      listener?.release();
      await pool.end();
    },
  };
}

/**
 * Transactions of the ambient kind on the pool: one pooled connection for the whole transaction, with
 * drizzle's own transaction on it (a service's nested `db.transaction()` becomes a savepoint).
 */
function beginOn(pool: pg.Pool): BeginTransaction {
  return async (work) => {
    const connection = await pool.connect();
    try {
      const db: Database = drizzle({ client: connection, schema });
      return await db.transaction((tx) =>
        work({
          db: tx,
          query: async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => (await connection.query(sql, params)).rows as T[],
          exec: async (sql) => void (await connection.query(sql)),
        }),
      );
    } finally {
      connection.release();
    }
  };
}
