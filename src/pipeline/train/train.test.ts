import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTextCorpus } from '../../../test/support/pipeline-data.js';
import { createEngine, loadCheckpoint, mul, saveCheckpoint, sum, type Engine } from '../../engine/index.js';
import { SGD } from '../../engine/index.js';
import { prepareData } from '../data/index.js';
import { evaluateLanguageModel } from '../eval/index.js';
import { initialLoopState, RUN_FILES, runTrainingLoop, trainLanguageModel, type CurvePoint, type TrainOptions } from './index.js';
import { silentProgress } from '../progress.js';

let engine: Engine;
let root: string;
let dataDir: string;
const model = { preset: 'tiny' as const, overrides: { nLayer: 1, nHead: 2, dModel: 16, contextLength: 16 } };
const base = (outDir: string): TrainOptions => ({ dataDir, outDir, model, steps: 12, batchSize: 4, seqLen: 16, evalEvery: 4, evalBatches: 2, checkpointEvery: 3, warmupSteps: 2, lr: 3e-3, seed: 5, dropout: 0.1 });
const lossesOf = (curve: readonly CurvePoint[]) => curve.map((p) => [p.step, p.loss, p.lr, p.gradNorm, p.valLoss ?? null]);

beforeAll(async () => {
  engine = await createEngine({ threads: 2 });
  root = mkdtempSync(join(tmpdir(), 'qd-train-'));
  dataDir = join(root, 'data');
  await prepareData({ inputs: [writeTextCorpus(join(root, 'text'))], outDir: dataDir, valFraction: 0.25, tokenizer: { kind: 'byte' } });
});
afterAll(async () => {
  await engine?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('pretraining', () => {
  it('learns: the validation loss falls and the run folder holds a resumable and a best checkpoint', async () => {
    const run = await trainLanguageModel({ ...base(join(root, 'learn')), steps: 30, evalEvery: 10 }, { engine });
    expect(run.outcome).toBe('completed');
    expect(run.steps).toBe(30);
    const vals = run.curve.flatMap((p) => (p.valLoss === undefined ? [] : [p.valLoss]));
    expect(vals).toHaveLength(3);
    expect(vals[2]!).toBeLessThan(vals[0]!);
    expect(run.bestValPerplexity).toBeCloseTo(Math.exp(run.bestValLoss!), 6);
    expect(run.modelDir).toBe(join(root, 'learn', 'best'));
  });

  it('reports what its validation loss covers, and qudao eval computes the same number on the same windows', async () => {
    const run = await trainLanguageModel({ ...base(join(root, 'scope')), steps: 8 }, { engine });
    expect(run.validation).toMatchObject({ unit: 'tokens', seqLen: 16, batchSize: 4, batches: 2, scored: 2 * 4 * 16 });
    expect(run.validation.total).toBeGreaterThan(run.validation.scored);
    const same = await evaluateLanguageModel({ modelDir: run.modelDir, dataDir, seqLen: 16, batchSize: 4, maxBatches: 2 }, { engine });
    expect(same.tokens).toBe(run.validation.scored);
    expect(same.loss).toBeCloseTo(run.bestValLoss!, 5);
    const whole = await evaluateLanguageModel({ modelDir: run.modelDir, dataDir, seqLen: 16 }, { engine });
    expect(whole.splitTokens).toBe(run.validation.total);
    expect(whole.tokens).toBeGreaterThan(same.tokens);
  });

  it('resumes after a stop with exactly the loss curve of an uninterrupted run (same seed)', async () => {
    const whole = await trainLanguageModel(base(join(root, 'whole')), { engine });
    const stop = new AbortController();
    const first = await trainLanguageModel(base(join(root, 'parts')), { engine, signal: stop.signal, onPoint: (p) => void (p.step === 5 && stop.abort()) });
    expect(first.outcome).toBe('stopped');
    expect(first.steps).toBe(5);
    const resumed = await trainLanguageModel(base(join(root, 'parts')), { engine });
    expect(resumed.outcome).toBe('completed');
    expect(lossesOf(resumed.curve)).toEqual(lossesOf(whole.curve));
  });

  it('resumes from the newest complete checkpoint when the process died between the two renames of a save, not from step 0', async () => {
    const whole = await trainLanguageModel(base(join(root, 'whole-2')), { engine });
    const stop = new AbortController();
    const out = join(root, 'crashed');
    await trainLanguageModel(base(out), { engine, signal: stop.signal, onPoint: (p) => void (p.step === 5 && stop.abort()) });
    // Re-save the step-5 checkpoint and "crash" right after the old folder was moved aside: no `checkpoint` now.
    const latest = join(out, RUN_FILES.latest);
    const saved = await loadCheckpoint(latest);
    await expect(saveCheckpoint(latest, saved, { onStep: (s) => { if (s === 'previous-moved') throw new Error('crash'); } })).rejects.toThrow('crash');
    expect(existsSync(latest)).toBe(false);
    const steps: number[] = [];
    const resumed = await trainLanguageModel(base(out), { engine, onPoint: (p) => void steps.push(p.step) });
    expect(steps[0]).toBe(6);
    expect(lossesOf(resumed.curve)).toEqual(lossesOf(whole.curve));
    expect(readdirSync(out).filter((n) => n.includes('.tmp-') || n.endsWith('.old'))).toEqual([]);
  });

  it('accumulates gradients over micro-batches', async () => {
    const run = await trainLanguageModel({ ...base(join(root, 'accum')), gradAccum: 3, steps: 6 }, { engine });
    expect(run.steps).toBe(6);
    expect(run.curve.every((p) => Number.isFinite(p.loss) && p.gradNorm > 0)).toBe(true);
  });

  it('refuses bad options with the option named', async () => {
    await expect(trainLanguageModel({ ...base(join(root, 'bad')), batchSize: 0 }, { engine })).rejects.toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'batchSize' });
    await expect(trainLanguageModel({ ...base(join(root, 'bad')), model: { preset: 'huge' as 'tiny' } }, { engine })).rejects.toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'model.preset' });
    await expect(trainLanguageModel({ ...base(join(root, 'bad')), seqLen: 64 }, { engine })).rejects.toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'seqLen' });
    await expect(trainLanguageModel({ ...base(join(root, 'bad')), dataDir: join(root, 'nope') }, { engine })).rejects.toMatchObject({ code: 'QD_DATA_UNREADABLE' });
  });
});

describe('the training loop', () => {
  it('stops early after `patience` evaluations without a better validation loss, and saves the best', async () => {
    const p = engine.parameter([2], [1, -1]);
    const scripted = [3, 2, 2.5, 2.1, 2.2, 1];
    const saved: string[] = [];
    const { outcome, state } = await runTrainingLoop({
      engine, model: { train: () => undefined }, optimizer: new SGD(engine, new Map([['p', p]])), trainable: [p],
      task: { lossOf: () => ({ loss: sum(mul(p, p)), tokens: 1 }), validate: () => ({ loss: scripted.shift()! }) },
      schedule: { kind: 'constant', lr: 0.1 }, steps: 100, gradAccum: 1, clipNorm: 0, evalEvery: 2, checkpointEvery: 50, earlyStopPatience: 3,
      save: async (kind, s) => void saved.push(`${kind}@${s.step}`), state: initialLoopState(), progress: silentProgress(),
    });
    expect(outcome).toBe('early-stopped');
    expect(state.step).toBe(10);
    expect([state.bestStep, state.bestValLoss]).toEqual([4, 2]);
    expect(saved).toEqual(['best@2', 'best@4', 'latest@10']);
  });
});
