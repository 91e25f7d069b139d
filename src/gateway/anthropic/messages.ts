/**
 * `POST /v1/messages`, Anthropic's Messages format, served by translation: a request becomes Qudao's
 * internal chat call (OpenAI's chat body), which any deployment serves (an in-process model or any
 * provider's upstream), and the internal answer becomes an Anthropic `message`, its stream Anthropic's typed
 * events, its errors Anthropic's error body. Every request field is translated or refused by name.
 */
import { errorCatalogue, QudaoError, type OpenAIErrorBody } from '../../errors/index.js';
import type { AnthropicMessage, ChatMessage, MessagesRequest } from '../../shared/contract/v1.js';
import type { ChatCompletionRequest } from '../openai/schemas.js';
import { answerText } from '../openai/responses.js';
import type { AnswerFormat } from '../serve/generation.js';
import type { StreamFormat } from '../serve/stream-writer.js';
import { STOP_SEQUENCE, type ChoiceWithStop } from '../upstream/providers.js';
import type { Choice, GenerationCall, Usage } from '../upstream/types.js';

/**
 * Fields of Anthropic's request that Qudao serves. `temperature`, `top_p` and `top_k` are no longer in the
 * current SDK's request type but older clients send them; `top_k` reaches upstreams that have it (an
 * in-process model refuses it). `metadata.user_id` becomes OpenAI's `user`.
 */
export const MESSAGES_FIELDS = ['model', 'max_tokens', 'messages', 'system', 'stop_sequences', 'temperature', 'top_p', 'top_k', 'stream', 'metadata'] as const;

const FIELDS = new Set<string>(MESSAGES_FIELDS);

function has(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function refuse(param: string, why: string): never {
  throw new QudaoError('QD_UNSUPPORTED_PARAMETER', `${param} ${why}`, { param });
}

/** Text blocks as OpenAI text parts; any other block (image, document, tool_use, tool_result, thinking…) is refused. */
function textParts(blocks: readonly { type: string; text?: string | undefined }[], where: string): { type: 'text'; text: string }[] {
  return blocks.map((b, j) => {
    if (b.type !== 'text') refuse(`${where}.${j}.type`, `"${b.type}" blocks are not supported (text blocks only: Qudao serves no images, documents, tools or thinking)`);
    for (const [f, v] of Object.entries(b)) if (f !== 'type' && f !== 'text' && has(v)) refuse(`${where}.${j}.${f}`, 'is not supported in a text block');
    return { type: 'text', text: b.text ?? '' };
  });
}

/**
 * The internal chat call of a Messages request: the system prompt becomes a leading system message, text
 * blocks OpenAI text parts, `stop_sequences` the stop list, `metadata.user_id` the user. A stream always
 * asks for usage (Anthropic's `message_delta` reports it). A field Qudao does not serve is refused.
 */
export function toChatCall(body: MessagesRequest, requestId: string): GenerationCall {
  for (const [field, value] of Object.entries(body)) {
    if (!FIELDS.has(field) && has(value)) refuse(field, `is not supported by Qudao's /v1/messages (it serves ${MESSAGES_FIELDS.join(', ')})`);
  }
  for (const [field, value] of Object.entries(body.metadata ?? {})) if (field !== 'user_id' && has(value)) refuse(`metadata.${field}`, 'is not supported (metadata.user_id is)');
  const messages: ChatMessage[] = [];
  if (typeof body.system === 'string') messages.push({ role: 'system', content: body.system });
  else if (Array.isArray(body.system)) messages.push({ role: 'system', content: textParts(body.system, 'system') });
  for (const [i, m] of body.messages.entries()) {
    for (const [f, v] of Object.entries(m)) if (f !== 'role' && f !== 'content' && has(v)) refuse(`messages.${i}.${f}`, 'is not a field Qudao serves in a message (role and content are)');
    messages.push({ role: m.role, content: typeof m.content === 'string' ? m.content : textParts(m.content, `messages.${i}.content`) });
  }
  const last = body.messages.length - 1;
  if (body.messages[last]!.role === 'assistant') {
    refuse(`messages.${last}.role`, 'is "assistant": continuing a prefilled answer is not supported; end with a user turn');
  }
  const chat: Record<string, unknown> = { model: body.model, messages, max_tokens: body.max_tokens };
  if (has(body.stop_sequences) && body.stop_sequences!.length > 0) chat.stop = body.stop_sequences;
  if (has(body.temperature)) chat.temperature = body.temperature;
  if (has(body.top_p)) chat.top_p = body.top_p;
  if (has(body.top_k)) chat.top_k = body.top_k;
  if (has(body.metadata?.user_id)) chat.user = body.metadata!.user_id;
  if (body.stream === true) {
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  return { endpoint: 'chat', body: chat as ChatCompletionRequest, requestId, meterAs: 'messages' };
}

/**
 * Refuses Anthropic's `anthropic-beta` header: it switches on beta features (of which Qudao serves none),
 * and ignoring it would answer as if they were on. `anthropic-version` is accepted (there is one version).
 */
export function refuseBetaHeader(value: string | string[] | undefined): void {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return;
  throw new QudaoError('QD_UNSUPPORTED_PARAMETER', `the anthropic-beta header (${String(value)}) asks for beta features, which Qudao's /v1/messages does not serve; remove it`, { param: 'anthropic-beta' });
}

/** OpenAI's finish reasons as Anthropic's stop reasons. */
export function stopReasonOf(finish: unknown): string {
  switch (finish) {
    case 'length':
      return 'max_tokens';
    case 'content_filter':
      return 'refusal';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    default:
      return 'end_turn';
  }
}

/** The message id clients see; like chat's, it embeds the ledger's request id. */
export function messageId(requestId: string): string {
  return `msg_${requestId}`;
}

function usageBody(u: Usage): { input_tokens: number; output_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number } {
  return { input_tokens: u.promptTokens, output_tokens: u.completionTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

/** Anthropic's error `type` for an HTTP status (the catalogued code travels beside it, see {@link anthropicErrorBody}). */
export function anthropicErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'billing_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 503 || status === 529) return 'overloaded_error';
  if (status === 504) return 'timeout_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

/** Anthropic's error body, `{type: 'error', error: {type, message}}`, with the catalogued `code` and `param` added. */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string; code: string; param: string | null };
}

/**
 * An error of `/v1/messages` in Anthropic's shape. The catalogued code is kept three ways: `error.code`
 * and `error.param` (extra fields the SDK passes through in `err.error`), the message's prefix
 * (`QD_…: …`, what a log shows), and the `x-qudao-error-code` header (set by the route).
 */
export function anthropicErrorBody(status: number, e: OpenAIErrorBody['error']): AnthropicErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(status), message: `${e.code}: ${e.message}`, code: e.code, param: e.param } };
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Anthropic's stream for one answer: `message_start` (input tokens as counted for the serving model),
 * `content_block_start`, `ping`, a `content_block_delta` per chunk of text, then `content_block_stop`,
 * `message_delta` (stop reason and the final usage) and `message_stop`; a failure mid-stream is an `error` event.
 */
