import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema/index.js';

/** The Drizzle database over either driver; repositories are written against this type only. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Which engine holds the data. */
export type StoreKind = 'pglite' | 'postgres';

/**
 * An open store: the typed database (the caller's ambient transaction while one is open), a raw SQL escape hatch for migrations and rollups, LISTEN/NOTIFY for
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
  /** Sends a notification to every process listening on the channel (itself included); inside a transaction, at its commit. */
  notify(channel: string, payload: string): Promise<void>;
  /**
   * Runs `fn` in one transaction that `db`, `query`, `execRaw` and `notify` join from `fn`'s async context
   * (see ambient.ts); joins the caller's when one is open. Committed when `fn` resolves, rolled back when
   * it throws. On PGlite (one connection) every other query waits while it is open: keep `fn` short, and
   * never await work outside its context that needs the database.
   */
  withTransaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Runs `callback` after the caller's transaction commits (at once outside one); dropped on rollback. */
  afterCommit(callback: () => Promise<void>): Promise<void>;
  /** Runs `fn` outside the caller's transaction, on the root connection (background work). */
  outsideTransaction<T>(fn: () => T): T;
  close(): Promise<void>;
}
