import { QudaoError } from '../../errors/index.js';
import type { ChatCompletion, ChatCompletionRequest, ChatMessage, ResponseCreateRequest, ResponseObject } from '../../shared/contract/v1.js';
import type { StreamFormat } from '../serve/stream-writer.js';
import type { Choice, Usage } from '../upstream/types.js';

/**
 * OpenAI's Responses API over the chat path: a Responses request becomes the chat request the serving path
 * already understands (instructions → a system message, input items → messages, max_output_tokens →
 * max_tokens), and the chat answer or its stream becomes a Response object or the typed `response.*`
 * events. Any deployment that serves chat serves Responses this way: in-process models, and upstreams
 * (whatever their provider translates chat to). The gateway keeps no responses: `store: true` and
 * `previous_response_id` are refused, not silently ignored.
 */

/** The Responses request fields the gateway implements; any other field with a value is refused by name. */
export const RESPONSES_FIELDS = ['model', 'input', 'instructions', 'max_output_tokens', 'temperature', 'top_p', 'stream', 'store', 'metadata', 'user', 'safety_identifier', 'text', 'truncation'] as const;

const INPUT_ITEM_FIELDS = new Set(['type', 'role', 'content', 'id', 'status']);
const TEXT_PARTS = new Set(['input_text', 'output_text', 'text']);

