import { Module, Linear, Rng, matmul, reshape, crossEntropy, type Tensor } from '../engine/index.js';
import { packDocuments, poolingWeights, rowsAsDocuments, type Pooling, type RowLayout, type Truncation } from './classifier-input.js';
import type { GPT } from './gpt.js';
import type { LstmLM } from './lstm-lm.js';

/** Options of {@link SequenceClassifier}. */
export interface ClassifierOptions {
  /** Number of classes. */
  numClasses: number;
  /** Padding token id: a row without a layout ends at its last token that is not padding. */
  padId: number;
  /** How a document's token states become its feature (default `last`, the head this class always had). */
  pooling?: Pooling;
  /** Per-class weights of the training loss (see `crossEntropy`'s `classWeights`); default all 1. */
  classWeights?: readonly number[];
  /**
   * Freeze base parameters of layers below this index (embeddings are layer -1): 0 freezes the
   * embeddings only, `Infinity` the whole base; default: nothing frozen.
   */
  freezeBelow?: number;
  /** Seed of the head's init. */
  seed?: number;
}

/** Logits (documents, classes) and, with labels, the (class-weighted) mean cross-entropy. */
export interface ClassifierOutput {
  logits: Tensor;
  loss: Tensor | null;
}

/** What the classifier reads of each document: its window and what it does with a longer document. */
export interface ReadingOptions {
  readonly seqLen: number;
  readonly truncation: Truncation;
}

/**
 * Fine-tuning head on a language model: the base's token states, pooled per document (`last`: the last
 * non-pad token; `mean`: the mean over non-pad tokens; a document read as several chunks pools all of its
 * rows, see `poolingWeights`) -> Linear to `numClasses` (`score.weight` [width, classes], `score.bias`). Right padding
 * keeps every non-pad token's causal context free of padding. Pooling is one product with a constant
 * matrix, so its gradient is that matrix's transpose and no new op is needed.
 */
export class SequenceClassifier extends Module {
  readonly score: Linear;
  readonly pooling: Pooling;
  private readonly padId: number;
  private readonly classWeights: readonly number[] | undefined;

  constructor(readonly base: GPT | LstmLM, options: ClassifierOptions) {
    super();
    this.child(baseName(base), base);
    const width = 'dModel' in base.config ? base.config.dModel : base.config.hiddenSize;
    this.score = this.child('score', new Linear(base.engine, width, options.numClasses, new Rng(options.seed ?? 0)));
    this.padId = options.padId;
    this.pooling = options.pooling ?? 'last';
    if (options.classWeights && options.classWeights.length !== options.numClasses) {
      throw new RangeError(`${options.classWeights.length} class weights for ${options.numClasses} classes`);
    }
    this.classWeights = options.classWeights;
    const below = options.freezeBelow ?? -Infinity;
    for (const [name, t] of base.parameters()) {
      if (base.layerOf(name) < below) t.requiresGrad = false;
    }
  }

  /**
   * Class logits for token ids (rows, T), right-padded with `padId`; `layout` says how many tokens each row
   * holds and which document it belongs to (default: one document per row, ending at its last non-pad
   * token). Labels (one per document) give the loss.
   */
  forward(ids: Int32Array, shape: readonly [number, number], labels?: Int32Array, layout?: RowLayout): ClassifierOutput {
    const [R, T] = shape;
    const rows = layout ?? rowsAsDocuments(ids, shape, this.padId);
    if (rows.lengths.length !== R) throw new RangeError(`layout of ${rows.lengths.length} rows for ${R} rows of ids`);
    const h = this.base.features(ids, shape);
    const C = h.shape[2]!;
    const P = this.base.engine.fromArray([rows.documents, R * T], poolingWeights(rows, T, this.pooling));
    const pooled = matmul(P, reshape(h, [R * T, C]));
    const logits = this.score.forward(pooled);
    return { logits, loss: labels ? crossEntropy(logits, labels, this.classWeights ? { classWeights: this.classWeights } : {}) : null };
  }

  /** Class logits for whole documents (token ids of any length), read as `reading` says. */
  forwardDocuments(docs: readonly (readonly number[])[], reading: ReadingOptions, labels?: Int32Array): ClassifierOutput {
    const batch = packDocuments(docs, reading.seqLen, reading.truncation, this.padId);
    return this.forward(batch.ids, batch.shape, labels, batch.layout);
  }
}

function baseName(base: GPT | LstmLM): string {
  return 'dModel' in base.config ? 'transformer' : 'lm';
}
