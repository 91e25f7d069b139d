import type { ChatCompletionRequest, CompletionRequest } from '../openai/schemas.js';
import type { GatewayDeployment } from '../types.js';

/** Which OpenAI endpoint a call is for. */
export type Endpoint = 'chat' | 'completions';

/** A validated client request on its way to an upstream. */
export type GenerationCall =
  | { readonly endpoint: 'chat'; readonly body: ChatCompletionRequest; readonly requestId: string }
  | { readonly endpoint: 'completions'; readonly body: CompletionRequest; readonly requestId: string };

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
  ) {
    super(message);
    this.name = 'UpstreamFailure';
  }
}
