import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, AdamW, Rng, saveCheckpoint, loadCheckpoint, type Engine } from '../engine/index.js';
import { GPT } from './gpt.js';
import { LstmLM } from './lstm-lm.js';
import { SequenceClassifier } from './classifier.js';
import { trainStep, type Batch } from './train-step.js';
import { toCheckpoint, modelFromCheckpoint, restoreTraining } from './checkpointing.js';
import { presetSpec, parameterCount, estimateMemory, createModel, type ModelSpec } from './presets.js';

let e: Engine;
let dir: string;
beforeAll(async () => {
  e = await createEngine({ threads: 2 });
  dir = await mkdtemp(path.join(tmpdir(), 'qd-train-'));
});
afterAll(async () => {
  await e.dispose();
  await rm(dir, { recursive: true, force: true });
});

const spec: ModelSpec = { kind: 'gpt', config: { vocabSize: 32, contextLength: 16, nLayer: 2, nHead: 2, dModel: 16, dropout: 0.1 } };

/** A deterministic stream of batches: a repeating pattern the model can learn. */
function batch(step: number, B = 4, T = 16, V = 32): Batch {
  const r = new Rng(step);
  const ids = new Int32Array(B * T);
  const targets = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    const start = Math.floor(r.uniform() * V);
    for (let t = 0; t < T; t++) {
      ids[b * T + t] = (start + t * 3) % V;
      targets[b * T + t] = (start + (t + 1) * 3) % V;
    }
  }
  return { ids, targets, shape: [B, T] };
}

function train(model: GPT | LstmLM, opt: AdamW, from: number, to: number, lr = 3e-3): number[] {
  const losses: number[] = [];
  for (let s = from; s < to; s++) losses.push(trainStep(model, opt, batch(s), lr, 1).loss);
  return losses;
}

describe('training', () => {
  it('is deterministic: same seed, data and config give bit-identical losses', () => {
    const run = (): number[] => {
      const m = createModel(e, spec, { seed: 11 }) as GPT;
      return train(m, new AdamW(e, m.parameters()), 0, 5);
    };
    expect(run()).toEqual(run());
  });

  it('GPT learns a pattern (loss falls)', () => {
    const m = createModel(e, spec, { seed: 3 }) as GPT;
    const losses = train(m, new AdamW(e, m.parameters()), 0, 40, 1e-2);
    expect(losses[39]!).toBeLessThan(losses[0]! * 0.5);
  });

  it('resumes bit-exactly from a checkpoint (weights, AdamW moments, dropout RNG)', async () => {
    const m = createModel(e, spec, { seed: 5 }) as GPT;
    const opt = new AdamW(e, m.parameters());
    train(m, opt, 0, 3);
    await saveCheckpoint(path.join(dir, 'ck'), toCheckpoint(spec, m, { step: 3, optimizer: opt }));
    const straight = train(m, opt, 3, 6);

    const ckpt = await loadCheckpoint(path.join(dir, 'ck'));
    const { model: m2 } = modelFromCheckpoint(e, ckpt);
    const opt2 = new AdamW(e, m2.parameters());
    const step = restoreTraining(ckpt, m2, opt2);
    expect(step).toBe(3);
    expect(train(m2, opt2, 3, 6)).toEqual(straight);
  });

  it('LstmLM (the seed model) trains and decodes like its full forward', () => {
    const m = new LstmLM(e, { vocabSize: 32, embedDim: 16, hiddenSize: 24, numLayers: 2, dropout: 0.1 }, { seed: 2 });
    const opt = new AdamW(e, m.parameters());
    const losses = train(m, opt, 0, 30, 1e-2);
    expect(losses[29]!).toBeLessThan(losses[0]! * 0.7);
    m.train(false);
    e.resetArena();
    const ids = Int32Array.from([3, 6, 9, 12, 15]);
    const full = m.forward(ids, [1, 5]).logits.toArray();
    const state = m.createDecodeState(2);
    const a = m.decode(state, ids.subarray(0, 4), new Int32Array(4).fill(1));
    const b = m.decode(state, ids.subarray(4), Int32Array.from([1]));
    for (let v = 0; v < 32; v++) {
      expect(a[v]).toBeCloseTo(full[3 * 32 + v]!, 4);
      expect(b[v]).toBeCloseTo(full[4 * 32 + v]!, 4);
    }
    state.dispose();
  });
});

