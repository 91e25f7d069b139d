import { clipGradNorm, scale, type Optimizer, type Tensor } from '../engine/index.js';

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

/** Result of {@link gradientStep} and {@link trainStep}. */
export interface StepResult {
  /** Mean loss over the micro-batches. */
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
}

/** What one optimisation step needs, whatever computes the loss. */
export interface StepPlan {
  readonly engine: { resetArena(): void; backward(loss: Tensor): void };
  readonly optimizer: Optimizer;
  /** The tensors whose gradients are clipped together (the trainable parameters). */
  readonly trainable: readonly Tensor[];
  /** Micro-batches whose gradients are summed (each loss scaled by 1/microBatches, so the sum is the mean). */
  readonly microBatches: number;
  /** Forward pass of micro-batch `micro` (0-based), on a fresh arena; returns its scalar loss. */
  lossOf(micro: number): Tensor;
  readonly lr: number;
  /** Global gradient-norm bound; Infinity clips nothing. */
  readonly clipNorm: number;
}

/**
 * One optimisation step, the only one in the code base (the pipeline's training loop and
 * {@link trainStep} both run it): zero gradients; per micro-batch, reset the activation arena, forward
 * and backward; global-norm clipping; optimiser update with learning rate `lr`.
 */
export function gradientStep(plan: StepPlan): StepResult {
  const { engine, optimizer, microBatches } = plan;
  optimizer.zeroGrad();
  let lossSum = 0;
  for (let micro = 0; micro < microBatches; micro++) {
    engine.resetArena();
    const loss = plan.lossOf(micro);
    lossSum += loss.item();
    engine.backward(microBatches > 1 ? scale(loss, 1 / microBatches) : loss);
  }
  const gradNorm = clipGradNorm(plan.trainable, plan.clipNorm);
  optimizer.step(plan.lr);
  return { loss: lossSum / microBatches, gradNorm };
}

/** {@link gradientStep} on one batch of a language model, clipping all of its trainable parameters. */
export function trainStep(model: TrainableModel, optimizer: Optimizer, batch: Batch, lr: number, clipNorm = Infinity): StepResult {
  return gradientStep({
    engine: model.engine,
    optimizer,
    trainable: [...model.parameters().values()].filter((t) => t.requiresGrad),
    microBatches: 1,
    lossOf: () => {
      const { loss } = model.forward(batch.ids, batch.shape, batch.targets);
      if (!loss) throw new Error('model returned no loss');
      return loss;
    },
    lr,
    clipNorm,
  });
}
