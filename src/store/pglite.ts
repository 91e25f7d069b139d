import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { PgliteProxy, type DriverClient } from './pglite-proxy.js';
import * as schema from './schema/index.js';
import type { Database, Store } from './database.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import { AmbientTransactions, type BeginTransaction } from './ambient.js';

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
  // drizzle types its client as PGlite but uses only the DriverClient part of it, which the proxy
  // implements; PGlite is a DriverClient, so this narrows the wider interface to the type drizzle names.
  const driverClient: DriverClient = client;
  const root: Database = drizzle({ client: driverClient as PGlite, schema });
  const ambient = new AmbientTransactions(beginOn(client));
  return {
    kind: 'pglite',
    db: ambient.database(root),
    async execRaw(sql) {
      const tx = ambient.current();
      if (tx) await tx.exec(sql);
      else await client.exec(sql);
    },
    async query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      const tx = ambient.current();
      if (tx) return tx.query<T>(sql, params);
      const result = await client.query<T>(sql, params);
      return result.rows;
    },
    async listen(channel, onPayload) {
      return client.listen(channel, onPayload);
    },
    async notify(channel, payload) {
      const tx = ambient.current();
      if (tx) await tx.query('SELECT pg_notify($1, $2)', [channel, payload]);
      else await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    withTransaction: (fn) => ambient.run(fn),
    afterCommit: (callback) => ambient.afterCommit(callback),
    outsideTransaction: (fn) => ambient.outside(fn),
    async close() {
      try {
        await client.close();
      } finally {
        await release();
      }
    },
  };
}

/**
 * Transactions of the ambient kind on the proxy: PGlite's own transaction holds the one connection, and a
 * drizzle instance over that connection (whose `transaction()` is the connection itself, once) gives a
 * real drizzle transaction, so a service's nested `db.transaction()` becomes a savepoint in it.
 */
function beginOn(client: PgliteProxy): BeginTransaction {
  return (work) =>
    client.transaction(async (connection) => {
      const once: DriverClient = { query: (...a) => connection.query(...a), exec: (sql) => connection.exec(sql), transaction: (fn) => fn(connection) };
      const db: Database = drizzle({ client: once as PGlite, schema });
      return db.transaction((tx) =>
        work({
          db: tx,
          query: async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => (await connection.query<T>(sql, params)).rows,
          exec: async (sql) => void (await connection.exec(sql)),
        }),
      );
    });
}
