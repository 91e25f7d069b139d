/**
 * The crash-safe life cycle of one checkpoint folder `<parent>/<name>`, apart from what goes in it.
 *
 * A save writes a complete new folder `.<name>.tmp-<pid>-<hex>` (every file fsynced, the manifest last, the
 * folder fsynced), moves the current `<name>` aside to `.<name>.old`, renames the new folder to `<name>` and
 * removes `.<name>.old`. At every instant one complete checkpoint is on disk:
 *
 * | crash after            | on disk                                   | recovery picks                |
 * | ---------------------- | ----------------------------------------- | ----------------------------- |
 * | temp folder started    | `<name>` (n), partial temp                | `<name>` (n)                  |
 * | manifest written       | `<name>` (n), complete temp (n+1)         | temp (n+1), renamed in        |
 * | previous moved aside   | `.old` (n), complete temp (n+1)           | temp (n+1), renamed in        |
 * | new folder renamed in  | `<name>` (n+1), `.old` (n)                | `<name>` (n+1)                |
 * | `.old` partly removed  | `<name>` (n+1), partial `.old`            | `<name>` (n+1)                |
 *
 * "Newest" is the manifest's `generation`, one more than the folder it replaces. A candidate other than
 * `<name>` counts only when every file matches its manifest; `<name>` itself only ever appears by renaming a
 * complete folder, so it is never skipped: if it is corrupt, loading it says so. One writer per folder: a
 * temporary folder of another live process is left alone.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** The manifest fields this module reads (the rest belongs to checkpoint.ts). */
export interface ManifestHead {
  /** Saves of this folder so far; each save writes one more than the folder it replaces. */
  readonly generation?: number;
}

/** Where a folder's siblings live and what they are called. */
export interface FolderNames {
  readonly dir: string;
  readonly parent: string;
  /** `.<name>.old`: the previous checkpoint while the new one is renamed in. */
  readonly previous: string;
  /** Prefix of the temporary folders a save writes into. */
  readonly tempPrefix: string;
}

/** The names around checkpoint folder `dir`. */
export function folderNames(dir: string): FolderNames {
  const resolved = path.resolve(dir);
  const parent = path.dirname(resolved);
  const name = path.basename(resolved);
  return { dir: resolved, parent, previous: path.join(parent, `.${name}.old`), tempPrefix: `.${name}.tmp-` };
}

/** Reads and parses `file` as JSON, or null when it is missing or unreadable. */
export async function readJsonOrNull<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** fsyncs a folder, so that renames and new entries in it survive a power cut. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return false; // our own leftover: a save of this process that failed part way
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temporary folders of `dir` whose writer is gone (dead process, or this one after a failed save). */
async function staleTemps(names: FolderNames): Promise<string[]> {
  const entries = await fs.readdir(names.parent).catch(() => [] as string[]);
  return entries
    .filter((e) => e.startsWith(names.tempPrefix))
    .filter((e) => !processIsAlive(Number.parseInt(e.slice(names.tempPrefix.length), 10)))
    .map((e) => path.join(names.parent, e));
}

async function exists(p: string): Promise<boolean> {
  return (await fs.stat(p).catch(() => null)) !== null;
}

/**
 * Puts `from` (a complete checkpoint folder) in place at `names.dir`: the current one is moved aside first
 * and removed last, so a crash between the two renames still leaves a complete folder for recovery.
 * `onStep` is told after each step (tests use it to crash there).
 */
export async function commitFolder(names: FolderNames, from: string, onStep: (step: 'previous-moved' | 'renamed' | 'previous-removed') => Promise<void>): Promise<void> {
  if (await exists(names.dir)) {
    await fs.rm(names.previous, { recursive: true, force: true });
    await fs.rename(names.dir, names.previous);
    await syncDir(names.parent);
    await onStep('previous-moved');
  }
  await fs.rename(from, names.dir);
  await syncDir(names.parent);
  await onStep('renamed');
  await fs.rm(names.previous, { recursive: true, force: true });
  await onStep('previous-removed');
}

/**
 * Brings the folder of checkpoint `dir` back to a clean state after a crash in any step of a save: the
 * newest complete checkpoint among `dir`, `.old` and finished temporary folders ends up at `dir` (`isComplete`
 * verifies a candidate), and every leftover is removed. Returns the generation now at `dir`, or null when
 * there is no checkpoint there. Cheap when nothing is left over: only manifests are read.
 */
export async function recoverFolder(dir: string, manifestName: string, isComplete: (folder: string) => Promise<boolean>): Promise<number | null> {
  const names = folderNames(dir);
  const head = (folder: string) => readJsonOrNull<ManifestHead>(path.join(folder, manifestName));
  const generationOf = (h: ManifestHead | null) => (typeof h?.generation === 'number' ? h.generation : 0);
  const current = (await exists(names.dir)) ? { folder: names.dir, generation: generationOf(await head(names.dir)) } : null;
  const leftovers = [...(await staleTemps(names)), ...((await exists(names.previous)) ? [names.previous] : [])];
  if (leftovers.length === 0) return current?.generation ?? null;
  const candidates: Array<{ folder: string; generation: number }> = [];
  for (const folder of leftovers) {
    const h = await head(folder);
    if (h) candidates.push({ folder, generation: generationOf(h) });
  }
  candidates.sort((a, b) => b.generation - a.generation);
  let chosen = current;
  for (const c of candidates) {
    if (current && c.generation <= current.generation) break;
    if (await isComplete(c.folder)) {
      chosen = c;
      break;
    }
  }
  if (chosen && chosen !== current) {
    let from = chosen.folder;
    if (from === names.previous && current) {
      // commitFolder moves `dir` to `.old`; take the chosen `.old` out of the way first.
      from = path.join(names.parent, `${names.tempPrefix}${process.pid}-recovered`);
      await fs.rm(from, { recursive: true, force: true });
      await fs.rename(names.previous, from);
    }
    await commitFolder(names, from, async () => {});
  }
  for (const folder of leftovers) {
    if (folder !== chosen?.folder) await fs.rm(folder, { recursive: true, force: true });
  }
  await syncDir(names.parent).catch(() => {});
  return chosen?.generation ?? null;
}
