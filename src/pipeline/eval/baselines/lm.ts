import { ngramWindowLoss, trainNgram } from './ngram.js';

/** The n-gram baseline beside a language model's score. */
export interface LmBaseline {
  readonly name: 'ngram';
  readonly order: number;
  /** The smoothing, in words, with the discounts used. */
  readonly smoothing: string;
  readonly discounts: readonly number[];
  /** Tokens it was counted on (the data folder's train split). */
  readonly trainTokens: number;
  /** Mean next-token loss (nats) over the same `tokens` the model was scored on. */
  readonly loss: number;
  readonly perplexity: number;
  readonly tokens: number;
}

/**
 * An interpolated Kneser-Ney trigram counted on `train` and scored on the same windows of `scored` as the
 * model (`windows` windows of `seqLen` tokens, context no wider than the model's window).
 */
export function lmBaseline(train: ArrayLike<number>, scored: ArrayLike<number>, vocabSize: number, seqLen: number, windows: number, order = 3): LmBaseline {
  const model = trainNgram(train, vocabSize, { order });
  const { loss, tokens } = ngramWindowLoss(model, scored, seqLen, windows);
  const discounts = model.discounts.map((d) => Number(d.toFixed(4)));
  return {
    name: 'ngram',
    order: model.order,
    smoothing: `interpolated Kneser-Ney, one discount per order (D = ${discounts.join(', ')} for orders 1..${model.order}), uniform below order 1`,
    discounts,
    trainTokens: train.length,
    loss,
    perplexity: Math.exp(loss),
    tokens,
  };
}
