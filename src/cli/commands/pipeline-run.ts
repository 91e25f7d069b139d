import { QudaoError } from '../../errors/index.js';
import { silentProgress, terminalProgress, type Progress } from '../../pipeline/progress.js';
import { recordedStep, RunStore, runStep, type RunKind, type RunRow, type StepOutcome } from '../../pipeline/runs/index.js';
import { openStore } from '../../store/index.js';
import { UsageError, type CommandContext, type FlagSpec, type FlagValues } from '../command.js';
import { callAdminApi } from './admin-api.js';

/** Flags every pipeline step command takes: where it records, and how it reports. */
export const runFlags: Record<string, FlagSpec> = {
  server: { type: 'boolean', doc: 'Run it inside the running server (POST /api/runs) and follow it; needs --url and --admin-token.' },
  url: { type: 'string', doc: 'URL of the running server [QUDAO_URL], with --server.', placeholder: 'URL' },
  'admin-token': { type: 'string', doc: 'Admin token [QUDAO_ADMIN_TOKEN], with --server.', placeholder: 'TOKEN' },
  'no-record': { type: 'boolean', doc: 'Do not record the run in the database (files only).' },
  quiet: { type: 'boolean', short: 'q', doc: 'No progress bar.' },
};

/**
 * Runs a pipeline step from the CLI and records it in `runs`. Without --server the step runs in this process
 * and the run row is written to the data folder's database, which embedded PGlite lets only one process open:
 * when a server holds it, the step still runs and its files are written, and a note says how to record it
 * (--server). Ctrl-C stops a training step after the current step, with a checkpoint to resume from.
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
    const store = await openStore(ctx.loadConfig()).catch((err: unknown) => {
      if ((err as { code?: unknown }).code !== 'QD_DATA_DIR_LOCKED') throw err;
      ctx.err('qudao: note: a server holds the data folder, so this run is not recorded in its database; pass --server to run it through the server');
      return null;
    });
    if (!store) return await runStep(kind, params, { progress, signal: stop.signal });
    try {
      const { run, outcome } = await recordedStep(new RunStore(store), kind, params, { progress, signal: stop.signal });
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

async function viaServer(ctx: CommandContext, kind: RunKind, params: Record<string, unknown>): Promise<StepOutcome> {
  let run = await callAdminApi<RunRow>(ctx, 'POST', '/api/runs', { kind, params });
  ctx.out(`run ${run.id}: started on the server`);
  const progress: Progress = ctx.flags.quiet === true ? silentProgress() : terminalProgress();
  const planned = typeof params.steps === 'number' ? params.steps : 0;
  progress.start(planned, `${kind} (server run ${run.id})`);
  let shown = 0;
  const onSignal = () => void callAdminApi(ctx, 'POST', `/api/runs/${run.id}/stop`).catch(() => undefined);
  process.once('SIGINT', onSignal);
  try {
    while (run.status === 'running' || run.status === 'queued') {
      await new Promise((r) => setTimeout(r, 1000));
      run = await callAdminApi<RunRow>(ctx, 'GET', `/api/runs/${run.id}`);
      const m = run.metrics as { step?: number; loss?: number; tokensPerSec?: number };
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
  return { status: run.status === 'stopped' ? 'stopped' : 'completed', resumable: run.resumable, metrics: run.metrics as Record<string, unknown>, artifacts: run.artifacts as Record<string, unknown> };
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
