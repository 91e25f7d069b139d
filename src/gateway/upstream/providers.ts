import { QudaoError } from '../../errors/index.js';
import type { UpstreamProviderName } from '../../shared/contract/gateway.js';
import type { ChatMessage } from '../openai/schemas.js';
import type { GatewayDeployment } from '../types.js';
import { UpstreamFailure, type Choice, type CompletionResult, type EmbeddingCall, type EmbeddingResult, type Endpoint, type GenerationCall, type Usage } from './types.js';

/**
 * The stop sequence that ended a choice, when the provider says which (Anthropic does): kept on the internal
 * choice under a symbol, which JSON never writes, so it reaches `/v1/messages`' `stop_sequence` and no
 * OpenAI answer gains a field OpenAI does not have.
 */
export const STOP_SEQUENCE: unique symbol = Symbol('stop sequence');

/** A choice that may carry {@link STOP_SEQUENCE}. */
export type ChoiceWithStop = Choice & { [STOP_SEQUENCE]?: string };

/** What one event of an upstream's stream carried, in the gateway's own (OpenAI chunk) terms. */
export interface StreamStep {
  /** Choices of OpenAI `chat.completion.chunk` (or `text_completion`) shape; empty when the event has none. */
  readonly choices: Choice[];
  /** Usage so far, when the event reports it (the last report wins). */
  readonly usage?: Usage | undefined;
  /** True when the event is the provider's end of stream (`[DONE]`, `message_stop`). */
  readonly done?: boolean;
}

/**
 * Reads one stream: fed each SSE event's `data`, it answers the chunk it means. Stateful (a provider may
 * report input tokens at the start and output tokens at the end); an error event throws an
 * {@link UpstreamFailure}.
 */
export type StreamDecoder = (data: string) => StreamStep;

/**
 * An upstream provider as data: where a call goes, how it authenticates, and the pure translations of
 * Qudao's internal request (OpenAI's chat/completions body, validated) into the provider's request, and of
 * its answers, stream events and error bodies back. The HTTP exchange itself is in http-upstream.ts and
 * knows no provider.
 *
 * A field the provider cannot express is refused by {@link UpstreamProvider.requestBody} with 400
 * QD_UNSUPPORTED_PARAMETER naming it: never dropped on the way.
 */
/** An embeddings endpoint of a provider: where it is, and the translation of the request and answer. */
export interface EmbeddingsAdapter {
  url(deployment: GatewayDeployment): string;
  /** The body sent upstream; throws QD_UNSUPPORTED_PARAMETER for what the provider cannot express. */
  body(call: EmbeddingCall, upstreamModel: string): Record<string, unknown>;
  /** The answer as OpenAI's `data` (floats, or base64 text when an OpenAI-compatible upstream was asked for it) and usage. */
  parse(body: unknown): EmbeddingResult;
}

/** OpenAI's embeddings wire format at `url`: the request as sent (the upstream's model name swapped in), the answer passed back. */
export function openAIEmbeddings(url: (deployment: GatewayDeployment) => string): EmbeddingsAdapter {
  return {
    url,
    body: (call, upstreamModel) => ({ ...call.body, model: upstreamModel }),
    parse(body) {
      const parsed = body as { data?: unknown; usage?: { prompt_tokens?: unknown } } | null;
      if (!Array.isArray(parsed?.data)) throw new UpstreamFailure('the upstream answer has no data', 'protocol', true);
      const promptTokens = parsed.usage?.prompt_tokens;
      return { data: parsed.data as EmbeddingResult['data'], usage: typeof promptTokens === 'number' ? { promptTokens, completionTokens: 0 } : undefined };
    },
  };
}

export interface UpstreamProvider {
  readonly name: UpstreamProviderName;
  /** The endpoints this provider serves (Anthropic and Gemini have no text completion endpoint). */
  readonly endpoints: readonly Endpoint[];
  /** The URL of a call (query string included). */
  url(deployment: GatewayDeployment, endpoint: Endpoint, stream: boolean): string;
  /** Headers of every call: the key (when there is one) and any version header. */
  headers(deployment: GatewayDeployment): Record<string, string>;
  /** How `POST /v1/embeddings` reaches this provider; absent: it has no embeddings endpoint. */
  readonly embeddings?: EmbeddingsAdapter;
  /** What the health check GETs: the provider's model list, which needs the key but costs no tokens. */
  healthUrl(deployment: GatewayDeployment): string;
  /** The body sent upstream; throws QudaoError QD_UNSUPPORTED_PARAMETER for a field it cannot express. */
  requestBody(call: GenerationCall, upstreamModel: string, stream: boolean): Record<string, unknown>;
  /** A whole answer's choices (OpenAI shape) and usage; throws a `protocol` UpstreamFailure when it is not one. */
  parseAnswer(body: unknown, endpoint: Endpoint): CompletionResult;
  /** A fresh decoder for one stream. */
  streamDecoder(endpoint: Endpoint): StreamDecoder;
  /** A non-2xx answer as a failure: the provider's message, and whether retrying (or falling back) may help. */
  failureOf(status: number, bodyText: string): UpstreamFailure;
}

