import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The package's `install` script (scripts/build-native.js) must never fail an install: without a compiler
// (or when told to skip) it prints one line and exits 0, leaving the engine on the WebAssembly kernels.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const script = path.join(root, 'scripts', 'build-native.js');
const run = (env: Record<string, string>): string => execFileSync(process.execPath, [script], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });

describe('native build at install', () => {
  it('without a C++ compiler: one line, exit 0, the built addon (if any) untouched', () => {
    const addon = path.join(root, 'native', 'build', 'qudao_kernels.node');
    const before = existsSync(addon);
    const out = run({ CXX: '/no/such/c++' });
    expect(out).toBe('qudao: native kernels not built (no C++ compiler: /no/such/c++ not found); the engine will use the WebAssembly kernels\n');
    expect(existsSync(addon)).toBe(before);
  });

  it('QUDAO_SKIP_NATIVE_BUILD=1 skips it with the same one line', () => {
    expect(run({ QUDAO_SKIP_NATIVE_BUILD: '1' })).toMatch(/^qudao: native kernels not built \(QUDAO_SKIP_NATIVE_BUILD=1\); the engine will use the WebAssembly kernels\n$/);
  });
});
