import { Engine } from './engine.js';
import { TensorMemory } from './memory.js';
import { referenceKernels } from './kernels/reference.js';
import { createWasmKernels, type KernelBuild } from './kernels/wasm.js';

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /**
   * `wasm` (default): WebAssembly SIMD kernels, multi-threaded; `reference`: the plain TypeScript
   * kernels (slow; the definition the fast ones are tested against).
   */
  backend?: 'wasm' | 'reference';
  /** Threads for the wasm backend, including the calling one (default 2, clamped to the CPU count). */
  threads?: number;
  /**
   * Build of the wasm kernels: `relaxed` (default; fused multiply-add, used when the runtime supports
   * WebAssembly relaxed SIMD, else falls back) or `simd` (plain SIMD: multiply, then add).
   */
  kernelBuild?: KernelBuild;
}

/**
 * Creates an engine: shared tensor memory plus a kernel backend. Call `engine.dispose()` when done,
 * so the worker threads stop and the process can exit.
 */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const memory = new TensorMemory();
  if (options.backend === 'reference') return new Engine(memory, referenceKernels);
  const { kernels, dispose, build } = await createWasmKernels(memory, options.threads ?? 2, options.kernelBuild);
  return new Engine(memory, kernels, dispose, `wasm-${build}`);
}
