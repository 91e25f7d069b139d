import { QudaoError } from '../../errors/index.js';
import { prepareData, resolvePrepareOptions, type PrepareOptions } from '../data/index.js';
import { compareModels, evaluateModel, type EvaluateOptions } from '../eval/index.js';
import { resolveTrainOptions, trainClassifier, trainLanguageModel, type ClassifierTrainOptions, type RunSummary, type TrainHooks, type TrainOptions } from '../train/index.js';
import type { RunKind } from './run-store.js';

/** Parameters of a fine-tune run: `task` chooses causal LM (default) or classifier. */
export type FinetuneParams =
  | ({ readonly task?: 'lm'; readonly checkpoint: string } & Omit<TrainOptions, 'model'>)
  | ({ readonly task: 'classify' } & ClassifierTrainOptions);

/** Parameters of an evaluation run; `compareWith` scores a second checkpoint on the same split. */
export type EvalParams = EvaluateOptions & { readonly compareWith?: string };

/** What a finished step reports for its run row. */
export interface StepOutcome {
  readonly status: 'completed' | 'stopped';
  readonly resumable: boolean;
  readonly metrics: Record<string, unknown>;
  readonly artifacts: Record<string, unknown>;
}

/**
 * Runs one pipeline step from JSON parameters — the one entry shared by the CLI, the API's worker process and
 * tests. Parameters are checked by the step itself; an unknown kind is QD_INVALID_REQUEST.
 */
export async function runStep(kind: RunKind, params: Record<string, unknown>, hooks: TrainHooks = {}): Promise<StepOutcome> {
  switch (kind) {
    case 'data': {
      const manifest = await prepareData(params as unknown as PrepareOptions, hooks.progress);
      return { status: 'completed', resumable: false, metrics: { counts: manifest.counts, tokenizer: manifest.tokenizer }, artifacts: { dataDir: (params as unknown as PrepareOptions).outDir } };
    }
    case 'train':
      return fromSummary(await trainLanguageModel(params as unknown as TrainOptions, hooks));
    case 'finetune': {
      const p = params as unknown as FinetuneParams;
      if (p.task === 'classify') return fromSummary(await trainClassifier(p, hooks));
      const { checkpoint, task: _task, ...rest } = p;
      if (!checkpoint) throw new QudaoError('QD_INVALID_REQUEST', 'a fine-tune needs the pretrained checkpoint; pass --from DIR', { param: 'checkpoint' });
      return fromSummary(await trainLanguageModel({ ...rest, model: { checkpoint } }, hooks));
    }
    case 'eval': {
      const { compareWith, ...p } = params as unknown as EvalParams;
      if (compareWith) {
        const comparison = await compareModels(p.modelDir, compareWith, p, hooks);
        return { status: 'completed', resumable: false, metrics: { comparison }, artifacts: { modelDir: p.modelDir, compareWith } };
      }
      return { status: 'completed', resumable: false, metrics: { evaluation: await evaluateModel(p, hooks) }, artifacts: { modelDir: p.modelDir } };
    }
    default:
      throw new QudaoError('QD_INVALID_REQUEST', `unknown run kind "${String(kind)}"; use data, train, finetune or eval`, { param: 'kind' });
  }
}

/**
 * Checks a step's parameters without reading a file, as the step itself will when it starts: the API refuses
 * a bad run with 400 and the parameter's name before a worker process is spawned or a run row is written.
 * (What only the files can tell — a missing folder, a wrong tokenizer — still fails the run.)
 */
export function validateStepParams(kind: RunKind, params: Record<string, unknown>): void {
  const path = (name: string, required: boolean) => {
    const v = params[name];
    if (v === undefined && !required) return;
    if (typeof v !== 'string' || v === '') throw new QudaoError('QD_INVALID_REQUEST', `params.${name} must be a path (a non-empty string)`, { param: `params.${name}` });
  };
  const train = (p: Record<string, unknown>) => {
    try {
      resolveTrainOptions(p as unknown as TrainOptions);
    } catch (err) {
      const param = (err as { param?: unknown }).param;
      if (err instanceof QudaoError) throw new QudaoError(err.code, err.message, { param: `params.${typeof param === 'string' ? param : ''}`.replace(/\.$/, '') });
      // A wrongly typed option (e.g. `model` not an object) trips the resolver itself.
      throw new QudaoError('QD_INVALID_REQUEST', 'params has an option of the wrong type; see the step\'s options in the README', { param: 'params' });
    }
  };
  switch (kind) {
    case 'data':
      try {
        resolvePrepareOptions(params as unknown as PrepareOptions);
      } catch (err) {
        throw new QudaoError('QD_DATA_OPTIONS', (err as Error).message, { param: 'params' });
      }
      return;
    case 'train':
      path('dataDir', true);
      path('outDir', true);
      return train(params);
    case 'finetune':
      path('dataDir', true);
      path('outDir', true);
      path('checkpoint', true);
      return train({ ...params, model: { checkpoint: params.checkpoint } });
    case 'eval': {
      path('modelDir', true);
      path('dataDir', true);
      path('compareWith', false);
      if (params.split !== undefined && params.split !== 'val' && params.split !== 'train') throw new QudaoError('QD_INVALID_REQUEST', 'params.split must be val or train', { param: 'params.split' });
      for (const name of ['seqLen', 'batchSize', 'maxBatches']) {
        const v = params[name];
        if (v !== undefined && !(Number.isSafeInteger(v) && (v as number) >= 1)) throw new QudaoError('QD_INVALID_REQUEST', `params.${name} must be an integer ≥ 1`, { param: `params.${name}` });
      }
      return;
    }
    default:
      throw new QudaoError('QD_INVALID_REQUEST', `unknown run kind "${String(kind)}"; use data, train, finetune or eval`, { param: 'kind' });
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
