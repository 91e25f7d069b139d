import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import { QudaoError } from '../errors/index.js';
import { readCreditBalance, resolveDeployment, type Caller, type GatewayCatalog } from '../gateway/index.js';
import { parseStep, validateStepParams } from '../pipeline/runs/index.js';
import type { RunManager, RunObserver, RunRow } from '../pipeline/runs/index.js';
import { registerCheckpoint, type Deployer, type ModelRegistry } from '../pipeline/registry/index.js';
import type { CurvePoint } from '../pipeline/train/index.js';
import type { CreateJobRequest } from '../shared/contract/fine-tuning.js';
import { newId, schema, type Store } from '../store/index.js';
import type { FineTuningFiles, Owner } from './file-service.js';
import { chatFinetuneParams, fineTunedModelName, requestedHyperparameters, resolveHyperparameters, shortJobId } from './hyperparameters.js';
import { failureOf, trainedTokensOf } from './run-outcome.js';
import { recordTrainingUsage } from './training-usage.js';
import { jobOf, listAllJobs, listJobCheckpoints, listJobEvents, listJobs, type Page, type PageQuery } from './job-reads.js';
import { FINAL_STATUSES, type CheckpointRow, type EventRow, type JobRow } from './views.js';

export type { Page, PageQuery } from './job-reads.js';

/** What {@link FineTuningJobs} is built on (the composition root passes the running services). */
export interface FineTuningJobsOptions {
  readonly store: Store;
  readonly files: FineTuningFiles;
  /** The gateway's cache: base models are resolved through it, and it reloads once a result is deployed. */
  readonly catalog: GatewayCatalog;
  readonly registry: ModelRegistry;
  readonly deployer: Deployer;
  /** The server's run worker: each job is a pipeline run of kind `finetune`, task `chat`. */
  readonly manager: RunManager;
  /** Folder for the jobs' files and run folders (`<dataDir>/fine-tuning/<job id>/`). */
  readonly workDir: string;
  /** How often queued jobs are tried while the worker is busy (ms; default 2000). */
  readonly retryIntervalMs?: number;
  /** Where failures of background work go (the server's log). */
  readonly onError?: (err: unknown, what: string) => void;
}

/** The owner of a request's key. */
export function ownerOf(caller: Caller): Owner {
  return { customerId: caller.key.customerId, partnerId: caller.key.partnerId, keyId: caller.key.id };
}

const isOverloaded = (err: unknown) => err instanceof QudaoError && err.code === 'QD_OVERLOADED';

/** A loss for an event's message: 4 decimals, or `n/a` for a diverged step. */
const loss = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(4) : 'n/a');

/**
 * Fine-tuning jobs (OpenAI's `fine_tuning.job`) on the workspace's own in-process models. A job is created
 * `validating_files`, becomes `queued`, and runs as one pipeline run in the server's run worker when the
 * worker is free (`running`); the run's training points become the job's events. When the run completes, its
 * model is registered and deployed as `ft:<base>:<customer>:<suffix>:<id>` for the job's customer only, and
 * the job is `succeeded`; a cancel stops the run after its current step (`cancelled`), a failed run fails it.
 * Whatever the end, the tokens trained are written to the usage ledger once, keyed by the job's id.
 */
export class FineTuningJobs {
  private readonly store: Store;
  private scheduling: Promise<void> | undefined;
  private scheduleAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private closing = false;
  /** Events are written one after another, so their order is the order they happened in. */
  private events: Promise<void> = Promise.resolve();
  /** Endings in flight, so a stop waits for them. */
  private readonly endings = new Set<Promise<void>>();

  constructor(private readonly options: FineTuningJobsOptions) {
    this.store = options.store;
  }

  /** Picks up after a restart (see {@link recover}) and starts trying queued jobs in the background. */
  async start(): Promise<void> {
    await this.recover();
    const every = this.options.retryIntervalMs ?? 2_000;
    this.timer = setInterval(() => void this.schedule(), every);
    this.timer.unref();
    void this.schedule();
  }

  /**
   * Stops scheduling. Call before the run worker is stopped: a run the shutdown interrupts leaves its job
   * `running`, and the next start queues it again to resume from its checkpoint (it is not cancelled).
   */
  async stop(): Promise<void> {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    await this.scheduling;
    await Promise.all([...this.endings]);
  }

