import { QudaoError } from '../../errors/index.js';
import { DEFAULT_RESERVED_COMPLETION_TOKENS } from '../openai/request-size.js';
import { stopList } from '../openai/schemas.js';
import type { GatewayDeployment } from '../types.js';
import { askedTokens, jsonOf, refuseUntranslatable, statusFailure, STOP_SEQUENCE, textOf, type ChoiceWithStop, type StreamDecoder, type UpstreamProvider } from './providers.js';
import { UpstreamFailure, type CompletionResult, type Usage } from './types.js';

/** The `anthropic-version` header sent unless the deployment names another (the Messages API's only version). */
export const ANTHROPIC_DEFAULT_VERSION = '2023-06-01';

/**
 * The internal (OpenAI chat) fields an Anthropic upstream is sent. `top_k` is not OpenAI's: it arrives
 * from `/v1/messages` clients. `user` becomes `metadata.user_id`; `stop` becomes `stop_sequences`.
 */
const FIELDS = new Set(['model', 'messages', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'top_k', 'stop', 'stream', 'stream_options', 'user', 'n']);

/**
 * Anthropic's stop reasons as OpenAI finish reasons. `stop_sequence` is a stop like `end_turn` (OpenAI does
 * not say which sequence matched); `refusal` is the model declining, which OpenAI calls `content_filter`.
 */
export function finishOfStopReason(reason: unknown): string | null {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return reason === null || reason === undefined ? null : 'stop';
  }
}

interface AnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** Input tokens as billed: the uncached ones plus those written to and read from the prompt cache. */
function inputTokens(u: AnthropicUsage): number {
  return (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
}

function usageOf(u: AnthropicUsage | undefined): Usage | undefined {
  if (!u || typeof u.input_tokens !== 'number' || typeof u.output_tokens !== 'number') return undefined;
  return { promptTokens: inputTokens(u), completionTokens: u.output_tokens };
}

/** The text of an answer's content blocks (text blocks only; a translated request asks for nothing else). */
function textOfBlocks(content: unknown): string {
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const b of content as { type?: unknown; text?: unknown }[]) if (b.type === 'text' && typeof b.text === 'string') text += b.text;
  return text;
}

/**
 * Anthropic's Messages API: `POST {base}/v1/messages` with `x-api-key` and `anthropic-version`, system
 * instructions as a top-level field, text content blocks, `stop_sequences`; answers are content blocks with
 * a `stop_reason` and `usage` (input/output tokens), streams are typed SSE events (`message_start`,
 * `content_block_delta`, `message_delta`, `message_stop`, `ping`, `error`).
 */
