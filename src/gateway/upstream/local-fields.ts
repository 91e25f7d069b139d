import { QudaoError } from '../../errors/index.js';
import type { EmbeddingCall, GenerationCall } from './types.js';

/**
 * What an in-process model implements of OpenAI's request formats. A field outside these lists, sent with
 * a value (not null), is refused with 400 QD_UNSUPPORTED_PARAMETER naming it, never accepted and dropped:
 * `tools`, `response_format`, `echo`, `best_of`, … are each a promise the client
 * would otherwise believe kept. HTTP upstreams get every field as sent (they implement their own).
 *
 * `user` is accepted: it only identifies the end user to the provider, which Qudao does by the API key's
 * customer (it is not stored).
 */
export const LOCAL_FIELDS = {
  chat: [
    'model', 'messages', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'n', 'stop', 'stream', 'stream_options', 'seed', 'user',
    'logprobs', 'top_logprobs', 'presence_penalty', 'frequency_penalty', 'logit_bias',
    // By constrained decoding (gateway/openai/structured-output.ts); tool_choice "auto" is refused there.
    'response_format', 'tools', 'tool_choice', 'parallel_tool_calls',
  ],
  completions: ['model', 'prompt', 'max_tokens', 'temperature', 'top_p', 'n', 'stop', 'stream', 'stream_options', 'seed', 'user', 'logprobs', 'presence_penalty', 'frequency_penalty', 'logit_bias'],
  embeddings: ['model', 'input', 'encoding_format', 'dimensions', 'user'],
} as const satisfies Record<GenerationCall['endpoint'] | EmbeddingCall['endpoint'], readonly string[]>;

/**
 * Fields of a chat message an in-process model reads, by role: its chat template renders role and text, an
 * assistant's `tool_calls` as the JSON it writes calls in, and a tool result as a `tool` turn (its
 * `tool_call_id` is read: a result follows the call it answers in the history).
 */
const MESSAGE_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  system: new Set(['role', 'content']),
  developer: new Set(['role', 'content']),
  user: new Set(['role', 'content']),
  assistant: new Set(['role', 'content', 'tool_calls']),
  tool: new Set(['role', 'content', 'tool_call_id']),
};
const STREAM_OPTIONS = new Set(['include_usage']);

function has(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** A tool call of the history as an in-process model can render it: a function with a name and arguments text. */
function isFunctionCall(call: unknown): boolean {
  if (typeof call !== 'object' || call === null) return false;
  const { type, function: fn } = call as Record<string, unknown>;
  if (type !== 'function' || typeof fn !== 'object' || fn === null) return false;
  const { name, arguments: args } = fn as Record<string, unknown>;
  return typeof name === 'string' && typeof args === 'string';
}

/** The first field of `call` an in-process model does not implement (its dotted path), or undefined. */
export function unsupportedLocalField(call: GenerationCall | EmbeddingCall): string | undefined {
  const body = call.body as Record<string, unknown>;
  const known = new Set<string>(LOCAL_FIELDS[call.endpoint]);
  for (const [field, value] of Object.entries(body)) if (!known.has(field) && has(value)) return field;
  const options = body.stream_options;
  if (options && typeof options === 'object') {
    for (const [field, value] of Object.entries(options)) if (!STREAM_OPTIONS.has(field) && has(value)) return `stream_options.${field}`;
  }
  if (call.endpoint !== 'chat') return undefined;
  for (const [i, message] of call.body.messages.entries()) {
    const fields = MESSAGE_FIELDS[message.role];
    if (!fields) return `messages.${i}.role`;
    for (const [field, value] of Object.entries(message)) if (!fields.has(field) && has(value)) return `messages.${i}.${field}`;
    const calls = (message as Record<string, unknown>).tool_calls;
    if (Array.isArray(calls)) {
      for (const [j, call] of (calls as unknown[]).entries()) if (!isFunctionCall(call)) return `messages.${i}.tool_calls.${j}`;
    } else if (has(calls)) return `messages.${i}.tool_calls`;
    if (Array.isArray(message.content)) {
      for (const [j, part] of message.content.entries()) if (part.type !== 'text') return `messages.${i}.content.${j}.type`;
    }
  }
  return undefined;
}

/** Throws QD_UNSUPPORTED_PARAMETER for the first field an in-process model does not implement. */
export function refuseUnsupportedLocalFields(call: GenerationCall | EmbeddingCall, model: string): void {
  const param = unsupportedLocalField(call);
  if (param === undefined) return;
  throw new QudaoError('QD_UNSUPPORTED_PARAMETER', `${param} is not supported by ${model}, an in-process model (it implements ${LOCAL_FIELDS[call.endpoint].join(', ')}); remove it, or call a model served by an upstream that implements it`, { param });
}
