import type { Engine } from '../engine.js';
import type { Rng } from '../rng.js';
import type { Tensor } from '../engine.js';
import { Module } from './module.js';
import { Dropout, Linear } from './layers.js';
import { causalSelfAttention, type AttentionSegments } from '../ops/attention.js';
import { gelu } from '../ops/activations.js';

/** Sizes shared by the transformer layers. */
export interface TransformerDims {
  /** Model width C. */
  dModel: number;
  /** Attention heads; must divide dModel. */
  nHead: number;
  /** Dropout probability on residual branches. */
  dropout: number;
  /** Std of residual output projections (GPT-2: 0.02 / sqrt(2 · layers)). */
  projStd: number;
}

/** Causal multi-head self-attention with GPT-2 parameter names (`c_attn`, `c_proj`). */
export class CausalSelfAttention extends Module {
  readonly c_attn: Linear;
  readonly c_proj: Linear;
  private readonly drop: Dropout;
  private readonly nHead: number;

  constructor(engine: Engine, dims: TransformerDims, rng: Rng) {
    super();
    if (dims.dModel % dims.nHead !== 0) throw new RangeError(`dModel ${dims.dModel} not divisible by ${dims.nHead} heads`);
    this.c_attn = this.child('c_attn', new Linear(engine, dims.dModel, 3 * dims.dModel, rng));
    this.c_proj = this.child('c_proj', new Linear(engine, dims.dModel, dims.dModel, rng, { std: dims.projStd }));
    this.drop = this.child('drop', new Dropout(dims.dropout, rng));
    this.nHead = dims.nHead;
  }

  /** (B, T, C) -> (B, T, C); with `segments`, each packed document attends only within itself. */
  forward(x: Tensor, segments?: AttentionSegments): Tensor {
    return this.drop.forward(this.c_proj.forward(causalSelfAttention(this.c_attn.forward(x), this.nHead, segments)));
  }
}

/** Position-wise feed-forward block: Linear(C, 4C) -> GELU -> Linear(4C, C) -> dropout. */
export class MLP extends Module {
  readonly c_fc: Linear;
  readonly c_proj: Linear;
  private readonly drop: Dropout;

  constructor(engine: Engine, dims: TransformerDims, rng: Rng) {
    super();
    this.c_fc = this.child('c_fc', new Linear(engine, dims.dModel, 4 * dims.dModel, rng));
    this.c_proj = this.child('c_proj', new Linear(engine, 4 * dims.dModel, dims.dModel, rng, { std: dims.projStd }));
    this.drop = this.child('drop', new Dropout(dims.dropout, rng));
  }

  /** (…, C) -> (…, C). */
  forward(x: Tensor): Tensor {
    return this.drop.forward(this.c_proj.forward(gelu(this.c_fc.forward(x))));
  }
}
