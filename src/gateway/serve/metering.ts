import { QudaoError, toQudaoError } from '../../errors/index.js';
import { actualAmounts } from '../limits/meters.js';
import type { StreamProgress } from '../metering/stream-journal.js';
import { billedTokens, usageRowOf, type UsageStatus } from '../metering/usage-row.js';
import { promptText, promptTokenIds } from '../openai/request-size.js';
import type { Caller, GatewayDeployment } from '../types.js';
import type { EmbeddingCall, GenerationCall, Usage } from '../upstream/types.js';
import type { Admitted } from './admission.js';
import type { ServeContext } from './context.js';

/** One admitted request in flight. */
export interface Job<C extends GenerationCall | EmbeddingCall = GenerationCall> {
  readonly ctx: ServeContext;
  readonly caller: Caller;
  readonly call: C;
  readonly deployment: GatewayDeployment;
  readonly admitted: Admitted;
  /** `performance.now()` when the request arrived. */
  readonly startedAt: number;
  readonly signal: AbortSignal;
}

/** HTTP status recorded for a request the client abandoned (nginx's convention). */
export const CLIENT_CLOSED_STATUS = 499;

/**
 * Writes the request's ledger row and waits until it is durable, then settles the reservations to the
 * billed amounts (in the background: the ledger, not the counter, is the durable record). Settlement
 * happens even if the ledger write fails, so a failed write never leaks reserved quota.
 */
export async function settleUsage(job: Job<GenerationCall | EmbeddingCall>, served: GatewayDeployment, usage: Usage, status: UsageStatus, httpStatus: number, errorCode: string | null, streamed: boolean): Promise<void> {
  const row = usageRowOf({
    requestId: job.call.requestId,
    caller: job.caller,
    deployment: served,
    endpoint: job.call.meterAs ?? job.call.endpoint,
    usage,
    status,
    httpStatus,
    errorCode,
    streamed,
    latencyMs: performance.now() - job.startedAt,
    occurredAt: new Date(),
  });
  try {
    await job.ctx.ledger.append(row);
    job.ctx.metrics.metered(row);
  } finally {
    releaseReservation(job, billedTokens(row), row.priceMicros ?? 0);
  }
}

/**
 * Opens the stream journal's file for a stream about to send its first chunk: its row as if it were cut
 * now (`cancelled`, no completion tokens), which a restart after a crash completes with the journaled
 * progress. Undefined without a journal.
 */
export function journalStream(job: Job, served: GatewayDeployment): StreamProgress | undefined {
  const journal = job.ctx.streamJournal;
  if (!journal) return undefined;
  const upstream = job.ctx.router.upstreamOf(served);
  const row = usageRowOf({
    requestId: job.call.requestId,
    caller: job.caller,
    deployment: served,
    endpoint: job.call.meterAs ?? job.call.endpoint,
    usage: { promptTokens: upstream.countTokens(served, promptText(job.call)), completionTokens: 0 },
    status: 'cancelled',
    httpStatus: CLIENT_CLOSED_STATUS,
    errorCode: null,
    streamed: true,
    latencyMs: 0,
    occurredAt: new Date(),
  });
  const { plan } = job.caller;
  return journal.start(row, { inputPer1mMicros: plan.inputPer1mMicros, outputPer1mMicros: plan.outputPer1mMicros, costInputPer1mMicros: served.costInputPer1mMicros, costOutputPer1mMicros: served.costOutputPer1mMicros });
}

/** Settles the reservations to the given amounts without waiting (0, 0 releases them). */
export function releaseReservation(job: Job<GenerationCall | EmbeddingCall>, tokens: number, priceMicros: number): void {
  const { charges } = job.admitted;
  if (charges.length === 0) return;
  job.ctx.limiter.settle(job.call.requestId, Date.now(), charges, actualAmounts(charges, tokens, priceMicros)).catch((err) => job.ctx.onBackgroundError(err, 'settling a reservation'));
}

/**
 * Meters a request that failed or was cancelled. A request refused before reaching a model (prompt too
 * long for the context, every deployment unhealthy) only releases its reservation; anything else gets a row with the tokens delivered.
 */
export async function settleFailure(job: Job<GenerationCall | EmbeddingCall>, served: GatewayDeployment, err: unknown, delivered: Usage | undefined, streamed: boolean, deliveredText = ''): Promise<QudaoError> {
  const qe = job.signal.aborted ? new QudaoError('QD_INVALID_REQUEST', 'the client closed the connection') : toQudaoError(err);
  logRequest(job, served, deliveredText, job.signal.aborted ? 'cancelled' : 'error', job.signal.aborted ? CLIENT_CLOSED_STATUS : qe.status, streamed);
  // Refused before reaching a model (prompt too long, no healthy upstream): no ledger row, nothing billed.
  if (!job.signal.aborted && (qe.code === 'QD_CONTEXT_TOO_LONG' || qe.code === 'QD_UPSTREAM_UNHEALTHY')) {
    releaseReservation(job, 0, 0);
    return qe;
  }
  const usage = delivered ?? { promptTokens: promptTokensOf(job, served), completionTokens: 0 };
  const status: UsageStatus = job.signal.aborted ? 'cancelled' : 'error';
  await settleUsage(job, served, usage, status, job.signal.aborted ? CLIENT_CLOSED_STATUS : qe.status, job.signal.aborted ? null : qe.code, streamed);
  return qe;
}

/** The prompt tokens of a call as the serving deployment's model counts them (text, plus ids given as ids). */
export function promptTokensOf(job: Job<GenerationCall | EmbeddingCall>, served: GatewayDeployment): number {
  return job.ctx.router.upstreamOf(served).countTokens(served, promptText(job.call)) + promptTokenIds(job.call);
}

/**
 * Queues the request's log row when the serving deployment has request logging on (privacy: off by
 * default, and then nothing of the request's text is kept anywhere). Never waits and never throws: a
 * debugging log must not slow or fail the request.
 */
export function logRequest(job: Job<GenerationCall | EmbeddingCall>, served: GatewayDeployment, completion: string, status: UsageStatus, httpStatus: number, streamed: boolean): void {
  if (!served.requestLogEnabled) return;
  try {
    job.ctx.requestLog.record({
      requestId: job.call.requestId,
      deploymentId: served.id,
      keyId: job.caller.key.id,
      customerId: job.caller.customer.id,
      endpoint: job.call.meterAs ?? job.call.endpoint,
      model: job.call.body.model,
      prompt: promptText(job.call),
      completion,
      status,
      httpStatus,
      streamed,
    });
  } catch (err) {
    job.ctx.onBackgroundError(err, 'queueing a request log row');
  }
}
