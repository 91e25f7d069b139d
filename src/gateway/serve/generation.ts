import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerOf as bearerToken } from '../admin/request.js';
import { QudaoError, toOpenAIErrorBody, toQudaoError } from '../../errors/index.js';
import { authenticateCaller } from '../keys/api-key.js';
import { promptText } from '../openai/request-size.js';
import { answerText, completionBody } from '../openai/responses.js';
import { chatCompletionRequestSchema, completionRequestSchema, parseRequestBody } from '../openai/schemas.js';
import type { GatewayDeployment } from '../types.js';
import type { ChunkSink, Endpoint, GenerationCall, StreamResult, Usage } from '../upstream/types.js';
import { reserveQuota } from './admission.js';
import type { ServeContext } from './context.js';
import { journalStream, settleFailure, settleUsage, type Job } from './metering.js';
import { resolveDeployment } from './resolve-model.js';
import { StreamWriter } from './stream-writer.js';

function parseCall(endpoint: Endpoint, body: unknown, requestId: string): GenerationCall {
  // Fastify parses text/plain into a string; the API takes JSON only.
  if (typeof body === 'string') throw new QudaoError('QD_UNSUPPORTED_MEDIA_TYPE');
  return endpoint === 'chat'
    ? { endpoint, body: parseRequestBody(chatCompletionRequestSchema, body), requestId }
    : { endpoint, body: parseRequestBody(completionRequestSchema, body), requestId };
}

/**
 * `POST /v1/chat/completions` and `POST /v1/completions`: authenticate the key from the cache, validate,
 * find the deployment, reserve quota in one atomic step, call the upstream, meter into the ledger (durable
 * before the final byte), and settle. A client that disconnects aborts the upstream call.
 */
export async function serveGeneration(ctx: ServeContext, request: FastifyRequest, reply: FastifyReply, endpoint: Endpoint): Promise<unknown> {
  const startedAt = performance.now();
  const nowMs = Date.now();
  const caller = authenticateCaller(ctx.catalog, bearerToken(request), nowMs);
  const call = parseCall(endpoint, request.body, request.id);
  const deployment = resolveDeployment(ctx.catalog, caller, call.body.model);
  const admitted = await reserveQuota(ctx.limiter, caller, call, nowMs).catch((err: unknown) => {
    if (err instanceof QudaoError) ctx.metrics.refused(err.code);
    throw err;
  });
  const abort = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) abort.abort();
  });
  void reply.headers(admitted.headers).header('x-request-id', request.id);
  const job: Job = { ctx, caller, call, deployment, admitted, startedAt, signal: abort.signal };
  return call.body.stream ? streamAnswer(job, reply, abort) : wholeAnswer(job);
}

async function wholeAnswer(job: Job): Promise<unknown> {
  const { ctx, call } = job;
  let routed;
  try {
    routed = await ctx.router.complete(call, job.deployment, job.signal);
  } catch (err) {
    throw await settleFailure(job, job.deployment, err, undefined, false);
  }
  const served = routed.deployment;
  const { choices } = routed.result;
  const upstream = ctx.router.upstreamOf(served);
  const usage = routed.result.usage ?? { promptTokens: upstream.countTokens(served, promptText(call)), completionTokens: upstream.countTokens(served, answerText(call.endpoint, choices)) };
  await settleUsage(job, served, usage, job.signal.aborted ? 'cancelled' : 'ok', 200, null, false);
  return completionBody(call.endpoint, call.requestId, call.body.model, Math.floor(Date.now() / 1000), choices, usage);
}

/**
 * Streams the answer with backpressure: while the client does not drain, the writer's promise pauses the
 * upstream (the model holds this request, the HTTP body is not read); a client that stalls past
 * `streamStallMs` is disconnected and its generation cancelled. Only tokens handed to the socket are billed.
 */
async function streamAnswer(job: Job, reply: FastifyReply, abort: AbortController): Promise<unknown> {
  const { ctx, call, signal } = job;
  const out = new StreamWriter(reply, call.endpoint, call.requestId, call.body.model, ctx.streamLimits, () => {
    ctx.metrics.streamStalled();
    abort.abort();
    reply.raw.destroy();
  });
  let served: GatewayDeployment = job.deployment;
  let progress: ReturnType<typeof journalStream>;
  const onChunk: ChunkSink = (choices, tokens) => {
    if (signal.aborted) return undefined;
    // The first chunk fixes the serving deployment (no retry after it): the stream's journal file opens now.
    if (!out.isOpen && (progress = journalStream(job, served))) out.track(progress);
    return out.chunk(choices, tokens);
  };
  let result: StreamResult | undefined;
  let failure: unknown;
  try {
    const routed = await ctx.router.stream(call, job.deployment, onChunk, (d) => (served = d), signal);
    result = routed.result;
    served = routed.deployment;
  } catch (err) {
    failure = err;
  }
  // An answer is `ok` only once all of it is handed to the socket; a client that stalls at the end is cut.
  if (failure === undefined && !signal.aborted) await out.flushed();
  if (failure === undefined && !signal.aborted) {
    ctx.metrics.streamBuffered(out.peakQueuedBytes);
    const usage = result?.usage ?? countDelivered(job, served, out);
    out.open();
    if (call.body.stream_options?.include_usage === true) out.usage(usage);
    try {
      await settleUsage(job, served, usage, 'ok', 200, null, true);
    } catch (err) {
      progress?.abandon(); // no row: the next start bills what the journal says was delivered
      out.end({ error: toOpenAIErrorBody(toQudaoError(err)) });
      return reply;
    }
    progress?.settle();
    out.end({ done: true }); // the final byte, after the ledger row is durable
    return reply;
  }
  ctx.metrics.streamBuffered(out.peakQueuedBytes);
  // A cut connection's write callbacks have all run once it is closed: the delivered counts are final then.
  if (signal.aborted) await out.closed();
  let qe;
  try {
    qe = await settleFailure(job, served, failure, countDelivered(job, served, out), true);
  } catch (err) {
    progress?.abandon();
    throw err;
  }
  progress?.settle();
  if (!out.isOpen) throw qe;
  // The status line is sent; a failure mid-stream is an error event, and no [DONE].
  out.end(signal.aborted ? { gone: true } : { error: toOpenAIErrorBody(qe) });
  return reply;
}

/** Tokens handed to the client's socket: exact counts from in-process models, else our tokenizer over the text. */
function countDelivered(job: Job, served: GatewayDeployment, delivered: StreamWriter): Usage {
  const upstream = job.ctx.router.upstreamOf(served);
  return {
    promptTokens: upstream.countTokens(served, promptText(job.call)),
    completionTokens: delivered.allExact ? delivered.exactTokens : upstream.countTokens(served, delivered.text),
  };
}
