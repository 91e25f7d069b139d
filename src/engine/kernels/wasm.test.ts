import { expect, it } from 'vitest';
import { createEngine } from '../create.js';
import { describeKernelTwins } from '../testing/kernel-twins.js';

// The WebAssembly kernels against the reference kernels (see testing/kernel-twins.ts), in both builds:
// `relaxed` (fused multiply-add; what runs where the runtime supports it) and `simd`.

it('runs the relaxed-SIMD build on this runtime, and the plain one when asked', async () => {
  const relaxed = await createEngine({ kernels: 'wasm', threads: 1 });
  const plain = await createEngine({ kernels: 'wasm', threads: 1, kernelBuild: 'simd' });
  expect([relaxed.backendName, plain.backendName]).toEqual(['wasm-relaxed', 'wasm-simd']);
  await relaxed.dispose();
  await plain.dispose();
});

for (const build of ['relaxed', 'simd'] as const) {
  describeKernelTwins(`wasm kernels (${build} build) equal the reference kernels`, () => createEngine({ kernels: 'wasm', threads: 2, kernelBuild: build }));
}
