import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, saveCheckpoint, type Engine } from '../../engine/index.js';
import { SequenceClassifier, createModel, poolings, truncations, type ModelSpec } from '../../models/index.js';
import { finetuneParamsSchema } from '../../shared/contract/pipeline.js';
import { packClassBatch, rowBudgetGroups } from './batches.js';
import { resolveClassWeights } from './classify.js';
import { classifierCheckpoint, classifierFrom, readCheckpoint, readingOf, type ClassifierMeta } from './model-io.js';

let e: Engine;
let dir: string;
beforeAll(async () => {
  e = await createEngine({ backend: 'reference' });
  dir = await mkdtemp(join(tmpdir(), 'qd-classify-'));
});
afterAll(async () => {
  await e.dispose();
  await rm(dir, { recursive: true, force: true });
});

const spec: ModelSpec = { kind: 'gpt', config: { vocabSize: 16, contextLength: 8, nLayer: 1, nHead: 2, dModel: 8, dropout: 0 } };
const example = (label: number, n = 3) => ({ tokens: Array.from({ length: n }, (_, i) => 1 + ((i + label) % 14)), label });

describe('class weights', () => {
  it('balanced is n / (k · n_c) over the train split, as scikit-learn computes it', () => {
    const labeled = { labels: ['ham', 'spam'], train: [example(0), example(0), example(0), example(1)] };
    // n = 4, k = 2: ham 4 / (2·3) = 0.667, spam 4 / (2·1) = 2
    const w = resolveClassWeights('balanced', labeled);
    expect(w[0]).toBeCloseTo(2 / 3, 12);
    expect(w[1]).toBeCloseTo(2, 12);
    // k counts every label; one absent from the train split weighs 0 (n = 2, k = 3: 2 / (3·1) each)
    expect(resolveClassWeights('balanced', { labels: ['a', 'b', 'c'], train: [example(0), example(1)] })).toEqual([2 / 3, 2 / 3, 0]);
  });
  it('a list is taken as given, and a wrong one names the labels to weigh', () => {
    const labeled = { labels: ['ham', 'spam'], train: [example(0)] };
    expect(resolveClassWeights([1, 3], labeled)).toEqual([1, 3]);
    for (const bad of [[1], [1, -1], [0, 0], [1, Number.NaN]]) {
      expect(() => resolveClassWeights(bad, labeled)).toThrow(expect.objectContaining({ code: 'QD_INVALID_REQUEST', param: 'classWeights' }));
    }
  });
});

describe('the classifier section of a checkpoint', () => {
  it('round-trips pooling, truncation and class weights, and the reloaded model reads documents as before', async () => {
    const base = createModel(e, spec, { seed: 2 });
    const clf = new SequenceClassifier(base, { numClasses: 2, padId: 0, pooling: 'mean', seed: 4 });
    clf.train(false);
    const meta: ClassifierMeta = { labels: ['ham', 'spam'], padId: 0, seqLen: 4, pooling: 'mean', truncation: 'chunk-and-pool', classWeights: [0.75, 1.5] };
    await saveCheckpoint(join(dir, 'clf'), classifierCheckpoint(spec, base, clf, meta, undefined));

    const back = classifierFrom(e, await readCheckpoint(join(dir, 'clf')), join(dir, 'clf'));
    expect(back.meta).toEqual(meta);
    expect(back.classifier.pooling).toBe('mean');
    expect(readingOf(back.meta)).toEqual({ seqLen: 4, truncation: 'chunk-and-pool', pooling: 'mean' });
    back.classifier.train(false);
    const docs = [[1, 2, 3, 4, 5, 6, 7], [9, 3]];
    const before = e.noGrad(() => clf.forwardDocuments(docs, readingOf(meta)).logits.toArray());
    const after = e.noGrad(() => back.classifier.forwardDocuments(docs, readingOf(back.meta)).logits.toArray());
    expect(Array.from(after)).toEqual(Array.from(before));
  });

  it('reads a checkpoint from before these options as it was trained: last token, head', () => {
    const old = { labels: ['a', 'b'], padId: 0, seqLen: 128 };
    expect(readingOf(old)).toEqual({ seqLen: 128, truncation: 'head', pooling: 'last' });
    expect(readingOf(old, 64).seqLen).toBe(64);
  });
});

describe('classification batches', () => {
  it('packs each example as its truncation says, one label per example', () => {
    const examples = [{ tokens: [1, 2, 3, 4, 5, 6], label: 1 }, { tokens: [7], label: 0 }];
    const head = packClassBatch(examples, 4, 0);
    expect([...head.batch.ids]).toEqual([1, 2, 3, 4, 7, 0, 0, 0]);
    expect([...head.labels]).toEqual([1, 0]);
    const ht = packClassBatch(examples, 4, 0, 'head+tail');
    expect([...ht.batch.ids]).toEqual([1, 2, 5, 6, 7, 0, 0, 0]);
    const chunks = packClassBatch(examples, 4, 0, 'chunk-and-pool');
    expect(chunks.batch.shape).toEqual([3, 4]);
    expect([...chunks.layout.docOf]).toEqual([0, 0, 1]);
    expect([...chunks.labels]).toEqual([1, 0]);
  });
});

describe('scoring chunk-and-pool by rows', () => {
  it('groups examples so their windows fill at most maxRows rows, never splitting one, at least one per group', () => {
    const ex = (n: number) => ({ tokens: Array.from({ length: n }, () => 1), label: 0 });
    // windows of 4 tokens: 9 → 3 rows, 2 → 1, 8 → 2, 17 → 5 (over budget alone), 1 → 1
    const examples = [ex(9), ex(2), ex(8), ex(17), ex(1)];
    expect(rowBudgetGroups(examples, 4, 'chunk-and-pool', 4)).toEqual([[0, 2], [2, 3], [3, 4], [4, 5]]);
    expect(rowBudgetGroups(examples, 4, 'head', 2)).toEqual([[0, 2], [2, 4], [4, 5]]);
  });
});

describe('the finetune contract', () => {
  const params = { task: 'classify', checkpoint: 'c', dataDir: 'd', outDir: 'o' };
  it('takes the classifier options the trainer knows, and only those', () => {
    for (const pooling of poolings) expect(finetuneParamsSchema.safeParse({ ...params, pooling }).success).toBe(true);
    for (const truncation of truncations) expect(finetuneParamsSchema.safeParse({ ...params, truncation }).success).toBe(true);
    expect(finetuneParamsSchema.safeParse({ ...params, classWeights: 'balanced' }).success).toBe(true);
    expect(finetuneParamsSchema.safeParse({ ...params, classWeights: [1, 2.5] }).success).toBe(true);
    expect(finetuneParamsSchema.safeParse({ ...params, pooling: 'max' }).success).toBe(false);
    expect(finetuneParamsSchema.safeParse({ ...params, truncation: 'tail' }).success).toBe(false);
    expect(finetuneParamsSchema.safeParse({ ...params, classWeights: [-1, 1] }).success).toBe(false);
    // classifier options belong to the classify task
    expect(finetuneParamsSchema.safeParse({ ...params, task: 'lm', pooling: 'mean' }).success).toBe(false);
  });
});
