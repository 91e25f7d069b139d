// Hot kernels of the Qudao engine in AssemblyScript with WebAssembly SIMD (128-bit, 4 x f32).
// Compiled by `npm run build:wasm` (scripts/build-wasm.js) into src/engine/kernels/kernels.wasm.
// All pointers are byte offsets into the shared memory the engine owns; every kernel takes a range
// [lo, hi) of its outermost loop so the worker pool can split it without races: ranges write
// disjoint outputs, and each output is summed in one fixed order, so results do not depend on the
// number of threads. The plain TypeScript twins are in src/engine/kernels/reference.ts.

export * from './matmul';
export * from './pointwise';
export * from './attention';
export * from './adamw';
