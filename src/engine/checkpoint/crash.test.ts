import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, recoverCheckpoint, saveCheckpoint, type Checkpoint, type SaveStep } from './checkpoint.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'qd-crash-'));
  dirs.push(d);
  return d;
}

/** Checkpoint of step `step`: weights and optimiser moments derived from the step, so a mix-up shows. */
function checkpointAt(step: number): Checkpoint {
  const fill = (n: number) => Float32Array.from({ length: 300 }, (_, i) => n + i / 1000);
  return {
    config: { kind: 'test', step },
    weights: new Map([['a', { shape: [300], data: fill(step) }], ['b', { shape: [300], data: fill(-step) }]]),
    training: { step, optimizer: { step, buffers: new Map([['a.exp_avg', fill(step / 2)]]) } },
  };
}

async function expectCheckpointAt(dir: string, step: number): Promise<void> {
  const back = await loadCheckpoint(dir);
  const want = checkpointAt(step);
  expect(back.training?.step).toBe(step);
  expect(back.weights.get('a')!.data).toEqual(want.weights.get('a')!.data);
  expect(back.weights.get('b')!.data).toEqual(want.weights.get('b')!.data);
  expect(back.training?.optimizer?.buffers.get('a.exp_avg')).toEqual(want.training!.optimizer!.buffers.get('a.exp_avg'));
}

/** The steps one save goes through, in order (each `file-written` is its own crash point). */
async function stepsOfOneSave(withPrevious: boolean): Promise<SaveStep[]> {
  const dir = path.join(await tempDir(), 'checkpoint');
  if (withPrevious) await saveCheckpoint(dir, checkpointAt(1));
  const steps: SaveStep[] = [];
  await saveCheckpoint(dir, checkpointAt(2), { onStep: (s) => void steps.push(s) });
  return steps;
}

class Crash extends Error {}

/** Saves `checkpointAt(step)` and "crashes" (stops dead, no tidying) right after the `at`-th step. */
async function saveAndCrash(dir: string, step: number, at: number): Promise<void> {
  let seen = 0;
  await expect(saveCheckpoint(dir, checkpointAt(step), { onStep: () => { if (seen++ === at) throw new Crash(); } })).rejects.toBeInstanceOf(Crash);
}

describe('checkpoints survive a crash at every step of a save', () => {
  it('goes through temp, files, manifest, move-aside, rename and removal, in that order', async () => {
    expect(await stepsOfOneSave(true)).toEqual(['temp-created', 'file-written', 'file-written', 'file-written', 'file-written', 'manifest-written', 'previous-moved', 'renamed', 'previous-removed']);
    expect(await stepsOfOneSave(false)).not.toContain('previous-moved');
  });

  it('after a crash at each step, recovery finds the newest complete checkpoint (never none) and removes the leftovers', async () => {
    const steps = await stepsOfOneSave(true);
    for (let at = 0; at < steps.length; at++) {
      const parent = await tempDir();
      const dir = path.join(parent, 'checkpoint');
      await saveCheckpoint(dir, checkpointAt(1));
      await saveAndCrash(dir, 2, at);
      // Complete once its manifest is written: from then on the new checkpoint is the one to resume from.
      const newest = at >= steps.indexOf('manifest-written') ? 2 : 1;
      expect({ crashAfter: steps[at], generation: await recoverCheckpoint(dir) }).toEqual({ crashAfter: steps[at], generation: newest });
      await expectCheckpointAt(dir, newest);
      expect(await readdir(parent)).toEqual(['checkpoint']);
      // and the next save goes on from there
      await saveCheckpoint(dir, checkpointAt(3));
      await expectCheckpointAt(dir, 3);
      expect(await readdir(parent)).toEqual(['checkpoint']);
    }
  });

  it('a crash in the very first save leaves either no checkpoint or the complete one, and no temporary folder', async () => {
    const steps = await stepsOfOneSave(false);
    for (let at = 0; at < steps.length; at++) {
      const parent = await tempDir();
      const dir = path.join(parent, 'checkpoint');
      await saveAndCrash(dir, 1, at);
      const complete = at >= steps.indexOf('manifest-written');
      expect(await recoverCheckpoint(dir)).toBe(complete ? 1 : null);
      if (complete) await expectCheckpointAt(dir, 1);
      expect(await readdir(parent)).toEqual(complete ? ['checkpoint'] : []);
    }
  });

  it('the next save removes what a crashed one left, without a recovery call first', async () => {
    const parent = await tempDir();
    const dir = path.join(parent, 'checkpoint');
    await saveCheckpoint(dir, checkpointAt(1));
    await saveAndCrash(dir, 2, 2); // in the middle of writing files
    expect((await readdir(parent)).some((n) => n.startsWith('.checkpoint.tmp-'))).toBe(true);
    await saveCheckpoint(dir, checkpointAt(3));
    expect(await readdir(parent)).toEqual(['checkpoint']);
    await expectCheckpointAt(dir, 3);
  });

  it('never picks a damaged leftover: a complete-looking temporary folder with a corrupt file is discarded', async () => {
    const parent = await tempDir();
    const dir = path.join(parent, 'checkpoint');
    await saveCheckpoint(dir, checkpointAt(1));
    await saveAndCrash(dir, 2, (await stepsOfOneSave(true)).indexOf('manifest-written'));
    const [temp] = (await readdir(parent)).filter((n) => n.startsWith('.checkpoint.tmp-'));
    await rm(path.join(parent, temp!, 'model.safetensors'));
    expect(await recoverCheckpoint(dir)).toBe(1);
    await expectCheckpointAt(dir, 1);
    expect(await readdir(parent)).toEqual(['checkpoint']);
  });
});

const saveLoop = fileURLToPath(new URL('../testing/checkpoint-save-loop.ts', import.meta.url));

/** Runs the save loop in a child process and kills it with SIGKILL once it has saved `after` times plus a random moment. */
function killSaveLoopMidway(dir: string, after: number, size: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', saveLoop, dir, String(size)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let lastSaved = 0;
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/saved (\d+)/g)) lastSaved = Number(m[1]);
      if (lastSaved >= after && !child.killed) setTimeout(() => child.kill('SIGKILL'), Math.random() * 40);
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(lastSaved) : reject(new Error(`save loop exited with ${code}: ${err}`))));
  });
}

describe('checkpoints survive kill -9 of the writer', () => {
  it('after each of 6 kills at a random moment, recovery finds a complete checkpoint at least as new as the last finished save', { timeout: 180_000 }, async () => {
    for (let round = 0; round < 6; round++) {
      const parent = await tempDir();
      const dir = path.join(parent, 'checkpoint');
      const size = 20_000 + Math.floor(Math.random() * 200_000);
      const lastSaved = await killSaveLoopMidway(dir, 2 + Math.floor(Math.random() * 4), size);
      const generation = await recoverCheckpoint(dir);
      expect(generation).not.toBeNull();
      // The save in flight may have finished writing before the kill: its checkpoint is then the newest.
      expect([lastSaved, lastSaved + 1]).toContain(generation);
      const back = await loadCheckpoint(dir);
      expect(back.training?.step).toBe(generation);
      expect(back.weights.get('a')!.data.every((v) => v === generation)).toBe(true);
      expect(back.weights.get('b')!.data.every((v) => v === -generation!)).toBe(true);
      expect(await readdir(parent)).toEqual(['checkpoint']);
    }
  });
});
