import { join } from 'node:path';
import { Rng, type Checkpoint, type Engine } from '../../engine/index.js';
import { QudaoError } from '../../errors/index.js';
import { SequenceClassifier, parameterCount, type ModelSpec, type Pooling, type Truncation } from '../../models/index.js';
import { openShards, type LabeledExamples, type OpenedData } from '../data/index.js';
import { argmax, weightedMeanLoss } from '../eval/metrics.js';
import { packClassBatch, permutation, rowBudgetGroups } from './batches.js';
import { runTrainingLoop, type TrainingTask } from './loop.js';
import { classifierCheckpoint, classifierFrom, classifierMetaOf, languageModelFrom, readCheckpoint, readResumableCheckpoint, readingOf, type ClassifierMeta, type LanguageModel } from './model-io.js';
import { resolveTrainOptions, type ResolvedTrainOptions, type TrainOptions } from './options.js';
import { assertSameTokenizer } from './pretrain.js';
import { isDir, recentThroughput, RUN_FILES, writeRunSummary, type RunSummary } from './run-folder.js';
import { loopSettingsOf, loopStateFrom, optimizerOf, withEngine, writeCheckpoint, type TrainHooks } from './session.js';

/** Options of a classification fine-tune: a pretrained checkpoint, labeled data, optional frozen layers. */
export interface ClassifierTrainOptions extends Omit<TrainOptions, 'model' | 'dropout'> {
  /** The pretrained language model to put the head on. */
  readonly checkpoint: string;
  /**
   * Freeze the base below this block index (embeddings are -1): 0 trains the blocks but not the
   * embeddings, a large number trains the head only. Default: train everything.
   */
  readonly freezeBelow?: number;
  /** How token states become a document's feature (default `last`). */
  readonly pooling?: Pooling;
  /**
   * What is read of a document longer than `seqLen` (default `head`); see `documentWindows`. With
   * `chunk-and-pool` a training batch of `batchSize` documents is up to 8 × `batchSize` rows (all of a
   * document's chunks share one forward, for its pooled feature): use a small batch with `gradAccum`.
   */
  readonly truncation?: Truncation;
  /**
   * Per-class weights of the loss: `balanced` weighs class c by n / (k · n_c) over the train split (n examples,
   * k classes, n_c of class c; scikit-learn's `class_weight='balanced'`), or one weight per class id. Default
   * unweighted.
   */
  readonly classWeights?: 'balanced' | readonly number[];
}

interface ClassifierParts {
  spec: ModelSpec;
  base: LanguageModel;
  classifier: SequenceClassifier;
  meta: ClassifierMeta;
}

/**
 * Step 4b of the pipeline: fine-tune a pretrained language model as a classifier on `text,label` data. A
 * linear head reads the token states of each example pooled (`last` or `mean`); an example longer than
 * `seqLen` tokens is read as `truncation` says (its head, head and tail, or every chunk pooled), rows are
 * right-padded. The loss may weigh classes (`classWeights`). Each epoch visits the train examples in a permutation seeded by (seed, epoch),
 * so batches depend only on the step and a resumed run sees the same ones. Validation reports loss and
 * accuracy; the best model by validation loss is kept in `best/`.
 */
export async function trainClassifier(options: ClassifierTrainOptions, hooks: TrainHooks = {}): Promise<RunSummary> {
  const o = resolveTrainOptions({ ...options, model: { checkpoint: options.checkpoint } });
  const data = await openShards(o.dataDir);
  const labeled = requireLabels(data, o.dataDir);
  return withEngine(hooks, async (engine) => {
    const latestDir = join(o.outDir, RUN_FILES.latest);
    const resumeFrom = o.resume ? await readResumableCheckpoint(latestDir) : null;
    const parts = await buildClassifier(engine, o, options, data, labeled, resumeFrom);
    const { spec, base, classifier, meta } = parts;
    const optimizer = optimizerOf(engine, classifier.parameters(), o);
    const state = loopStateFrom(resumeFrom);
    if (resumeFrom?.training?.optimizer) optimizer.setState(resumeFrom.training.optimizer);
    const task = classificationTask(engine, parts, labeled, o);
    const tokenizer = data.tokenizer.toJSON();
    const { outcome, state: end } = await runTrainingLoop({
      engine, model: classifier, optimizer, task, state,
      trainable: [...classifier.parameters().values()].filter((t) => t.requiresGrad),
      ...loopSettingsOf(o, hooks),
      save: (kind, s) => kind === 'best'
        ? writeCheckpoint(join(o.outDir, RUN_FILES.best), classifierCheckpoint(spec, base, classifier, meta, tokenizer))
        : writeCheckpoint(latestDir, classifierCheckpoint(spec, base, classifier, meta, tokenizer, { step: s.step, optimizer, rngs: {}, extra: { loop: s } })),
    });
    const modelDir = (await isDir(join(o.outDir, RUN_FILES.best))) ? join(o.outDir, RUN_FILES.best) : latestDir;
    const summary: RunSummary = {
      kind: 'finetune', task: 'classify', outcome, steps: end.step, plannedSteps: o.steps,
      bestStep: end.bestStep, bestValLoss: end.bestValLoss, bestValPerplexity: null,
      validation: { unit: 'examples', scored: Math.min(labeled.val.length, o.evalBatches * o.batchSize), total: labeled.val.length, seqLen: meta.seqLen, batchSize: o.batchSize, batches: Math.ceil(Math.min(labeled.val.length, o.evalBatches * o.batchSize) / o.batchSize) },
      tokensPerSec: recentThroughput(end.curve), parameters: parameterCount(spec) + classifier.score.parameterCount(), modelDir,
      config: { kind: spec.kind, ...spec.config, classifier: meta, freezeBelow: options.freezeBelow ?? null }, options: { ...o, freezeBelow: options.freezeBelow ?? null, pooling: readingOf(meta).pooling, truncation: readingOf(meta).truncation, classWeights: meta.classWeights ?? null }, curve: end.curve,
    };
    await writeRunSummary(o.outDir, summary);
    return summary;
  });
}

