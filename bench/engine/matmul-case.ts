// Matmul throughput of one kernel backend (default: what createEngine picks). Prints one JSON line per shape and thread count:
// GFLOP/s from wall time (best and median of 15) and, for one thread, from process CPU time, which
// the other processes sharing the machine disturb less.
// Usage: tsx bench/engine/matmul-case.ts [threads...] [--kernels=native|wasm]
import { createEngine } from '../../src/engine/index.js';
import { kernelsFlag, positional } from './flags.js';

const threadCounts = positional().map(Number);
const shapes = [[1024, 384, 128, false, false], [1024, 128, 384, false, true], [128, 384, 1024, true, false], [2048, 1536, 384, false, false], [2048, 384, 1536, false, false]] as const;
for (const threads of threadCounts.length ? threadCounts : [1, 2]) {
  const e = await createEngine({ threads, kernels: kernelsFlag() });
  for (const [m, n, k, ta, tb] of shapes) {
    const a = e.scratch(m * k).fill(0.5);
    const b = e.scratch(k * n).fill(0.25);
    const c = e.scratch(m * n);
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < 15; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      e.kernels.matmul(c, a, b, m, n, k, ta, tb, false);
      wall.push(performance.now() - t0);
      const d = process.cpuUsage(c0);
      cpu.push((d.user + d.system) / 1000);
    }
    wall.sort((x, y) => x - y);
    cpu.sort((x, y) => x - y);
    const g = (ms: number): number => +((2 * m * n * k) / ms / 1e6).toFixed(1);
    console.log(JSON.stringify({ case: 'matmul', kernels: e.backendName, threads, m, n, k, transA: ta, transB: tb, gflopsBest: g(wall[0]!), gflopsMedian: g(wall[7]!), gflopsPerCpuSecondMedian: threads === 1 ? g(cpu[7]!) : undefined }));
  }
  await e.dispose();
}
