import { clipGradNorm, type Optimizer, type Tensor } from '../engine/index.js';

/** A model that maps token ids (and targets) to a loss. */
export interface TrainableModel {
  readonly engine: { resetArena(): void; backward(loss: Tensor): void };
  forward(ids: Int32Array, shape: readonly [number, number], targets?: Int32Array): { loss: Tensor | null };
  parameters(): Map<string, Tensor>;
}

/** One batch: ids and targets are B·T values, row-major. */
export interface Batch {
  ids: Int32Array;
  targets: Int32Array;
  shape: readonly [number, number];
}

/** Result of {@link trainStep}. */
export interface StepResult {
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
}

/**
 * One optimisation step: reset the activation arena, zero gradients, forward, backward, optional
 * gradient-norm clipping, optimiser update with learning rate `lr`.
 */
export function trainStep(model: TrainableModel, optimizer: Optimizer, batch: Batch, lr: number, clipNorm = Infinity): StepResult {
  model.engine.resetArena();
  optimizer.zeroGrad();
  const { loss } = model.forward(batch.ids, batch.shape, batch.targets);
  if (!loss) throw new Error('model returned no loss');
  const value = loss.item();
  model.engine.backward(loss);
  const gradNorm = clipGradNorm([...model.parameters().values()].filter((t) => t.requiresGrad), clipNorm);
  optimizer.step(lr);
  return { loss: value, gradNorm };
}
