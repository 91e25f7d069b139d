import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readSafetensors, writeSafetensors, SafetensorsError, type SafetensorsEntry } from './safetensors.js';
import { commitFolder, folderNames, recoverFolder, syncDir } from './folder.js';
import type { OptimizerState } from '../optim/optimizer.js';
import type { RngState } from '../rng.js';

/** State needed to resume training bit-exactly. */
export interface TrainingState {
  /** Completed training steps. */
  step: number;
  /** Optimiser moments and step count (stored in optimizer.safetensors). */
  optimizer?: OptimizerState;
  /** Named RNG states (dropout, data order, ...). */
  rng?: Record<string, RngState>;
  /** Anything else the trainer wants back (JSON). */
  extra?: Record<string, unknown>;
}

/** A checkpoint: weights (Hugging Face names) plus JSON config, tokenizer and training state. */
export interface Checkpoint {
  config: Record<string, unknown>;
  weights: Map<string, SafetensorsEntry>;
  tokenizer?: unknown;
  training?: TrainingState;
}

/** A checkpoint that is missing, corrupt or does not match what the caller expects. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

const MANIFEST = 'checkpoint.json';
const FORMAT = 'qudao-checkpoint';

async function writeSynced(file: string, data: Uint8Array | string): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The steps of {@link saveCheckpoint}, in order; `file-written` comes once per file. */
export type SaveStep = 'temp-created' | 'file-written' | 'manifest-written' | 'previous-moved' | 'renamed' | 'previous-removed';

/** Options of {@link saveCheckpoint}. */
export interface SaveOptions {
  /**
   * Called after each step of the save. Tests throw from it to simulate a crash there: the save then stops
   * without tidying up, as a killed process would, and the next save or {@link recoverCheckpoint} recovers.
   */
  onStep?(step: SaveStep): void | Promise<void>;
}

/** The files of a checkpoint, by name. */
function checkpointFiles(ckpt: Checkpoint): Record<string, Uint8Array | string> {
  const files: Record<string, Uint8Array | string> = {
    'model.safetensors': writeSafetensors(ckpt.weights, { format: 'pt' }),
    'config.json': JSON.stringify(ckpt.config, null, 2),
  };
  if (ckpt.tokenizer !== undefined) files['tokenizer.json'] = JSON.stringify(ckpt.tokenizer);
  if (ckpt.training) {
    const { optimizer, ...rest } = ckpt.training;
    files['training_state.json'] = JSON.stringify({ ...rest, optimizerStep: optimizer?.step ?? null }, null, 2);
    if (optimizer) {
      const entries: Array<[string, SafetensorsEntry]> = [...optimizer.buffers].map(([n, d]) => [n, { shape: [d.length], data: d }]);
      files['optimizer.safetensors'] = writeSafetensors(entries);
    }
  }
  return files;
}

/**
 * Writes a checkpoint folder so that a crash at any instant leaves a complete checkpoint for
 * {@link recoverCheckpoint} to find (see folder.ts for the protocol): every file goes to a fresh temporary
 * folder next to `dir` and is fsynced, a manifest with each file's size and SHA-256 and the save's
 * generation is written last, then the previous checkpoint is moved aside, the new folder renamed into
 * place and the previous one removed. Leftovers of an earlier crashed save are recovered or removed first.
 */
