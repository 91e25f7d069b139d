import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Kernels } from './types.js';

/** CPU variants of the native kernels, best first: AVX-512F + FMA, AVX2 + FMA, portable C++. */
export type NativeVariant = 'avx512' | 'avx2' | 'portable';

/** Opaque handle of one native kernel context (its variant and thread pool). */
type Context = object;

/**
 * The Node-API addon built from native/src by `npm install` (scripts/build-native.js). Each kernel
 * takes a context first, then the arguments of the {@link Kernels} method of the same name.
 */
export interface NativeAddon {
  variants(): Array<{ name: NativeVariant; supported: boolean }>;
  createContext(threads: number, variant: NativeVariant): Context;
  disposeContext(cx: Context): void;
  matmul(cx: Context, ...args: Parameters<Kernels['matmul']>): void;
  layerNormForward(cx: Context, ...args: Parameters<Kernels['layerNormForward']>): void;
  layerNormBackward(cx: Context, ...args: Parameters<Kernels['layerNormBackward']>): void;
  softmax(cx: Context, ...args: Parameters<Kernels['softmax']>): void;
  add(cx: Context, ...args: Parameters<Kernels['add']>): void;
  geluForward(cx: Context, ...args: Parameters<Kernels['geluForward']>): void;
  geluBackward(cx: Context, ...args: Parameters<Kernels['geluBackward']>): void;
  sumSquares(cx: Context, ...args: Parameters<Kernels['sumSquares']>): number;
  scale(cx: Context, ...args: Parameters<Kernels['scale']>): void;
  geluForwardSave(cx: Context, ...args: Parameters<Kernels['geluForwardSave']>): void;
  geluBackwardSaved(cx: Context, ...args: Parameters<Kernels['geluBackwardSaved']>): void;
  attentionForward(cx: Context, ...args: Parameters<Kernels['attentionForward']>): void;
  attentionBackward(cx: Context, ...args: Parameters<Kernels['attentionBackward']>): void;
  flashAttentionForward(cx: Context, ...args: Parameters<NonNullable<Kernels['flashAttentionForward']>>): void;
  flashAttentionBackward(cx: Context, ...args: Parameters<NonNullable<Kernels['flashAttentionBackward']>>): void;
  attentionDecode(cx: Context, ...args: Parameters<Kernels['attentionDecode']>): void;
  lstmCellForward(cx: Context, ...args: Parameters<Kernels['lstmCellForward']>): void;
  lstmCellBackward(cx: Context, ...args: Parameters<Kernels['lstmCellBackward']>): void;
  adamw(cx: Context, ...args: Parameters<Kernels['adamw']>): void;
}

/** Where `npm install` puts the compiled addon. */
export const DEFAULT_NATIVE_ADDON = fileURLToPath(new URL('../../../native/build/qudao_kernels.node', import.meta.url));

/** The addon, or why it cannot be used here (not built, built for another platform, ...). */
export type NativeLoad = { addon: NativeAddon; reason?: undefined } | { addon?: undefined; reason: string };

/** Loads the compiled addon from `file`; never throws. */
export function loadNativeAddon(file: string = DEFAULT_NATIVE_ADDON): NativeLoad {
  try {
    return { addon: createRequire(import.meta.url)(file) as NativeAddon };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reason = e.code === 'MODULE_NOT_FOUND' ? `${file} is not built (no C++ compiler at install?)` : `${file} did not load: ${e.message.split('\n')[0]}`;
    return { reason };
  }
}

/** The variants this CPU runs, best first. */
export function supportedVariants(addon: NativeAddon): NativeVariant[] {
  return addon.variants().filter((v) => v.supported).map((v) => v.name);
}

/**
 * The native backend: C++ kernels that read and write the engine's tensors in place (the views of
 * the shared WebAssembly.Memory), on the calling thread plus `threads - 1` native threads. `variant`
 * forces a CPU variant (tests, benchmarks); by default the best one this CPU supports runs.
 */
export function createNativeKernels(addon: NativeAddon, threads: number, variant?: NativeVariant): { kernels: Kernels; variant: NativeVariant; dispose: () => Promise<void> } {
  const supported = supportedVariants(addon);
  const chosen = variant ?? supported[0];
  if (!chosen || !supported.includes(chosen)) throw new Error(`this CPU does not run the ${variant ?? 'native'} kernels (supported: ${supported.join(', ') || 'none'})`);
  const cx = addon.createContext(Math.max(1, Math.min(Math.floor(threads), availableParallelism())), chosen);
  const kernels: Kernels = {
    name: 'native',
    matmul: (...a) => addon.matmul(cx, ...a),
    layerNormForward: (...a) => addon.layerNormForward(cx, ...a),
    layerNormBackward: (...a) => addon.layerNormBackward(cx, ...a),
    softmax: (...a) => addon.softmax(cx, ...a),
    add: (...a) => addon.add(cx, ...a),
    geluForward: (...a) => addon.geluForward(cx, ...a),
    geluBackward: (...a) => addon.geluBackward(cx, ...a),
    sumSquares: (...a) => addon.sumSquares(cx, ...a),
    scale: (...a) => addon.scale(cx, ...a),
    geluForwardSave: (...a) => addon.geluForwardSave(cx, ...a),
    geluBackwardSaved: (...a) => addon.geluBackwardSaved(cx, ...a),
    attentionForward: (...a) => addon.attentionForward(cx, ...a),
    attentionBackward: (...a) => addon.attentionBackward(cx, ...a),
    flashAttentionForward: (...a) => addon.flashAttentionForward(cx, ...a),
    flashAttentionBackward: (...a) => addon.flashAttentionBackward(cx, ...a),
    attentionDecode: (...a) => addon.attentionDecode(cx, ...a),
    lstmCellForward: (...a) => addon.lstmCellForward(cx, ...a),
    lstmCellBackward: (...a) => addon.lstmCellBackward(cx, ...a),
    adamw: (...a) => addon.adamw(cx, ...a),
  };
  return { kernels, variant: chosen, dispose: async () => addon.disposeContext(cx) };
}
