// Compiles the AssemblyScript kernels (asm/kernels.ts) into src/engine/kernels/kernels.wasm and
// kernels-relaxed.wasm, the files the engine loads. The .wasm is committed, so installing Qudao needs no toolchain; run
// `npm run build:wasm` after editing asm/.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const asc = path.join(root, 'node_modules', '.bin', 'asc');
const common = [
  'asm/kernels.ts',
  '--enable', 'simd', '--enable', 'threads',
  '--importMemory', '--sharedMemory', '--initialMemory', '64', '--maximumMemory', '65536',
  '-O3', '--runtime', 'stub', '--noAssert',
];
// Two builds of the same source: plain SIMD, and relaxed SIMD (fused multiply-add in the matmul, attention
// and dot-product loops), which the engine loads when the runtime validates it.
for (const [out, extra] of [['kernels.wasm', []], ['kernels-relaxed.wasm', ['--enable', 'relaxed-simd']]]) {
  execFileSync(asc, [...common, ...extra, '-o', `src/engine/kernels/${out}`], { cwd: root, stdio: 'inherit' });
  console.log(`wrote src/engine/kernels/${out}`);
}
