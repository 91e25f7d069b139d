// Worker thread of the kernel pool (plain JavaScript so it loads without a TypeScript loader).
// It instantiates the kernel module on the engine's shared memory and waits for jobs posted in a
// small shared control block: [0] job sequence, [1] last finished sequence, [2] function index,
// [3] argument count, [4] error flag; arguments as float64 from byte 64. It spins briefly before
// sleeping in Atomics.wait because waking a sleeping thread costs ~46 µs.
import { parentPort, workerData } from 'node:worker_threads';

const { module, memory, control, names, spinMs } = workerData;
const instance = new WebAssembly.Instance(module, {
  env: { memory, abort() { throw new Error('wasm abort'); } },
});
const fns = names.map((n) => instance.exports[n]);
const ctl = new Int32Array(control, 0, 16);
const args = new Float64Array(control, 64, 16);
let last = 0;
parentPort.postMessage('ready');

for (;;) {
  let seq = Atomics.load(ctl, 0);
  if (seq === last) {
    const until = performance.now() + spinMs;
    while ((seq = Atomics.load(ctl, 0)) === last && performance.now() < until) { /* spin */ }
    if (seq === last) {
      Atomics.wait(ctl, 0, last);
      continue;
    }
  }
  if (seq < 0) break;
  last = seq;
  try {
    const n = ctl[3];
    const a = new Array(n);
    for (let i = 0; i < n; i++) a[i] = args[i];
    fns[ctl[2]](...a);
  } catch {
    Atomics.store(ctl, 4, 1);
  }
  Atomics.store(ctl, 1, seq);
  Atomics.notify(ctl, 1);
}