function has(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function refuse(param: string, why: string): never {
  throw new QudaoError('QD_UNSUPPORTED_PARAMETER', `${param} ${why}`, { param });
}

/**
 * Checks that every field of the request is one the gateway implements, with a value it implements
 * (`store: false` or absent, `text.format` of type `text`, `truncation: disabled`, message input items of
 * text parts), and throws QD_UNSUPPORTED_PARAMETER naming the first that is not.
 */
export function refuseUnsupportedResponseFields(body: ResponseCreateRequest): void {
  const known = new Set<string>(RESPONSES_FIELDS);
  for (const [field, value] of Object.entries(body)) {
    if (!known.has(field) && has(value)) refuse(field, `is not supported by Qudao's Responses API (it implements ${RESPONSES_FIELDS.join(', ')}; responses are not stored, so previous_response_id and conversation cannot be)`);
  }
  if (body.store === true) refuse('store', 'true is not supported: Qudao does not store responses; send store: false (or leave it out)');
  if (body.truncation === 'auto') refuse('truncation', '"auto" is not supported: a prompt longer than the context is refused (QD_CONTEXT_TOO_LONG)');
  if (body.text) {
    for (const [field, value] of Object.entries(body.text)) if (field !== 'format' && has(value)) refuse(`text.${field}`, 'is not supported');
    const format = body.text.format;
    if (format && format.type !== 'text') refuse('text.format', `of type "${format.type}" is not supported by the Responses endpoint; only "text"`);
  }
  if (typeof body.input === 'string') return;
  for (const [i, item] of body.input.entries()) {
    if (item.type !== undefined && item.type !== 'message') refuse(`input.${i}.type`, `"${item.type}" is not supported: only message items (tool calls need tools, which the Responses endpoint does not implement)`);
    if (item.role === undefined) throw new QudaoError('QD_INVALID_REQUEST', `input.${i}.role is required for a message`, { param: `input.${i}.role` });
    for (const [field, value] of Object.entries(item)) if (!INPUT_ITEM_FIELDS.has(field) && has(value)) refuse(`input.${i}.${field}`, 'is not supported');
    if (Array.isArray(item.content)) {
      for (const [j, part] of item.content.entries()) {
        if (!TEXT_PARTS.has(part.type)) refuse(`input.${i}.content.${j}.type`, `"${part.type}" is not supported: only text parts`);
        for (const [field, value] of Object.entries(part)) if (field !== 'type' && field !== 'text' && field !== 'annotations' && field !== 'logprobs' && has(value)) refuse(`input.${i}.content.${j}.${field}`, 'is not supported');
      }
    }
  }
}

/** The chat request a (checked) Responses request is served as. */
export function chatRequestOf(body: ResponseCreateRequest): ChatCompletionRequest {
  const messages: ChatMessage[] = [];
  if (body.instructions) messages.push({ role: 'system', content: body.instructions });
  if (typeof body.input === 'string') messages.push({ role: 'user', content: body.input });
  else {
    for (const item of body.input) {
      const content = typeof item.content === 'string' || item.content === undefined ? (item.content ?? '') : item.content.map((p) => ({ type: 'text', text: p.text ?? '' }));
      messages.push({ role: item.role ?? 'user', content });
    }
  }
  const chat: ChatCompletionRequest = { model: body.model, messages };
  if (has(body.max_output_tokens)) chat.max_tokens = body.max_output_tokens;
  if (has(body.temperature)) chat.temperature = body.temperature;
  if (has(body.top_p)) chat.top_p = body.top_p;
  if (body.stream) chat.stream = true;
  const user = body.user ?? body.safety_identifier;
  if (has(user)) chat.user = user;
  return chat;
}

/** The response id clients see: it embeds the ledger's request id, as chat's does. */
export function responseObjectId(requestId: string): string {
  return `resp_${requestId}`;
}

function messageId(requestId: string): string {
  return `msg_${requestId}`;
}

/** The Responses usage object. */
export function responsesUsage(u: Usage): Record<string, unknown> & { input_tokens: number; output_tokens: number; total_tokens: number } {
  return {
    input_tokens: u.promptTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: u.completionTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: u.promptTokens + u.completionTokens,
  };
}

/** What a response says about how it ended: `completed`, or `incomplete` when it ran into max_output_tokens. */
function ending(finishReason: unknown): { status: 'completed' | 'incomplete'; incomplete_details: { reason: string } | null } {
  return finishReason === 'length' ? { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } : { status: 'completed', incomplete_details: null };
}

function outputMessage(requestId: string, text: string, status: string): Record<string, unknown> & { type: string; id: string } {
  return { type: 'message', id: messageId(requestId), status, role: 'assistant', content: [outputText(text)] };
}

function outputText(text: string): Record<string, unknown> {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

/** The Response object, without output and usage: what the request asked for, echoed as OpenAI does. */
function responseShell(body: ResponseCreateRequest, requestId: string, createdS: number): ResponseObject {
  return {
    id: responseObjectId(requestId),
    object: 'response',
    created_at: createdS,
    status: 'in_progress',
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: body.model,
    output: [],
    parallel_tool_calls: false,
    previous_response_id: null,
    store: false,
    temperature: body.temperature ?? 1,
    top_p: body.top_p ?? 1,
    text: { format: { type: 'text' } },
    tool_choice: 'none',
    tools: [],
    truncation: 'disabled',
    metadata: body.metadata ?? {},
    user: body.user ?? null,
    usage: null,
  };
}

/** The whole Response object of a chat answer (the chat path's first choice). */
export function responseOfChat(body: ResponseCreateRequest, requestId: string, chat: ChatCompletion): ResponseObject {
  const choice = chat.choices[0];
  const text = typeof choice?.message.content === 'string' ? choice.message.content : '';
  const usage: Usage = { promptTokens: chat.usage.prompt_tokens, completionTokens: chat.usage.completion_tokens };
  return { ...responseShell(body, requestId, chat.created), ...ending(choice?.finish_reason), output: [outputMessage(requestId, text, 'completed')], usage: responsesUsage(usage) };
}

/**
 * The Responses stream over chat chunks: `response.created` and `response.in_progress`, the message item
 * and its text part opened, one `response.output_text.delta` per chunk that shows text, and once the
 * ledger row is durable the `.done` events and `response.completed` (or `response.incomplete`) with the
 * usage. Every event carries its `type` and a `sequence_number` counting from 0.
 */
export function responsesStreamFormat(body: ResponseCreateRequest, requestId: string): StreamFormat {
  const created = Math.floor(Date.now() / 1000);
  const itemId = messageId(requestId);
  let sequence = 0;
  let text = '';
  let finishReason: unknown = null;
  const event = (type: string, fields: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`;
  const shell = () => responseShell(body, requestId, created);
  const at = { item_id: itemId, output_index: 0, content_index: 0 };
  return {
    open: () =>
      event('response.created', { response: shell() }) +
      event('response.in_progress', { response: shell() }) +
      event('response.output_item.added', { output_index: 0, item: { type: 'message', id: itemId, status: 'in_progress', role: 'assistant', content: [] } }) +
      event('response.content_part.added', { ...at, part: outputText('') }),
    chunk(choices: Choice[]) {
      let delta = '';
      for (const c of choices) {
        if (c.index !== undefined && c.index !== 0) continue;
        const content = (c.delta as { content?: unknown } | undefined)?.content;
        if (typeof content === 'string') delta += content;
        if (c.finish_reason !== undefined && c.finish_reason !== null) finishReason = c.finish_reason;
      }
      if (delta === '') return '';
      text += delta;
      return event('response.output_text.delta', { ...at, delta, logprobs: [] });
    },
    usage: () => '',
    done(usage) {
      const end = ending(finishReason);
      const item = outputMessage(requestId, text, 'completed');
      const response = { ...shell(), ...end, output: [item], usage: responsesUsage(usage) };
      return (
        event('response.output_text.done', { ...at, text, logprobs: [] }) +
        event('response.content_part.done', { ...at, part: outputText(text) }) +
        event('response.output_item.done', { output_index: 0, item }) +
        event(end.status === 'completed' ? 'response.completed' : 'response.incomplete', { response })
      );
    },
    error(errorBody) {
      const e = (errorBody as { error?: { message?: unknown; code?: unknown; param?: unknown } }).error ?? {};
      // `error` in the data makes the openai SDK raise an APIError from the stream, as it does for chat.
      return event('error', { code: e.code ?? null, message: e.message ?? 'the response failed', param: e.param ?? null, error: e });
    },
  };
}
