import { parseInput, QudaoError } from '../../errors/index.js';
import { startRunSchema, type EvalParamsInput, type FinetuneParamsInput, type StartRunInput } from '../../shared/contract/pipeline.js';
import { prepareData, resolvePrepareOptions } from '../data/index.js';
import { compareModels, evaluateModel } from '../eval/index.js';
import { resolveTrainOptions, trainChat, trainClassifier, trainLanguageModel, validateChatParams, type RunSummary, type TrainHooks } from '../train/index.js';

/** Parameters of a fine-tune run: `task` chooses causal LM (default), classifier or chat (SFT on conversations). */
export type FinetuneParams = FinetuneParamsInput;

/** Parameters of an evaluation run; `compareWith` scores a second checkpoint on the same split. */
export type EvalParams = EvalParamsInput;

/** What a finished step reports for its run row. */
export interface StepOutcome {
  readonly status: 'completed' | 'stopped';
  readonly resumable: boolean;
  readonly metrics: Record<string, unknown>;
  readonly artifacts: Record<string, unknown>;
}

/**
 * A step's kind and parameters, parsed with the step's schema (src/shared/contract/pipeline.ts, the one the
 * API validates `POST /api/runs` with): what the CLI builds from flags, what a worker reads back from a run's
 * stored parameters, and what a resumed run starts again from. A mismatch is QD_INVALID_REQUEST naming
 * `kind` or `params.<option>`.
 */
export function parseStep(kind: string, params: unknown): StartRunInput {
  return parseInput(startRunSchema, { kind, params });
}

/**
 * Runs one pipeline step — the one entry shared by the CLI, the API's worker process and tests. The
 * parameters are parsed with the step's schema first ({@link parseStep}).
 */
export async function runStep(kind: string, params: unknown, hooks: TrainHooks = {}): Promise<StepOutcome> {
  const step = parseStep(kind, params);
  switch (step.kind) {
    case 'data': {
      const manifest = await prepareData(step.params, hooks.progress);
      return { status: 'completed', resumable: false, metrics: { counts: manifest.counts, tokenizer: manifest.tokenizer }, artifacts: { dataDir: step.params.outDir } };
    }
    case 'train':
      return fromSummary(await trainLanguageModel(step.params, hooks));
    case 'finetune': {
      const p = step.params;
      if (p.task === 'classify') return fromSummary(await trainClassifier(p, hooks));
      if (p.task === 'chat') return fromSummary(await trainChat(p, hooks));
      const { checkpoint, task: _task, ...rest } = p;
      return fromSummary(await trainLanguageModel({ ...rest, model: { checkpoint } }, hooks));
    }
    case 'eval': {
      const { compareWith, ...p } = step.params;
      if (compareWith) {
        const comparison = await compareModels(p.modelDir, compareWith, p, hooks);
        return { status: 'completed', resumable: false, metrics: { comparison }, artifacts: { modelDir: p.modelDir, compareWith } };
      }
      return { status: 'completed', resumable: false, metrics: { evaluation: await evaluateModel(p, hooks) }, artifacts: { modelDir: p.modelDir } };
    }
  }
}

/**
 * Checks a step's parameters without reading a file, as the step itself will when it starts: the API refuses
 * a bad run with 400 and the parameter's name before a worker process is spawned or a run row is written.
 * The schema checks each option; what remains is what relates options to each other or to their defaults
 * (`maxChars` ≥ `minChars`, `minLr` ≤ `lr`, warm-up within the steps). (What only the files can tell — a
 * missing folder, a wrong tokenizer — still fails the run.)
 */
export function validateStepParams(step: StartRunInput): void {
  const named = (check: () => void) => {
    try {
      check();
    } catch (err) {
      const param = (err as { param?: unknown }).param;
      if (err instanceof QudaoError) throw new QudaoError(err.code, err.message, { param: `params.${typeof param === 'string' ? param : ''}`.replace(/\.$/, '') });
      throw err;
    }
  };
  const train = (p: Parameters<typeof resolveTrainOptions>[0]) => named(() => resolveTrainOptions(p));
  switch (step.kind) {
    case 'data':
      try {
        resolvePrepareOptions(step.params);
      } catch (err) {
        throw new QudaoError('QD_DATA_OPTIONS', (err as Error).message, { param: 'params' });
      }
      return;
    case 'train':
      return train(step.params);
    case 'finetune': {
      if (step.params.task === 'chat') return named(() => validateChatParams(step.params as Extract<typeof step.params, { task: 'chat' }>));
      const { checkpoint, task: _task, ...rest } = step.params;
      return train({ ...rest, model: { checkpoint } });
    }
    case 'eval':
      return;
  }
}

/**
 * A finished training run's metrics: the summary, plus `step` and `loss` (the last step and its training
 * loss) with the same meaning as while it runs, so a table shows one shape for running and finished runs.
 */
function fromSummary(s: RunSummary): StepOutcome {
  const { curve, options: _options, ...rest } = s;
  const last = curve.at(-1);
  return {
    status: s.outcome === 'stopped' ? 'stopped' : 'completed',
    resumable: s.outcome === 'stopped',
    metrics: { ...rest, step: s.steps, loss: last?.loss ?? null, curve: thinCurve(curve) },
    artifacts: { modelDir: s.modelDir, outDir: (s.options as { outDir?: string }).outDir ?? null },
  };
}

/**
 * A curve for the database and the dashboard: every evaluation point, and training points thinned to at
 * most ~500 so a long run's row stays small (the full curve is in the run folder's `run.json`).
 */
export function thinCurve<T extends { step: number; valLoss?: number }>(curve: readonly T[], max = 500): T[] {
  const every = Math.max(1, Math.ceil(curve.length / max));
  return curve.filter((p, i) => p.valLoss !== undefined || i % every === 0 || i === curve.length - 1);
}
