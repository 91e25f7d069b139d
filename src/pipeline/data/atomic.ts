import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { PipelineError } from './errors.js';

/**
 * Builds a folder all-or-nothing: `build` writes into a hidden temporary sibling (same file system, so the
 * final rename is atomic), everything is fsynced, then the sibling is renamed into place. If `build` throws,
 * the sibling is removed and `outDir` is untouched: a failed run never leaves a half-written data set that a
 * training run could mistake for a good one.
 */
export async function buildFolderAtomically<T>(outDir: string, overwrite: boolean, build: (tmpDir: string) => Promise<T>): Promise<T> {
  const target = resolve(outDir);
  const parent = dirname(target);
  await assertWritableTarget(target, overwrite);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(parent, `.${basename(target)}.tmp-${tag}`);
  await mkdir(tmp);
  let result: T;
  try {
    result = await build(tmp);
    await fsyncPath(tmp);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  const old = join(parent, `.${basename(target)}.old-${tag}`);
  let movedOld = false;
  try {
    if (overwrite && (await exists(target))) {
      await rename(target, old);
      movedOld = true;
    }
    await rename(tmp, target);
  } catch (err) {
    if (movedOld) await rename(old, target).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  await fsyncPath(parent);
  if (movedOld) await rm(old, { recursive: true, force: true });
  return result;
}

/** Fails early (before any work) when the output exists and may not be replaced. */
export async function assertWritableTarget(outDir: string, overwrite: boolean): Promise<void> {
  if (!overwrite && (await exists(outDir))) {
    throw new PipelineError('QD_DATA_OUTPUT_EXISTS', `${outDir}: output folder already exists; choose another or pass --overwrite`);
  }
}

/** Writes a small file and fsyncs it. */
export async function writeFileSynced(path: string, data: string | Uint8Array): Promise<void> {
  await writeFile(path, data, { flag: 'wx' });
  await fsyncPath(path);
}

async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } catch (err) {
    // Some file systems refuse fsync on a directory (EINVAL/EISDIR); the file data itself is already synced.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw err;
  } finally {
    await fh.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