describe('classification head', () => {
  it('pools the last non-pad token, trains, and leaves frozen layers untouched', () => {
    const base = new GPT(e, { vocabSize: 16, contextLength: 8, nLayer: 2, nHead: 2, dModel: 16 }, { seed: 1 });
    const clf = new SequenceClassifier(base, { numClasses: 2, padId: 0, freezeBelow: 1 });
    const frozen = base.h[0]!.attn.c_attn.weight.toArray();
    const trained = base.h[1]!.attn.c_attn.weight.toArray();
    const opt = new AdamW(e, clf.parameters());
    // class = whether the sequence contains token 5; right-padded with 0
    const ids = Int32Array.from([1, 5, 2, 0, 0, 0, 0, 0, 3, 4, 2, 6, 0, 0, 0, 0, 5, 5, 0, 0, 0, 0, 0, 0, 7, 8, 9, 0, 0, 0, 0, 0]);
    const labels = Int32Array.from([1, 0, 1, 0]);
    let first = 0;
    let last = 0;
    for (let s = 0; s < 30; s++) {
      e.resetArena();
      opt.zeroGrad();
      const { loss } = clf.forward(ids, [4, 8], labels);
      if (s === 0) first = loss!.item();
      last = loss!.item();
      e.backward(loss!);
      opt.step(1e-2);
    }
    expect(last).toBeLessThan(first * 0.5);
    expect(base.h[0]!.attn.c_attn.weight.toArray()).toEqual(frozen);
    expect(base.h[1]!.attn.c_attn.weight.toArray()).not.toEqual(trained);
  });
});

describe('presets', () => {
  it('count parameters exactly and estimate memory', () => {
    const tiny = presetSpec('tiny');
    const m = createModel(e, tiny);
    expect(parameterCount(tiny)).toBe(m.parameterCount());
    const lstm = presetSpec('lstm-seed', { vocabSize: 100 });
    expect(parameterCount(lstm)).toBe(createModel(e, lstm).parameterCount());
    const est = estimateMemory(presetSpec('mid'), 8, 256);
    expect(est.parameterCount).toBeGreaterThan(10_000_000);
    expect(est.total).toBeLessThan(1.2e9);
  });
});

describe('threads', () => {
  it('one and two threads give bit-identical training losses', async () => {
    const losses: number[][] = [];
    for (const threads of [1, 2]) {
      const eng = await createEngine({ threads });
      const m = createModel(eng, { kind: 'gpt', config: { vocabSize: 32, contextLength: 64, nLayer: 1, nHead: 2, dModel: 64 } }, { seed: 9 }) as GPT;
      const opt = new AdamW(eng, m.parameters());
      const run: number[] = [];
      for (let s = 0; s < 3; s++) run.push(trainStep(m, opt, batch(s, 16, 64), 1e-3, 1).loss);
      losses.push(run);
      await eng.dispose();
    }
    expect(losses[1]).toEqual(losses[0]);
  });
});

describe('classification head on the LSTM model', () => {
  it('trains with the embedding frozen', () => {
    const base = new LstmLM(e, { vocabSize: 16, embedDim: 8, hiddenSize: 16, numLayers: 1 }, { seed: 3 });
    const clf = new SequenceClassifier(base, { numClasses: 2, padId: 0, freezeBelow: 0 });
    const emb = base.embedding.weight.toArray();
    const opt = new AdamW(e, clf.parameters());
    const ids = Int32Array.from([1, 5, 2, 0, 3, 4, 2, 6, 5, 5, 0, 0, 7, 8, 9, 0]);
    const labels = Int32Array.from([1, 0, 1, 0]);
    const losses: number[] = [];
    for (let s = 0; s < 40; s++) {
      e.resetArena();
      opt.zeroGrad();
      const { loss } = clf.forward(ids, [4, 4], labels);
      losses.push(loss!.item());
      e.backward(loss!);
      opt.step(2e-2);
    }
    expect(losses[39]!).toBeLessThan(losses[0]! * 0.5);
    expect(base.embedding.weight.toArray()).toEqual(emb);
  });
});

describe('memory', () => {
  it('a disposed model and optimiser give their memory back for the next one', () => {
    const before = e.memory.livePersistentBytes;
    const m = createModel(e, spec, { seed: 1 });
    const opt = new AdamW(e, m.parameters());
    const held = e.memory.livePersistentBytes - before;
    expect(held).toBeGreaterThanOrEqual(4 * 4 * parameterCount(spec));
    opt.dispose();
    m.dispose();
    expect(e.memory.livePersistentBytes).toBe(before);
    const used = e.memory.usedBytes;
    const m2 = createModel(e, spec, { seed: 2 });
    new AdamW(e, m2.parameters());
    expect(e.memory.usedBytes).toBe(used);
  });
});
