import type { Engine } from '../engine.js';
import type { Rng } from '../rng.js';
import type { Tensor } from '../engine.js';
import { Module } from './module.js';
import { linear } from '../ops/matmul.js';
import { gather } from '../ops/gather.js';
import { layerNorm } from '../ops/norm.js';
import { dropout } from '../ops/dropout.js';

/** Values drawn from N(0, std²). */
export function normalInit(rng: Rng, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() * std;
  return out;
}

/** Values drawn from U(-bound, bound). */
export function uniformInit(rng: Rng, n: number, bound: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (rng.uniform() * 2 - 1) * bound;
  return out;
}

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Add a bias (default true). */
  bias?: boolean;
  /** Standard deviation of the normal weight init (default 0.02, as GPT-2). */
  std?: number;
}

/** Affine layer `y = x · weight + bias`, weight [in, out] (GPT-2 Conv1D layout). */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(engine: Engine, inFeatures: number, outFeatures: number, rng: Rng, options: LinearOptions = {}) {
    super();
    const std = options.std ?? 0.02;
    this.weight = this.param('weight', engine.parameter([inFeatures, outFeatures], normalInit(rng, inFeatures * outFeatures, std)));
    this.bias = options.bias === false ? null : this.param('bias', engine.parameter([outFeatures]));
  }

  /** Applies the layer to the last axis of `x`. */
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}

/** Lookup table of `count` vectors of size `dim`. */
export class Embedding extends Module {
  readonly weight: Tensor;

  constructor(engine: Engine, count: number, dim: number, rng: Rng, std = 0.02) {
    super();
    this.weight = this.param('weight', engine.parameter([count, dim], normalInit(rng, count * dim, std)));
  }

  /** Vectors for `ids`, shape [...shape, dim]. */
  forward(ids: Int32Array, shape: readonly number[] = [ids.length]): Tensor {
    return gather(this.weight, ids, shape);
  }
}

/** LayerNorm with learned scale (init 1) and shift (init 0). */
export class LayerNorm extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor;

  constructor(engine: Engine, dim: number, readonly eps = 1e-5) {
    super();
    this.weight = this.param('weight', engine.parameter([dim], new Float32Array(dim).fill(1)));
    this.bias = this.param('bias', engine.parameter([dim]));
  }

  /** Normalises the last axis of `x`. */
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.weight, this.bias, this.eps);
  }
}

/** Dropout with probability `p`, active only in training mode. */
export class Dropout extends Module {
  constructor(readonly p: number, private readonly rng: Rng) {
    super();
  }

  /** Drops elements of `x` in training mode; identity otherwise. */
  forward(x: Tensor): Tensor {
    return this.training && this.p > 0 ? dropout(x, this.p, this.rng) : x;
  }
}
