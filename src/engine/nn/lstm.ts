import type { Engine } from '../engine.js';
import type { Rng } from '../rng.js';
import type { Tensor } from '../engine.js';
import { Module } from './module.js';
import { Dropout, uniformInit } from './layers.js';
import { matmul } from '../ops/matmul.js';
import { lstmLayer } from '../ops/lstm-cell.js';
import { reshape } from '../ops/shape.js';

/** Hidden and cell state of every layer, each (B, H). */
export interface LstmState {
  h: Tensor[];
  c: Tensor[];
}

/**
 * Multi-layer LSTM, batch-first, with PyTorch parameter names and layouts (`weight_ih_l0` [4H, in],
 * `weight_hh_l0` [4H, H], `bias_ih_l0`, `bias_hh_l0`; gate order i, f, g, o) so that the seed's
 * PyTorch weights map one to one. Dropout between layers as PyTorch's `dropout` argument.
 */
export class LSTM extends Module {
  private readonly wIh: Tensor[] = [];
  private readonly wHh: Tensor[] = [];
  private readonly bIh: Tensor[] = [];
  private readonly bHh: Tensor[] = [];
  private readonly drop: Dropout;

  constructor(
    private readonly engine: Engine,
    inputSize: number,
    readonly hiddenSize: number,
    readonly numLayers: number,
    rng: Rng,
    dropoutP = 0,
  ) {
    super();
    const H = hiddenSize;
    const bound = 1 / Math.sqrt(H);
    for (let l = 0; l < numLayers; l++) {
      const inp = l === 0 ? inputSize : H;
      this.wIh.push(this.param(`weight_ih_l${l}`, engine.parameter([4 * H, inp], uniformInit(rng, 4 * H * inp, bound))));
      this.wHh.push(this.param(`weight_hh_l${l}`, engine.parameter([4 * H, H], uniformInit(rng, 4 * H * H, bound))));
      this.bIh.push(this.param(`bias_ih_l${l}`, engine.parameter([4 * H], uniformInit(rng, 4 * H, bound))));
      this.bHh.push(this.param(`bias_hh_l${l}`, engine.parameter([4 * H], uniformInit(rng, 4 * H, bound))));
    }
    this.drop = this.child('drop', new Dropout(dropoutP, rng));
  }

  /** A zero state for batch size `B` (arena tensors). */
  zeroState(B: number): LstmState {
    const h: Tensor[] = [];
    const c: Tensor[] = [];
    for (let l = 0; l < this.numLayers; l++) {
      h.push(this.engine.zeros([B, this.hiddenSize]));
      c.push(this.engine.zeros([B, this.hiddenSize]));
    }
    return { h, c };
  }

  /**
   * Runs the sequence `x` (B, T, in) from `state` (zeros when absent). Returns the top layer's outputs
   * (B, T, H) and the final state.
   */
  forward(x: Tensor, state?: LstmState): { output: Tensor; state: LstmState } {
    const [B, T] = x.shape as [number, number];
    const H = this.hiddenSize;
    const init = state ?? this.zeroState(B);
    const next: LstmState = { h: [], c: [] };
    let layerIn = x;
    for (let l = 0; l < this.numLayers; l++) {
      if (l > 0) layerIn = this.drop.forward(layerIn);
      // Input projections for all time steps in one product; the recurrence (with both biases) as one op
      // (ops/lstm-cell.ts), whose backward sums the recurrent weight gradient over all steps in one product.
      const xProj = matmul(layerIn, this.wIh[l]!, { transB: true });
      const run = lstmLayer(reshape(xProj, [B, T, 4 * H]), this.wHh[l]!, [this.bIh[l]!, this.bHh[l]!], init.h[l]!, init.c[l]!);
      next.h.push(run.h);
      next.c.push(run.c);
      layerIn = run.output;
    }
    return { output: layerIn, state: next };
  }
}
