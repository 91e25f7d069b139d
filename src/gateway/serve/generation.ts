import type { FastifyReply } from 'fastify';
import { QudaoError, toOpenAIErrorBody, toQudaoError } from '../../errors/index.js';
import type { ChatCompletion, TextCompletion } from '../../shared/contract/v1.js';
import { promptText } from '../openai/request-size.js';
import { answerText, completionBody } from '../openai/responses.js';
import type { Caller, GatewayDeployment } from '../types.js';
import type { Choice, ChunkSink, GenerationCall, StreamResult, Usage } from '../upstream/types.js';
import { ChunkGuard, choiceText, guardInputTexts, guardOutputTexts, meterGuardrailEvents, promptParam, promptTexts, withChoiceText, withPromptTexts, type GuardrailScope } from '../guardrails/serve.js';
import { refusalError } from '../guardrails/refusal.js';
import { reserveQuota } from './admission.js';
import type { ServeContext } from './context.js';
import { journalStream, logRequest, settleFailure, settleUsage, type Job } from './metering.js';
import { resolveDeployment } from './resolve-model.js';
import { StreamWriter, type StreamFormat } from './stream-writer.js';

/** The whole answer of a call's endpoint. */
export type WholeAnswer<C extends GenerationCall> = C['endpoint'] extends 'chat' ? ChatCompletion : TextCompletion;

/**
 * How an answer is written in the client's wire format: OpenAI's by default; `/v1/messages` translates
 * the same (internal, OpenAI-shaped) choices and usage into Anthropic's message and stream events.
 */
export interface AnswerFormat<W> {
  /** The whole answer. */
  whole(call: GenerationCall, choices: Choice[], usage: Usage): W;
  /**
   * The stream's events; `promptTokens` counts the prompt for the deployment serving it (for formats that
   * report input tokens before the answer, as Anthropic's `message_start` does). Undefined: OpenAI's chunks.
   */
  streamEvents?(call: GenerationCall, promptTokens: () => number): StreamFormat;
}

const openAIFormat: AnswerFormat<ChatCompletion | TextCompletion> = {
  whole: (call, choices, usage) => completionBody(call.endpoint, call.requestId, call.body.model, Math.floor(Date.now() / 1000), choices, usage),
};

/**
 * `POST /v1/chat/completions` and `POST /v1/completions`, once the key is authenticated (from the cache)
 * and the body validated (v1-routes.ts): find the deployment, reserve quota in one atomic step, call the
 * upstream, meter into the ledger (durable before the final byte), and settle. A client that disconnects
 * aborts the upstream call. A streamed answer is written here and the reply returned.
 */
export async function serveGeneration<C extends GenerationCall>(ctx: ServeContext, caller: Caller, call: C, reply: FastifyReply, stream?: StreamFormat): Promise<WholeAnswer<C> | FastifyReply> {
  const format = stream ? { ...openAIFormat, streamEvents: () => stream } : openAIFormat;
  return serveFormatted(ctx, caller, call, reply, format) as Promise<WholeAnswer<C> | FastifyReply>;
}

/** {@link serveGeneration} with the answer written in `format` (another inbound wire format). */
export async function serveFormatted<W>(ctx: ServeContext, caller: Caller, asked: GenerationCall, reply: FastifyReply, format: AnswerFormat<W>): Promise<W | FastifyReply> {
  const startedAt = performance.now();
  const nowMs = Date.now();
  const deployment = resolveDeployment(ctx.catalog, caller, asked.body.model);
  // Input guardrails before quota: a refused request reserves nothing and reaches no model.
  const guards: GuardrailScope = { requestId: asked.requestId, caller, deployment, guards: ctx.catalog.guardrailsOf(deployment.id), ledger: ctx.ledger, onRefused: (code) => ctx.metrics.refused(code) };
  const call = await guardCall(ctx, guards, asked);
  const admitted = await reserveQuota(ctx.limiter, caller, call, nowMs).catch((err: unknown) => {
    if (err instanceof QudaoError) ctx.metrics.refused(err.code);
    throw err;
  });
  const abort = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) abort.abort();
  });
  void reply.headers(admitted.headers).header('x-request-id', call.requestId);
  const job: Job = { ctx, caller, call, deployment, admitted, startedAt, signal: abort.signal };
  return call.body.stream ? streamAnswer(job, guards, reply, abort, format) : wholeAnswer(job, guards, format);
}

/** The call after the input guardrails: the same object when nothing was redacted; throws a refusal. */
async function guardCall(ctx: ServeContext, scope: GuardrailScope, call: GenerationCall): Promise<GenerationCall> {
  if (scope.guards.length === 0) return call;
  const upstream = ctx.router.upstreamOf(scope.deployment);
  const texts = promptTexts(call);
  const tools = { countTokens: (text: string) => upstream.countTokens(scope.deployment, text), classify: ctx.classify };
  const guarded = await guardInputTexts(scope, texts, tools, promptParam(call.endpoint));
  return guarded.every((t, i) => t === texts[i]) ? call : withPromptTexts(call, guarded);
}