function requireLabels(data: OpenedData, dir: string): LabeledExamples {
  if (!data.labels || data.labels.train.length === 0 || data.labels.val.length === 0) {
    throw new QudaoError('QD_DATA_COLUMN', `${dir} has no labeled train and validation examples; prepare text,label data with --label-field label`, { param: 'data' });
  }
  return data.labels;
}

async function buildClassifier(engine: Engine, o: ResolvedTrainOptions, options: ClassifierTrainOptions, data: OpenedData, labeled: LabeledExamples, resumeFrom: Checkpoint | null): Promise<ClassifierParts> {
  if (resumeFrom) return classifierFrom(engine, resumeFrom, join(o.outDir, RUN_FILES.latest), options.freezeBelow, classifierMetaOf(resumeFrom)?.classWeights);
  const pretrained = await readCheckpoint(options.checkpoint);
  assertSameTokenizer(pretrained, data, options.checkpoint);
  const { spec, model: base } = languageModelFrom(engine, pretrained, options.checkpoint);
  const context = spec.kind === 'gpt' ? spec.config.contextLength : 256;
  const seqLen = o.seqLen ?? Math.min(context, 256);
  if (seqLen > context) throw new QudaoError('QD_INVALID_REQUEST', `--seq-len ${seqLen} exceeds the model's context of ${context}`, { param: 'seqLen' });
  const classWeights = options.classWeights === undefined ? undefined : resolveClassWeights(options.classWeights, labeled);
  const meta: ClassifierMeta = {
    labels: labeled.labels, padId: data.tokenizer.eotId, seqLen, pooling: options.pooling ?? 'last', truncation: options.truncation ?? 'head',
    ...(classWeights ? { classWeights } : {}),
  };
  const classifier = new SequenceClassifier(base, {
    numClasses: labeled.labels.length, padId: meta.padId, pooling: meta.pooling!, seed: o.seed,
    ...(classWeights ? { classWeights } : {}), ...(options.freezeBelow === undefined ? {} : { freezeBelow: options.freezeBelow }),
  });
  return { spec, base, classifier, meta };
}

/**
 * The loss's class weights: `balanced` is n / (k · n_c) over the train split (a class absent from it weighs 0:
 * no example of it is ever scored); a list must give one positive-or-zero finite weight per class.
 */
export function resolveClassWeights(weights: 'balanced' | readonly number[], labeled: Pick<LabeledExamples, 'labels' | 'train'>): number[] {
  const k = labeled.labels.length;
  if (weights === 'balanced') {
    const counts = new Array<number>(k).fill(0);
    for (const ex of labeled.train) counts[ex.label]! += 1;
    const n = labeled.train.length;
    return counts.map((c) => (c > 0 ? n / (k * c) : 0));
  }
  if (weights.length !== k || weights.some((w) => !Number.isFinite(w) || w < 0) || weights.every((w) => w === 0)) {
    throw new QudaoError('QD_INVALID_REQUEST', `classWeights must be 'balanced' or ${k} non-negative numbers, one per label (${labeled.labels.join(', ')}), not all zero`, { param: 'classWeights' });
  }
  return [...weights];
}

function classificationTask(engine: Engine, parts: ClassifierParts, labeled: LabeledExamples, o: ResolvedTrainOptions): TrainingTask {
  const { classifier, meta } = parts;
  const train = labeled.train;
  const perEpoch = Math.max(1, Math.floor(train.length / o.batchSize));
  let epochOrder: { epoch: number; order: number[] } = { epoch: -1, order: [] };
  const val = labeled.val.slice(0, o.evalBatches * o.batchSize);
  const reading = readingOf(meta);
  return {
    lossOf(step, micro) {
      const k = step * o.gradAccum + micro;
      const epoch = Math.floor(k / perEpoch);
      if (epochOrder.epoch !== epoch) epochOrder = { epoch, order: permutation(train.length, new Rng((o.seed + epoch * 7919) >>> 0)) };
      const at = (k % perEpoch) * o.batchSize;
      const picked = epochOrder.order.slice(at, at + o.batchSize).map((i) => train[i]!);
      const { batch, labels, layout } = packClassBatch(picked, meta.seqLen, meta.padId, reading.truncation);
      return { loss: classifier.forward(batch.ids, batch.shape, labels, layout).loss!, tokens: batch.ids.length };
    },
    validate() {
      let correct = 0;
      const losses: Array<{ loss: number; tokens: number }> = [];
      for (const [from, to] of rowBudgetGroups(val, meta.seqLen, reading.truncation, o.batchSize)) {
        engine.resetArena();
        const { batch, labels, layout } = packClassBatch(val.slice(from, to), meta.seqLen, meta.padId, reading.truncation);
        const out = classifier.forward(batch.ids, batch.shape, labels, layout);
        const k = meta.labels.length;
        for (let r = 0; r < labels.length; r++) if (argmax(out.logits.data, r * k, k) === labels[r]) correct++;
        losses.push({ loss: out.loss!.item(), tokens: labels.length });
      }
      return { loss: weightedMeanLoss(losses), metrics: { accuracy: correct / val.length } };
    },
  };
}
