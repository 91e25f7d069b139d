import { Module, Linear, Rng, gather, reshape, crossEntropy, type Tensor } from '../engine/index.js';
import type { GPT } from './gpt.js';
import type { LstmLM } from './lstm-lm.js';

/** Options of {@link SequenceClassifier}. */
export interface ClassifierOptions {
  /** Number of classes. */
  numClasses: number;
  /** Padding token id: pooling takes each row's last token that is not padding. */
  padId: number;
  /**
   * Freeze base parameters of layers below this index (embeddings are layer -1): 0 freezes the
   * embeddings only, `Infinity` the whole base; default: nothing frozen.
   */
  freezeBelow?: number;
  /** Seed of the head's init. */
  seed?: number;
}

/** Logits (B, classes) and, with labels, the mean cross-entropy. */
export interface ClassifierOutput {
  logits: Tensor;
  loss: Tensor | null;
}

/**
 * Fine-tuning head on a language model: hidden state of each row's last non-pad token -> Linear to
 * `numClasses` (`score.weight` [C, n], `score.bias`). Right padding keeps the pooled token's
 * causal context free of padding.
 */
export class SequenceClassifier extends Module {
  readonly score: Linear;
  private readonly padId: number;

  constructor(readonly base: GPT | LstmLM, options: ClassifierOptions) {
    super();
    this.child(baseName(base), base);
    const width = 'dModel' in base.config ? base.config.dModel : base.config.hiddenSize;
    this.score = this.child('score', new Linear(base.engine, width, options.numClasses, new Rng(options.seed ?? 0)));
    this.padId = options.padId;
    const below = options.freezeBelow ?? -Infinity;
    for (const [name, t] of base.parameters()) {
      if (base.layerOf(name) < below) t.requiresGrad = false;
    }
  }

  /** Class logits for token ids (B, T), right-padded with `padId`; labels give the loss. */
  forward(ids: Int32Array, shape: readonly [number, number], labels?: Int32Array): ClassifierOutput {
    const [B, T] = shape;
    const h = this.base.features(ids, shape);
    const C = h.shape[2]!;
    const pick = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      let last = 0;
      for (let t = 0; t < T; t++) if (ids[b * T + t] !== this.padId) last = t;
      pick[b] = b * T + last;
    }
    const pooled = gather(reshape(h, [B * T, C]), pick, [B]);
    const logits = this.score.forward(pooled);
    return { logits, loss: labels ? crossEntropy(logits, labels) : null };
  }
}

function baseName(base: GPT | LstmLM): string {
  return 'dModel' in base.config ? 'transformer' : 'lm';
}
