import type { Engine } from '../engine/index.js';
import { GPT, type ModelOptions } from './gpt.js';
import type { GptConfig } from './gpt-config.js';
import { LstmLM, type LstmLmConfig } from './lstm-lm.js';

/** A model architecture as data. */
export type ModelSpec = { kind: 'gpt'; config: GptConfig } | { kind: 'lstm'; config: LstmLmConfig };

/**
 * Named presets. `small` (5.9M parameters at a 4,096-id vocabulary) is the bundled model's shape: as large
 * as two CPU cores train on a few million tokens in about an hour. `gpt2` is GPT-2 small (124M) and loads
 * Hugging Face `gpt2` weights.
 */
export const PRESETS = {
  tiny: { kind: 'gpt', config: { vocabSize: 256, contextLength: 64, nLayer: 4, nHead: 4, dModel: 128 } },
  mid: { kind: 'gpt', config: { vocabSize: 256, contextLength: 256, nLayer: 6, nHead: 6, dModel: 384 } },
  small: { kind: 'gpt', config: { vocabSize: 256, contextLength: 256, nLayer: 6, nHead: 8, dModel: 256 } },
  gpt2: { kind: 'gpt', config: { vocabSize: 50257, contextLength: 1024, nLayer: 12, nHead: 12, dModel: 768 } },
  'lstm-seed': { kind: 'lstm', config: { vocabSize: 256, embedDim: 256, hiddenSize: 512, numLayers: 2, dropout: 0.2 } },
} as const satisfies Record<string, ModelSpec>;

/** Names of {@link PRESETS}. */
export type PresetName = keyof typeof PRESETS;

/** The spec of a preset, with config fields overridden (e.g. the tokenizer's vocabSize). */
export function presetSpec(name: PresetName, overrides: Partial<GptConfig & LstmLmConfig> = {}): ModelSpec {
  const p = PRESETS[name];
  if (!p) throw new RangeError(`unknown preset ${String(name)}; known: ${Object.keys(PRESETS).join(', ')}`);
  const pick = <T extends object>(base: T): T => {
    const out = { ...base } as Record<string, unknown>;
    for (const k of Object.keys(base)) if (k in overrides) out[k] = (overrides as Record<string, unknown>)[k];
    if (overrides.dropout !== undefined) out.dropout = overrides.dropout;
    return out as T;
  };
  return p.kind === 'gpt' ? { kind: 'gpt', config: pick<GptConfig>(p.config) } : { kind: 'lstm', config: pick<LstmLmConfig>(p.config) };
}

/** Builds the model a spec describes. */
export function createModel(engine: Engine, spec: ModelSpec, options: ModelOptions = {}): GPT | LstmLM {
  return spec.kind === 'gpt' ? new GPT(engine, spec.config, options) : new LstmLM(engine, spec.config, options);
}

/** Exact parameter count of a spec. */
export function parameterCount(spec: ModelSpec): number {
  if (spec.kind === 'gpt') {
    const { vocabSize: V, contextLength: P, nLayer: L, dModel: C } = spec.config;
    return V * C + P * C + L * (12 * C * C + 13 * C) + 2 * C;
  }
  const { vocabSize: V, embedDim: E, hiddenSize: H, numLayers: L } = spec.config;
  let n = V * E + H * V + V;
  for (let l = 0; l < L; l++) n += 4 * H * ((l === 0 ? E : H) + H) + 8 * H;
  return n;
}

/** Memory a training step needs, in bytes, from the config alone. */
export interface MemoryEstimate {
  parameters: number;
  /** Parameter count (values). */
  parameterCount: number;
  gradients: number;
  /** Optimiser moments (2 per parameter for Adam/AdamW). */
  optimizer: number;
  /** Activations of one step, forward plus the live part of backward. */
  activations: number;
  total: number;
}

/**
 * Estimates the tensor memory of training `spec` at `batch` × `seqLen` with an optimiser keeping
 * `moments` buffers per parameter (AdamW 2, SGD with momentum 1). Excludes the JS runtime (~60 MB).
 */
export function estimateMemory(spec: ModelSpec, batch: number, seqLen: number, moments = 2): MemoryEstimate {
  const n = parameterCount(spec);
  const B = batch;
  const T = seqLen;
  let floats: number;
  if (spec.kind === 'gpt') {
    const { vocabSize: V, nLayer: L, nHead: NH, dModel: C, dropout = 0 } = spec.config;
    const perLayer = 21 * B * T * C + NH * B * T * T + (dropout > 0 ? 4 * B * T * C : 0);
    // forward: embeddings, blocks, ln_f, logits + probabilities; backward: about one layer live.
    floats = 4 * B * T * C + L * perLayer + 2 * B * T * V + perLayer + 2 * B * T * V;
  } else {
    const { vocabSize: V, embedDim: E, hiddenSize: H, numLayers: L } = spec.config;
    const perLayer = B * T * (4 * H * 4 + 8 * H);
    floats = B * T * E + L * perLayer + 3 * B * T * V + perLayer;
  }
  const bytes = { parameters: 4 * n, gradients: 4 * n, optimizer: 4 * n * moments, activations: 4 * floats };
  return { ...bytes, parameterCount: n, total: bytes.parameters + bytes.gradients + bytes.optimizer + bytes.activations };
}
