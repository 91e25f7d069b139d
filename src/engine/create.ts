import { Engine } from './engine.js';
import { TensorMemory } from './memory.js';
import { referenceKernels } from './kernels/reference.js';
import { createWasmKernels, type KernelBuild } from './kernels/wasm.js';
import { createNativeKernels, loadNativeAddon, type NativeVariant } from './kernels/native.js';

/**
 * Which kernels an engine runs. `auto`: the native (C++) kernels when their addon is built and
 * loads, else the WebAssembly ones with a one-line notice; `native`: the native kernels or an error;
 * `wasm`: WebAssembly SIMD; `reference`: the plain TypeScript definitions (slow).
 */
export type KernelChoice = 'auto' | 'native' | 'wasm' | 'reference';

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /** Kernel backend (default `auto`). */
  kernels?: KernelChoice;
  /** Older name of {@link kernels}; `kernels` wins when both are given. */
  backend?: 'wasm' | 'reference';
  /** Threads for the native and wasm kernels, including the calling one (default 2, clamped to the CPU count). */
  threads?: number;
  /**
   * Build of the wasm kernels: `relaxed` (default; fused multiply-add, used when the runtime supports
   * WebAssembly relaxed SIMD, else falls back) or `simd` (plain SIMD: multiply, then add).
   */
  kernelBuild?: KernelBuild;
  /** CPU variant of the native kernels (default: the best this CPU supports). */
  nativeVariant?: NativeVariant;
  /** Path of the compiled native addon (default: where `npm install` builds it). */
  nativeAddon?: string;
  /** Receives the one-line notice when `auto` falls back to wasm (default: written to stderr). */
  onNotice?: (line: string) => void;
}

/**
 * Creates an engine: shared tensor memory plus a kernel backend. Call `engine.dispose()` when done,
 * so the worker threads stop and the process can exit.
 */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const memory = new TensorMemory();
  const choice = options.kernels ?? options.backend ?? 'auto';
  const threads = options.threads ?? 2;
  if (choice === 'reference') return new Engine(memory, referenceKernels);
  if (choice === 'native' || choice === 'auto') {
    const load = loadNativeAddon(options.nativeAddon);
    if (load.addon) {
      const { kernels, variant, dispose } = createNativeKernels(load.addon, threads, options.nativeVariant);
      return new Engine(memory, kernels, dispose, `native-${variant}`);
    }
    if (choice === 'native') throw new Error(`native kernels unavailable: ${load.reason}`);
    const notice = options.onNotice ?? ((line: string) => void process.stderr.write(`${line}\n`));
    notice(`qudao: native kernels unavailable (${load.reason}); using the WebAssembly kernels`);
  }
  const { kernels, dispose, build } = await createWasmKernels(memory, threads, options.kernelBuild);
  return new Engine(memory, kernels, dispose, `wasm-${build}`);
}
