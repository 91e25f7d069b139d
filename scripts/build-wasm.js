// Compiles the AssemblyScript kernels (asm/kernels.ts) into src/engine/kernels/kernels.wasm, the
// file the engine loads. The .wasm is committed, so installing Qudao needs no toolchain; run
// `npm run build:wasm` after editing asm/.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const asc = path.join(root, 'node_modules', '.bin', 'asc');
const args = [
  'asm/kernels.ts',
  '-o', 'src/engine/kernels/kernels.wasm',
  '--enable', 'simd', '--enable', 'threads',
  '--importMemory', '--sharedMemory', '--initialMemory', '64', '--maximumMemory', '65536',
  '-O3', '--runtime', 'stub', '--noAssert',
];
execFileSync(asc, args, { cwd: root, stdio: 'inherit' });
console.log('wrote src/engine/kernels/kernels.wasm');
