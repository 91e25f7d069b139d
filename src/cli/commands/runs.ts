import { runStep, RUN_KINDS, type RunKind, type WorkerEvent } from '../../pipeline/runs/index.js';
import { pipelineRoutes as api, runKinds } from '../../shared/contract/pipeline.js';
import { UsageError, type Command, type CommandGroup } from '../command.js';
import { adminApiFlags, callApi, enumFlag, printRows } from './admin-api.js';

const listCommand: Command = {
  name: 'list',
  summary: 'Pipeline runs, newest first (through the running server).',
  flags: { ...adminApiFlags, kind: { type: 'string', doc: 'Only runs of this kind.', placeholder: 'KIND' } },
  usesConfig: true,
  async run(ctx) {
    const res = await callApi(ctx, api.listRuns, { query: { kind: enumFlag(ctx.flags, 'kind', runKinds) } });
    printRows(ctx, res, res.data.map((r) => ({ ...r, step: r.metrics.step ?? '-', best: r.metrics.bestValLoss ?? '-' })), ['id', 'kind', 'status', 'step', 'best', 'resumable', 'createdAt', 'error']);
  },
};

const showCommand: Command = {
  name: 'show',
  summary: 'One run with its parameters, metrics and loss curve (JSON).',
  args: [{ name: 'run', doc: 'Run id.' }],
  flags: adminApiFlags,
  usesConfig: true,
  async run(ctx) {
    ctx.out(JSON.stringify(await callApi(ctx, api.getRun, { params: { id: ctx.positionals[0]! } }), null, 2));
  },
};

/**
 * `qudao runs worker`: what the server starts for a run begun through /api. It runs the step and prints JSON
 * lines (curve points, then the outcome or the error) for the server to record; it never opens the store.
 */
const workerCommand: Command = {
  name: 'worker',
  summary: 'Internal: run one pipeline step for the server, reporting JSON lines on stdout.',
  flags: {
    kind: { type: 'string', doc: 'data, train, finetune or eval.', placeholder: 'KIND' },
    params: { type: 'string', doc: 'The step\'s options as JSON.', placeholder: 'JSON' },
  },
  async run(ctx) {
    const kind = ctx.flags.kind as RunKind;
    if (!RUN_KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${RUN_KINDS.join(', ')}`);
    let params: Record<string, unknown>;
    try {
      params = JSON.parse(String(ctx.flags.params ?? '{}')) as Record<string, unknown>;
    } catch {
      throw new UsageError('--params must be JSON');
    }
    const emit = (e: WorkerEvent) => ctx.out(JSON.stringify(e));
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    process.once('SIGTERM', () => stop.abort());
    try {
      const outcome = await runStep(kind, params, { signal: stop.signal, onPoint: (point, state) => emit({ type: 'point', point, step: state.step, bestValLoss: state.bestValLoss }) });
      emit({ type: 'done', outcome });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      emit({ type: 'error', code: typeof code === 'string' ? code : null, message: (err as Error).message });
      return 1;
    }
  },
};

/** `qudao runs`: the pipeline's run records. */
export const runsCommand: CommandGroup = {
  name: 'runs',
  summary: 'Pipeline runs: list, show, and the worker the server starts.',
  commands: [listCommand, showCommand, workerCommand],
};
