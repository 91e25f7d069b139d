import { evaluateModel, type EvaluateOptions, type Evaluation } from './evaluate.js';
import type { TrainHooks } from '../train/session.js';

/** Two versions scored on the same split, and who wins on the headline figure. */
export interface Comparison {
  readonly a: Evaluation;
  readonly b: Evaluation;
  /** The headline figure: `loss` for language models (lower is better), `accuracy` for classifiers. */
  readonly metric: 'loss' | 'accuracy';
  /** b minus a on the headline figure. */
  readonly delta: number;
  readonly better: 'a' | 'b' | 'tie';
}

/**
 * Compares two checkpoints on the same data and split (the same windows or examples for both), e.g. a
 * fine-tune against its base on a partner's domain text.
 */
export async function compareModels(modelA: string, modelB: string, options: Omit<EvaluateOptions, 'modelDir'>, hooks: TrainHooks = {}): Promise<Comparison> {
  const a = await evaluateModel({ ...options, modelDir: modelA }, hooks);
  const b = await evaluateModel({ ...options, modelDir: modelB }, hooks);
  const metric = a.task === 'classify' && b.task === 'classify' ? 'accuracy' : 'loss';
  const delta = metric === 'accuracy' ? (b as { accuracy: number }).accuracy - (a as { accuracy: number }).accuracy : b.loss - a.loss;
  const sign = metric === 'accuracy' ? Math.sign(delta) : -Math.sign(delta);
  return { a, b, metric, delta, better: sign > 0 ? 'b' : sign < 0 ? 'a' : 'tie' };
}