async function wholeAnswer<W>(job: Job, guards: GuardrailScope, format: AnswerFormat<W>): Promise<W> {
  const { ctx, call } = job;
  let routed;
  try {
    routed = await ctx.router.complete(call, job.deployment, job.signal);
  } catch (err) {
    throw await settleFailure(job, job.deployment, err, undefined, false);
  }
  const served = routed.deployment;
  const upstream = ctx.router.upstreamOf(served);
  const answered = routed.result.choices;
  const usage = routed.result.usage ?? { promptTokens: upstream.countTokens(served, promptText(call)), completionTokens: upstream.countTokens(served, answerText(call.endpoint, answered)) };
  let choices = answered;
  try {
    const texts = await guardOutputTexts(guards, answered.map((c) => choiceText(call.endpoint, c)));
    choices = answered.map((c, i) => withChoiceText(call.endpoint, c, texts[i]!));
  } catch (err) {
    // A refused answer is not delivered: the row is an error with the prompt only, priced at 0.
    throw await settleFailure(job, served, err, { promptTokens: usage.promptTokens, completionTokens: 0 }, false);
  }
  const status = job.signal.aborted ? 'cancelled' : 'ok';
  await settleUsage(job, served, usage, status, 200, null, false);
  logRequest(job, served, answerText(call.endpoint, choices), status, 200, false);
  return format.whole(call, choices, usage);
}

/**
 * Streams the answer with backpressure: while the client does not drain, the writer's promise pauses the
 * upstream (the model holds this request, the HTTP body is not read); a client that stalls past
 * `streamStallMs` is disconnected and its generation cancelled. Only tokens handed to the socket are billed.
 */
async function streamAnswer<W>(job: Job, guards: GuardrailScope, reply: FastifyReply, abort: AbortController, format: AnswerFormat<W>): Promise<FastifyReply> {
  const { ctx, call, signal } = job;
  // Output guardrails hold text back and may stop the upstream (a refusal) while the client is still there.
  const guard = new ChunkGuard(call.endpoint, guards.guards);
  const refused = new AbortController();
  let served: GatewayDeployment = job.deployment;
  const events = format.streamEvents?.(call, () => ctx.router.upstreamOf(served).countTokens(served, promptText(call)));
  const out = new StreamWriter(reply, call.endpoint, call.requestId, call.body.model, ctx.streamLimits, () => {
    ctx.metrics.streamStalled();
    abort.abort();
    reply.raw.destroy();
  }, events);
  let progress: ReturnType<typeof journalStream>;
  const onChunk: ChunkSink = (upstreamChoices, tokens) => {
    if (signal.aborted) return undefined;
    const choices = guard.filter(upstreamChoices);
    if (!choices) return void refused.abort();
    // The first chunk fixes the serving deployment (no retry after it): the stream's journal file opens now.
    if (!out.isOpen && (progress = journalStream(job, served))) out.track(progress);
    return out.chunk(choices, tokens);
  };
  let result: StreamResult | undefined;
  let failure: unknown;
  try {
    const routed = await ctx.router.stream(call, job.deployment, onChunk, (d) => (served = d), AbortSignal.any([signal, refused.signal]));
    result = routed.result;
    served = routed.deployment;
    const rest = guard.refusedBy ? undefined : guard.drain();
    if (rest && rest.length > 0 && !signal.aborted) {
      if (!out.isOpen && (progress = journalStream(job, served))) out.track(progress);
      await out.chunk(rest, 0);
    }
  } catch (err) {
    failure = err;
  }
  if (guard.refusedBy) {
    const refusal = refusalError(guard.refusedBy, null);
    ctx.metrics.refused(refusal.code);
    failure = refusal;
  }
  await meterGuardrailEvents(guards, guard.events).catch((err: unknown) => (failure ??= err));
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
    logRequest(job, served, out.text, 'ok', 200, true);
    out.end({ done: usage }); // the final byte, after the ledger row is durable
    return reply;
  }
  ctx.metrics.streamBuffered(out.peakQueuedBytes);
  // A cut connection's write callbacks have all run once it is closed: the delivered counts are final then.
  if (signal.aborted) await out.closed();
  let qe;
  try {
    qe = await settleFailure(job, served, failure, countDelivered(job, served, out), true, out.text);
  } catch (err) {
    progress?.abandon();
    throw err;
  }
  progress?.settle();
  if (!out.isOpen) throw qe;
  // A refused answer ends as OpenAI ends a filtered one: `finish_reason: content_filter`, then the error.
  if (guard.refusedBy && !signal.aborted) out.chunk(guard.contentFilterChoices(call.body.n ?? 1), 0);
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
