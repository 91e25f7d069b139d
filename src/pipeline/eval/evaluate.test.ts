/**
 * Every evaluation carries a baseline: a small labeled folder and a tiny classifier fine-tuned on it, then
 * `evaluateModel` and `qudao eval` — the baselines are there, trained on the same train split, scored on the
 * same examples, and every figure agrees with the per-example predictions it is computed from. A language
 * model's evaluation carries the n-gram, scored on exactly the model's tokens.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLabeledCsv, writeTextCorpus } from '../../../test/support/pipeline-data.js';
import { rootCommand, runCli } from '../../cli/index.js';
import { createEngine, type Engine } from '../../engine/index.js';
import { runMetricsSchema } from '../../shared/contract/pipeline.js';
import { openShards, prepareData } from '../data/index.js';
import { trainClassifier, trainLanguageModel, type RunSummary } from '../train/index.js';
import { ngramWindowLoss, trainNgram } from './baselines/ngram.js';
import { mcnemar } from './baselines/significance.js';
import { compareModels, evaluateModel, type ClassifierEvaluation, type LmEvaluation } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'qd-eval-baselines-'));
const tiny = { preset: 'tiny' as const, overrides: { nLayer: 1, nHead: 2, dModel: 16, contextLength: 32 } };
const hyper = { batchSize: 4, seqLen: 32, evalEvery: 10, evalBatches: 2, checkpointEvery: 10, warmupSteps: 2, lr: 3e-3, seed: 3 };
let engine: Engine;
let pretrained: RunSummary;
let classifier: RunSummary;
const textDir = join(root, 'text-data');
const labeledDir = join(root, 'labeled');

beforeAll(async () => {
  engine = await createEngine({ threads: 2 });
  await prepareData({ inputs: [writeTextCorpus(join(root, 'text'))], outDir: textDir, valFraction: 0.25, tokenizer: { kind: 'train', vocabSize: 300 } });
  pretrained = await trainLanguageModel({ dataDir: textDir, outDir: join(root, 'pretrain'), model: tiny, steps: 10, ...hyper }, { engine });
  await prepareData({ inputs: [writeLabeledCsv(join(root, 'labeled.csv'), 120)], outDir: labeledDir, labelField: 'label', valFraction: 0.3, tokenizer: { kind: 'file', path: join(pretrained.modelDir, 'tokenizer.json') } });
  // A classifier that reads only the first 8 tokens of each example: the baselines read all of them.
  classifier = await trainClassifier({ checkpoint: pretrained.modelDir, dataDir: labeledDir, outDir: join(root, 'classifier'), steps: 20, freezeBelow: 0, ...hyper, seqLen: 8, lr: 1e-2 }, { engine });
}, 120_000);
afterAll(async () => {
  await engine?.dispose();
  rmSync(root, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(rootCommand, argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err: err.join('\n') };
}

const classify = async (): Promise<ClassifierEvaluation> => {
  const e = await evaluateModel({ modelDir: classifier.modelDir, dataDir: labeledDir }, { engine });
  if (e.task !== 'classify') throw new Error('expected a classifier evaluation');
  return e;
};

describe('a classifier evaluation carries naive Bayes and logistic regression', () => {
  it('trains both on the same train split and scores them on the same examples as the model', async () => {
    const e = await classify();
    const data = await openShards(labeledDir);
    const examples = data.labels!.val;
    expect(e.examples).toBe(examples.length);
    expect(e.baselines.map((b) => b.name)).toEqual(['naive-bayes', 'logistic-regression']);
    expect(e.seqLen).toBe(8);
    expect(e.truncatedExamples).toBe(examples.filter((x) => x.tokens.length > 8).length);
    expect(e.truncatedExamples).toBe(examples.length); // every CSV row is longer than 8 tokens
    for (const b of e.baselines) {
      expect(b.trainExamples).toBe(data.labels!.train.length);
      expect(b.examples).toBe(examples.length);
      expect(b.predictions).toHaveLength(examples.length);
      // The words give the label away (test/support/pipeline-data.ts): a bag of tokens over the whole text gets it.
      expect(b.accuracy, b.name).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('reports figures that agree with the per-example predictions: confusion, accuracy, McNemar counts, significance', async () => {
    const e = await classify();
    const truth = (await openShards(labeledDir)).labels!.val.map((x) => x.label);
    const modelRight = e.predictions.map((p, i) => p === truth[i]);
    expect(e.confusion.flat().reduce((a, b) => a + b, 0)).toBe(e.examples);
    expect(e.accuracy).toBeCloseTo(modelRight.filter(Boolean).length / e.examples, 12);
    for (const b of e.baselines) {
      const right = b.predictions.map((p, i) => p === truth[i]);
      expect(b.accuracy).toBeCloseTo((b.confusion[0]![0]! + b.confusion[1]![1]!) / e.examples, 12);
      expect(b.accuracy).toBeCloseTo(right.filter(Boolean).length / e.examples, 12);
      const v = b.versusModel;
      expect(v.modelOnlyCorrect).toBe(modelRight.filter((m, i) => m && !right[i]).length);
      expect(v.baselineOnlyCorrect).toBe(right.filter((r, i) => r && !modelRight[i]).length);
      expect(v.accuracyDifference).toBeCloseTo(e.accuracy - b.accuracy, 12);
      expect(v.accuracyDifference).toBeCloseTo((v.modelOnlyCorrect - v.baselineOnlyCorrect) / e.examples, 12);
      expect(v.mcnemar).toEqual(mcnemar(v.modelOnlyCorrect, v.baselineOnlyCorrect));
      expect(v.mcnemar.exact).toBe(v.modelOnlyCorrect + v.baselineOnlyCorrect < 25);
      expect(v.significant).toBe(v.mcnemar.pValue < 0.05);
      expect(v.bootstrap95[0]).toBeLessThanOrEqual(v.bootstrap95[1]);
      expect(v.bootstrap95[0]).toBeLessThanOrEqual(v.accuracyDifference + 1e-12);
      expect(v.bootstrap95[1]).toBeGreaterThanOrEqual(v.accuracyDifference - 1e-12);
    }
    // The API's contract carries them through (GET /api/runs/:id → metrics.evaluation.baselines).
    const parsed = runMetricsSchema.parse({ evaluation: e });
    expect(parsed.evaluation?.baselines?.map((b) => [b.name, b.accuracy, b.versusModel.mcnemar.pValue])).toEqual(e.baselines.map((b) => [b.name, b.accuracy, b.versusModel.mcnemar.pValue]));
  });

  it('prints both baselines with the difference and its significance from qudao eval', async () => {
    const e = await classify();
    const r = await cli('eval', '--model', classifier.modelDir, '--data', labeledDir, '--quiet', '--no-record');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toContain(`the model read at most 8 (${e.truncatedExamples} of ${e.examples} examples were longer)`);
    for (const b of e.baselines) {
      const v = b.versusModel;
      expect(text).toContain(`baseline ${b.name}: accuracy ${(b.accuracy * 100).toFixed(2)}%`);
      const line = r.out.find((l) => l.includes(`model − ${b.name}:`))!;
      expect(line).toContain(`only the model right on ${v.modelOnlyCorrect}, only ${b.name} on ${v.baselineOnlyCorrect}`);
      expect(line).toContain(v.mcnemar.exact ? 'McNemar exact binomial' : 'McNemar χ² with continuity correction');
      expect(line).toMatch(v.significant ? /model significantly (better|worse)/ : /not significant at 0\.05/);
    }
  });

  it('compare mode scores both checkpoints against the same baselines', async () => {
    const cmp = await compareModels(classifier.modelDir, join(root, 'classifier', 'checkpoint'), { dataDir: labeledDir }, { engine });
    if (cmp.a.task !== 'classify' || cmp.b.task !== 'classify') throw new Error('expected classifiers');
    expect(cmp.a.baselines.map((b) => b.accuracy)).toEqual(cmp.b.baselines.map((b) => b.accuracy));
    expect(cmp.b.baselines[0]!.versusModel.accuracyDifference).toBeCloseTo(cmp.b.accuracy - cmp.b.baselines[0]!.accuracy, 12);
  });
});

describe('a language-model evaluation carries a Kneser-Ney n-gram', () => {
  it('counts it on the same train split and scores it on exactly the tokens the model was scored on', async () => {
    const e = (await evaluateModel({ modelDir: pretrained.modelDir, dataDir: textDir, seqLen: 16, maxBatches: 3, batchSize: 4 }, { engine })) as LmEvaluation;
    expect(e.task).toBe('lm');
    expect(e.tokens).toBe(3 * 4 * 16);
    const b = e.baseline;
    expect(b).toMatchObject({ name: 'ngram', order: 3, tokens: e.tokens });
    expect(b.smoothing).toMatch(/^interpolated Kneser-Ney/);
    expect(b.perplexity).toBeCloseTo(Math.exp(b.loss), 9);
    const data = await openShards(textDir);
    expect(b.trainTokens).toBe(data.train.length);
    const direct = ngramWindowLoss(trainNgram(data.train, data.tokenizer.vocabSize, { order: 3 }), data.val, 16, 12);
    expect(b.loss).toBeCloseTo(direct.loss, 12);
    expect(runMetricsSchema.parse({ evaluation: e }).evaluation?.baseline?.perplexity).toBe(b.perplexity);
  });

  it('prints the n-gram beside the model from qudao eval', async () => {
    const r = await cli('eval', '--model', pretrained.modelDir, '--data', textDir, '--seq-len', '16', '--quiet', '--no-record');
    expect(r.code, r.err).toBe(0);
    const e = (await evaluateModel({ modelDir: pretrained.modelDir, dataDir: textDir, seqLen: 16 }, { engine })) as LmEvaluation;
    expect(r.out.join('\n')).toContain(`baseline 3-gram (interpolated Kneser-Ney`);
    expect(r.out.join('\n')).toContain(`perplexity ${e.baseline.perplexity.toFixed(2)} over the same ${e.tokens.toLocaleString('en-US')} tokens`);
    expect(r.out.join('\n')).toContain(`model vs 3-gram: perplexity ${e.perplexity.toFixed(2)} vs ${e.baseline.perplexity.toFixed(2)}`);
  });
});
