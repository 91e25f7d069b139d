// Wall time per kernel of an engine, for `train-case.ts --profile`: wraps each kernel function of the engine's
// backend in place. Kernels cover all heavy work (matmul, attention, layernorm, GELU, softmax, AdamW, ...);
// the rest of a step is JavaScript (tape, shape checks, allocation) and shows as "other".
import type { Engine } from '../../src/engine/index.js';

export interface KernelProfile {
  /** Clears the counters. */
  reset(): void;
  /** Rows sorted by time: kernel, calls, total ms. */
  rows(): { kernel: string; calls: number; ms: number }[];
}

export function profileKernels(engine: Engine): KernelProfile {
  const kernels = engine.kernels as unknown as Record<string, unknown>;
  const totals = new Map<string, { calls: number; ms: number }>();
  for (const name of Object.keys(kernels)) {
    const fn = kernels[name];
    if (typeof fn !== 'function') continue;
    const entry = { calls: 0, ms: 0 };
    totals.set(name, entry);
    kernels[name] = (...args: unknown[]) => {
      const t0 = performance.now();
      try {
        return (fn as (...a: unknown[]) => unknown).apply(kernels, args);
      } finally {
        entry.ms += performance.now() - t0;
        entry.calls++;
      }
    };
  }
  return {
    reset() {
      for (const e of totals.values()) {
        e.calls = 0;
        e.ms = 0;
      }
    },
    rows() {
      return [...totals.entries()].filter(([, e]) => e.calls > 0).map(([kernel, e]) => ({ kernel, ...e })).sort((a, b) => b.ms - a.ms);
    },
  };
}
