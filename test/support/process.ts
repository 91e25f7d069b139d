import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Path of the `qudao` executable in this checkout. */
export const qudaoBin = fileURLToPath(new URL('../../bin/qudao.js', import.meta.url));

/** A `qudao start` child process and what it printed. */
export interface QudaoProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/**
 * Starts `qudao start --port 0` with the given extra arguments and environment and waits until it prints
 * the URL it listens on (or exits, which rejects with what it printed).
 */
export function startQudao(args: string[], env: Record<string, string> = {}): Promise<QudaoProcess> {
  const child = spawn(process.execPath, [qudaoBin, 'start', '--port', '0', ...args], {
    env: { ...process.env, QUDAO_LOG_LEVEL: 'warn', QUDAO_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`qudao start timed out; stdout: ${out} stderr: ${err}`)), 90_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, stdout: () => out, stderr: () => err, exited });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`qudao start exited with ${code}: ${err.trim()}`), { code, stderr: err, stdout: out }));
    });
  });
}

/** Runs `qudao <args>` to completion and returns its exit code and output. */
export function runQudao(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [qudaoBin, ...args], { env: { ...process.env, QUDAO_LOG_LEVEL: 'warn', QUDAO_DEMO: 'false', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
