import type { FastifyReply } from 'fastify';
import { QudaoError } from '../../errors/index.js';
import type { ChatCompletion, ResponseCreateRequest, ResponseObject } from '../../shared/contract/v1.js';
import { chatRequestOf, refuseUnsupportedResponseFields, responseOfChat, responsesStreamFormat } from '../openai/responses-api.js';
import type { Caller } from '../types.js';
import type { ServeContext } from './context.js';
import { serveGeneration } from './generation.js';

/**
 * `POST /v1/responses`: the request is checked field by field (anything not implemented is refused by
 * name), served as the equivalent chat request through the same path as `/v1/chat/completions` (quota,
 * routing, fallbacks, stream backpressure and kill guarantees, metering), and answered as a Response object
 * or the Responses stream. Its ledger row says endpoint `responses`.
 */
export async function serveResponses(ctx: ServeContext, caller: Caller, body: ResponseCreateRequest, requestId: string, timeoutMs: number | undefined, reply: FastifyReply): Promise<ResponseObject | FastifyReply> {
  refuseUnsupportedResponseFields(body);
  try {
    return await serveChat(ctx, caller, body, requestId, timeoutMs, reply);
  } catch (err) {
    throw inResponsesTerms(err, body);
  }
}

async function serveChat(ctx: ServeContext, caller: Caller, body: ResponseCreateRequest, requestId: string, timeoutMs: number | undefined, reply: FastifyReply): Promise<ResponseObject | FastifyReply> {
  const call = { endpoint: 'chat', meterAs: 'responses', body: chatRequestOf(body), requestId, ...(timeoutMs === undefined ? {} : { timeoutMs }) } as const;
  if (body.stream) {
    await serveGeneration(ctx, caller, call, reply, responsesStreamFormat(body, requestId));
    return reply;
  }
  const answer = await serveGeneration(ctx, caller, call, reply);
  return isChatCompletion(answer) ? responseOfChat(body, requestId, answer) : answer;
}

/**
 * An error of the chat path with its `param` named as the client sent it: `max_tokens` is
 * `max_output_tokens`, `messages.N` is `input.M` (or `instructions`, which became the first message).
 */
function inResponsesTerms(err: unknown, body: ResponseCreateRequest): unknown {
  if (!(err instanceof QudaoError) || err.param === undefined) return err;
  let param = err.param;
  if (param === 'max_tokens') param = 'max_output_tokens';
  const m = /^messages\.(\d+)(.*)$/.exec(param);
  if (m) {
    const i = Number(m[1]) - (body.instructions ? 1 : 0);
    param = i < 0 ? 'instructions' : typeof body.input === 'string' ? 'input' : `input.${i}${m[2]}`;
  }
  if (param === err.param) return err;
  return new QudaoError(err.code, err.message.replace(err.param, param), { param, headers: err.headers, cause: err });
}

function isChatCompletion(answer: ChatCompletion | FastifyReply): answer is ChatCompletion {
  return (answer as { object?: unknown }).object === 'chat.completion';
}
