import type { Engine } from '../engine.js';
import type { Tensor } from '../engine.js';
import { Optimizer, type RegularizationOptions } from './optimizer.js';

/** Options of {@link Adam} and {@link AdamW}. */
export interface AdamOptions extends RegularizationOptions {
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999 (GPT-2 training commonly uses 0.95). */
  beta2?: number;
  /** Default 1e-8. */
  eps?: number;
  /** Decoupled weight decay (AdamW only; default 0.01 for AdamW). */
  weightDecay?: number;
}

/**
 * Adam (Kingma & Ba 2015). L2 regularisation, if set, is coupled (added to the gradient); use
 * {@link AdamW} for decoupled decay. The update runs in the backend's fused `adamw` kernel.
 */
export class Adam extends Optimizer {
  protected readonly m: Tensor[];
  protected readonly v: Tensor[];
  protected readonly beta1: number;
  protected readonly beta2: number;
  protected readonly eps: number;
  protected weightDecay = 0;

  constructor(private readonly engine: Engine, params: Map<string, Tensor>, options: AdamOptions = {}) {
    super(params, options);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.m = this.params.map(([, t]) => engine.persistentZeros(t.shape));
    this.v = this.params.map(([, t]) => engine.persistentZeros(t.shape));
  }

  step(lr: number): void {
    const t = this.stepCount + 1;
    const bc1 = 1 - Math.pow(this.beta1, t);
    const bc2 = 1 - Math.pow(this.beta2, t);
    this.params.forEach(([, p], i) => {
      this.regularize(i);
      const wd = this.decayMask[i] ? this.weightDecay : 0;
      this.engine.kernels.adamw(p.data, p.grad!, this.m[i]!.data, this.v[i]!.data, p.size,
        lr, this.beta1, this.beta2, this.eps, wd, bc1, bc2);
    });
    this.stepCount = t;
  }

  protected buffers(): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = [];
    this.params.forEach(([n], i) => {
      out.push([`${n}.exp_avg`, this.m[i]!], [`${n}.exp_avg_sq`, this.v[i]!]);
    });
    return out;
  }
}

/** AdamW (Loshchilov & Hutter 2019): Adam with weight decay decoupled from the gradient moments. */
export class AdamW extends Adam {
  constructor(engine: Engine, params: Map<string, Tensor>, options: AdamOptions = {}) {
    super(engine, params, options);
    this.weightDecay = options.weightDecay ?? 0.01;
  }
}
