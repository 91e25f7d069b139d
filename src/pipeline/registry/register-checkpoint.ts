import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { QudaoError } from '../../errors/index.js';
import { readCheckpoint } from '../train/model-io.js';
import type { ModelRegistry, ModelVersionRow } from './registry.js';

/** What `registerCheckpoint` needs beyond the folder. */
export interface RegisterCheckpointInput {
  readonly modelName: string;
  /** A checkpoint folder (a run's `best/` or `checkpoint/`, or the bundled model). */
  readonly checkpointDir: string;
  readonly description?: string;
  /** Extra metrics to store; a run's `run.json` beside the folder adds its validation figures. */
  readonly metrics?: Record<string, unknown>;
  readonly parentVersionId?: string;
  /** Copy into the registry's folder (default true). */
  readonly copy?: boolean;
  /** Chat template the gateway renders messages with (default: the one the checkpoint recorded, else `plain`). */
  readonly chatTemplate?: string;
}

/**
 * Registers a trained checkpoint as a new immutable version: the folder is verified against its manifest
 * (every file's SHA-256), its config becomes the version's config, and the run summary next to it (if any)
 * supplies the metrics. The kind is the architecture, with `-classifier` for a classification head.
 */
export async function registerCheckpoint(registry: ModelRegistry, input: RegisterCheckpointInput): Promise<ModelVersionRow> {
  const ckpt = await readCheckpoint(input.checkpointDir);
  const arch = String(ckpt.config.kind ?? '');
  if (arch !== 'gpt' && arch !== 'lstm') throw new QudaoError('QD_CHECKPOINT_CORRUPT', `${input.checkpointDir}: config.json names no model kind`);
  const classifier = ckpt.config.classifier !== undefined;
  const summary = await readRunSummary(dirname(input.checkpointDir));
  const bundled = await readJson(join(input.checkpointDir, 'bundled.json'));
  const metrics = { ...pickMetrics(summary), ...(bundled ? { validation: bundled.validation, steps: bundled.steps } : {}), ...input.metrics };
  return registry.registerVersion({
    modelName: input.modelName,
    kind: classifier ? `${arch}-classifier` : arch,
    config: { ...ckpt.config, chatTemplate: input.chatTemplate ?? recordedTemplate(ckpt.config) ?? 'plain' },
    checkpointDir: input.checkpointDir,
    metrics,
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.parentVersionId === undefined ? {} : { parentVersionId: input.parentVersionId }),
    ...(input.copy === undefined ? {} : { copy: input.copy }),
  });
}

/** The chat template a checkpoint was trained with (a chat fine-tune records it in its config). */
function recordedTemplate(config: Record<string, unknown>): string | undefined {
  return typeof config.chatTemplate === 'string' ? config.chatTemplate : undefined;
}

async function readRunSummary(runDir: string): Promise<Record<string, unknown> | null> {
  return readJson(join(runDir, 'run.json'));
}

async function readJson(path: string): Promise<Record<string, unknown> | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function pickMetrics(summary: Record<string, unknown> | null): Record<string, unknown> {
  if (!summary) return {};
  const keys = ['task', 'outcome', 'steps', 'bestStep', 'bestValLoss', 'bestValPerplexity', 'parameters', 'tokensPerSec', 'trainedTokens'];
  return Object.fromEntries(keys.filter((k) => k in summary).map((k) => [k, summary[k]]));
}
