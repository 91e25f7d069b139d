import type { ChatCompletionRequest, CompletionRequest, EmbeddingRequest } from '../openai/schemas.js';
import type { GatewayDeployment } from '../types.js';

/** Which OpenAI generation endpoint a call is for. */
export type Endpoint = 'chat' | 'completions';

/**
 * The endpoint a ledger row records: a generation endpoint, `embeddings`, or the inbound format a chat call
 * was translated from (`responses`, `messages`: served as chat, metered under their own name).
 */
export type MeteredEndpoint = Endpoint | 'embeddings' | 'responses' | 'messages';

/** What every call carries besides its body. */
interface CallBase {
  readonly requestId: string;
  /**
   * The caller's API key's request timeout, ms (undefined: none): an upstream call waits at most the
   * shorter of this and its deployment's `timeoutMs`.
   */
  readonly timeoutMs?: number | undefined;
}

/** A validated client request on its way to an upstream. */
export type GenerationCall =
  /** `meterAs`: a Responses or Anthropic Messages request translated to chat, metered under its own endpoint. */
  | (CallBase & { readonly endpoint: 'chat'; readonly body: ChatCompletionRequest; readonly meterAs?: 'responses' | 'messages' })
  | (CallBase & { readonly endpoint: 'completions'; readonly body: CompletionRequest; readonly meterAs?: undefined });

/** How long an upstream call may go without answering: its deployment's timeout, or its key's when shorter. */
export function callTimeoutMs(call: { readonly timeoutMs?: number | undefined }, deployment: GatewayDeployment): number {
  return call.timeoutMs === undefined ? deployment.timeoutMs : Math.min(call.timeoutMs, deployment.timeoutMs);
}

/** A validated `POST /v1/embeddings` request. */
export interface EmbeddingCall extends CallBase {
  readonly endpoint: 'embeddings';
  readonly body: EmbeddingRequest;
  readonly meterAs?: undefined;
}

/**
 * An embeddings answer in OpenAI's shape: `data` as the upstream sent it (floats or base64, as asked), or
 * as an in-process model computed it (floats; the gateway encodes base64 itself). `usage` is absent when
 * the upstream sent none.
 */
export interface EmbeddingResult {
  readonly data: { readonly index: number; readonly embedding: readonly number[] | Float32Array | string }[];
  readonly usage: Usage | undefined;
}

/** Token counts of one request. */
export interface Usage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/**
 * A choice in OpenAI's shape for the endpoint: `{index, message, finish_reason}` (chat) or
 * `{index, text, finish_reason}` (completions); chunks carry `delta` instead of `message`.
 */
export type Choice = Record<string, unknown>;

/** A whole (non-streamed) answer. `usage` is absent when the upstream sent none. */
export interface CompletionResult {
  readonly choices: Choice[];
  readonly usage: Usage | undefined;
}

/** What a stream ended with. `usage` is absent when the upstream sent none (then the gateway counts). */
export interface StreamResult {
  readonly usage: Usage | undefined;
}

/**
 * Receives each streamed chunk's choices. `tokens` is how many tokens the chunk holds when the upstream
 * knows it exactly (in-process models); undefined means the gateway must count the text itself. A returned
 * promise is backpressure: the client is not reading, so the upstream must produce nothing more for this
 * stream (pause the model, stop reading the upstream body) until it settles.
 */
export type ChunkSink = (choices: Choice[], tokens: number | undefined) => void | Promise<void>;

/** A way to reach a model: in-process runtime or an OpenAI-compatible HTTP server. */
export interface Upstream {
  complete(call: GenerationCall, deployment: GatewayDeployment, signal: AbortSignal): Promise<CompletionResult>;
  stream(call: GenerationCall, deployment: GatewayDeployment, onChunk: ChunkSink, signal: AbortSignal): Promise<StreamResult>;
  /** Counts tokens of text the way this deployment's model does (for prompts and delivered text). */
  countTokens(deployment: GatewayDeployment, text: string): number;
  /** Embeds the call's inputs; absent when this kind of upstream serves no embeddings. */
  embed?(call: EmbeddingCall, deployment: GatewayDeployment, signal: AbortSignal): Promise<EmbeddingResult>;
}

/**
 * Why an upstream call failed. `retryable` failures (connection errors, 5xx, 429) are retried with backoff
 * and then sent to the fallback deployment; others (the upstream refused the request) go to the client.
 */
export class UpstreamFailure extends Error {
  constructor(
    message: string,
    readonly kind: 'connection' | 'status' | 'timeout' | 'rejected' | 'protocol',
    readonly retryable: boolean,
    readonly upstreamStatus?: number,
    /**
     * The upstream's own error text. Kept apart from `message` because it may quote the request (some
     * providers echo the prompt): the client is told it, the server's log never is.
     */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'UpstreamFailure';
  }
}
