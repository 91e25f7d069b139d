import {
  Module, Embedding, LSTM, Dropout, Rng, add, matmul, crossEntropy, uniformInit, reshape,
  type Engine, type Tensor, type LstmState,
} from '../engine/index.js';
import { rowRuns, type CausalLM, type DecodeState } from './causal-lm.js';
import type { LmOutput, ModelOptions } from './gpt.js';

/** Hyper-parameters of {@link LstmLM}. */
export interface LstmLmConfig {
  vocabSize: number;
  /** Embedding width. */
  embedDim: number;
  /** LSTM hidden size. */
  hiddenSize: number;
  /** Stacked LSTM layers. */
  numLayers: number;
  /** Dropout between LSTM layers and before the output layer; default 0. */
  dropout?: number;
}

/**
 * The seed's language model: Embedding -> multi-layer LSTM -> Dropout -> Linear. Parameter names
 * follow the seed's PyTorch module (`embedding.weight`, `lstm.weight_ih_l0`, ..., `fc.weight`
 * [V, H], `fc.bias`). Holds no I/O.
 */
export class LstmLM extends Module implements CausalLM {
  readonly config: Readonly<Required<LstmLmConfig>>;
  readonly embedding: Embedding;
  readonly lstm: LSTM;
  readonly fcWeight: Tensor;
  readonly fcBias: Tensor;
  /** Drives dropout masks; save its state to resume bit-exactly. */
  readonly rng: Rng;
  private readonly drop: Dropout;

  constructor(readonly engine: Engine, config: LstmLmConfig, options: ModelOptions = {}) {
    super();
    this.config = Object.freeze({ dropout: 0, ...config });
    const { vocabSize, embedDim, hiddenSize, numLayers, dropout } = this.config;
    this.rng = new Rng(options.seed ?? 0);
    this.embedding = this.child('embedding', new Embedding(engine, vocabSize, embedDim, this.rng, 1));
    this.lstm = this.child('lstm', new LSTM(engine, embedDim, hiddenSize, numLayers, this.rng, dropout));
    this.drop = this.child('drop', new Dropout(dropout, this.rng));
    const bound = 1 / Math.sqrt(hiddenSize);
    this.fcWeight = this.param('fc.weight', engine.parameter([vocabSize, hiddenSize], uniformInit(this.rng, vocabSize * hiddenSize, bound)));
    this.fcBias = this.param('fc.bias', engine.parameter([vocabSize], uniformInit(this.rng, vocabSize, bound)));
  }

  /** Number of token ids. */
  get vocabSize(): number {
    return this.config.vocabSize;
  }

  /** Longest sequence a decode row can hold. */
  get maxContext(): number {
    return Infinity;
  }

  /** Top LSTM outputs (B, T, H) and final state, from `state` (zeros when absent). */
  run(ids: Int32Array, shape: readonly [number, number], state?: LstmState): { output: Tensor; state: LstmState } {
    const [B, T] = shape;
    if (ids.length !== B * T) throw new RangeError(`${ids.length} ids for shape [${B}, ${T}]`);
    return this.lstm.forward(this.embedding.forward(ids, [B, T]), state);
  }

  /** Hidden states (B, T, H) fed to the output layer (after dropout). */
  features(ids: Int32Array, shape: readonly [number, number]): Tensor {
    return this.drop.forward(this.run(ids, shape).output);
  }

  /** Logits (B, T, V) and, with `targets` (-100 = ignore), the mean cross-entropy. */
  forward(ids: Int32Array, shape: readonly [number, number], targets?: Int32Array): LmOutput {
    const logits = this.head(this.features(ids, shape));
    return { logits, loss: targets ? crossEntropy(logits, targets) : null };
  }

  private head(x: Tensor): Tensor {
    return add(matmul(x, this.fcWeight, { transB: true }), this.fcBias);
  }

  /** Layer a parameter belongs to: -1 embedding, i for LSTM layer i, numLayers for the head. */
  layerOf(name: string): number {
    const m = /_l(\d+)$/.exec(name);
    if (m) return Number(m[1]);
    return name.startsWith('embedding') ? -1 : this.config.numLayers;
  }

