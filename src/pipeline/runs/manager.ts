import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { QudaoError } from '../../errors/index.js';
import type { CurvePoint } from '../train/index.js';
import type { StartRunInput } from '../../shared/contract/pipeline.js';
import { RunStore, type RunRow } from './run-store.js';
import { parseStep, thinCurve, validateStepParams, type StepOutcome } from './steps.js';

/** One line a worker prints on stdout (JSON). */
export type WorkerEvent =
  | { readonly type: 'point'; readonly point: CurvePoint; readonly step: number; readonly bestValLoss: number | null }
  | { readonly type: 'done'; readonly outcome: StepOutcome }
  | { readonly type: 'error'; readonly code: string | null; readonly message: string };

/**
 * What the starter of a run may follow besides its row (the fine-tuning API turns these into job events):
 * every training point the worker reports, and the row once the run has ended and the row is written.
 */
export interface RunObserver {
  readonly onPoint?: (point: CurvePoint, step: number) => void;
  readonly onEnd?: (run: RunRow) => void | Promise<void>;
}

/** Options of {@link RunManager}. */
export interface RunManagerOptions {
  /** The command that runs `qudao runs worker` (e.g. `[node, bin/qudao.js]`); the manager appends the rest. */
  readonly workerCommand: readonly string[];
  /** Most runs at once (default 1: training uses every core). */
  readonly maxConcurrent?: number;
}

/**
 * Runs pipeline steps for the API in child processes (`qudao runs worker`), so training never blocks the
 * server's event loop and a crash takes only the run down. The worker reports JSON lines; the manager is
 * the one writer of the run's row. Stopping sends SIGINT: the worker writes a checkpoint and exits, and the
 * run can be resumed (the same parameters continue from the run folder's checkpoint).
 */
export class RunManager {
  private readonly children = new Map<string, ChildProcess>();
  /** Runs asked to stop: a worker that exits on the signal before it could report is stopped, not failed. */
  private readonly stopping = new Set<string>();

  constructor(
    private readonly runs: RunStore,
    private readonly options: RunManagerOptions,
  ) {}

  /**
   * Checks the parameters (400 naming the one at fault), records and starts a run; returns its row (status
   * `running`). The step arrives parsed by its schema (the route's body, or {@link parseStep}).
   */
  async start(step: StartRunInput, parentRunId: string | null = null, observer?: RunObserver): Promise<RunRow> {
    validateStepParams(step);
    if (this.children.size >= (this.options.maxConcurrent ?? 1)) throw new QudaoError('QD_OVERLOADED', `${this.children.size} run(s) already running; stop one or wait`);
    const run = await this.runs.create(step.kind, step.params, parentRunId);
    return this.launch(run, observer);
  }

  /** Asks a running run to stop after its current step (it writes a checkpoint first). */
  async stop(id: string): Promise<RunRow> {
    const child = this.children.get(id);
    if (!child) throw new QudaoError('QD_CONFLICT', `run ${id} is not running here`);
    this.stopping.add(id);
    child.kill('SIGINT');
    return this.runs.get(id);
  }

  /** Continues a stopped or failed run with its parameters, from its checkpoint. */
  async resume(id: string, observer?: RunObserver): Promise<RunRow> {
    const run = await this.runs.get(id);
    if (run.status === 'running' || this.children.has(id)) throw new QudaoError('QD_CONFLICT', `run ${id} is already running`);
    if (run.status === 'completed') throw new QudaoError('QD_CONFLICT', `run ${id} has completed; start a new one`);
    if (this.children.size >= (this.options.maxConcurrent ?? 1)) throw new QudaoError('QD_OVERLOADED', 'another run is running; stop it or wait');
    // The stored parameters are read back through the step's schema, as when the run was started.
    validateStepParams(parseStep(run.kind, run.params));
    return this.launch(run, observer);
  }

  /** Stops every running worker and waits for them (server shutdown). */
  async stopAll(): Promise<void> {
    const exits = [...this.children.values()].map((c) => new Promise<void>((r) => {
      c.once('exit', () => r());
      c.kill('SIGINT');
    }));
    await Promise.all(exits);
  }

  private async launch(run: RunRow, observer: RunObserver | undefined): Promise<RunRow> {
    const [cmd, ...args] = this.options.workerCommand;
    // Workers inherit the server's environment and working folder, so relative paths in params mean the same.
    const child = spawn(cmd!, [...args, 'runs', 'worker', '--kind', run.kind, '--params', JSON.stringify(run.params)], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.set(run.id, child);
    const row = await this.runs.update(run.id, { status: 'running', startedAt: new Date(), finishedAt: null, error: null });
    this.follow(run.id, child, observer);
    return row;
  }

  private follow(id: string, child: ChildProcess, observer: RunObserver | undefined): void {
    const curve: CurvePoint[] = [];
    let lastWrite = 0;
    let finished: WorkerEvent | undefined;
    let stderr = '';
    let writes = Promise.resolve();
    const write = (fn: () => Promise<unknown>) => {
      writes = writes.then(fn).then(() => undefined, () => undefined);
    };
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let event: WorkerEvent;
      try {
        event = JSON.parse(line) as WorkerEvent;
      } catch {
        return;
      }
      if (event.type !== 'point') {
        finished = event;
        return;
      }
      curve.push(event.point);
      observer?.onPoint?.(event.point, event.step);
      if (event.point.valLoss === undefined && Date.now() - lastWrite < 5_000) return;
      lastWrite = Date.now();
      const metrics = { step: event.step, loss: event.point.loss, bestValLoss: event.bestValLoss, tokensPerSec: event.point.tokensPerSec, curve: thinCurve(curve) };
      write(() => this.runs.update(id, { metrics, resumable: true }));
    });
    child.on('exit', (code, signal) => {
      this.children.delete(id);
      const askedToStop = this.stopping.delete(id);
      const finish = (): Promise<RunRow> => {
        if (finished?.type === 'done') {
          const o = finished.outcome;
          return this.runs.update(id, { status: o.status, resumable: o.resumable, metrics: o.metrics, artifacts: o.artifacts, finishedAt: new Date() });
        }
        // Stopped while the worker was still starting (before it listens for the signal): nothing to keep but
        // the checkpoint it may have written; resuming runs the same parameters from there (or from step 0).
        if (askedToStop && signal === 'SIGINT' && finished === undefined) {
          return this.runs.update(id, { status: 'stopped', resumable: true, error: null, finishedAt: new Date() });
        }
        const error = finished?.type === 'error' ? `${finished.code ? `${finished.code}: ` : ''}${finished.message}` : `the worker exited (${signal ?? `code ${code}`}): ${lastLine(stderr)}`;
        return this.runs.update(id, { status: 'failed', error, finishedAt: new Date() });
      };
      write(async () => {
        const row = await finish();
        await observer?.onEnd?.(row);
      });
    });
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}