function messagesStreamEvents(call: GenerationCall, promptTokens: () => number): StreamFormat {
  let stopReason = 'end_turn';
  let stopSequence: string | null = null;
  return {
    open: () =>
      sse('message_start', {
        type: 'message_start',
        message: { id: messageId(call.requestId), type: 'message', role: 'assistant', model: call.body.model, content: [], stop_reason: null, stop_sequence: null, usage: usageBody({ promptTokens: promptTokens(), completionTokens: 0 }) },
      }) +
      sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '', citations: null } }) +
      sse('ping', { type: 'ping' }),
    chunk(choices: Choice[]) {
      let text = '';
      for (const c of choices) {
        const content = (c.delta as { content?: unknown } | undefined)?.content;
        if (typeof content === 'string') text += content;
        if (c.finish_reason) [stopReason, stopSequence] = stopOf(c);
      }
      // A chunk with no text (the role, a finish reason) still goes out: delivery is counted per chunk written.
      return text ? sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }) : sse('ping', { type: 'ping' });
    },
    usage: (usage) =>
      sse('content_block_stop', { type: 'content_block_stop', index: 0 }) +
      sse('message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: stopSequence }, usage: usageBody(usage) }),
    done: () => sse('message_stop', { type: 'message_stop' }),
    // An error event has no status of its own: its Anthropic type follows the catalogued code's status.
    error: (body) => sse('error', anthropicErrorBody(errorCatalogue[body.error.code].status, body.error)),
  };
}

/**
 * A choice's stop reason and stop sequence: `stop_sequence` (and which) when the provider said so (an
 * Anthropic upstream), else the finish reason's equivalent with no sequence.
 */
function stopOf(c: Choice | undefined): [string, string | null] {
  const sequence = (c as ChoiceWithStop | undefined)?.[STOP_SEQUENCE];
  return sequence === undefined ? [stopReasonOf(c?.finish_reason), null] : ['stop_sequence', sequence];
}

/** The Messages answer format: an Anthropic `message`, or its stream. */
export const messagesFormat: AnswerFormat<AnthropicMessage> = {
  whole: (call, choices, usage) => {
    const [stopReason, stopSequence] = stopOf(choices[0]);
    return {
      id: messageId(call.requestId),
      type: 'message',
      role: 'assistant',
      model: call.body.model,
      content: [{ type: 'text', text: answerText('chat', choices.slice(0, 1)), citations: null }],
      stop_reason: stopReason,
      stop_sequence: stopSequence,
      usage: usageBody(usage),
    };
  },
  streamEvents: messagesStreamEvents,
};

/**
 * An error answer of `/v1/messages` rewritten from OpenAI's error body (what the server's one error
 * handler writes) into Anthropic's, with its code; undefined when the payload is not such a body.
 */
export function rewriteErrorPayload(status: number, payload: string): { body: string; code: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  const e = (parsed as Partial<OpenAIErrorBody> | null)?.error;
  if (!e || typeof e.message !== 'string' || typeof e.code !== 'string') return undefined;
  return { body: JSON.stringify(anthropicErrorBody(status, e)), code: e.code };
}