  /**
   * Creates a job: checks the request (QD_UNSUPPORTED_PARAMETER naming a field it does not implement), the
   * base model (one the key may call, served in-process; else 404 `model` or 400), and the files (the
   * owner's, else 404 naming `training_file` / `validation_file`); copies the files into the job's folder and
   * queues it. Answers the job as stored (`queued`).
   */
  async create(caller: Caller, body: CreateJobRequest): Promise<JobRow> {
    const owner = ownerOf(caller);
    const requested = requestedHyperparameters(body);
    const base = resolveDeployment(this.options.catalog, caller, body.model);
    const files = base.kind === 'local' && base.modelVersionId ? await this.options.registry.filesOf(base.modelVersionId) : undefined;
    if (!files || !base.modelVersionId) {
      throw new QudaoError('QD_INVALID_REQUEST', `model: "${body.model}" is served by an upstream; fine-tune one of this workspace's own models (GET /v1/models lists them)`, { param: 'model' });
    }
    if ((files.config as { classifier?: unknown } | null)?.classifier !== undefined) {
      throw new QudaoError('QD_INVALID_REQUEST', `model: "${body.model}" is a classifier; chat fine-tuning needs a language model`, { param: 'model' });
    }
    const training = await this.options.files.get(owner, body.training_file, 'training_file');
    const validation = body.validation_file ? await this.options.files.get(owner, body.validation_file, 'validation_file') : undefined;
    await this.requireCredit(caller);
    const id = newId('ftjob');
    // The name is checked now (its length), so a job that trains is one whose model can be deployed.
    fineTunedModelName(base.name, owner.customerId, body.suffix ?? null, id);
    const hyperparameters = resolveHyperparameters(requested, training.examples);
    const seed = body.seed ?? randomInt(0, 2 ** 31 - 1);
    const dir = join(this.options.workDir, id);
    const paths = { checkpoint: files.checkpointPath, trainFile: join(dir, 'train.jsonl'), outDir: join(dir, 'run'), ...(validation ? { validationFile: join(dir, 'validation.jsonl') } : {}) };
    // The pipeline's own check of the step, before anything is written (400 naming the option).
    validateStepParams(parseStep('finetune', chatFinetuneParams(hyperparameters, seed, paths)));
    await mkdir(dir, { recursive: true });
    await writeFile(paths.trainFile, training.content);
    if (validation && paths.validationFile) await writeFile(paths.validationFile, validation.content);
    const [job] = await this.store.db
      .insert(schema.fineTuningJobs)
      .values({
        id,
        customerId: owner.customerId,
        partnerId: owner.partnerId,
        keyId: owner.keyId,
        baseModel: base.name,
        baseVersionId: base.modelVersionId,
        trainingFileId: training.id,
        validationFileId: validation?.id ?? null,
        hyperparameters: { ...hyperparameters },
        suffix: body.suffix ?? null,
        seed,
        metadata: body.metadata ?? null,
        status: 'validating_files',
      })
      .returning();
    await this.event(id, 'info', `Created fine-tuning job: ${id}`);
    await this.event(id, 'info', `Validating training file: ${training.id}${validation ? ` and validation file: ${validation.id}` : ''}`);
    // The files were validated line by line when they were uploaded; their copies are the job's own now.
    const queued = await this.update(job!.id, { status: 'queued' });
    await this.event(id, 'info', `Files validated (${training.examples} training examples${validation ? `, ${validation.examples} validation examples` : ''}); the job is queued`);
    void this.schedule();
    return queued;
  }

  /**
   * A prepaid customer needs credit left to start a job (QD_CREDIT_EXHAUSTED otherwise). The job's price is
   * only known once it has trained, and is billed then, as a request's is; it may take the balance below zero.
   */
  private async requireCredit(caller: Caller): Promise<void> {
    if (caller.customer.billingMode !== 'prepaid') return;
    const balance = await readCreditBalance(this.store, caller.customer.id);
    if (balance && balance.balanceMicros <= 0) {
      throw new QudaoError('QD_CREDIT_EXHAUSTED', `the prepaid credit balance is ${balance.balanceMicros} micro-units; top it up before starting a fine-tuning job (its trained tokens are billed when it ends)`);
    }
  }

  /** The owner's jobs, newest first. */
  list(owner: Owner, page: PageQuery): Promise<Page<JobRow>> {
    return listJobs(this.store, owner, page);
  }

