import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import * as schema from './schema/index.js';
import type { Database, Store } from './database.js';
import { acquireDataDirLock } from './data-dir-lock.js';

/**
 * Opens the embedded PostgreSQL (PGlite) in `<dataDir>/pg`. Only one process may hold a data folder: PGlite
 * is single-process, so a second opener would corrupt it; the lock makes that a clear error instead.
 * `dataDir` of `memory://` gives a throwaway in-memory database (tests).
 */
export async function openPglite(dataDir: string): Promise<Store> {
  const inMemory = dataDir === 'memory://';
  let release = async () => {};
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true });
    release = acquireDataDirLock(dataDir);
  }
  let client: PGlite;
  try {
    client = inMemory ? new PGlite() : new PGlite(join(dataDir, 'pg'));
    await client.waitReady;
  } catch (err) {
    await release();
    throw err;
  }
  const db = drizzle({ client, schema }) as unknown as Database;
  return {
    kind: 'pglite',
    db,
    async execRaw(sql) {
      await client.exec(sql);
    },
    async query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      const result = await client.query<T>(sql, params);
      return result.rows;
    },
    async listen(channel, onPayload) {
      const unsub = await client.listen(channel, onPayload);
      return async () => unsub();
    },
    async notify(channel, payload) {
      await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      try {
        await client.close();
      } finally {
        await release();
      }
    },
  };
}
