import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema/index.js';

/** The Drizzle database over either driver; repositories are written against this type only. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Which engine holds the data. */
export type StoreKind = 'pglite' | 'postgres';

/**
 * An open store: the typed database, a raw SQL escape hatch for migrations and rollups, LISTEN/NOTIFY for
 * cache invalidation across replicas, and close().
 */
export interface Store {
  readonly kind: StoreKind;
  readonly db: Database;
  /** Runs SQL text that may hold several statements (used by migrations). */
  execRaw(sql: string): Promise<void>;
  /** Runs one parameterised query and returns its rows. */
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Subscribes to a notification channel; returns an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** Sends a notification to every process listening on the channel (itself included). */
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}
