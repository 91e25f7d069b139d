import { AdamW, createEngine, Rng } from '../engine/index.js';
import { PRESETS, createModel, estimateMemory, parameterCount, presetSpec, trainStep, type ModelSpec, type PresetName } from '../models/index.js';

/** One row of `qudao models presets`. */
export interface PresetRow {
  readonly name: PresetName;
  readonly kind: 'gpt' | 'lstm';
  readonly config: Record<string, number>;
  readonly parameters: number;
  /** Tensor memory of one training step at `batch` × `seqLen` with AdamW, bytes. */
  readonly trainMemoryBytes: number;
  readonly batch: number;
  readonly seqLen: number;
  /** Training floating-point operations per token (forward + backward). */
  readonly flopsPerToken: number;
  /** flopsPerToken scaled by this machine's measured rate; null when not measured. */
  readonly estTokensPerSec: number | null;
}

/**
 * Training FLOPs per token: 6 per weight used in a matrix product (Kaplan et al. 2020, forward 2 + backward
 * 4), plus attention's 12·L·T·C for GPT. Embedding lookups are free; GPT's tied output projection is not.
 */
export function trainingFlopsPerToken(spec: ModelSpec, seqLen: number): number {
  const n = parameterCount(spec);
  if (spec.kind === 'gpt') {
    const { contextLength: P, dModel: C, nLayer: L } = spec.config;
    return 6 * (n - P * C) + 12 * L * seqLen * C;
  }
  return 6 * (n - spec.config.vocabSize * spec.config.embedDim);
}

/**
 * Measures this machine's effective training rate (FLOP/s) with a few steps of a small GPT on the engine,
 * the way a real run would use it (two worker threads).
 */
export async function measureTrainingFlops(threads = 2): Promise<number> {
  const engine = await createEngine({ threads });
  try {
    const spec: ModelSpec = { kind: 'gpt', config: { vocabSize: 1024, contextLength: 64, nLayer: 2, nHead: 4, dModel: 128 } };
    const model = createModel(engine, spec, { seed: 1 });
    const opt = new AdamW(engine, model.parameters());
    const rng = new Rng(1);
    const B = 8;
    const T = 64;
    const ids = Int32Array.from({ length: B * T }, () => Math.floor(rng.uniform() * 1024));
    const batch = { ids, targets: ids, shape: [B, T] as const };
    trainStep(model, opt, batch, 1e-4);
    const steps = 3;
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) trainStep(model, opt, batch, 1e-4);
    const secs = (performance.now() - t0) / 1000;
    return (steps * B * T * trainingFlopsPerToken(spec, T)) / secs;
  } finally {
    await engine.dispose();
  }
}

/** A model config as name → number (every field of the GPT and LSTM configs is a number). */
function numericFields(config: ModelSpec['config']): Record<string, number> {
  return Object.fromEntries(Object.entries(config).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}

/**
 * Every preset with its size, training memory at batch 8 × min(context, 256), and, given this machine's
 * measured FLOP/s, the tokens per second to expect. `vocabSize` replaces the presets' (e.g. the tokenizer's).
 */
export function presetTable(flopsPerSec: number | null, vocabSize?: number): PresetRow[] {
  return (Object.keys(PRESETS) as PresetName[]).map((name) => {
    const spec = presetSpec(name, vocabSize === undefined ? {} : { vocabSize });
    const seqLen = spec.kind === 'gpt' ? Math.min(spec.config.contextLength, 256) : 256;
    const batch = 8;
    const flopsPerToken = trainingFlopsPerToken(spec, seqLen);
    return {
      name,
      kind: spec.kind,
      config: numericFields(spec.config),
      parameters: parameterCount(spec),
      trainMemoryBytes: estimateMemory(spec, batch, seqLen).total,
      batch,
      seqLen,
      flopsPerToken,
      estTokensPerSec: flopsPerSec === null ? null : Math.round(flopsPerSec / flopsPerToken),
    };
  });
}
