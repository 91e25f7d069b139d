import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { QudaoError } from '../errors/index.js';
import * as schema from './schema/index.js';
import type { Database, Store } from './database.js';

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
  const db = drizzle({ client: pool, schema }) as unknown as Database;
  let listener: pg.PoolClient | undefined;
  const handlers = new Map<string, Set<(payload: string) => void>>();
  return {
    kind: 'postgres',
    db,
    async execRaw(sql) {
      await pool.query(sql);
    },
    async query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
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
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      listener?.release();
      await pool.end();
    },
  };
}
