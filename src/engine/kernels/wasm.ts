import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import type { Kernels } from './types.js';
import { referenceKernels as ref } from './reference.js';
import type { TensorMemory } from '../memory.js';
import { WorkerPool, chunkBound, type ChunkArg } from './pool.js';

/** Exported functions of asm/kernels.ts, in the order the worker pool indexes them. */
const NAMES = [
  'pack_a', 'pack_b', 'gemm_packed', 'gemv_nn', 'gemv_nt', 'layernorm_fwd', 'layernorm_bwd',
  'softmax', 'gelu_fwd', 'gelu_bwd', 'attn_fwd', 'attn_bwd', 'attn_decode', 'adamw', 'add',
  'gelu_fwd_t', 'gelu_bwd_t', 'sumsq', 'scale',
] as const;
type Name = (typeof NAMES)[number];
/** A kernel: pointers, sizes and scalars in, a number (or nothing useful) out. */
type KernelFn = (...args: number[]) => number;
type Exports = Record<Name, KernelFn>;
const FN = Object.fromEntries(NAMES.map((n, i) => [n, i])) as Record<Name, number>;

function isKernelFn(value: WebAssembly.ExportValue | undefined): value is KernelFn {
  return typeof value === 'function';
}

/** The kernels of an instance by name, each checked to be an exported function. */
function kernelExports(exports: WebAssembly.Exports): Exports {
  const pick = (name: Name): KernelFn => {
    const fn = exports[name];
    if (!isKernelFn(fn)) throw new Error(`kernel binary does not export a function ${name}`);
    return fn;
  };
  return Object.fromEntries(NAMES.map((n) => [n, pick(n)])) as Exports;
}

/** Work below this many flops (or elements) runs on the calling thread only. */
const PARALLEL_FLOPS = 1_000_000;
const PARALLEL_ELEMENTS = 32_768;
/** Chunks per thread: small enough that an idle thread can take over a busy one's share. */
const CHUNKS_PER_THREAD = 4;
/** LayerNorm backward always sums dw, db over this many row chunks, whatever the thread count. */
const LN_CHUNKS = 8;

/** Which build of the kernels runs: `relaxed` has fused multiply-add (WebAssembly relaxed SIMD). */
export type KernelBuild = 'relaxed' | 'simd';

/**
 * The kernel binary to run: the relaxed-SIMD build when this runtime accepts it, else the plain SIMD one.
 * Relaxed SIMD is standard WebAssembly, on by default from V8 11.4; Node 20's V8 11.3 has it behind
 * `--experimental-wasm-relaxed-simd`, which is switched on here (it only adds instructions a module may
 * use). `prefer: 'simd'` forces the plain build.
 */
export async function loadKernelBinary(prefer: KernelBuild = 'relaxed'): Promise<{ build: KernelBuild; bytes: Uint8Array<ArrayBuffer> }> {
  if (prefer === 'relaxed') {
    const relaxed = new Uint8Array(await readFile(new URL('./kernels-relaxed.wasm', import.meta.url)));
    if (!WebAssembly.validate(relaxed)) setFlagsFromString('--experimental-wasm-relaxed-simd');
    if (WebAssembly.validate(relaxed)) return { build: 'relaxed', bytes: relaxed };
  }
  return { build: 'simd', bytes: new Uint8Array(await readFile(new URL('./kernels.wasm', import.meta.url))) };
}

/**
 * The WebAssembly SIMD backend: kernels compiled from asm/kernels.ts, run on the calling thread
 * plus `threads - 1` workers over the same shared memory. Shapes the SIMD code does not cover (sizes
 * not a multiple of 4, arrays outside the engine memory) fall back to the reference kernels.
 */