  /** Every customer's jobs, newest first, with the customer's name (the admin API's view). */
  listAll(filter: { status?: string | undefined; customerId?: string | undefined; limit: number }): Promise<(JobRow & { customerName: string | null })[]> {
    return listAllJobs(this.store, filter);
  }

  /** One of the owner's jobs; QD_NOT_FOUND (naming `param`) for any other id. */
  get(owner: Owner, id: string, param = 'fine_tuning_job_id'): Promise<JobRow> {
    return jobOf(this.store, owner, id, param);
  }

  /** A job's events, newest first. */
  listEvents(owner: Owner, jobId: string, page: PageQuery): Promise<Page<EventRow>> {
    return listJobEvents(this.store, owner, jobId, page);
  }

  /** A job's checkpoints, newest (highest step) first. */
  listCheckpoints(owner: Owner, jobId: string, page: PageQuery): Promise<Page<CheckpointRow>> {
    return listJobCheckpoints(this.store, owner, jobId, page);
  }

  /**
   * Cancels a job: a queued one at once; a running one is `cancelled` now and its run stops after the current
   * step (the tokens trained until then are billed when it has). A finished job is QD_CONFLICT. Each change
   * is conditional on the status it was read in, so a cancel and the scheduler starting the job never both win.
   */
  async cancel(owner: Owner, id: string): Promise<JobRow> {
    for (;;) {
      const job = await this.get(owner, id);
      if (FINAL_STATUSES.includes(job.status as never)) throw new QudaoError('QD_CONFLICT', `fine-tuning job ${id} has already ${job.status === 'cancelled' ? 'been cancelled' : job.status}`, { param: 'fine_tuning_job_id' });
      if (job.status !== 'running') {
        const done = await this.updateIf(id, job.status, { status: 'cancelled', finishedAt: new Date(), trainedTokens: 0 });
        if (!done) continue;
        await this.event(id, 'info', 'The job was cancelled before it started training');
        return done;
      }
      const cancelled = await this.updateIf(id, 'running', { status: 'cancelled' });
      if (!cancelled) continue;
      await this.event(id, 'info', 'Cancelling the job: training stops after its current step');
      // A job whose run is still being started has no run id yet: its launcher stops the run once it has one.
      if (cancelled.runId) await this.stopRun(cancelled.runId);
      return cancelled;
    }
  }

  /**
   * After a restart: a job left `validating_files` is queued; one left `running` (its run was interrupted
   * with the server and is resumable) is queued again and resumes from its checkpoint; one cancelled while
   * running is finished from its run's last figures.
   */
  private async recover(): Promise<void> {
    const j = schema.fineTuningJobs;
    await this.store.db.update(j).set({ status: 'queued' }).where(eq(j.status, 'validating_files'));
    const running = await this.store.db.select().from(j).where(eq(j.status, 'running'));
    for (const job of running) {
      await this.update(job.id, { status: 'queued' });
      await this.event(job.id, 'warn', 'The server restarted while the job was training; it resumes from its last checkpoint');
    }
    const unfinished = await this.store.db.select().from(j).where(and(eq(j.status, 'cancelled'), isNull(j.finishedAt), isNotNull(j.runId)));
    for (const job of unfinished) {
      const [run] = await this.store.db.select().from(schema.runs).where(eq(schema.runs.id, job.runId!));
      if (run) await this.end(job.id, run);
    }
  }

  /** Starts queued jobs, oldest first, while the run worker takes them; concurrent calls coalesce. */
  private schedule(): Promise<void> {
    if (this.closing) return Promise.resolve();
    if (this.scheduling) {
      this.scheduleAgain = true;
      return this.scheduling;
    }
    this.scheduling = (async () => {
      try {
        do {
          this.scheduleAgain = false;
          while (!this.closing) {
            const j = schema.fineTuningJobs;
            const [next] = await this.store.db.select().from(j).where(eq(j.status, 'queued')).orderBy(asc(j.createdAt), asc(j.id)).limit(1);
            if (!next || !(await this.launch(next))) break;
          }
        } while (this.scheduleAgain && !this.closing);
      } catch (err) {
        this.options.onError?.(err, 'fine-tuning: starting a queued job');
      } finally {
        this.scheduling = undefined;
      }
    })();
    return this.scheduling;
  }

