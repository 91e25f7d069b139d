import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, openPglite, openPostgres, type Store } from '../../src/store/index.js';

/** The admin URL of the PostgreSQL server the tests use (database `test` on loopback by default). */
export const postgresAdminUrl = process.env.QUDAO_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Where CI=true, PostgreSQL and Redis are required and tests that need them fail instead of skipping. */
export const servicesRequired = process.env.CI === 'true';

let reachable: Promise<boolean> | undefined;

/** Whether the test PostgreSQL answers; under CI=true an unreachable server is an error. */
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch (err) {
      if (servicesRequired) throw new Error(`CI=true but PostgreSQL at ${postgresAdminUrl} is unreachable: ${(err as Error).message}`);
      console.warn(`skipping PostgreSQL tests: ${postgresAdminUrl} unreachable (${(err as Error).message})`);
      return false;
    }
  })();
  return reachable;
}

/** Creates a fresh, empty database on the test server and returns its URL and a drop function. */
export async function createTempDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `qudao_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: postgresAdminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A migrated store of one kind plus its disposer. */
export interface TestStore {
  store: Store;
  dispose: () => Promise<void>;
}

/** The store kinds every repository-level test runs against. */
export const storeKinds = ['pglite', 'postgres'] as const;

/** Opens a fresh, migrated store of the given kind (PGlite in memory; PostgreSQL in a temp database). */
export async function openTestStore(kind: (typeof storeKinds)[number]): Promise<TestStore> {
  if (kind === 'pglite') {
    const store = await openPglite('memory://');
    await migrate(store);
    return { store, dispose: () => store.close() };
  }
  const temp = await createTempDatabase();
  const store = await openPostgres(temp.url, 4);
  await migrate(store);
  return {
    store,
    async dispose() {
      await store.close();
      await temp.drop();
    },
  };
}
