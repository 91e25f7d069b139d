#!/usr/bin/env node
/**
 * `npm start` runs this first (prestart): builds the dashboard with Vite when dist/web is missing or
 * older than anything under web/ (or vite.config.ts), so `npm install && npm start` on a fresh clone
 * serves it. A current build is left alone, so restarts stay instant.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'web', 'index.html');

/** Newest modification time (ms) of a file or of any file below a folder. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), info.mtimeMs);
}

/** True when the dashboard build is missing or older than its sources. */
export function webBuildIsStale() {
  if (!existsSync(built)) return true;
  return Math.max(newest(join(root, 'web')), newest(join(root, 'vite.config.ts'))) > statSync(built).mtimeMs;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!webBuildIsStale()) process.exit(0);
  console.log('qudao: building the dashboard (web/ → dist/web)…');
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
