import type { Engine } from '../../engine/index.js';
import type { Pooling, Truncation } from '../../models/index.js';
import { QudaoError } from '../../errors/index.js';
import { openShards, type OpenedData } from '../data/index.js';
import { packClassBatch, rowBudgetGroups, validationBatches } from '../train/batches.js';
import { classifierFrom, classifierMetaOf, languageModelFrom, readCheckpoint, readingOf } from '../train/model-io.js';
import { assertSameTokenizer } from '../train/pretrain.js';
import { progressOf, withEngine, type TrainHooks } from '../train/session.js';
import { classifierBaselines, lmBaseline, type ClassifierBaseline, type LmBaseline } from './baselines/index.js';
import { argmax, classificationReport, confusionMatrix, perplexity, weightedMeanLoss, type ClassificationReport } from './metrics.js';

/** What to evaluate on what. */
export interface EvaluateOptions {
  /** A checkpoint folder (a run's `best/`, or a registered version's folder). */
  readonly modelDir: string;
  /** A folder from `qudao data prepare`, tokenized with the model's tokenizer. */
  readonly dataDir: string;
  /** Default `val`. */
  readonly split?: 'train' | 'val';
  /** Tokens per window (LM) or per example (classifier); default the model's training length, at most 256. */
  readonly seqLen?: number;
  /** Default 16. */
  readonly batchSize?: number;
  /** Score at most this many batches (default: the whole split). */
  readonly maxBatches?: number;
}

/** A language model's score: mean next-token loss over every token of the split, and its perplexity. */
export interface LmEvaluation {
  readonly task: 'lm';
  readonly split: 'train' | 'val';
  /** Tokens scored (predicted once each), of `splitTokens` in the split. */
  readonly tokens: number;
  readonly splitTokens: number;
  /** Tokens per window. */
  readonly seqLen: number;
  readonly loss: number;
  readonly perplexity: number;
  /** A Kneser-Ney n-gram counted on the same data folder's train split, scored on the same tokens. */
  readonly baseline: LmBaseline;
}

/** A classifier's score on the labeled split. */
export interface ClassifierEvaluation extends ClassificationReport {
  readonly task: 'classify';
  readonly split: 'train' | 'val';
  readonly labels: readonly string[];
  /** Mean cross-entropy over the examples. */
  readonly loss: number;
  /** Tokens of each example the model read (longer examples were cut to their first `seqLen`). */
  readonly seqLen: number;
  /** Examples longer than `seqLen` (the baselines read every token of every example). */
  readonly truncatedExamples: number;
  /** What the model read of those (the checkpoint's truncation) and how it pooled token states. */
  readonly truncation: Truncation;
  readonly pooling: Pooling;
  /** The model's predicted class id per example, in the split's order. */
  readonly predictions: readonly number[];
  /** Naive Bayes and logistic regression trained on the same folder's train split, scored on the same examples. */
  readonly baselines: readonly ClassifierBaseline[];
}

/** Either kind of evaluation. */
export type Evaluation = LmEvaluation | ClassifierEvaluation;

/**
 * Step 5 of the pipeline: scores a checkpoint on a data split — loss and perplexity for a language model;
 * accuracy, per-class precision / recall / F1 and the confusion matrix for a classifier. Gradients off,
 * dropout off, every token (or example) counted once.
 */
export async function evaluateModel(options: EvaluateOptions, hooks: TrainHooks = {}): Promise<Evaluation> {
  const ckpt = await readCheckpoint(options.modelDir);
  const data = await openShards(options.dataDir);
  assertSameTokenizer(ckpt, data, options.modelDir);
  // The baselines are fitted after the engine is released: they need no kernels, and its threads no CPU.
  if (classifierMetaOf(ckpt)) {
    const scored = await withEngine(hooks, (engine) => Promise.resolve(scoreClassifier(engine, ckpt, data, options, hooks)));
    return { ...scored, baselines: fitClassifierBaselines(data, scored, hooks) };
  }
  const scored = await withEngine(hooks, (engine) => Promise.resolve(scoreLm(engine, ckpt, data, options, hooks)));
  return { ...scored, baseline: fitLmBaseline(data, scored, hooks) };
}

/** Naive Bayes and logistic regression on the folder's train split, scored on the examples the model was. */
function fitClassifierBaselines(data: OpenedData, scored: Omit<ClassifierEvaluation, 'baselines'>, hooks: TrainHooks): ClassifierBaseline[] {
  const labels = data.labels!;
  const progress = progressOf(hooks);
  progress.start(1, `naive Bayes and logistic regression on ${labels.train.length} train examples`);
  const baselines = classifierBaselines(labels.train, labels[scored.split], scored.predictions, scored.labels.length);
  progress.tick(1);
  progress.done();
  return baselines;
}

/** The n-gram counted on the folder's train split, scored on the windows the model was. */
function fitLmBaseline(data: OpenedData, scored: Omit<LmEvaluation, 'baseline'>, hooks: TrainHooks): LmBaseline {
  const progress = progressOf(hooks);
  progress.start(1, `n-gram baseline on ${data.train.length.toLocaleString('en-US')} train tokens`);
  const baseline = lmBaseline(data.train, data[scored.split], data.tokenizer.vocabSize, scored.seqLen, scored.tokens / scored.seqLen);
  progress.tick(1, { perplexity: Number(baseline.perplexity.toFixed(2)) });
  progress.done();
  return baseline;
}

