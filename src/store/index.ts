export type { Database, Store, StoreKind } from './database.js';
export { openStore } from './open.js';
export { openPglite } from './pglite.js';
export { openPostgres } from './postgres.js';
export { migrate, listMigrations, type Migration } from './migrate.js';
export { newId } from './ids.js';
export * as schema from './schema/index.js';
export { acquireDataDirLock, processAlive } from './data-dir-lock.js';
