// Command-line flags shared by the engine benchmark cases.
import type { KernelChoice } from '../../src/engine/index.js';

/** The arguments that are not `--flags`. */
export function positional(): string[] {
  return process.argv.slice(2).filter((a) => !a.startsWith('--'));
}

/** `--kernels=native|wasm|reference|auto` (default auto: native when built). */
export function kernelsFlag(): KernelChoice {
  const arg = process.argv.find((a) => a.startsWith('--kernels='));
  const value = arg?.slice('--kernels='.length) ?? 'auto';
  if (!['auto', 'native', 'wasm', 'reference'].includes(value)) throw new Error(`--kernels=${value}: expected native, wasm, reference or auto`);
  return value as KernelChoice;
}
