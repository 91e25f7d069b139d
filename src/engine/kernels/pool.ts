import { Worker } from 'node:worker_threads';

/** How long a worker spins for the next job before sleeping (ms). */
const SPIN_MS = 0.1;
/** A worker that has not answered in this long is taken for dead. */
const STALL_MS = 60_000;

interface Slot {
  worker: Worker;
  ctl: Int32Array;
  args: Float64Array;
  seq: number;
}

/**
 * Persistent worker threads sharing the engine's WebAssembly.Memory. `run` hands one argument list
 * to each worker and runs the first list on the calling thread, then waits for all: a fork-join that
 * costs ~1 µs when the workers are spinning.
 */
export class WorkerPool {
  private constructor(private readonly slots: Slot[], private readonly names: readonly string[]) {}

  /** Starts `count` workers that instantiate `module` on `memory`; resolves when all are ready. */
  static async create(module: WebAssembly.Module, memory: WebAssembly.Memory, count: number, names: readonly string[]): Promise<WorkerPool> {
    const slots: Slot[] = [];
    const ready: Array<Promise<void>> = [];
    for (let i = 0; i < count; i++) {
      const control = new SharedArrayBuffer(64 + 16 * 8);
      const worker = new Worker(new URL('./pool-worker.js', import.meta.url), {
        workerData: { module, memory, control, names, spinMs: SPIN_MS },
      });
      worker.unref();
      ready.push(new Promise((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      }));
      slots.push({ worker, ctl: new Int32Array(control, 0, 16), args: new Float64Array(control, 64, 16), seq: 0 });
    }
    await Promise.all(ready);
    return new WorkerPool(slots, names);
  }

  /** Number of worker threads (the calling thread comes on top). */
  get workers(): number {
    return this.slots.length;
  }

  /**
   * Runs function `fn` (an index into the names) with `parts[i + 1]` on worker i and `parts[0]` via
   * `local` on this thread; returns when every part is done.
   */
  run(fn: number, parts: ReadonlyArray<readonly number[]>, local: (args: readonly number[]) => void): void {
    const started: Slot[] = [];
    for (let i = 1; i < parts.length; i++) {
      const s = this.slots[i - 1]!;
      const a = parts[i]!;
      for (let j = 0; j < a.length; j++) s.args[j] = a[j]!;
      s.ctl[2] = fn;
      s.ctl[3] = a.length;
      s.seq++;
      Atomics.store(s.ctl, 0, s.seq);
      Atomics.notify(s.ctl, 0);
      started.push(s);
    }
    local(parts[0]!);
    for (const s of started) this.join(s);
  }

  private join(s: Slot): void {
    let spins = 0;
    const begin = performance.now();
    while (Atomics.load(s.ctl, 1) !== s.seq) {
      if (++spins > 20_000) {
        Atomics.wait(s.ctl, 1, Atomics.load(s.ctl, 1), 100);
        if (performance.now() - begin > STALL_MS) throw new Error('kernel worker stalled');
      }
    }
    if (Atomics.load(s.ctl, 4) !== 0) {
      Atomics.store(s.ctl, 4, 0);
      throw new Error(`kernel ${this.names[s.ctl[2]!]} failed in a worker thread`);
    }
  }

  /** Stops the workers. */
  async dispose(): Promise<void> {
    for (const s of this.slots) {
      Atomics.store(s.ctl, 0, -1);
      Atomics.notify(s.ctl, 0);
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