  /** Recurrent state for `rows` concurrent sequences (persistent memory). */
  createDecodeState(rows: number): LstmDecodeState {
    return new LstmDecodeState(this.engine, rows, this.config);
  }

  /** Feeds tokens through the recurrent state; see {@link CausalLM.decode}. */
  decode(state: LstmDecodeState, tokens: Int32Array, rows: Int32Array): Float32Array {
    const e = this.engine;
    const H = this.config.hiddenSize;
    const V = this.config.vocabSize;
    const runs = rowRuns(rows);
    const out = new Float32Array(runs.length * V);
    const wasTraining = this.training;
    this.train(false);
    try {
      e.noGrad(() => {
        const distinct = new Set(rows).size === rows.length;
        // One batched step when every row appears once; else each run as its own sequence.
        const groups = distinct ? [runs.map(([s]) => s)] : runs.map(([s, end]) => Array.from({ length: end - s }, (_, i) => s + i));
        let written = 0;
        for (const idx of groups) {
          const batched = distinct;
          const B = batched ? idx.length : 1;
          const T = batched ? 1 : idx.length;
          const rowList = batched ? idx.map((i) => rows[i]!) : [rows[idx[0]!]!];
          const init: LstmState = { h: [], c: [] };
          for (let l = 0; l < this.config.numLayers; l++) {
            init.h.push(e.fromArray([B, H], state.gatherRows(state.h[l]!, rowList)));
            init.c.push(e.fromArray([B, H], state.gatherRows(state.c[l]!, rowList)));
          }
          const ids = Int32Array.from(idx, (i) => tokens[i]!);
          const res = this.run(ids, [B, T], init);
          for (let l = 0; l < this.config.numLayers; l++) {
            state.scatterRows(state.h[l]!, rowList, res.state.h[l]!.data);
            state.scatterRows(state.c[l]!, rowList, res.state.c[l]!.data);
          }
          for (const r of rowList) state.lengths[r] = state.lengths[r]! + T;
          const lastH = batched ? res.output : reshape(res.state.h[this.config.numLayers - 1]!, [1, 1, H]);
          const logits = this.head(lastH);
          out.set(logits.data, written * V);
          written += B;
        }
      });
    } finally {
      this.train(wasTraining);
    }
    return out;
  }
}

/** Per-row hidden and cell states of every layer, (rows, H) each, in persistent memory. */
export class LstmDecodeState implements DecodeState {
  readonly h: Tensor[] = [];
  readonly c: Tensor[] = [];
  readonly lengths: Int32Array;
  private readonly H: number;

  constructor(private readonly engine: Engine, readonly rows: number, config: Readonly<Required<LstmLmConfig>>) {
    this.H = config.hiddenSize;
    for (let l = 0; l < config.numLayers; l++) {
      this.h.push(engine.persistentZeros([rows, this.H]));
      this.c.push(engine.persistentZeros([rows, this.H]));
    }
    this.lengths = new Int32Array(rows);
  }

  length(row: number): number {
    return this.lengths[row]!;
  }

  reset(row: number): void {
    this.lengths[row] = 0;
    for (const t of [...this.h, ...this.c]) t.data.fill(0, row * this.H, (row + 1) * this.H);
  }

  /** Copies rows `rowList` of `t` into one array. */
  gatherRows(t: Tensor, rowList: readonly number[]): Float32Array {
    const out = new Float32Array(rowList.length * this.H);
    rowList.forEach((r, i) => out.set(t.data.subarray(r * this.H, (r + 1) * this.H), i * this.H));
    return out;
  }

  /** Writes `values` (rowList.length × H) back into rows `rowList` of `t`. */
  scatterRows(t: Tensor, rowList: readonly number[], values: Float32Array): void {
    rowList.forEach((r, i) => t.data.set(values.subarray(i * this.H, (i + 1) * this.H), r * this.H));
  }

  dispose(): void {
    for (const t of [...this.h, ...this.c]) this.engine.free(t);
    this.h.length = 0;
    this.c.length = 0;
  }
}
