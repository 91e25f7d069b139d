import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { QudaoError } from '../errors/index.js';

/** Whether a process with this pid exists (one of another user's counts: signalling it is refused, not failed). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dataDir>/qudao.lock` for this process (O_EXCL create holding our pid). A lock left by a process
 * that no longer runs (kill -9) is taken over; one held by a live process is QD_DATA_DIR_LOCKED.
 * Returns the release function.
 */
export function acquireDataDirLock(dataDir: string): () => Promise<void> {
  const path = join(dataDir, 'qudao.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return async () => {
        try {
          unlinkSync(path);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(holder) && processAlive(holder)) {
        throw new QudaoError('QD_DATA_DIR_LOCKED', `data folder ${dataDir} is in use by process ${holder}; stop it or choose another --data-dir`);
      }
      unlinkSync(path);
    }
  }
  throw new QudaoError('QD_DATA_DIR_LOCKED', `data folder ${dataDir}: cannot take the lock file ${path}`);
}
