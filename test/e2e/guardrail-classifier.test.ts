import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, saveCheckpoint } from '../../src/engine/index.js';
import { engineClassifierLoader } from '../../src/inference/index.js';
import { SequenceClassifier } from '../../src/models/index.js';
import { classifierCheckpoint, languageModelFrom, readCheckpoint } from '../../src/pipeline/train/index.js';
import { tokenizerFromJSON, type TokenizerJSON } from '../../src/tokenizer/index.js';

/**
 * The engine's classifier runtime (what classifier guardrails run) against the pipeline's own model: a
 * classifier checkpoint packed by the pipeline (the bundled model with an untrained head — training is
 * `npm run finetune:spam`'s job, minutes, not a test's), loaded by inference, must give the softmax of the
 * logits the pipeline's SequenceClassifier computes for the same first `seqLen` tokens.
 */
describe('in-process classifier runtime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qudao-classifier-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scores a text like the pipeline model it was packed from', async () => {
    const engine = await createEngine({ threads: 1 });
    const pretrained = await readCheckpoint('models/bundled/qudao-brown');
    const { spec, model: base } = languageModelFrom(engine, pretrained, 'bundled');
    const tokenizer = tokenizerFromJSON(pretrained.tokenizer as TokenizerJSON);
    const meta = { labels: ['ham', 'spam'], padId: tokenizer.eotId, seqLen: 16 };
    const reference = new SequenceClassifier(base, { numClasses: 2, padId: meta.padId, seed: 7 });
    reference.train(false);
    await saveCheckpoint(join(dir, 'ckpt'), classifierCheckpoint(spec, base, reference, meta, pretrained.tokenizer));

    const text = 'Subject: cheap pills, buy now and save ninety percent on every order today';
    const ids = Int32Array.from(tokenizer.encode(text).slice(0, meta.seqLen));
    const logits = engine.noGrad(() => Array.from(reference.forward(ids, [1, ids.length]).logits.data));
    const z = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - z));
    const expected = { ham: e[0]! / (e[0]! + e[1]!), spam: e[1]! / (e[0]! + e[1]!) };

    const load = engineClassifierLoader({ lookup: async () => ({ checkpointPath: join(dir, 'ckpt'), config: {} }), threads: 1 });
    const runtime = await load('mv_test');
    expect(runtime.labels).toEqual(['ham', 'spam']);
    const got = await runtime.classify(text);
    expect(got.tokens).toBe(meta.seqLen);
    expect(got.probabilities.ham).toBeCloseTo(expected.ham, 5);
    expect(got.probabilities.spam).toBeCloseTo(expected.spam, 5);
    expect(got.probabilities.ham! + got.probabilities.spam!).toBeCloseTo(1, 9);
    // An empty text is scored too (one padding token), not an error.
    expect((await runtime.classify('')).tokens).toBe(1);
  }, 120_000);

  it('reads a text as its checkpoint says: mean pooling over the head and tail of a long text', async () => {
    const engine = await createEngine({ threads: 1 });
    const pretrained = await readCheckpoint('models/bundled/qudao-brown');
    const { spec, model: base } = languageModelFrom(engine, pretrained, 'bundled');
    const tokenizer = tokenizerFromJSON(pretrained.tokenizer as TokenizerJSON);
    const meta = { labels: ['ham', 'spam'], padId: tokenizer.eotId, seqLen: 16, pooling: 'mean' as const, truncation: 'head+tail' as const };
    const reference = new SequenceClassifier(base, { numClasses: 2, padId: meta.padId, pooling: 'mean', seed: 7 });
    reference.train(false);
    await saveCheckpoint(join(dir, 'ckpt-mean'), classifierCheckpoint(spec, base, reference, meta, pretrained.tokenizer));

    const text = 'Subject: meeting notes. The budget review moved to Thursday; bring the figures for the third quarter and the draft of the plan';
    const all = tokenizer.encode(text);
    expect(all.length).toBeGreaterThan(meta.seqLen);
    // the first 8 and the last 8 tokens, mean-pooled
    const ids = Int32Array.from([...all.slice(0, 8), ...all.slice(-8)]);
    const logits = engine.noGrad(() => Array.from(reference.forward(ids, [1, ids.length]).logits.data));
    const spam = 1 / (1 + Math.exp(logits[0]! - logits[1]!));

    const load = engineClassifierLoader({ lookup: async () => ({ checkpointPath: join(dir, 'ckpt-mean'), config: {} }), threads: 1 });
    const got = await (await load('mv_mean')).classify(text);
    expect(got.tokens).toBe(16);
    expect(got.probabilities.spam).toBeCloseTo(spam, 5);
  }, 120_000);

  it('refuses a language model where a classifier is expected', async () => {
    const load = engineClassifierLoader({ lookup: async () => ({ checkpointPath: 'models/bundled/qudao-brown', config: {} }), threads: 1 });
    await expect(load('mv_lm')).rejects.toThrow(/not a classifier/);
  }, 60_000);
});