export async function createWasmKernels(memory: TensorMemory, threads: number, prefer: KernelBuild = 'relaxed'): Promise<{ kernels: Kernels; dispose: () => Promise<void>; build: KernelBuild }> {
  const { build, bytes } = await loadKernelBinary(prefer);
  const module = await WebAssembly.compile(bytes);
  const instance = await WebAssembly.instantiate(module, {
    env: { memory: memory.memory, abort() { throw new Error('wasm abort'); } },
  });
  const x = kernelExports(instance.exports);
  const nThreads = Math.max(1, Math.min(Math.floor(threads), availableParallelism()));
  const pool = nThreads > 1 ? await WorkerPool.create(module, memory.memory, nThreads - 1, NAMES) : null;

  // Packing and per-thread scratch buffers: persistent, grown on demand.
  const scratch = new Map<string, { ptr: number; bytes: number }>();
  const buffer = (key: string, bytes: number): number => {
    const cur = scratch.get(key);
    if (cur && cur.bytes >= bytes) return cur.ptr;
    if (cur) memory.freePersistentBytes(cur.ptr, cur.bytes);
    const size = Math.max(bytes, (cur?.bytes ?? 0) * 2);
    const ptr = memory.allocPersistentBytes(size);
    scratch.set(key, { ptr, bytes: size });
    return ptr;
  };

  /** How many chunks to cut a job into (1: run on the calling thread alone). */
  const chunkCount = (total: number, align: number, work: number, threshold: number): number =>
    pool && work >= threshold ? Math.max(1, Math.min(nThreads * CHUNKS_PER_THREAD, Math.floor(total / align))) : 1;

  /** Runs `name(...args, lo, hi)` over [0, total) in `chunks` chunks across the threads. */
  const parallel = (name: Name, total: number, align: number, chunks: number, args: number[], chunkArgs: readonly ChunkArg[] = []): void => {
    const fn = x[name];
    if (chunks > 1 && pool) {
      pool.run(FN[name], fn, args, total, align, chunks, chunkArgs);
      return;
    }
    for (let i = 0; i < chunks; i++) {
      const a = [...args, chunkBound(i, chunks, total, align), chunkBound(i + 1, chunks, total, align)];
      for (const c of chunkArgs) a[c.index] = c.base + i * c.stride;
      fn(...a);
    }
  };

  const owned = (...arrays: ArrayBufferView[]): boolean => arrays.every((a) => memory.owns(a));
  const p = (a: ArrayBufferView): number => a.byteOffset;

  const kernels: Kernels = {
    name: 'wasm',

    matmul(c, a, b, m, n, k, transA, transB, accumulate) {
      if (!owned(c, a, b)) return ref.matmul(c, a, b, m, n, k, transA, transB, accumulate);
      if (m === 0 || n === 0) return;
      if (k === 0) {
        if (!accumulate) c.subarray(0, m * n).fill(0);
        return;
      }
      const flops = 2 * m * n * k;
      if (m <= 16 && !transA && (!transB || k % 4 === 0)) {
        // Few rows (decoding): stream B directly instead of packing it.
        const name = transB ? 'gemv_nt' : 'gemv_nn';
        parallel(name, n, 16, chunkCount(n, 16, flops, PARALLEL_FLOPS), [p(c), p(a), p(b), m, n, k, accumulate ? 1 : 0]);
        return;
      }
      const mp = Math.ceil(m / 4);
      const np = Math.ceil(n / 8);
      const ap = buffer('packA', mp * 16 * k);
      const bp = buffer('packB', np * 32 * k);
      parallel('pack_a', mp, 1, chunkCount(mp, 1, mp * 4 * k, PARALLEL_ELEMENTS * 4), [ap, p(a), m, k, transA ? 1 : 0]);
      parallel('pack_b', np, 1, chunkCount(np, 1, np * 8 * k, PARALLEL_ELEMENTS * 4), [bp, p(b), n, k, transB ? 1 : 0]);
      parallel('gemm_packed', mp, 1, chunkCount(mp, 1, flops, PARALLEL_FLOPS), [p(c), ap, bp, m, n, k, accumulate ? 1 : 0]);
    },

    layerNormForward(out, mean, rstd, xs, w, b, rows, cols, eps) {
      if (cols % 4 !== 0 || !owned(out, mean, rstd, xs, w, b)) return ref.layerNormForward(out, mean, rstd, xs, w, b, rows, cols, eps);
      parallel('layernorm_fwd', rows, 1, chunkCount(rows, 1, rows * cols, PARALLEL_ELEMENTS), [p(out), p(mean), p(rstd), p(xs), p(w), p(b), cols, eps]);
    },

    layerNormBackward(dx, dw, db, dout, xs, w, mean, rstd, rows, cols) {
      if (cols % 4 !== 0 || !owned(dx, dw, db, dout, xs, w, mean, rstd)) return ref.layerNormBackward(dx, dw, db, dout, xs, w, mean, rstd, rows, cols);
      if (rows < 4 * LN_CHUNKS) {
        x.layernorm_bwd(p(dx), p(dw), p(db), p(dout), p(xs), p(w), p(mean), p(rstd), cols, 0, rows);
        return;
      }
      // Each row chunk sums dw, db into its own zeroed partial; partials are added in chunk order,
      // so the result is the same for any number of threads.
      const partial = buffer('lnPartial', LN_CHUNKS * 2 * cols * 4);
      const part = memory.f32(partial, LN_CHUNKS * 2 * cols);
      part.fill(0);
      parallel('layernorm_bwd', rows, 1, LN_CHUNKS, [p(dx), 0, 0, p(dout), p(xs), p(w), p(mean), p(rstd), cols],
        [{ index: 1, base: partial, stride: 2 * cols * 4 }, { index: 2, base: partial + cols * 4, stride: 2 * cols * 4 }]);
      for (let i = 0; i < LN_CHUNKS; i++) {
        const o = i * 2 * cols;
        for (let j = 0; j < cols; j++) {
          dw[j] = dw[j]! + part[o + j]!;
          db[j] = db[j]! + part[o + cols + j]!;
        }
      }
    },

    softmax(out, xs, rows, cols) {
      if (!owned(out, xs)) return ref.softmax(out, xs, rows, cols);
      parallel('softmax', rows, 1, chunkCount(rows, 1, rows * cols, PARALLEL_ELEMENTS), [p(out), p(xs), cols]);
    },

    add(out, a, b, n) {
      if (!owned(out, a, b)) return ref.add(out, a, b, n);
      parallel('add', n, 64, chunkCount(n, 64, n, PARALLEL_ELEMENTS), [p(out), p(a), p(b)]);
    },

    geluForward(out, xs, n) {
      if (n % 4 !== 0 || !owned(out, xs)) return ref.geluForward(out, xs, n);
      parallel('gelu_fwd', n, 64, chunkCount(n, 64, n, PARALLEL_ELEMENTS), [p(out), p(xs)]);
    },

    geluBackward(dx, xs, dout, n) {
      if (n % 4 !== 0 || !owned(dx, xs, dout)) return ref.geluBackward(dx, xs, dout, n);
      parallel('gelu_bwd', n, 64, chunkCount(n, 64, n, PARALLEL_ELEMENTS), [p(dx), p(xs), p(dout)]);
    },

    sumSquares(xs, n) {
      if (!owned(xs)) return ref.sumSquares(xs, n);
      return x.sumsq(p(xs), n);
    },

    scale(xs, s, n) {
      if (!owned(xs)) return ref.scale(xs, s, n);
      parallel('scale', n, 64, chunkCount(n, 64, n, PARALLEL_ELEMENTS), [p(xs), s]);
    },

    geluForwardSave(out, th, xs, n) {
      if (n % 4 !== 0 || !owned(out, th, xs)) return ref.geluForwardSave(out, th, xs, n);
      parallel('gelu_fwd_t', n, 64, chunkCount(n, 64, n, PARALLEL_ELEMENTS), [p(out), p(th), p(xs)]);
    },

    geluBackwardSaved(dx, xs, th, dout, n) {
      if (n % 4 !== 0 || !owned(dx, xs, th, dout)) return ref.geluBackwardSaved(dx, xs, th, dout, n);
      parallel('gelu_bwd_t', n, 64, chunkCount(n, 64, n, PARALLEL_ELEMENTS), [p(dx), p(xs), p(th), p(dout)]);
    },

    attentionForward(out, att, qkv, B, T, C, NH) {
      if ((C / NH) % 4 !== 0 || !owned(out, att, qkv)) return ref.attentionForward(out, att, qkv, B, T, C, NH);
      parallel('attn_fwd', B * NH, 1, chunkCount(B * NH, 1, B * T * T * C, PARALLEL_FLOPS), [p(out), p(att), p(qkv), T, C, NH]);
    },

    attentionBackward(dqkv, dout, qkv, att, B, T, C, NH) {
      if ((C / NH) % 4 !== 0 || !owned(dqkv, dout, qkv, att)) return ref.attentionBackward(dqkv, dout, qkv, att, B, T, C, NH);
      const chunks = chunkCount(B * NH, 1, B * T * T * C, PARALLEL_FLOPS);
      const sc = buffer('attnScratch', chunks * T * T * 4);
      parallel('attn_bwd', B * NH, 1, chunks, [p(dqkv), p(dout), p(qkv), p(att), 0, T, C, NH], [{ index: 4, base: sc, stride: T * T * 4 }]);
    },

    attentionDecode(out, qkv, kCache, vCache, rowIdx, pos, n, C, NH, maxLen) {
      if ((C / NH) % 4 !== 0 || !owned(out, qkv, kCache, vCache, rowIdx, pos)) return ref.attentionDecode(out, qkv, kCache, vCache, rowIdx, pos, n, C, NH, maxLen);
      let work = 0;
      for (let i = 0; i < n; i++) work += 4 * (pos[i]! + 1) * C;
      const chunks = chunkCount(n * NH, 1, work, PARALLEL_FLOPS);
      const sc = buffer('decodeScratch', chunks * maxLen * 4);
      parallel('attn_decode', n * NH, 1, chunks, [p(out), p(qkv), p(kCache), p(vCache), p(rowIdx), p(pos), C, NH, maxLen, 0], [{ index: 9, base: sc, stride: maxLen * 4 }]);
    },

    // No WebAssembly version: the LSTM cell runs its TypeScript twin, as before the kernel existed.
    lstmCellForward: ref.lstmCellForward,
    lstmCellBackward: ref.lstmCellBackward,

    adamw(pa, g, m, v, n, lr, beta1, beta2, eps, weightDecay, bc1, bc2) {
      if (!owned(pa, g, m, v)) return ref.adamw(pa, g, m, v, n, lr, beta1, beta2, eps, weightDecay, bc1, bc2);
      parallel('adamw', n, 64, chunkCount(n, 64, n, PARALLEL_ELEMENTS), [p(pa), p(g), p(m), p(v), lr, beta1, beta2, eps, weightDecay, bc1, bc2]);
    },
  };
  return { kernels, build, dispose: async () => { await pool?.dispose(); } };
}
