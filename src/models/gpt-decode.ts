import {
  add, gather, linear, gelu, matmul,
  type CausalSelfAttention, type Embedding, type Engine, type LayerNorm, type MLP, type Tensor,
} from '../engine/index.js';
import { rowRuns, type DecodeState } from './causal-lm.js';
import type { GptConfig } from './gpt-config.js';

/**
 * What the incremental forward reads of a GPT: its engine, config and weights as the GPT class
 * (gpt.ts) lays them out. Declared here so this module needs nothing from gpt.ts; GPT implements it.
 */
export interface GptWeights {
  readonly engine: Engine;
  readonly config: Readonly<Required<GptConfig>>;
  readonly wte: Embedding;
  readonly wpe: Embedding;
  readonly h: readonly { readonly ln_1: LayerNorm; readonly attn: CausalSelfAttention; readonly ln_2: LayerNorm; readonly mlp: MLP }[];
  readonly ln_f: LayerNorm;
}

/**
 * Keys and values of every layer for `rows` sequences: per layer (rows, contextLength, C) in
 * persistent memory, so decoding one token costs one pass over the new token only.
 */
export class GptKvCache implements DecodeState {
  /** Keys per layer, (rows, contextLength, C). */
  readonly k: Tensor[] = [];
  /** Values per layer, (rows, contextLength, C). */
  readonly v: Tensor[] = [];
  /** Tokens held per row. */
  readonly lengths: Int32Array;
  private disposed = false;

  constructor(private readonly engine: Engine, readonly rows: number, readonly config: Readonly<GptConfig>) {
    for (let l = 0; l < config.nLayer; l++) {
      this.k.push(engine.persistentZeros([rows, config.contextLength, config.dModel]));
      this.v.push(engine.persistentZeros([rows, config.contextLength, config.dModel]));
    }
    this.lengths = new Int32Array(rows);
  }

  length(row: number): number {
    return this.lengths[row]!;
  }

  reset(row: number): void {
    this.lengths[row] = 0;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of [...this.k, ...this.v]) this.engine.free(t);
  }
}

/** Incremental GPT forward: see CausalLM.decode. Records nothing on the tape. */
export function gptDecode(model: GptWeights, cache: GptKvCache, tokens: Int32Array, rows: Int32Array): Float32Array {
  const e = model.engine;
  const { contextLength: maxLen, dModel: C, nHead: NH, vocabSize: V } = model.config;
  const n = tokens.length;
  if (rows.length !== n) throw new RangeError(`${n} tokens but ${rows.length} row indices`);
  const pos = e.int32(n);
  const rowIdx = e.int32(n);
  const seen = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    if (r < 0 || r >= cache.rows) throw new RangeError(`row ${r} outside the cache's ${cache.rows} rows`);
    const p = cache.lengths[r]! + (seen.get(r) ?? 0);
    if (p >= maxLen) throw new RangeError(`row ${r} would exceed the context of ${maxLen} tokens`);
    seen.set(r, (seen.get(r) ?? 0) + 1);
    pos[i] = p;
    rowIdx[i] = r;
  }
  const runs = rowRuns(rows);
  const logits = e.noGrad(() => {
    let x = add(gather(model.wte.weight, tokens, [n]), gather(model.wpe.weight, Int32Array.from(pos), [n]));
    model.h.forEach((block, l) => {
      const qkv = linear(block.ln_1.forward(x), block.attn.c_attn.weight, block.attn.c_attn.bias);
      const kc = cache.k[l]!.data;
      const vc = cache.v[l]!.data;
      for (let i = 0; i < n; i++) {
        const o = (rowIdx[i]! * maxLen + pos[i]!) * C;
        kc.set(qkv.data.subarray(i * 3 * C + C, i * 3 * C + 2 * C), o);
        vc.set(qkv.data.subarray(i * 3 * C + 2 * C, i * 3 * C + 3 * C), o);
      }
      const att = e.empty([n, C]);
      e.kernels.attentionDecode(att.data, qkv.data, kc, vc, rowIdx, pos, n, C, NH, maxLen);
      x = add(x, linear(att, block.attn.c_proj.weight, block.attn.c_proj.bias));
      const mlp = block.mlp;
      const hidden = gelu(linear(block.ln_2.forward(x), mlp.c_fc.weight, mlp.c_fc.bias));
      x = add(x, linear(hidden, mlp.c_proj.weight, mlp.c_proj.bias));
    });
    // Only the last position of each run needs logits (prefill would waste V·C per prompt token).
    const last = Int32Array.from(runs, ([, end]) => end - 1);
    const sel = gather(model.ln_f.forward(x), last, [last.length]);
    return matmul(sel, model.wte.weight, { transB: true });
  });
  for (const [r, count] of seen) cache.lengths[r] = cache.lengths[r]! + count;
  const out = new Float32Array(runs.length * V);
  out.set(logits.data);
  return out;
}