export async function saveCheckpoint(dir: string, ckpt: Checkpoint, options: SaveOptions = {}): Promise<void> {
  const onStep = async (step: SaveStep) => {
    await options.onStep?.(step);
  };
  const names = folderNames(dir);
  await fs.mkdir(names.parent, { recursive: true });
  const generation = ((await recoverCheckpoint(dir)) ?? 0) + 1;
  const tmp = path.join(names.parent, `${names.tempPrefix}${process.pid}-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(tmp);
  await onStep('temp-created');
  const manifest: Record<string, { bytes: number; sha256: string }> = {};
  for (const [name, data] of Object.entries(checkpointFiles(ckpt))) {
    await writeSynced(path.join(tmp, name), data);
    manifest[name] = { bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.length, sha256: sha256(data) };
    await onStep('file-written');
  }
  const head = { format: FORMAT, version: 2, generation, step: ckpt.training?.step ?? null, savedAt: new Date().toISOString(), files: manifest };
  await writeSynced(path.join(tmp, MANIFEST), JSON.stringify(head, null, 2));
  await syncDir(tmp);
  await onStep('manifest-written');
  await commitFolder(names, tmp, onStep);
}

/**
 * Recovers checkpoint folder `dir` after a crash in any step of a save: the newest complete checkpoint among
 * `dir`, its `.old` and finished temporary folders (every file verified) ends up at `dir`, and leftover
 * temporary folders are removed. Returns the generation now at `dir` (1 for the first save; 0 for a folder
 * written before generations were recorded), or null when no checkpoint is there. Call it before reading a
 * checkpoint that a crashed process may have been writing (resuming a run); {@link saveCheckpoint} calls it.
 */
export async function recoverCheckpoint(dir: string): Promise<number | null> {
  return recoverFolder(dir, MANIFEST, async (folder) => {
    try {
      await loadCheckpoint(folder);
      return true;
    } catch (err) {
      if (err instanceof CheckpointError) return false;
      throw err;
    }
  });
}

async function readChecked(dir: string, name: string, entry: { bytes: number; sha256: string }): Promise<Buffer> {
  const data = await fs.readFile(path.join(dir, name)).catch(() => {
    throw new CheckpointError(`checkpoint ${dir}: ${name} is missing`);
  });
  if (data.length !== entry.bytes || sha256(data) !== entry.sha256) {
    throw new CheckpointError(`checkpoint ${dir}: ${name} is corrupt (size or SHA-256 differs from the manifest)`);
  }
  return data;
}

/**
 * Reads a checkpoint written by {@link saveCheckpoint}, verifying every file against the manifest.
 * Throws {@link CheckpointError} with the reason when anything is missing or corrupt.
 */
export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  let manifest: { format?: string; files?: Record<string, { bytes: number; sha256: string }> };
  try {
    manifest = JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8')) as typeof manifest;
  } catch (err) {
    throw new CheckpointError(`checkpoint ${dir}: no readable ${MANIFEST} (${(err as Error).message})`);
  }
  if (manifest.format !== FORMAT || !manifest.files) throw new CheckpointError(`checkpoint ${dir}: ${MANIFEST} is not a Qudao checkpoint manifest`);
  const files = manifest.files;
  const need = (name: string): { bytes: number; sha256: string } => {
    const f = files[name];
    if (!f) throw new CheckpointError(`checkpoint ${dir}: manifest lists no ${name}`);
    return f;
  };
  const parseJson = (data: Buffer, name: string): unknown => {
    try {
      return JSON.parse(data.toString('utf8'));
    } catch {
      throw new CheckpointError(`checkpoint ${dir}: ${name} is not valid JSON`);
    }
  };
  const safetensors = (data: Buffer, name: string): Map<string, SafetensorsEntry> => {
    try {
      return readSafetensors(data).tensors;
    } catch (err) {
      if (err instanceof SafetensorsError) throw new CheckpointError(`checkpoint ${dir}: ${name}: ${err.message}`);
      throw err;
    }
  };
  const weights = safetensors(await readChecked(dir, 'model.safetensors', need('model.safetensors')), 'model.safetensors');
  const config = parseJson(await readChecked(dir, 'config.json', need('config.json')), 'config.json') as Record<string, unknown>;
  const ckpt: Checkpoint = { config, weights };
  if (files['tokenizer.json']) ckpt.tokenizer = parseJson(await readChecked(dir, 'tokenizer.json', files['tokenizer.json']), 'tokenizer.json');
  if (files['training_state.json']) {
    const raw = parseJson(await readChecked(dir, 'training_state.json', files['training_state.json']), 'training_state.json') as TrainingState & { optimizerStep: number | null };
    const { optimizerStep, ...rest } = raw;
    const training: TrainingState = rest;
    if (files['optimizer.safetensors']) {
      const buffers = new Map<string, Float32Array>();
      for (const [n, t] of safetensors(await readChecked(dir, 'optimizer.safetensors', files['optimizer.safetensors']), 'optimizer.safetensors')) buffers.set(n, t.data);
      training.optimizer = { step: optimizerStep ?? 0, buffers };
    }
    ckpt.training = training;
  }
  return ckpt;
}
