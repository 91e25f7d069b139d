import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { QudaoError } from '../../errors/index.js';
import { StrategyInputError, STRATEGY_ERROR_CODES, type StrategyErrorCode } from '../../shared/methods/index.js';
import type { OffloadedMethodName, OffloadedMethods } from './offloaded-methods.js';

/** Options of {@link MethodPool}. */
export interface MethodPoolOptions {
  /** Worker threads at most (default: one per spare core, 1..2, so the server keeps a core for itself). */
  size?: number;
  /** Tasks that may wait for a worker; one more is QD_OVERLOADED (default 32). */
  maxQueued?: number;
  /** A worker idle this long is ended, so an idle server holds no threads (default 30 s). */
  idleMs?: number;
}

interface Task {
  id: number;
  method: OffloadedMethodName;
  args: unknown[];
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task: Task | undefined;
  idleTimer: NodeJS.Timeout | undefined;
}

type Reply = { ready: true } | { id: number; value: unknown } | { id: number; error: { message: string; code?: unknown; details?: Record<string, unknown> } };

/** The error a worker reported, as the caller would have seen it had the method run in-process. */
function rethrown(error: { message: string; code?: unknown; details?: Record<string, unknown> }): Error {
  if (STRATEGY_ERROR_CODES.includes(error.code as StrategyErrorCode)) return new StrategyInputError(error.code as StrategyErrorCode, error.message, error.details);
  return new Error(`strategy method failed in its worker: ${error.message}`);
}

/**
 * Runs the CPU-heavy strategy methods ({@link OffloadedMethods}) in worker threads, so an AHP/TOPSIS
 * sensitivity analysis or a budget allocation never blocks the server's event loop (and with it the `/v1`
 * gateway). Workers start on first use and end when idle; they never keep the process alive by themselves
 * while idle. Tasks are answered in order of arrival, one per worker at a time.
 */
export class MethodPool {
  private readonly size: number;
  private readonly maxQueued: number;
  private readonly idleMs: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: MethodPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? Math.min(2, availableParallelism() - 1));
    this.maxQueued = options.maxQueued ?? 32;
    this.idleMs = options.idleMs ?? 30_000;
  }

  /** Runs `method(...args)` in a worker; resolves with its value or rejects with the error it threw. */
  run<K extends OffloadedMethodName>(method: K, ...args: Parameters<OffloadedMethods[K]>): Promise<ReturnType<OffloadedMethods[K]>> {
    if (this.closed) return Promise.reject(new QudaoError('QD_OVERLOADED', 'the server is shutting down'));
    if (this.queue.length >= this.maxQueued) return Promise.reject(new QudaoError('QD_OVERLOADED', `${this.queue.length} strategy computations are waiting; retry shortly`));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, method, args, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  /** Ends every worker; tasks still waiting or running are refused with QD_OVERLOADED. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new QudaoError('QD_OVERLOADED', 'the server is shutting down'));
    await Promise.all(this.slots.splice(0).map((slot) => {
      clearTimeout(slot.idleTimer);
      slot.task?.reject(new QudaoError('QD_OVERLOADED', 'the server is shutting down'));
      return slot.worker.terminate();
    }));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.ready && !s.task);
      if (!slot) {
        if (this.slots.length < this.size) this.spawn();
        return;
      }
      const task = this.queue.shift()!;
      clearTimeout(slot.idleTimer);
      slot.task = task;
      slot.worker.ref();
      slot.worker.postMessage({ id: task.id, method: task.method, args: task.args });
    }
  }

  private spawn(): void {
    const worker = new Worker(new URL('./method-thread.js', import.meta.url));
    const slot: Slot = { worker, ready: false, task: undefined, idleTimer: undefined };
    this.slots.push(slot);
    worker.on('message', (msg: Reply) => this.onMessage(slot, msg));
    worker.on('error', (err) => this.onExit(slot, err));
    worker.on('exit', (code) => this.onExit(slot, new Error(`the strategy worker exited (code ${code})`)));
  }

  private onMessage(slot: Slot, msg: Reply): void {
    if ('ready' in msg) {
      slot.ready = true;
    } else if (slot.task && msg.id === slot.task.id) {
      const task = slot.task;
      slot.task = undefined;
      if ('error' in msg) task.reject(rethrown(msg.error));
      else task.resolve(msg.value);
    }
    if (!slot.task) this.idle(slot);
    this.dispatch();
  }

  /** An idle worker does not hold the process open, and ends after `idleMs` without work. */
  private idle(slot: Slot): void {
    slot.worker.unref();
    clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      if (slot.task || this.queue.length > 0) return;
      this.remove(slot);
      void slot.worker.terminate();
    }, this.idleMs);
    slot.idleTimer.unref();
  }

  private onExit(slot: Slot, err: Error): void {
    if (!this.remove(slot)) return;
    clearTimeout(slot.idleTimer);
    slot.task?.reject(err);
    slot.task = undefined;
    // A worker that died before it was ready would die again: fail what waits instead of looping.
    if (!slot.ready) for (const task of this.queue.splice(0)) task.reject(err);
    this.dispatch();
  }

  private remove(slot: Slot): boolean {
    const i = this.slots.indexOf(slot);
    if (i < 0) return false;
    this.slots.splice(i, 1);
    return true;
  }
}