  /**
   * Starts (or resumes) a job's run; false when the worker is busy (the job stays queued). The job is
   * claimed first (queued → running), so a cancel arriving while the worker starts finds it running, and
   * the run is stopped as soon as it exists.
   */
  private async launch(job: JobRow): Promise<boolean> {
    const claimed = await this.updateIf(job.id, 'queued', { status: 'running', startedAt: job.startedAt ?? new Date() });
    if (!claimed) return true;
    const observer: RunObserver = {
      onPoint: (point, step) => void this.progress(job.id, point, step),
      onEnd: (run) => this.end(job.id, run),
    };
    const dir = join(this.options.workDir, job.id);
    const [base] = await this.store.db.select().from(schema.modelVersions).where(eq(schema.modelVersions.id, job.baseVersionId));
    let run: RunRow;
    try {
      if (!base) throw new QudaoError('QD_NOT_FOUND', `the base model's version ${job.baseVersionId} is no longer registered`, { param: 'model' });
      const validationFile = job.validationFileId ? join(dir, 'validation.jsonl') : undefined;
      const params = chatFinetuneParams(job.hyperparameters, job.seed, { checkpoint: base.checkpointPath, trainFile: join(dir, 'train.jsonl'), outDir: join(dir, 'run'), ...(validationFile ? { validationFile } : {}) });
      run = job.runId ? await this.options.manager.resume(job.runId, observer) : await this.options.manager.start(parseStep('finetune', params), null, observer);
    } catch (err) {
      if (isOverloaded(err)) {
        // Back to the queue, unless it was cancelled meanwhile: then it ends here, untrained.
        if (!(await this.updateIf(job.id, 'running', { status: 'queued' }))) await this.close({ ...claimed, status: 'cancelled' }, 'cancelled', 0, 'The job was cancelled before it started training');
        return false;
      }
      await this.fail(claimed, failureOf(err), 0);
      return true;
    }
    const started = await this.update(job.id, { runId: run.id });
    if (started.status === 'cancelled') await this.stopRun(run.id);
    else await this.event(job.id, 'info', job.runId ? 'Fine-tuning job resumed' : 'Fine-tuning job started');
    return true;
  }

  /** Asks a run to stop after its current step; a run that has already ended needs nothing (its ending finishes the job). */
  private async stopRun(runId: string): Promise<void> {
    try {
      await this.options.manager.stop(runId);
    } catch (err) {
      if (!(err instanceof QudaoError && err.code === 'QD_CONFLICT')) throw err;
    }
  }

  /** A training point of the job's run, as a `metrics` event. */
  private progress(jobId: string, point: CurvePoint, step: number): Promise<void> {
    const valid = typeof point.valLoss === 'number' ? point.valLoss : null;
    const message = `Step ${step}: training loss=${loss(point.loss)}${valid === null ? '' : `, validation loss=${loss(valid)}`}`;
    return this.event(jobId, 'info', message, 'metrics', { step, train_loss: point.loss, ...(valid === null ? {} : { valid_loss: valid }), ...(point.lr === undefined ? {} : { learning_rate: point.lr }) });
  }

  /** The job's run has ended (its row written): finishes the job by the run's outcome. */
  private end(jobId: string, run: RunRow): Promise<void> {
    const ending = this.finishJob(jobId, run).catch((err: unknown) => this.options.onError?.(err, `fine-tuning: finishing job ${jobId}`));
    this.endings.add(ending);
    return ending.finally(() => {
      this.endings.delete(ending);
      void this.schedule();
    });
  }

  private async finishJob(jobId: string, run: RunRow): Promise<void> {
    await this.events;
    const [job] = await this.store.db.select().from(schema.fineTuningJobs).where(eq(schema.fineTuningJobs.id, jobId));
    if (!job || job.finishedAt) return;
    const tokens = trainedTokensOf(run);
    if (job.status === 'cancelled') return this.close(job, 'cancelled', tokens, 'The job was cancelled');
    // A shutdown interrupts the run: the job stays `running` and resumes on the next start.
    if (this.closing && run.status === 'stopped') return;
    if (run.status === 'stopped') {
      await this.update(jobId, { status: 'cancelled' });
      return this.close({ ...job, status: 'cancelled' }, 'cancelled', tokens, 'The job\'s run was stopped by an administrator; the job is cancelled');
    }
    if (run.status !== 'completed') return this.fail(job, failureOf(run.error), tokens);
    try {
      await this.succeed(job, run, tokens);
    } catch (err) {
      await this.fail(job, failureOf(err), tokens);
    }
  }

