// Builds the native kernels (native/src/*.cc) into native/build/qudao_kernels.node with the C++
// compiler this machine has. It runs as the package's own `install` script, so `npm install` and
// `npm ci` of a clean clone build it with no extra step; `npm run build:native` rebuilds by hand.
// It needs no network and no node-gyp: Node-API is a stable C interface and Node ships its header
// (<node prefix>/include/node/node_api.h). Any failure (no compiler, no header, an unknown platform)
// prints one line and exits 0: the engine then runs on the WebAssembly kernels.
// QUDAO_SKIP_NATIVE_BUILD=1 skips the build (to try the fallback); CXX picks the compiler.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = path.join(root, 'native', 'src');
const outDir = path.join(root, 'native', 'build');
const out = path.join(outDir, 'qudao_kernels.node');

function notice(reason) {
  console.log(`qudao: native kernels not built (${reason}); the engine will use the WebAssembly kernels`);
}

function nodeHeaders() {
  const candidates = [
    path.join(path.dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ];
  return candidates.find((dir) => existsSync(path.join(dir, 'node_api.h')));
}

function build() {
  if (process.env.QUDAO_SKIP_NATIVE_BUILD === '1') return notice('QUDAO_SKIP_NATIVE_BUILD=1');
  if (process.platform === 'win32') return notice('no build recipe for Windows yet');
  const headers = nodeHeaders();
  if (!headers) return notice('Node-API headers not found next to the node binary');
  const cxx = process.env.CXX || 'c++';
  const sources = readdirSync(srcDir).filter((f) => f.endsWith('.cc')).map((f) => path.join(srcDir, f));
  const flags = [
    '-std=gnu++17', '-O3', '-fPIC', '-shared', '-pthread', '-fno-math-errno', '-fvisibility=hidden',
    '-Wall', '-Wno-psabi', `-I${headers}`,
  ];
  // Node resolves the napi_* symbols when it loads the addon.
  if (process.platform === 'darwin') flags.push('-undefined', 'dynamic_lookup');
  mkdirSync(outDir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const started = Date.now();
  try {
    execFileSync(cxx, [...flags, ...sources, '-o', tmp], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    rmSync(tmp, { force: true });
    const detail = err.code === 'ENOENT' ? `no C++ compiler: ${cxx} not found` : `${cxx} failed: ${String(err.stderr ?? err.message).trim().split('\n')[0]}`;
    return notice(detail);
  }
  // Rename into place, so a process loading the addon never sees a half-written file.
  renameSync(tmp, out);
  console.log(`qudao: built native kernels in ${((Date.now() - started) / 1000).toFixed(1)} s (${path.relative(root, out)})`);
}

build();