export const anthropicProvider: UpstreamProvider = {
  name: 'anthropic',
  endpoints: ['chat'],
  url: (d) => `${base(d)}/v1/messages`,
  headers: (d) => ({ 'anthropic-version': d.apiVersion ?? ANTHROPIC_DEFAULT_VERSION, ...(d.upstreamApiKey ? { 'x-api-key': d.upstreamApiKey } : {}) }),
  healthUrl: (d) => `${base(d)}/v1/models`,

  requestBody(call, upstreamModel, stream) {
    refuseUntranslatable(call, 'anthropic', FIELDS);
    if (call.endpoint !== 'chat') throw new QudaoError('QD_UNSUPPORTED_PARAMETER', 'an anthropic upstream serves chat only', { param: 'prompt' });
    const b = call.body as typeof call.body & { top_k?: unknown };
    const system: string[] = [];
    const messages: { role: 'user' | 'assistant'; content: string | { type: 'text'; text: string }[] }[] = [];
    for (const m of b.messages) {
      if (m.role === 'system' || m.role === 'developer') system.push(textOf(m));
      else if (m.role === 'user' || m.role === 'assistant') {
        messages.push({ role: m.role, content: Array.isArray(m.content) ? m.content.map((p) => ({ type: 'text' as const, text: p.text ?? '' })) : (m.content ?? '') });
      }
    }
    if (b.temperature !== undefined && b.temperature !== null && b.temperature > 1) {
      throw new QudaoError('QD_INVALID_REQUEST', `temperature ${b.temperature} is above 1, the most an anthropic upstream accepts`, { param: 'temperature' });
    }
    // Anthropic requires max_tokens; without one the gateway's default reservation is what it asks for.
    const body: Record<string, unknown> = { model: upstreamModel, max_tokens: askedTokens(call) ?? DEFAULT_RESERVED_COMPLETION_TOKENS, messages };
    if (system.length > 0) body.system = system.join('\n\n');
    if (b.temperature !== undefined && b.temperature !== null) body.temperature = b.temperature;
    if (b.top_p !== undefined && b.top_p !== null) body.top_p = b.top_p;
    if (b.top_k !== undefined && b.top_k !== null) body.top_k = b.top_k;
    const stop = stopList(b.stop);
    if (stop.length > 0) body.stop_sequences = stop;
    if (b.user) body.metadata = { user_id: b.user };
    if (stream) body.stream = true;
    return body;
  },

  parseAnswer(body): CompletionResult {
    const m = body as { content?: unknown; stop_reason?: unknown; stop_sequence?: unknown; usage?: AnthropicUsage } | null;
    if (!m || !Array.isArray(m.content)) throw new UpstreamFailure('the anthropic upstream answer has no content', 'protocol', true);
    const choice: ChoiceWithStop = { index: 0, message: { role: 'assistant', content: textOfBlocks(m.content) }, finish_reason: finishOfStopReason(m.stop_reason) ?? 'stop' };
    if (m.stop_reason === 'stop_sequence' && typeof m.stop_sequence === 'string') choice[STOP_SEQUENCE] = m.stop_sequence;
    return { choices: [choice], usage: usageOf(m.usage) };
  },

  streamDecoder(): StreamDecoder {
    const usage: AnthropicUsage = {};
    let reported = false;
    return (data) => {
      const event = jsonOf(data) as { type?: unknown; message?: { usage?: AnthropicUsage }; delta?: { type?: unknown; text?: unknown; stop_reason?: unknown; stop_sequence?: unknown }; usage?: AnthropicUsage; error?: { type?: unknown; message?: unknown } } | undefined;
      if (!event) return { choices: [] };
      switch (event.type) {
        case 'message_start':
          Object.assign(usage, event.message?.usage ?? {});
          return { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] };
        case 'content_block_delta':
          if (event.delta?.type === 'text_delta' && typeof event.delta.text === 'string') return { choices: [{ index: 0, delta: { content: event.delta.text }, finish_reason: null }] };
          return { choices: [] };
        case 'message_delta': {
          // message_delta's usage is cumulative; fields it omits keep their message_start value.
          for (const [k, v] of Object.entries(event.usage ?? {})) if (v !== null && v !== undefined) (usage as Record<string, unknown>)[k] = v;
          reported = typeof usage.output_tokens === 'number';
          const reason = finishOfStopReason(event.delta?.stop_reason);
          const finish: ChoiceWithStop = { index: 0, delta: {}, finish_reason: reason };
          if (event.delta?.stop_reason === 'stop_sequence' && typeof event.delta.stop_sequence === 'string') finish[STOP_SEQUENCE] = event.delta.stop_sequence;
          return { choices: reason ? [finish] : [], usage: reported ? usageOf({ ...usage, input_tokens: usage.input_tokens ?? 0 }) : undefined };
        }
        case 'message_stop':
          return { choices: [], done: true };
        case 'error': {
          const type = typeof event.error?.type === 'string' ? event.error.type : 'error';
          const message = typeof event.error?.message === 'string' ? event.error.message : 'the stream failed';
          const retryable = type === 'overloaded_error' || type === 'api_error' || type === 'rate_limit_error';
          throw new UpstreamFailure(`the anthropic upstream's stream failed (${type}): ${message}`, retryable ? 'status' : 'rejected', retryable);
        }
        default:
          return { choices: [] }; // ping, content_block_start, content_block_stop
      }
    };
  },

  failureOf(status, bodyText) {
    const e = (jsonOf(bodyText) as { error?: { type?: unknown; message?: unknown } } | undefined)?.error;
    const detail = typeof e?.message === 'string' ? `${typeof e.type === 'string' ? `${e.type}: ` : ''}${e.message}` : undefined;
    return statusFailure(status, detail, bodyText);
  },
};

function base(d: GatewayDeployment): string {
  return (d.upstreamUrl ?? '').replace(/\/+$/, '');
}