/** {@link evaluateModel} for a language model (refuses a classifier). */
export async function evaluateLanguageModel(options: EvaluateOptions, hooks: TrainHooks = {}): Promise<LmEvaluation> {
  const result = await evaluateModel(options, hooks);
  if (result.task !== 'lm') throw new QudaoError('QD_INVALID_REQUEST', `${options.modelDir} is a classifier, not a language model`);
  return result;
}

type Ckpt = Awaited<ReturnType<typeof readCheckpoint>>;

function scoreLm(engine: Engine, ckpt: Ckpt, data: OpenedData, o: EvaluateOptions, hooks: TrainHooks): Omit<LmEvaluation, 'baseline'> {
  const { spec, model } = languageModelFrom(engine, ckpt, o.modelDir);
  model.train(false);
  const split = o.split ?? 'val';
  const context = spec.kind === 'gpt' ? spec.config.contextLength : 256;
  const seqLen = Math.min(o.seqLen ?? Math.min(context, 256), context);
  const tokens = data[split];
  if (tokens.length <= seqLen) throw new QudaoError('QD_DATA_EMPTY', `the ${split} split has ${tokens.length} tokens, too few for windows of ${seqLen}`);
  const batches = validationBatches(tokens, o.batchSize ?? 16, seqLen, o.maxBatches ?? Number.MAX_SAFE_INTEGER);
  const progress = progressOf(hooks);
  progress.start(batches.length, `evaluate ${split} (batches)`);
  const scored = engine.noGrad(() => batches.map((b) => {
    engine.resetArena();
    const loss = model.forward(b.ids, b.shape, b.targets).loss!.item();
    progress.tick(1, { loss: Number(loss.toFixed(4)) });
    return { loss, tokens: b.ids.length };
  }));
  progress.done();
  engine.resetArena();
  const loss = weightedMeanLoss(scored);
  return { task: 'lm', split, tokens: scored.reduce((n, s) => n + s.tokens, 0), splitTokens: tokens.length, seqLen, loss, perplexity: perplexity(loss) };
}

function scoreClassifier(engine: Engine, ckpt: Ckpt, data: OpenedData, o: EvaluateOptions, hooks: TrainHooks): Omit<ClassifierEvaluation, 'baselines'> {
  const { classifier, meta } = classifierFrom(engine, ckpt, o.modelDir);
  if (!data.labels) throw new QudaoError('QD_DATA_COLUMN', `${o.dataDir} has no labels; prepare it with --label-field`, { param: 'data' });
  if (data.labels.labels.join('\u0000') !== meta.labels.join('\u0000')) {
    throw new QudaoError('QD_INVALID_REQUEST', `the data's labels (${data.labels.labels.join(', ')}) differ from the model's (${meta.labels.join(', ')})`, { param: 'data' });
  }
  classifier.train(false);
  const split = o.split ?? 'val';
  const examples = data.labels[split];
  if (examples.length === 0) throw new QudaoError('QD_DATA_EMPTY', `the ${split} split has no labeled examples`);
  if (data.labels.train.length === 0) throw new QudaoError('QD_DATA_EMPTY', `${o.dataDir} has no labeled train examples to fit the baselines on; prepare it with a smaller --val`, { param: 'data' });
  const seqLen = o.seqLen ?? meta.seqLen;
  const B = o.batchSize ?? 16;
  const predicted: number[] = [];
  const losses: Array<{ loss: number; tokens: number }> = [];
  const progress = progressOf(hooks);
  progress.start(examples.length, `evaluate ${split} (examples)`);
  engine.noGrad(() => {
    // Read as trained: the checkpoint's truncation (its pooling is the classifier's own, from the same meta);
    // at most B rows per forward, so chunk-and-pool's long documents fit in memory.
    for (const [from, to] of rowBudgetGroups(examples, seqLen, readingOf(meta).truncation, B)) {
      engine.resetArena();
      const { batch, labels, layout } = packClassBatch(examples.slice(from, to), seqLen, meta.padId, readingOf(meta).truncation);
      const out = classifier.forward(batch.ids, batch.shape, labels, layout);
      const k = meta.labels.length;
      for (let r = 0; r < labels.length; r++) predicted.push(argmax(out.logits.data, r * k, k));
      losses.push({ loss: out.loss!.item(), tokens: labels.length });
      progress.tick(labels.length);
    }
  });
  progress.done();
  engine.resetArena();
  const report = classificationReport(confusionMatrix(examples.map((e) => e.label), predicted, meta.labels.length));
  const truncatedExamples = examples.filter((e) => e.tokens.length > seqLen).length;
  const { truncation, pooling } = readingOf(meta);
  return { task: 'classify', split, labels: meta.labels, loss: weightedMeanLoss(losses), ...report, seqLen, truncatedExamples, truncation, pooling, predictions: predicted };
}
