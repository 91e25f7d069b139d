import type { FastifyReply } from 'fastify';
import { QudaoError } from '../../errors/index.js';
import type { EmbeddingList } from '../../shared/contract/v1.js';
import type { Caller } from '../types.js';
import type { EmbeddingCall, EmbeddingResult } from '../upstream/types.js';
import { reserveQuota } from './admission.js';
import type { ServeContext } from './context.js';
import { promptTokensOf, settleFailure, settleUsage, type Job } from './metering.js';
import { resolveDeployment } from './resolve-model.js';

/**
 * A vector as OpenAI's base64 encoding: the float32 values' bytes, little-endian, in base64 — what the
 * openai SDKs ask for by default and decode with a Float32Array over the bytes.
 */
export function base64Floats(values: ArrayLike<number>): string {
  const bytes = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i]!, i * 4);
  return bytes.toString('base64');
}

/** A vector in the asked encoding; an upstream's answer is already in it and passes as it came. */
function encoded(embedding: EmbeddingResult['data'][number]['embedding'], format: 'float' | 'base64'): number[] | string {
  if (typeof embedding === 'string') return embedding;
  if (format === 'base64') return base64Floats(embedding);
  return Array.from(embedding);
}

/**
 * `POST /v1/embeddings`, once the key is authenticated and the body validated: find the deployment,
 * reserve the prompt's bound on every limit, embed (in-process or passed through to the upstream), write the
 * ledger row (endpoint `embeddings`, prompt tokens, no completion tokens) and answer. A client that
 * disconnects aborts the upstream call; the request is then metered `cancelled`.
 */
export async function serveEmbeddings(ctx: ServeContext, caller: Caller, call: EmbeddingCall, reply: FastifyReply): Promise<EmbeddingList> {
  const startedAt = performance.now();
  const deployment = resolveDeployment(ctx.catalog, caller, call.body.model);
  const admitted = await reserveQuota(ctx.limiter, caller, call, Date.now()).catch((err: unknown) => {
    if (err instanceof QudaoError) ctx.metrics.refused(err.code);
    throw err;
  });
  const abort = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) abort.abort();
  });
  void reply.headers(admitted.headers).header('x-request-id', call.requestId);
  const job: Job<EmbeddingCall> = { ctx, caller, call, deployment, admitted, startedAt, signal: abort.signal };
  let routed;
  try {
    routed = await ctx.router.embed(call, deployment, abort.signal);
  } catch (err) {
    throw await settleFailure(job, deployment, err, undefined, false);
  }
  const served = routed.deployment;
  const usage = routed.result.usage ?? { promptTokens: promptTokensOf(job, served), completionTokens: 0 };
  await settleUsage(job, served, usage, abort.signal.aborted ? 'cancelled' : 'ok', 200, null, false);
  const format = call.body.encoding_format ?? 'float';
  return {
    object: 'list',
    data: routed.result.data.map((d) => ({ object: 'embedding', index: d.index, embedding: encoded(d.embedding, format) })),
    model: call.body.model,
    usage: { prompt_tokens: usage.promptTokens, total_tokens: usage.promptTokens },
  };
}