  /** Registers, deploys (the job's customer only) and records the run's model; then the job has succeeded. */
  private async succeed(job: JobRow, run: RunRow, tokens: number): Promise<void> {
    const modelDir = typeof run.artifacts.modelDir === 'string' ? run.artifacts.modelDir : undefined;
    if (!modelDir) throw new QudaoError('QD_INTERNAL', 'the training run reported no model folder');
    const name = fineTunedModelName(job.baseModel, job.customerId, job.suffix, job.id);
    const version = await registerCheckpoint(this.options.registry, {
      modelName: `ft-${shortJobId(job.id)}`,
      checkpointDir: modelDir,
      description: `fine-tuning job ${job.id} of ${job.baseModel} for ${job.customerId}`,
      parentVersionId: job.baseVersionId,
      metrics: { trainedTokens: tokens, fineTuningJobId: job.id },
    });
    const base = this.options.catalog.deploymentByName(job.baseModel);
    await this.options.deployer.deploy({
      name,
      version: version.id,
      ownerCustomerId: job.customerId,
      ...(base ? { costInputPer1mMicros: base.costInputPer1mMicros, costOutputPer1mMicros: base.costOutputPer1mMicros } : {}),
    });
    // This replica serves the model before the job says it has succeeded (the others reload on the notification).
    await this.options.catalog.changed();
    const m = run.metrics;
    const step = num(m.steps) ?? num(m.step) ?? 0;
    await this.store.db.insert(schema.fineTuningCheckpoints).values({
      id: newId('ftckpt'),
      jobId: job.id,
      model: name,
      modelVersionId: version.id,
      stepNumber: step,
      metrics: { step, train_loss: num(m.loss) ?? null, valid_loss: num(m.bestValLoss) ?? null },
    });
    await this.update(job.id, { fineTunedModel: name, modelVersionId: version.id });
    await this.event(job.id, 'info', `New fine-tuned model created: ${name}`);
    await this.close({ ...job, fineTunedModel: name }, 'succeeded', tokens, 'The job has successfully completed');
  }

  private async fail(job: JobRow, error: { code: string; message: string; param: string | null }, tokens: number): Promise<void> {
    await this.update(job.id, { status: 'failed', error });
    await this.close({ ...job, status: 'failed', error }, 'failed', tokens, `The job failed: ${error.message}`, 'error');
  }

  /**
   * The end of a job: its ledger row (once, by its id; none when nothing was trained), then its final
   * state, trained tokens and end time, then the last event.
   */
  private async close(job: JobRow, outcome: 'succeeded' | 'failed' | 'cancelled', tokens: number, message: string, level: 'info' | 'error' = 'info'): Promise<void> {
    const endedAt = new Date();
    if (tokens > 0) await recordTrainingUsage(this.store, job, outcome, tokens, endedAt);
    await this.update(job.id, { status: outcome, trainedTokens: tokens, finishedAt: endedAt });
    await this.event(job.id, level, message);
  }

  /** Applies a patch only while the job is in `status`; undefined when it is not (someone else changed it first). */
  private async updateIf(id: string, status: string, patch: Partial<typeof schema.fineTuningJobs.$inferInsert>): Promise<JobRow | undefined> {
    const j = schema.fineTuningJobs;
    const [row] = await this.store.db.update(j).set(patch).where(and(eq(j.id, id), eq(j.status, status))).returning();
    return row;
  }

  private async update(id: string, patch: Partial<typeof schema.fineTuningJobs.$inferInsert>): Promise<JobRow> {
    const [row] = await this.store.db.update(schema.fineTuningJobs).set(patch).where(eq(schema.fineTuningJobs.id, id)).returning();
    if (!row) throw new QudaoError('QD_NOT_FOUND', `no fine-tuning job ${id}`);
    return row;
  }

  /** Appends an event after every one before it. */
  private event(jobId: string, level: 'info' | 'warn' | 'error', message: string, type: 'message' | 'metrics' = 'message', data: Record<string, unknown> | null = null): Promise<void> {
    const write = this.events.then(async () => {
      await this.store.db.insert(schema.fineTuningEvents).values({ id: newId('ftevent'), jobId, level, type, message, data });
    });
    this.events = write.catch((err: unknown) => this.options.onError?.(err, 'fine-tuning: writing a job event'));
    return this.events;
  }
}

/** A number, or undefined. */
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
