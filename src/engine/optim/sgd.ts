import type { Engine } from '../engine.js';
import type { Tensor } from '../engine.js';
import { Optimizer, type RegularizationOptions } from './optimizer.js';

/** Options of {@link SGD}. */
export interface SgdOptions extends RegularizationOptions {
  /** Momentum μ (default 0): v = μ·v + g; w -= lr·v (PyTorch convention, no dampening). */
  momentum?: number;
}

/** Stochastic gradient descent with optional momentum. */
export class SGD extends Optimizer {
  private readonly velocity: Tensor[];
  private readonly momentum: number;

  constructor(engine: Engine, params: Map<string, Tensor>, options: SgdOptions = {}) {
    super(params, options);
    this.momentum = options.momentum ?? 0;
    this.velocity = this.momentum > 0 ? this.params.map(([, t]) => engine.persistentZeros(t.shape)) : [];
  }

  step(lr: number): void {
    this.params.forEach(([, t], i) => {
      this.regularize(i);
      const p = t.data;
      const g = t.grad!;
      if (this.momentum > 0) {
        const v = this.velocity[i]!.data;
        for (let j = 0; j < p.length; j++) {
          const vj = this.momentum * v[j]! + g[j]!;
          v[j] = vj;
          p[j] = p[j]! - lr * vj;
        }
      } else {
        for (let j = 0; j < p.length; j++) p[j] = p[j]! - lr * g[j]!;
      }
    });
    this.stepCount++;
  }

  protected buffers(): Array<[string, Tensor]> {
    return this.velocity.map((v, i) => [`${this.params[i]![0]}.momentum`, v]);
  }
}
