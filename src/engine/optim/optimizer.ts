import type { Tensor } from '../engine.js';

/** Regularisation and decay shared by every optimiser. */
export interface RegularizationOptions {
  /** L1 penalty λ₁·Σ|w|: adds λ₁·sign(w) to the gradient. Default 0. */
  l1?: number;
  /** L2 penalty (λ₂/2)·Σw²: adds λ₂·w to the gradient (coupled, as PyTorch's `weight_decay` in SGD/Adam). Default 0. */
  l2?: number;
  /**
   * Which parameters the penalties and decay apply to. Default: tensors of rank >= 2 (weights, not
   * biases or LayerNorm gains), as GPT-2 / nanoGPT.
   */
  decays?: (name: string, t: Tensor) => boolean;
}

/** Serialisable optimiser state: step count and named moment buffers (copies). */
export interface OptimizerState {
  step: number;
  buffers: Map<string, Float32Array>;
}

/** Default decay rule: only matrices. */
export function decaysMatrices(_name: string, t: Tensor): boolean {
  return t.rank >= 2;
}

/**
 * Base of the optimisers: holds the trainable parameters (those with `requiresGrad`) in name order,
 * applies L1/L2 penalties to gradients, zeroes gradients, and saves/restores state for bit-exact
 * resume.
 */
export abstract class Optimizer {
  /** Number of completed steps. */
  stepCount = 0;
  protected readonly params: Array<[string, Tensor]>;
  protected readonly decayMask: boolean[];
  private readonly l1: number;
  private readonly l2: number;

  constructor(params: Map<string, Tensor>, reg: RegularizationOptions) {
    this.params = [...params].filter(([, t]) => t.requiresGrad);
    for (const [, t] of this.params) t.engine.gradOf(t);
    const decays = reg.decays ?? decaysMatrices;
    this.decayMask = this.params.map(([n, t]) => decays(n, t));
    this.l1 = reg.l1 ?? 0;
    this.l2 = reg.l2 ?? 0;
  }

  /** Applies one update with learning rate `lr`, then increments the step count. */
  abstract step(lr: number): void;

  /** Named moment buffers, in a fixed order. */
  protected abstract buffers(): Array<[string, Tensor]>;

  /** Zeroes every parameter gradient. */
  zeroGrad(): void {
    for (const [, t] of this.params) t.grad!.fill(0);
  }

  /** Adds the L1/L2 penalty gradients of parameter `i` into its gradient. */
  protected regularize(i: number): void {
    if (!this.decayMask[i] || (this.l1 === 0 && this.l2 === 0)) return;
    const t = this.params[i]![1];
    const p = t.data;
    const g = t.grad!;
    for (let j = 0; j < p.length; j++) {
      const w = p[j]!;
      g[j] = g[j]! + this.l2 * w + this.l1 * Math.sign(w);
    }
  }

  /** Returns the moment buffers' memory to the engine; the optimiser must not be used afterwards. */
  dispose(): void {
    for (const [, t] of this.buffers()) t.engine.free(t);
  }

  /** A copy of the optimiser state. */
  getState(): OptimizerState {
    const buffers = new Map<string, Float32Array>();
    for (const [n, t] of this.buffers()) buffers.set(n, t.toArray());
    return { step: this.stepCount, buffers };
  }

  /** Restores a state from {@link getState}; throws when a buffer is missing or mis-sized. */
  setState(state: OptimizerState): void {
    for (const [n, t] of this.buffers()) {
      const b = state.buffers.get(n);
      if (!b) throw new Error(`optimizer state lacks buffer ${n}`);
      if (b.length !== t.size) throw new Error(`optimizer buffer ${n} has ${b.length} values, expected ${t.size}`);
      t.data.set(b);
    }
    this.stepCount = state.step;
  }
}
