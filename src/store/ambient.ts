import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database } from './database.js';

/** A connection inside an open transaction, as a driver hands it over. */
export interface TransactionConnection {
  /** Drizzle over the transaction; its own `transaction()` becomes a savepoint. */
  readonly db: Database;
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

/** Opens a transaction on a driver: commits when `work` resolves, rolls back when it throws. */
export type BeginTransaction = <T>(work: (connection: TransactionConnection) => Promise<T>) => Promise<T>;

interface OpenTransaction extends TransactionConnection {
  /** False once committed or rolled back; see {@link AmbientTransactions.current}. */
  open: boolean;
  readonly afterCommit: (() => Promise<void>)[];
}

/**
 * The ambient transaction of a store: while {@link AmbientTransactions.run} is in progress, everything
 * the store does from that async context (`store.db`, `store.query`, `store.execRaw`, `store.notify`)
 * joins one transaction. Why ambient rather than a `tx` parameter: the audit row of an `/api` mutation
 * must commit or roll back with the change (server/audit), and threading a `tx` through some 60 service
 * methods would change every signature for a concern none of them has. The services keep calling
 * `store.db`; only the route layer opens the transaction.
 *
 * One instance per store (no module-level state). Work that outlives the transaction but started inside
 * it (a training run's child-process callbacks, a coalesced cache reload) inherits the async context; it
 * falls back to the root database once the transaction is over, so it never uses a finished connection.
 */
export class AmbientTransactions {
  private readonly storage = new AsyncLocalStorage<OpenTransaction>();

  constructor(private readonly begin: BeginTransaction) {}

  /** The open transaction of the caller's async context, if any. */
  current(): TransactionConnection | undefined {
    const t = this.storage.getStore();
    return t?.open ? t : undefined;
  }

  /**
   * A database that is the ambient transaction while one is open in the caller's context, else `root`.
   * A Proxy keeps `store.db` one stable object that services may hold on to.
   */
  database(root: Database): Database {
    return new Proxy(root, {
      get: (target, property) => {
        const active = this.storage.getStore();
        const db = active?.open ? active.db : target;
        const value: unknown = Reflect.get(db, property, db);
        return typeof value === 'function' ? value.bind(db) : value;
      },
    });
  }

  /**
   * Runs `fn` in one transaction (joined when the caller already has one open). Callbacks queued with
   * {@link afterCommit} run after the commit, outside the transaction, before this resolves; a rollback
   * drops them.
   */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.current()) return fn();
    let opened: OpenTransaction | undefined;
    let result: T;
    try {
      result = await this.begin((connection) => {
        opened = { ...connection, open: true, afterCommit: [] };
        return this.storage.run(opened, fn);
      });
    } finally {
      if (opened) opened.open = false;
    }
    const callbacks = opened?.afterCommit ?? [];
    await this.storage.exit(async () => {
      for (const callback of callbacks) await callback();
    });
    return result;
  }

  /**
   * Runs `callback` once the caller's transaction commits (at once when there is none). For in-memory
   * caches: a cache that reloaded inside the transaction would hold a change that may still roll back,
   * and on PGlite (one connection) a reload shared with a caller outside the transaction would wait for it
   * forever.
   */
  async afterCommit(callback: () => Promise<void>): Promise<void> {
    const t = this.storage.getStore();
    if (t?.open) t.afterCommit.push(callback);
    else await callback();
  }

  /** Runs `fn` outside any ambient transaction (background work that must not join a request's). */
  outside<T>(fn: () => T): T {
    return this.storage.exit(fn);
  }
}
