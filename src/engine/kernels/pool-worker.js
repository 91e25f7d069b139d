// Worker thread of the kernel pool (plain JavaScript so it loads without a TypeScript loader).
// It instantiates the kernel module on the engine's shared memory and helps with posted jobs: a job
// is split into chunks that every thread claims with an atomic counter, so a busy or sleeping
// worker never holds the caller up for more than the chunk it is running. Control block layout
// (Int32): see pool.ts. It spins briefly before sleeping because waking a sleeping thread costs ~46 µs.
import { parentPort, workerData } from 'node:worker_threads';

const { module, memory, control, names, spinMs } = workerData;
const instance = new WebAssembly.Instance(module, {
  env: { memory, abort() { throw new Error('wasm abort'); } },
});
const fns = names.map((n) => instance.exports[n]);
const ctl = new Int32Array(control, 0, 16);
const args = new Float64Array(control, 64, 24);
const SEQ = 0, NEXT = 1, DONE = 2, FN = 3, NARGS = 4, CHUNKS = 5, CHUNK_ARGS = 6, ERROR = 7;
let last = 0;
parentPort.postMessage('ready');

function chunkBound(i, n, total, align) {
  if (i >= n) return total;
  return Math.min(total, Math.round((total * i) / n / align) * align);
}

for (;;) {
  let seq = Atomics.load(ctl, SEQ);
  if (seq === last) {
    const until = performance.now() + spinMs;
    while ((seq = Atomics.load(ctl, SEQ)) === last && performance.now() < until) { /* spin */ }
    if (seq === last) {
      Atomics.wait(ctl, SEQ, last);
      continue;
    }
  }
  if (seq < 0) break;
  last = seq;
  for (;;) {
    const i = Atomics.add(ctl, NEXT, 1);
    const n = ctl[CHUNKS];
    if (i >= n) break;
    // Arguments are read after the claim: a claim from a newer job sees that job's arguments.
    const nargs = ctl[NARGS];
    const a = new Array(nargs);
    for (let j = 0; j < nargs; j++) a[j] = args[j];
    const total = args[16], align = args[17];
    a[nargs - 2] = chunkBound(i, n, total, align);
    a[nargs - 1] = chunkBound(i + 1, n, total, align);
    const nca = ctl[CHUNK_ARGS];
    for (let c = 0; c < nca; c++) a[args[18 + 3 * c]] = args[19 + 3 * c] + i * args[20 + 3 * c];
    try {
      fns[ctl[FN]](...a);
    } catch {
      Atomics.store(ctl, ERROR, 1);
    }
    if (Atomics.add(ctl, DONE, 1) + 1 === n) Atomics.notify(ctl, DONE);
  }
}
