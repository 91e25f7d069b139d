import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { PgliteProxy } from './pglite-proxy.js';
import * as schema from './schema/index.js';
import type { Database, Store } from './database.js';
import { acquireDataDirLock } from './data-dir-lock.js';

/**
 * Opens the embedded PostgreSQL (PGlite) in `<dataDir>/pg`, running in its own worker thread (see
 * PgliteProxy) so that its WebAssembly never blocks the event loop. Only one process may hold a data
 * folder: PGlite is single-process, so a second opener would corrupt it; the lock makes that a clear error
 * instead. `dataDir` of `memory://` gives a throwaway in-memory database (tests).
 */
export async function openPglite(dataDir: string): Promise<Store> {
  const inMemory = dataDir === 'memory://';
  let release = async () => {};
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true });
    release = acquireDataDirLock(dataDir);
  }
  let client: PgliteProxy;
  try {
    client = await PgliteProxy.open(inMemory ? null : join(dataDir, 'pg'));
  } catch (err) {
    await release();
    throw err;
  }
  const db = drizzle({ client: client as unknown as PGlite, schema }) as unknown as Database;
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
      return client.listen(channel, onPayload);
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
