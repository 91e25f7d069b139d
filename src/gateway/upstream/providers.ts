import type { Endpoint, GenerationCall, Usage } from './types.js';

/**
 * An upstream provider described as data: where each endpoint lives, how to authenticate, and the pure
 * request/response transforms. The HTTP calls themselves are in http-upstream.ts and know no provider.
 */
export interface UpstreamProvider {
  readonly name: string;
  /** Path appended to the deployment's `upstream_url` per endpoint. */
  readonly paths: Readonly<Record<Endpoint, string>>;
  /** Headers that carry the upstream's API key. */
  authHeaders(apiKey: string): Record<string, string>;
  /** The body sent upstream: the client's request with the upstream's model name. */
  requestBody(call: GenerationCall, upstreamModel: string, stream: boolean): Record<string, unknown>;
  /** Usage from an upstream response or final chunk, if it has any. */
  usageOf(body: unknown): Usage | undefined;
}

function openAIUsage(body: unknown): Usage | undefined {
  const u = (body as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null } | null)?.usage;
  if (!u || typeof u.prompt_tokens !== 'number' || typeof u.completion_tokens !== 'number') return undefined;
  return { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens };
}

/**
 * Any OpenAI-compatible server: OpenAI itself, vLLM, llama.cpp's server, Ollama (`/v1`), LM Studio. A
 * stream asks for usage in the final chunk; servers that ignore `stream_options` are counted by the gateway.
 */
export const openAICompatible: UpstreamProvider = {
  name: 'openai-compatible',
  paths: { chat: '/chat/completions', completions: '/completions' },
  authHeaders: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
  requestBody(call, upstreamModel, stream) {
    const body: Record<string, unknown> = { ...call.body, model: upstreamModel, stream };
    if (stream) body.stream_options = { include_usage: true };
    else delete body.stream_options;
    return body;
  },
  usageOf: openAIUsage,
};

/** The providers by name; a deployment's `upstream_url` is served by `openai-compatible`. */
export const upstreamProviders: Readonly<Record<string, UpstreamProvider>> = { [openAICompatible.name]: openAICompatible };