/** A chat message's role and content, the only message fields a translating provider reads. */
const MESSAGE_FIELDS = new Set(['role', 'content']);

function has(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * Throws QD_UNSUPPORTED_PARAMETER for the first field of the call (top level, `stream_options`, or a
 * message's) that `provider` does not translate. `fields` are the top-level fields it does; `maxChoices`
 * the most `n` it can answer.
 */
export function refuseUntranslatable(call: GenerationCall, provider: string, fields: ReadonlySet<string>, maxChoices = 1): void {
  if (!providerServes(provider, call.endpoint)) {
    throw new QudaoError('QD_UNSUPPORTED_PARAMETER', `a ${provider} upstream has no text completion endpoint; call /v1/chat/completions (or /v1/messages) instead`, { param: 'prompt' });
  }
  const body = call.body as Record<string, unknown>;
  const refuse = (param: string, why = `is not supported by a ${provider} upstream (Qudao translates ${[...fields].join(', ')})`) => {
    throw new QudaoError('QD_UNSUPPORTED_PARAMETER', `${param} ${why}`, { param });
  };
  for (const [field, value] of Object.entries(body)) if (!fields.has(field) && has(value)) refuse(field);
  const options = body.stream_options;
  if (options && typeof options === 'object') for (const [f, v] of Object.entries(options)) if (f !== 'include_usage' && has(v)) refuse(`stream_options.${f}`);
  if (call.endpoint !== 'chat') return;
  let conversationStarted = false;
  for (const [i, m] of call.body.messages.entries()) {
    for (const [field, value] of Object.entries(m)) if (!MESSAGE_FIELDS.has(field) && has(value)) refuse(`messages.${i}.${field}`);
    if (m.role === 'tool') refuse(`messages.${i}.role`, `"tool" needs tool calling, which a ${provider} upstream is not asked for by Qudao`);
    if (m.role === 'system' || m.role === 'developer') {
      if (conversationStarted) refuse(`messages.${i}.role`, `"${m.role}" after the conversation began cannot be expressed: a ${provider} upstream takes system instructions only before it`);
    } else conversationStarted = true;
    if (Array.isArray(m.content)) {
      for (const [j, part] of m.content.entries()) {
        if (part.type !== 'text') refuse(`messages.${i}.content.${j}.type`, `"${part.type}" is not translated for a ${provider} upstream (text parts only)`);
        for (const [f, v] of Object.entries(part)) if (f !== 'type' && f !== 'text' && has(v)) refuse(`messages.${i}.content.${j}.${f}`);
      }
    }
  }
  const n = call.body.n;
  if (typeof n === 'number' && n > maxChoices) refuse('n', `above ${maxChoices} is not supported by a ${provider} upstream`);
}

/** Which providers serve which endpoints (a chat-only provider refuses `/v1/completions`). */
function providerServes(provider: string, endpoint: Endpoint): boolean {
  return endpoint === 'chat' || provider === 'openai-compatible' || provider === 'azure-openai';
}

/** The text of a message's content: the string, or its text parts joined. */
export function textOf(m: ChatMessage): string {
  if (typeof m.content === 'string') return m.content;
  if (!m.content) return '';
  return m.content.map((p) => (typeof p.text === 'string' ? p.text : '')).join('');
}

/** The most tokens asked for: `max_tokens`, else `max_completion_tokens`, else undefined. */
export function askedTokens(call: GenerationCall): number | undefined {
  const b = call.body;
  return b.max_tokens ?? (call.endpoint === 'chat' ? call.body.max_completion_tokens : undefined) ?? undefined;
}

/** Parses an upstream's JSON body, or undefined when it is not JSON. */
export function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The failure of a non-2xx answer: 5xx, 429 (and Anthropic's 529) are worth retrying, other 4xx are not. */
export function statusFailure(status: number, detail: string | undefined, bodyText: string): UpstreamFailure {
  const message = detail ?? bodyText.slice(0, 200);
  const retryable = status >= 500 || status === 429;
  // The upstream's own text goes in `detail`: it may quote the prompt, so the client is told it and the log is not.
  return new UpstreamFailure(`upstream answered ${status}`, retryable ? 'status' : 'rejected', retryable, status, message || undefined);
}

function openAIUsage(body: unknown): Usage | undefined {
  const u = (body as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null } | null)?.usage;
  if (!u || typeof u.prompt_tokens !== 'number' || typeof u.completion_tokens !== 'number') return undefined;
  return { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens };
}

function openAIFailure(status: number, bodyText: string): UpstreamFailure {
  const message = (jsonOf(bodyText) as { error?: { message?: unknown } } | undefined)?.error?.message;
  return statusFailure(status, typeof message === 'string' ? message : undefined, bodyText);
}

function openAIAnswer(body: unknown): CompletionResult {
  const choices = (body as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) throw new UpstreamFailure('the upstream answer has no choices', 'protocol', true);
  return { choices: choices as Choice[], usage: openAIUsage(body) };
}

function openAIStream(): StreamDecoder {
  return (data) => {
    if (data === '[DONE]') return { choices: [], done: true };
    const chunk = jsonOf(data) as { choices?: unknown } | undefined;
    if (!chunk) return { choices: [] };
    return { choices: Array.isArray(chunk.choices) ? (chunk.choices as Choice[]) : [], usage: openAIUsage(chunk) };
  };
}

/** The OpenAI body as the client sent it, with the upstream's model name; a stream asks for usage in its last chunk. */
function openAIBody(call: GenerationCall, upstreamModel: string, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { ...call.body, model: upstreamModel, stream };
  if (stream) body.stream_options = { include_usage: true };
  else delete body.stream_options;
  return body;
}

const openAIPaths: Readonly<Record<Endpoint, string>> = { chat: '/chat/completions', completions: '/completions' };

function base(d: GatewayDeployment): string {
  return (d.upstreamUrl ?? '').replace(/\/+$/, '');
}

/**
 * Any OpenAI-compatible server: OpenAI itself, vLLM, llama.cpp's server, Ollama (`/v1`), LM Studio. Every
 * field passes as the client sent it (the server implements its own). A stream asks for usage in the final
 * chunk; servers that ignore `stream_options` are counted by the gateway.
 */
export const openAICompatible: UpstreamProvider = {
  name: 'openai-compatible',
  endpoints: ['chat', 'completions'],
  url: (d, endpoint) => base(d) + openAIPaths[endpoint],
  headers: (d): Record<string, string> => (d.upstreamApiKey ? { authorization: `Bearer ${d.upstreamApiKey}` } : {}),
  embeddings: openAIEmbeddings((d) => `${base(d)}/embeddings`),
  healthUrl: (d) => `${base(d)}/models`,
  requestBody: openAIBody,
  parseAnswer: openAIAnswer,
  streamDecoder: openAIStream,
  failureOf: openAIFailure,
};

/** The `api-version` an Azure OpenAI deployment is called with unless it names one (the current GA version). */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

/**
 * Azure OpenAI: OpenAI's wire format at `{base}/openai/deployments/{deployment}/…?api-version=…`, keyed by
 * an `api-key` header. The deployment's `upstreamModel` is the Azure deployment name. Bodies, answers,
 * streams and errors are OpenAI's (Azure adds `content_filter` finish reasons, passed on as they are).
 */
export const azureOpenAI: UpstreamProvider = {
  name: 'azure-openai',
  endpoints: ['chat', 'completions'],
  url: (d, endpoint) => `${base(d)}/openai/deployments/${encodeURIComponent(d.upstreamModel ?? d.name)}${openAIPaths[endpoint]}?api-version=${encodeURIComponent(d.apiVersion ?? AZURE_DEFAULT_API_VERSION)}`,
  headers: (d): Record<string, string> => (d.upstreamApiKey ? { 'api-key': d.upstreamApiKey } : {}),
  healthUrl: (d) => `${base(d)}/openai/models?api-version=${encodeURIComponent(d.apiVersion ?? AZURE_DEFAULT_API_VERSION)}`,
  embeddings: openAIEmbeddings((d) => `${base(d)}/openai/deployments/${encodeURIComponent(d.upstreamModel ?? d.name)}/embeddings?api-version=${encodeURIComponent(d.apiVersion ?? AZURE_DEFAULT_API_VERSION)}`),
  requestBody: openAIBody,
  parseAnswer: openAIAnswer,
  streamDecoder: openAIStream,
  failureOf: openAIFailure,
};
