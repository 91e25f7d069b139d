import { CheckpointError, loadCheckpoint, recoverCheckpoint, type Checkpoint, type Engine, type Optimizer, type Rng } from '../../engine/index.js';
import { QudaoError } from '../../errors/index.js';
import {
  SequenceClassifier, createModel, loadStateDict, modelFromCheckpoint, specOf, stateDict, toCheckpoint,
  type GPT, type LstmLM, type ModelSpec, type Pooling, type ReadingOptions, type Truncation,
} from '../../models/index.js';

/** A language model of either architecture. */
export type LanguageModel = GPT | LstmLM;

/** What a classifier checkpoint adds to the base model's config (`config.json` → `classifier`). */
export interface ClassifierMeta {
  /** Class names; index = class id. */
  readonly labels: readonly string[];
  /** Padding id (the tokenizer's `<|endoftext|>`). */
  readonly padId: number;
  /** Tokens per window the head was trained on. */
  readonly seqLen: number;
  /** How token states were pooled (absent in checkpoints from before it was a choice: `last`). */
  readonly pooling?: Pooling;
  /** What was read of a longer document (absent before it was a choice: `head`). */
  readonly truncation?: Truncation;
  /** The class weights of the training loss, by class id (absent: unweighted). Evaluation does not use them. */
  readonly classWeights?: readonly number[];
}

/** How a classifier checkpoint reads a document, as it was trained: evaluation and serving read it the same way. */
export function readingOf(meta: ClassifierMeta, seqLen?: number): ReadingOptions & { pooling: Pooling } {
  return { seqLen: seqLen ?? meta.seqLen, truncation: meta.truncation ?? 'head', pooling: meta.pooling ?? 'last' };
}

/** Training progress stored with a resumable checkpoint. */
export interface SavedProgress {
  readonly step: number;
  readonly optimizer: Optimizer;
  readonly rngs: Record<string, Rng>;
  readonly extra: Record<string, unknown>;
}

/** Reads a checkpoint folder; a missing or corrupt one is QD_CHECKPOINT_CORRUPT with the reason. */
export async function readCheckpoint(dir: string): Promise<Checkpoint> {
  try {
    return await loadCheckpoint(dir);
  } catch (err) {
    if (err instanceof CheckpointError) throw new QudaoError('QD_CHECKPOINT_CORRUPT', err.message, { cause: err });
    throw err;
  }
}

/**
 * The run's resumable checkpoint at `dir`, or null when it has none. A save the previous process did not
 * finish is recovered first: the newest complete checkpoint is found even if the crash came between the
 * save's two renames, and leftover temporary folders are removed. A corrupt one is QD_CHECKPOINT_CORRUPT.
 */
export async function readResumableCheckpoint(dir: string): Promise<Checkpoint | null> {
  return (await recoverCheckpoint(dir)) === null ? null : readCheckpoint(dir);
}

/** The classifier section of a checkpoint's config, or null for a language model. */
export function classifierMetaOf(ckpt: Checkpoint): ClassifierMeta | null {
  const meta = ckpt.config.classifier as ClassifierMeta | undefined;
  return meta && Array.isArray(meta.labels) ? meta : null;
}

/** The architecture of a checkpoint (its config without the classifier section). */
export function checkpointSpec(ckpt: Checkpoint): ModelSpec {
  const { classifier: _classifier, ...config } = ckpt.config;
  return specOf({ ...ckpt, config });
}

/** Builds a language model from a checkpoint (a classifier checkpoint is refused). */
export function languageModelFrom(engine: Engine, ckpt: Checkpoint, dir: string): { spec: ModelSpec; model: LanguageModel } {
  if (classifierMetaOf(ckpt)) throw new QudaoError('QD_CHECKPOINT_CORRUPT', `${dir} holds a classifier, not a language model`);
  return wrap(dir, () => modelFromCheckpoint(engine, ckpt));
}

/**
 * Builds a classifier (base model plus head) from a classifier checkpoint, pooling as it was trained;
 * `freezeBelow` and `classWeights` (a resumed training run's) as when it was trained.
 */
export function classifierFrom(engine: Engine, ckpt: Checkpoint, dir: string, freezeBelow?: number, classWeights?: readonly number[]): { spec: ModelSpec; base: LanguageModel; classifier: SequenceClassifier; meta: ClassifierMeta } {
  const meta = classifierMetaOf(ckpt);
  if (!meta) throw new QudaoError('QD_CHECKPOINT_CORRUPT', `${dir} holds a language model, not a classifier; fine-tune one with npx qudao finetune --task classify`);
  return wrap(dir, () => {
    const spec = checkpointSpec(ckpt);
    const base = createModel(engine, spec);
    const classifier = new SequenceClassifier(base, { numClasses: meta.labels.length, padId: meta.padId, pooling: readingOf(meta).pooling, ...(freezeBelow === undefined ? {} : { freezeBelow }), ...(classWeights ? { classWeights } : {}) });
    loadStateDict(classifier, ckpt.weights);
    const rng = ckpt.training?.rng?.model;
    if (rng) base.rng.setState(rng);
    return { spec, base, classifier, meta };
  });
}

/** Packs a language model (and, for a resumable checkpoint, its training progress) for `saveCheckpoint`. */
export function lmCheckpoint(spec: ModelSpec, model: LanguageModel, tokenizer: unknown, progress?: SavedProgress): Checkpoint {
  return toCheckpoint(spec, model, progress, tokenizer);
}

/** Packs a classifier: the base's config plus a `classifier` section, weights under the head's names. */
export function classifierCheckpoint(spec: ModelSpec, base: LanguageModel, classifier: SequenceClassifier, meta: ClassifierMeta, tokenizer: unknown, progress?: SavedProgress): Checkpoint {
  const packed = toCheckpoint(spec, base, progress, tokenizer);
  return { ...packed, config: { ...packed.config, classifier: meta }, weights: stateDict(classifier) };
}

function wrap<T>(dir: string, build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof QudaoError) throw err;
    throw new QudaoError('QD_CHECKPOINT_CORRUPT', `${dir}: ${(err as Error).message}`, { cause: err });
  }
}
