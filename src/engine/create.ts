import { Engine } from './engine.js';
import { TensorMemory } from './memory.js';
import { referenceKernels } from './kernels/reference.js';
import { createWasmKernels } from './kernels/wasm.js';

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /**
   * `wasm` (default): WebAssembly SIMD kernels, multi-threaded; `reference`: the plain TypeScript
   * kernels (slow; the definition the fast ones are tested against).
   */
  backend?: 'wasm' | 'reference';
  /** Threads for the wasm backend, including the calling one (default 2, clamped to the CPU count). */
  threads?: number;
}

/**
 * Creates an engine: shared tensor memory plus a kernel backend. Call `engine.dispose()` when done,
 * so the worker threads stop and the process can exit.
 */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const memory = new TensorMemory();
  if (options.backend === 'reference') return new Engine(memory, referenceKernels);
  const { kernels, dispose } = await createWasmKernels(memory, options.threads ?? 2);
  return new Engine(memory, kernels, dispose);
}
