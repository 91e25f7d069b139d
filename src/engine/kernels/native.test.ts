import { describe, expect, it } from 'vitest';
import { createEngine } from '../create.js';
import { describeKernelTwins } from '../testing/kernel-twins.js';
import { loadNativeAddon, supportedVariants } from './native.js';

// The native kernels against the reference kernels (testing/kernel-twins.ts) in every CPU variant
// this machine runs, on 1 and 2 threads. Without a built addon (no compiler at install) the native
// checks are skipped and the fallback tests below still run.
const load = loadNativeAddon();
const variants = load.addon ? supportedVariants(load.addon) : [];

describe.skipIf(!load.addon)('native kernels', () => {
  it('load on this machine, best variant first', async () => {
    const e = await createEngine({ threads: 1 });
    expect(e.backendName).toBe(`native-${variants[0]}`);
    expect(e.kernels.name).toBe('native');
    await e.dispose();
  });

  it('reject a variant this CPU lacks or that does not exist', async () => {
    await expect(createEngine({ kernels: 'native', nativeVariant: 'nope' as 'avx2' })).rejects.toThrow(/does not run/);
  });

  it('check sizes against the tensors before touching memory', async () => {
    const e = await createEngine({ kernels: 'native', threads: 1 });
    const a = e.scratch(16);
    expect(() => e.kernels.matmul(a, a, a, 4, 4, 5, false, false, false)).toThrow(/holds 16 elements, 20 needed/);
    expect(() => e.kernels.add(a, a, a, -1)).toThrow(/not a size/);
    await e.dispose();
  });
});

for (const variant of variants) {
  for (const threads of [1, 2]) {
    describeKernelTwins(`native kernels (${variant}, ${threads} thread${threads > 1 ? 's' : ''}) equal the reference kernels`,
      () => createEngine({ kernels: 'native', nativeVariant: variant, threads }));
  }
}

describe('without the native addon', () => {
  it('auto falls back to the WebAssembly kernels with a one-line notice', async () => {
    const notices: string[] = [];
    const e = await createEngine({ nativeAddon: '/nonexistent/qudao_kernels.node', threads: 1, onNotice: (l) => notices.push(l) });
    expect(e.backendName).toMatch(/^wasm-/);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^qudao: native kernels unavailable \(.*not built.*\); using the WebAssembly kernels$/);
    expect(notices[0]).not.toContain('\n');
    await e.dispose();
  });

  it('explicit native is an error, explicit wasm says nothing', async () => {
    await expect(createEngine({ kernels: 'native', nativeAddon: '/nonexistent/qudao_kernels.node' })).rejects.toThrow(/native kernels unavailable/);
    const notices: string[] = [];
    const e = await createEngine({ kernels: 'wasm', threads: 1, onNotice: (l) => notices.push(l) });
    expect(notices).toEqual([]);
    await e.dispose();
  });
});
