import { Worker } from 'node:worker_threads';

/** How long a worker spins for the next job before sleeping (ms). */
const SPIN_MS = 0.1;
/** A job not finished in this long is taken for a dead worker. */
const STALL_MS = 60_000;
// Control block (Int32 indices); float64 arguments start at byte 64.
const SEQ = 0;
const NEXT = 1;
const DONE = 2;
const FN = 3;
const NARGS = 4;
const CHUNKS = 5;
const CHUNK_ARGS = 6;
const ERROR = 7;

/** An argument that differs per chunk: `args[index] = base + chunk * stride` (per-chunk scratch). */
export interface ChunkArg {
  index: number;
  base: number;
  stride: number;
}

/** Start of chunk `i` of `n` over [0, total), on a multiple of `align` (the worker uses the same formula). */
export function chunkBound(i: number, n: number, total: number, align: number): number {
  if (i >= n) return total;
  return Math.min(total, Math.round((total * i) / n / align) * align);
}

/**
 * Persistent worker threads sharing the engine's WebAssembly.Memory. A job (one kernel over a range)
 * is cut into chunks that the calling thread and the workers claim with an atomic counter. Each
 * chunk writes its own outputs, so results do not depend on who ran which chunk, and when the
 * other core is busy the caller simply does the work itself.
 */
export class WorkerPool {
  private seq = 0;
  private readonly ctl: Int32Array;
  private readonly args: Float64Array;

  private constructor(private readonly workers: Worker[], control: SharedArrayBuffer, private readonly names: readonly string[]) {
    this.ctl = new Int32Array(control, 0, 16);
    this.args = new Float64Array(control, 64, 24);
  }

  /** Starts `count` workers that instantiate `module` on `memory`; resolves when all are ready. */
  static async create(module: WebAssembly.Module, memory: WebAssembly.Memory, count: number, names: readonly string[]): Promise<WorkerPool> {
    const control = new SharedArrayBuffer(64 + 24 * 8);
    const workers: Worker[] = [];
    const ready: Array<Promise<void>> = [];
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL('./pool-worker.js', import.meta.url), {
        workerData: { module, memory, control, names, spinMs: SPIN_MS },
      });
      worker.unref();
      ready.push(new Promise((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      }));
      workers.push(worker);
    }
    await Promise.all(ready);
    return new WorkerPool(workers, control, names);
  }

  /** Number of worker threads (the calling thread comes on top). */
  get size(): number {
    return this.workers.length;
  }

  /**
   * Runs `fn(...args, lo, hi)` over [0, total) in `chunks` chunks on this thread and the workers.
   * `args` excludes the two trailing range arguments.
   */
  run(fn: number, call: (...a: number[]) => void, args: readonly number[], total: number, align: number, chunks: number, chunkArgs: readonly ChunkArg[] = []): void {
    const nargs = args.length + 2;
    for (let j = 0; j < args.length; j++) this.args[j] = args[j]!;
    this.args[16] = total;
    this.args[17] = align;
    chunkArgs.forEach((c, k) => {
      this.args[18 + 3 * k] = c.index;
      this.args[19 + 3 * k] = c.base;
      this.args[20 + 3 * k] = c.stride;
    });
    const ctl = this.ctl;
    ctl[FN] = fn;
    ctl[NARGS] = nargs;
    ctl[CHUNKS] = chunks;
    ctl[CHUNK_ARGS] = chunkArgs.length;
    Atomics.store(ctl, DONE, 0);
    Atomics.store(ctl, NEXT, 0);
    this.seq = (this.seq + 1) & 0x3fffffff;
    Atomics.store(ctl, SEQ, this.seq);
    Atomics.notify(ctl, SEQ);
    const a = new Array<number>(nargs);
    for (;;) {
      const i = Atomics.add(ctl, NEXT, 1);
      if (i >= chunks) break;
      for (let j = 0; j < args.length; j++) a[j] = args[j]!;
      a[nargs - 2] = chunkBound(i, chunks, total, align);
      a[nargs - 1] = chunkBound(i + 1, chunks, total, align);
      for (const c of chunkArgs) a[c.index] = c.base + i * c.stride;
      call(...a);
      Atomics.add(ctl, DONE, 1);
    }
    let spins = 0;
    let waited = 0;
    let last = performance.now();
    for (;;) {
      const done = Atomics.load(ctl, DONE);
      if (done >= chunks) break;
      if (++spins > 2000) {
        Atomics.wait(ctl, DONE, done, 5);
        // Count only time this thread actually waited: a wait that took far longer than its 5 ms means the
        // whole process was suspended (SIGSTOP, a sleeping laptop), which says nothing about the worker.
        const now = performance.now();
        waited += Math.min(now - last, 50);
        last = now;
        if (waited > STALL_MS) throw new Error('kernel worker stalled');
      }
    }
    if (Atomics.load(ctl, ERROR) !== 0) {
      Atomics.store(ctl, ERROR, 0);
      throw new Error(`kernel ${this.names[fn]} failed in a worker thread`);
    }
  }

  /** Stops the workers. */
  async dispose(): Promise<void> {
    Atomics.store(this.ctl, SEQ, -1);
    Atomics.notify(this.ctl, SEQ);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
