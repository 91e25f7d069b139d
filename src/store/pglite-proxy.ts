import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';

/** Result of one query, as PGlite returns it. */
export interface ProxyResults<T> {
  rows: T[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}

/** Query options drizzle's PGlite driver passes: row shape, and parsers that keep dates as text. */
interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, unknown>;
}

/** The part of PGlite's client API that drizzle and the store use, for a transaction's connection too. */
export interface ProxyClient {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<ProxyResults<T>>;
  exec(sql: string): Promise<ProxyResults<unknown>[]>;
}

/**
 * What drizzle's PGlite driver calls on its client (drizzle-orm/pglite/session.js: `query`, and
 * `transaction` whose callback gets a connection it queries). PGlite itself is one; so is PgliteProxy.
 */
export interface DriverClient extends ProxyClient {
  transaction<R>(fn: (tx: ProxyClient) => Promise<R>): Promise<R>;
}

interface Reply {
  id: number;
  result?: unknown;
  error?: Record<string, unknown> & { message: string };
  notify?: string;
  payload?: string;
}

/**
 * Creates a PGlite data folder in a short-lived child process (see pglite-initdb.js for why: initdb's
 * ~500 MB go back to the OS only when the process that touched them exits). It initialises a sibling
 * folder and renames it into place, so a crash mid-initdb leaves no half-made folder at `path`.
 */
async function initialiseFolder(path: string): Promise<void> {
  const staging = `${path}.initdb-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    await promisify(execFile)(process.execPath, [fileURLToPath(new URL('./pglite-initdb.js', import.meta.url)), staging]);
    await rename(staging, path);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`could not create the database folder ${path}${stderr ? `: ${stderr}` : ''}`, { cause: err });
  }
}

/** An error from the worker, with PostgreSQL's fields (code, detail, constraint, ...) back on it. */
function revive(data: Record<string, unknown> & { message: string }): Error {
  const err = new Error(data.message);
  Object.assign(err, data);
  return err;
}

/**
 * PGlite in a worker thread, behind the same API drizzle's PGlite driver uses (`query` with row mode,
 * `exec`, `transaction`) plus `listen` and `close`. The server's event loop then never runs PostgreSQL's
 * WebAssembly itself: a ledger commit, an analytics query or a migration costs the main thread one
 * message each way. Transactions run on PGlite's own `transaction()` in the worker, which holds the single
 * connection, so other queries wait for them exactly as they do in-process. The worker is referenced only
 * while a call is in flight, so an idle open store never keeps the process alive (as an in-process PGlite
 * does not).
 */
export class PgliteProxy implements DriverClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Set<(payload: string) => void>>();
  private closed = false;
  private exited: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (msg: Reply) => this.onMessage(msg));
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => this.fail(new Error(`the database thread exited (code ${code})`)));
  }

  /** Starts the worker and opens PGlite at `path` (null: in memory); a new folder is initialised first. */
  static async open(path: string | null): Promise<PgliteProxy> {
    if (path !== null && !existsSync(join(path, 'PG_VERSION'))) await initialiseFolder(path);
    const worker = new Worker(new URL('./pglite-thread.js', import.meta.url), { workerData: { path } });
    const proxy = new PgliteProxy(worker);
    await new Promise<void>((resolve, reject) => proxy.pending.set(0, { resolve: () => resolve(), reject }));
    proxy.updateRef();
    return proxy;
  }

  query<T>(sql: string, params: unknown[] = [], options: QueryOptions = {}): Promise<ProxyResults<T>> {
    return this.call({ op: 'query', sql, params, rowMode: options.rowMode, rawDates: options.parsers !== undefined }) as Promise<ProxyResults<T>>;
  }

  exec(sql: string): Promise<ProxyResults<unknown>[]> {
    return this.call({ op: 'exec', sql }) as Promise<ProxyResults<unknown>[]>;
  }

  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  async transaction<R>(fn: (tx: ProxyClient) => Promise<R>): Promise<R> {
    const tx = (await this.call({ op: 'begin' })) as number;
    const client: ProxyClient = {
      query: <T>(sql: string, params: unknown[] = [], options: QueryOptions = {}) => this.call({ op: 'query', sql, params, rowMode: options.rowMode, rawDates: options.parsers !== undefined, tx }) as Promise<ProxyResults<T>>,
      exec: (sql: string) => this.call({ op: 'exec', sql, tx }) as Promise<ProxyResults<unknown>[]>,
    };
    let result: R;
    try {
      result = await fn(client);
    } catch (err) {
      await this.call({ op: 'end', tx, commit: false }).catch(() => {});
      throw err;
    }
    await this.call({ op: 'end', tx, commit: true });
    return result;
  }

  /** Subscribes to a notification channel; returns the unsubscribe function. */
  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      await this.call({ op: 'listen', channel });
    }
    set.add(onPayload);
    this.updateRef();
    return async () => {
      set.delete(onPayload);
      if (set.size === 0 && this.listeners.get(channel) === set) {
        this.listeners.delete(channel);
        this.updateRef();
        if (!this.closed) await this.call({ op: 'unlisten', channel });
      }
    };
  }

  /** Closes PGlite and stops the worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.call({ op: 'close' }).catch(() => {});
    this.closed = true;
    this.listeners.clear();
    await this.worker.terminate();
  }

  private call(msg: Record<string, unknown>): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.updateRef();
      this.worker.postMessage({ ...msg, id });
    });
  }

  private onMessage(msg: Reply): void {
    if (msg.notify !== undefined) {
      for (const fn of this.listeners.get(msg.notify) ?? []) fn(msg.payload ?? '');
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    this.updateRef();
    if (msg.error) p.reject(revive(msg.error));
    else p.resolve(msg.result);
  }

  private fail(err: Error): void {
    if (this.exited) return;
    this.exited = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  /** Keeps the process alive only while a call waits on the worker (a listener alone does not, as in-process). */
  private updateRef(): void {
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }
}
