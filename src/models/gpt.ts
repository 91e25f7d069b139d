import {
  Module, Embedding, LayerNorm, CausalSelfAttention, MLP, Rng, add, matmul, crossEntropy, dropout,
  type AttentionSegments, type Engine, type Tensor, type TransformerDims,
} from '../engine/index.js';
import type { CausalLM } from './causal-lm.js';
import type { GptConfig } from './gpt-config.js';
import { GptKvCache, gptDecode, type GptWeights } from './gpt-decode.js';

export type { GptConfig };

/** Options of the model constructors. */
export interface ModelOptions {
  /** Seed of the weight init and of dropout masks. */
  seed?: number;
}

/** Logits (B, T, V) and, when targets were given, the mean cross-entropy. */
export interface LmOutput {
  logits: Tensor;
  loss: Tensor | null;
}

/** One pre-LayerNorm transformer block: x + attn(ln_1(x)), then + mlp(ln_2(x)). */
export class Block extends Module {
  readonly ln_1: LayerNorm;
  readonly attn: CausalSelfAttention;
  readonly ln_2: LayerNorm;
  readonly mlp: MLP;

  constructor(engine: Engine, dims: TransformerDims, rng: Rng) {
    super();
    this.ln_1 = this.child('ln_1', new LayerNorm(engine, dims.dModel));
    this.attn = this.child('attn', new CausalSelfAttention(engine, dims, rng));
    this.ln_2 = this.child('ln_2', new LayerNorm(engine, dims.dModel));
    this.mlp = this.child('mlp', new MLP(engine, dims, rng));
  }

  /** (B, T, C) -> (B, T, C); `segments`: packed documents, each attended over alone. */
  forward(x: Tensor, segments?: AttentionSegments): Tensor {
    const h = add(x, this.attn.forward(this.ln_1.forward(x), segments));
    return add(h, this.mlp.forward(this.ln_2.forward(h)));
  }
}

/**
 * GPT-2 (Radford et al. 2019) exactly: learned positional embeddings, pre-LayerNorm blocks, GELU
 * MLP, biases everywhere, output projection tied to the token embedding. Parameter names and
 * layouts are those of Hugging Face `GPT2Model` (`wte.weight`, `h.0.attn.c_attn.weight` as Conv1D
 * [in, out], ..., `ln_f.weight`), so GPT-2 safetensors load as they are. Holds no I/O.
 */
export class GPT extends Module implements CausalLM, GptWeights {
  readonly config: Readonly<Required<GptConfig>>;
  readonly wte: Embedding;
  readonly wpe: Embedding;
  readonly h: Block[];
  readonly ln_f: LayerNorm;
  /** Drives dropout masks; save its state to resume bit-exactly. */
  readonly rng: Rng;

  constructor(readonly engine: Engine, config: GptConfig, options: ModelOptions = {}) {
    super();
    this.config = Object.freeze({ dropout: 0, ...config });
    const { vocabSize, contextLength, nLayer, nHead, dModel, dropout } = this.config;
    if (dModel % nHead !== 0) throw new RangeError(`dModel ${dModel} is not divisible by nHead ${nHead}`);
    this.rng = new Rng(options.seed ?? 0);
    this.wte = this.child('wte', new Embedding(engine, vocabSize, dModel, this.rng));
    this.wpe = this.child('wpe', new Embedding(engine, contextLength, dModel, this.rng, 0.01));
    const dims: TransformerDims = { dModel, nHead, dropout, projStd: 0.02 / Math.sqrt(2 * nLayer) };
    this.h = [];
    for (let i = 0; i < nLayer; i++) this.h.push(this.child(`h.${i}`, new Block(engine, dims, this.rng)));
    this.ln_f = this.child('ln_f', new LayerNorm(engine, dModel));
  }

  /**
   * Hidden states after `ln_f`, (B, T, C), for token ids (B·T values, row-major). With `segments` (packed
   * documents per row, see AttentionSegments), each document is computed as if it were alone in its row:
   * its positions start at 0 and it attends only to itself.
   */
  features(ids: Int32Array, shape: readonly [number, number], segments?: AttentionSegments): Tensor {
    const [B, T] = shape;
    if (ids.length !== B * T) throw new RangeError(`${ids.length} ids for shape [${B}, ${T}]`);
    if (T > this.config.contextLength) throw new RangeError(`sequence of ${T} exceeds the context of ${this.config.contextLength}`);
    const pos = segments ? segmentPositions(segments, B, T) : new Int32Array(B * T).map((_, i) => i % T);
    let x = add(this.wte.forward(ids, [B, T]), this.wpe.forward(pos, [B, T]));
    if (this.training && this.config.dropout > 0) x = dropout(x, this.config.dropout, this.rng);
    for (const block of this.h) x = block.forward(x, segments);
    return this.ln_f.forward(x);
  }

  /**
   * Logits (B, T, V) for token ids (B, T); with `targets` (B·T ids, -100 = ignore) also the mean
   * next-token cross-entropy. `segments`: packed documents kept apart (see {@link features}).
   */
  forward(ids: Int32Array, shape: readonly [number, number], targets?: Int32Array, segments?: AttentionSegments): LmOutput {
    const x = this.features(ids, shape, segments);
    const logits = matmul(x, this.wte.weight, { transB: true });
    return { logits, loss: targets ? crossEntropy(logits, targets) : null };
  }

  /** Number of token ids. */
  get vocabSize(): number {
    return this.config.vocabSize;
  }

  /** Longest sequence a decode row can hold. */
  get maxContext(): number {
    return this.config.contextLength;
  }

  /** A KV cache for `rows` concurrent sequences of up to `contextLength` tokens (persistent memory). */
  createDecodeState(rows: number): GptKvCache {
    return new GptKvCache(this.engine, rows, this.config);
  }

  /** Incremental forward through the KV cache; see {@link CausalLM.decode}. */
  decode(state: GptKvCache, tokens: Int32Array, rows: Int32Array): Float32Array {
    return gptDecode(this, state, tokens, rows);
  }

  /** Index of the block a parameter belongs to: -1 for embeddings, nLayer for the final norm. */
  layerOf(name: string): number {
    const m = /^h\.(\d+)\./.exec(name);
    if (m) return Number(m[1]);
    return name.startsWith('ln_f') ? this.config.nLayer : -1;
  }
}

/** Positions that restart at 0 at every packed document (and at the remainder after them). */
function segmentPositions(segments: AttentionSegments, B: number, T: number): Int32Array {
  const pos = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    let t = 0;
    for (const len of segments[b] ?? []) for (let i = 0; i < len && t < T; i++) pos[b * T + t++] = i;
    for (let i = 0; t < T; i++) pos[b * T + t++] = i;
  }
  return pos;
}
