import { QudaoError } from '../../errors/index.js';
import { silentProgress, terminalProgress, type Progress } from '../../pipeline/progress.js';
import { parseStep, recordedStep, RunStore, runStep, type RunKind, type StepOutcome } from '../../pipeline/runs/index.js';
import { pipelineRoutes as api } from '../../shared/contract/pipeline.js';
import { openStore } from '../../store/index.js';
import { UsageError, type CommandContext, type FlagSpec, type FlagValues } from '../command.js';
import { resolve } from 'node:path';
import { callApi, serverConnection } from './admin-api.js';
import { recordCliChange } from '../audit-trail.js';

/** Flags every pipeline step command takes: where it records, and how it reports. */
export const runFlags: Record<string, FlagSpec> = {
  server: { type: 'boolean', doc: 'Run it inside a running server (POST /api/runs) and follow it; a server started on this data folder is used without being asked, another needs --url and --admin-token.' },
  url: { type: 'string', doc: 'URL of the running server [QUDAO_URL], with --server.', placeholder: 'URL' },
  'admin-token': { type: 'string', doc: 'Admin token [QUDAO_ADMIN_TOKEN], with --server.', placeholder: 'TOKEN' },
  'no-record': { type: 'boolean', doc: 'Do not record the run in the database (files only).' },
  quiet: { type: 'boolean', short: 'q', doc: 'No progress bar.' },
};

/**
 * Runs a pipeline step from the CLI and records it in `runs`. Without --server the step runs in this process
 * and the run row is written to the data folder's database, which embedded PGlite lets only one process open:
 * when a server on this machine holds it (`<dataDir>/server.json`), the step runs through that server
 * (POST /api/runs) so it is recorded there; with no such server to reach, the step runs here unrecorded and a
 * note says so. Ctrl-C stops a training step after the current step, with a checkpoint to resume from.
 */
export async function executeStep(ctx: CommandContext, kind: RunKind, params: Record<string, unknown>): Promise<StepOutcome> {
  if (ctx.flags.server === true) return viaServer(ctx, kind, params);
  const progress = ctx.flags.quiet === true ? silentProgress() : terminalProgress();
  const stop = new AbortController();
  const onSignal = () => {
    ctx.err('qudao: stopping after the current step (a checkpoint is written; run the same command again to resume)');
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (ctx.flags['no-record'] === true) return await runStep(kind, params, { progress, signal: stop.signal });
    const config = ctx.loadConfig();
    const store = await openStore(config).catch((err: unknown) => {
      if ((err as { code?: unknown }).code !== 'QD_DATA_DIR_LOCKED') throw err;
      return null;
    });
    if (!store) {
      const server = localServerOf(config);
      if (server) {
        ctx.err(`qudao: the server at ${server} holds the data folder; running this step through it, so it is recorded there`);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        return await viaServer(ctx, kind, params);
      }
      ctx.err('qudao: note: another process holds the data folder and no server of it can be reached, so this run is not recorded in its database; pass --server with --url and --admin-token to run it through a server');
      return await runStep(kind, params, { progress, signal: stop.signal });
    }
    try {
      const { run, outcome } = await recordedStep(new RunStore(store), kind, params, { progress, signal: stop.signal });
      // The run row was written here, not through /api: the CLI records it in the audit trail itself.
      await recordCliChange(store, { command: `qudao ${kind}`, action: 'runs.create', targetType: 'runs', targetId: run.id, diff: [{ op: 'replace', path: '', value: { id: run.id, kind, status: run.status } }] });
      ctx.out(`run ${run.id}: ${run.status}`);
      return outcome;
    } finally {
      await store.close();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The URL of the local server that owns the configured data folder, or null. */
function localServerOf(config: ReturnType<CommandContext['loadConfig']>): string | null {
  try {
    const c = serverConnection(config);
    return c.local ? c.url : null;
  } catch {
    return null;
  }
}

/** Option names whose values are file or folder paths (a list for `inputs`), at any depth of a step's params. */
const PATH_PARAMS = new Set(['dataDir', 'outDir', 'modelDir', 'compareWith', 'checkpoint', 'inputs', 'path', 'trainFile', 'validationFile']);

/**
 * The params with every path made absolute against this process's folder: the server's worker runs in the
 * server's folder, where a relative path would mean something else.
 */
export function absolutePaths(params: Record<string, unknown>, cwd = process.cwd()): Record<string, unknown> {
  const fix = (key: string, v: unknown): unknown => {
    if (PATH_PARAMS.has(key) && typeof v === 'string') return resolve(cwd, v);
    if (PATH_PARAMS.has(key) && Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? resolve(cwd, x) : x));
    if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fix(k, x)]));
    return v;
  };
  return fix('', params) as Record<string, unknown>;
}

async function viaServer(ctx: CommandContext, kind: RunKind, params: Record<string, unknown>): Promise<StepOutcome> {
  let run = await callApi(ctx, api.startRun, { body: parseStep(kind, absolutePaths(params)) });
  ctx.out(`run ${run.id}: started on the server`);
  const progress: Progress = ctx.flags.quiet === true ? silentProgress() : terminalProgress();
  const planned = typeof params.steps === 'number' ? params.steps : 0;
  progress.start(planned, `${kind} (server run ${run.id})`);
  let shown = 0;
  const onSignal = () => void callApi(ctx, api.stopRun, { params: { id: run.id } }).catch(() => undefined);
  process.once('SIGINT', onSignal);
  try {
    while (run.status === 'running' || run.status === 'queued') {
      await new Promise((r) => setTimeout(r, 1000));
      run = await callApi(ctx, api.getRun, { params: { id: run.id } });
      const m = run.metrics;
      if (typeof m.step === 'number' && m.step > shown) {
        progress.tick(m.step - shown, { loss: Number((m.loss ?? 0).toFixed(4)), 'tok/s': m.tokensPerSec ?? 0 });
        shown = m.step;
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    progress.done();
  }
  ctx.out(`run ${run.id}: ${run.status}`);
  if (run.status === 'failed') throw new QudaoError('QD_INTERNAL', run.error ?? 'the run failed');
  return { status: run.status === 'stopped' ? 'stopped' : 'completed', resumable: run.resumable, metrics: run.metrics, artifacts: run.artifacts };
}

/** A number flag, or undefined; a value that is not a number is a usage error naming the flag. */
export function numberFlag(flags: FlagValues, name: string): number | undefined {
  const v = flags[name];
  if (typeof v !== 'string') return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${v}"`);
  return n;
}

/** A required string flag. */
export function requiredFlag(flags: FlagValues, name: string, what: string): string {
  const v = flags[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required: ${what}`);
  return v;
}

/** Copies the defined entries of `fields` (flags left out keep the library's defaults). */
export function definedOnly(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
