import { stat, writeFile, rename, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CurvePoint, LoopOutcome } from './loop.js';

/** Names inside a run folder. */
export const RUN_FILES = {
  /** The latest resumable checkpoint (weights, optimiser moments, RNG states, curve). */
  latest: 'checkpoint',
  /** The model with the best validation loss so far (weights, config, tokenizer): what gets registered. */
  best: 'best',
  /** Summary of the run, rewritten at the end. */
  summary: 'run.json',
} as const;

/** `run.json`: what a training run did. */
export interface RunSummary {
  readonly kind: 'train' | 'finetune';
  readonly task: 'lm' | 'classify' | 'chat';
  readonly outcome: LoopOutcome;
  readonly steps: number;
  readonly plannedSteps: number;
  readonly bestStep: number | null;
  readonly bestValLoss: number | null;
  /** exp(bestValLoss) for language models. */
  readonly bestValPerplexity: number | null;
  /** What every validation of the run scored, so its loss can be compared with `qudao eval`'s. */
  readonly validation: ValidationScope;
  readonly tokensPerSec: number;
  readonly parameters: number;
  readonly modelDir: string;
  readonly config: Record<string, unknown>;
  readonly options: Record<string, unknown>;
  readonly curve: readonly CurvePoint[];
  /**
   * Chat fine-tunes: ids the run trained on (the training file's conversations as rendered, padding excluded,
   * counted each time they were drawn): the file's tokens × epochs for a run of whole epochs, what OpenAI
   * bills as `trained_tokens`.
   */
  readonly trainedTokens?: number;
  /** Chat fine-tunes: the template, packing, file sizes and validation source (train/chat.ts ChatRunFacts). */
  readonly chat?: Record<string, unknown>;
}

/**
 * The part of the validation split a run's validation loss is the mean over: the first `scored` of the
 * split's `total` tokens (language model: `batches` windows of `seqLen`) or examples (classifier). `qudao
 * eval` scores the whole split by default, so the two agree only when `scored === total`, or when eval is
 * given the same windows (`--seq-len`, `--batch-size`, `--max-batches`).
 */
export interface ValidationScope {
  readonly unit: 'tokens' | 'examples';
  readonly scored: number;
  readonly total: number;
  readonly seqLen: number;
  readonly batchSize: number;
  readonly batches: number;
}

/** True when `dir` exists and is a folder. */
export async function isDir(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => null))?.isDirectory() ?? false;
}

/** Writes `run.json` atomically (temporary file, then rename). */
export async function writeRunSummary(outDir: string, summary: RunSummary): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, RUN_FILES.summary);
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(summary, null, 1)}\n`);
  await rename(tmp, path);
  return path;
}

/** Mean tokens per second over the last (up to) 50 steps of a curve. */
export function recentThroughput(curve: readonly CurvePoint[]): number {
  const tail = curve.slice(-50);
  return tail.length === 0 ? 0 : Math.round(tail.reduce((s, p) => s + p.tokensPerSec, 0) / tail.length);
}
