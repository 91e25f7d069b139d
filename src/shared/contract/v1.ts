import { z } from 'zod';
import { defineRoute } from './route.js';

/**
 * The OpenAI-compatible gateway (`/v1`), in OpenAI's own wire format (snake_case, `object` tags), so any
 * OpenAI SDK is a client. Callers authenticate with a customer API key, which the gateway checks itself
 * (`access: 'customer-key'`), before any of these schemas is applied.
 *
 * Request objects are loose: fields OpenAI has and these schemas do not model (tools, logprobs, response_format…)
 * are kept: HTTP upstreams get them as sent, in-process models implement them or refuse them by name
 * (gateway/upstream/local-fields.ts). Answers are loose too: an upstream's extra fields reach the
 * client as they came.
 */

/** Most tokens a request may ask for (`max_tokens`); also what is reserved when it asks for none. */
export const MAX_TOKENS_CEILING = 32_768;

/** A content part; only `text` parts reach in-process models, others (images, audio) pass on to HTTP upstreams. */
const contentPart = z.object({ type: z.string().min(1), text: z.string().optional() }).loose();

/** A chat message; content may be a string or OpenAI's list of text parts. */
export const chatMessageSchema = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
    content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
    name: z.string().optional(),
  })
  .loose();

/** Sampling and output parameters shared by both endpoints (OpenAI's names and ranges). */
const samplingShape = {
  model: z.string().min(1).max(256),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).loose().nullish(),
  max_tokens: z.number().int().min(1).max(MAX_TOKENS_CEILING).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  n: z.number().int().min(1).max(16).nullish(),
  seed: z.number().int().nullish(),
  user: z.string().max(256).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  /** Token id (as a JSON key) → bias in [−100, 100]; −100 bans the token. */
  logit_bias: z.record(z.string().regex(/^\d{1,9}$/), z.number().min(-100).max(100)).nullish(),
};

/** Body of `POST /v1/chat/completions`. Unknown fields are kept and passed on to HTTP upstreams. */
export const chatCompletionRequestSchema = z
  .object({
    ...samplingShape,
    messages: z.array(chatMessageSchema).min(1).max(4096),
    max_completion_tokens: z.number().int().min(1).max(MAX_TOKENS_CEILING).nullish(),
    logprobs: z.boolean().nullish(),
    top_logprobs: z.number().int().min(0).max(20).nullish(),
  })
  .loose();

/** Body of `POST /v1/completions`: one prompt (a string, or an array holding one string). */
export const completionRequestSchema = z
  .object({
    ...samplingShape,
    prompt: z.union([z.string(), z.array(z.string()).length(1)]),
    /** The legacy shape: how many alternatives per token (0–5); tokens and their log-probabilities either way. */
    logprobs: z.number().int().min(0).max(5).nullish(),
  })
  .loose();

/** Most inputs one embeddings request may hold (OpenAI's limit). */
export const MAX_EMBEDDING_INPUTS = 2048;

const tokenIds = z.array(z.number().int().min(0)).min(1);

/**
 * Body of `POST /v1/embeddings`: `input` is a string, an array of strings, an array of token ids, or an
 * array of such arrays; none may be empty. `encoding_format` float or base64 (little-endian float32, what
 * the openai SDK asks for and decodes by default).
 */
export const embeddingRequestSchema = z
  .object({
    model: z.string().min(1).max(256),
    input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(MAX_EMBEDDING_INPUTS), tokenIds, z.array(tokenIds).min(1).max(MAX_EMBEDDING_INPUTS)]),
    encoding_format: z.enum(['float', 'base64']).nullish(),
    dimensions: z.number().int().min(1).nullish(),
    user: z.string().max(256).nullish(),
  })
  .loose();

/** One vector of an embeddings answer: floats, or base64 of little-endian float32. */
const embeddingSchema = z.object({ object: z.literal('embedding'), index: z.number().int(), embedding: z.union([z.array(z.number()), z.string()]) }).loose();

/** The answer of `POST /v1/embeddings`. */
export const embeddingListSchema = z
  .object({ object: z.literal('list'), data: z.array(embeddingSchema), model: z.string(), usage: z.object({ prompt_tokens: z.number().int(), total_tokens: z.number().int() }).loose() })
  .loose();

/** A content part of a Responses input message: `input_text` / `output_text` parts carry text. */
const responseContentPart = z.object({ type: z.string().min(1), text: z.string().optional() }).loose();

/** An item of a Responses `input` array: a message (`type` absent or `message`), or another item type. */
const responseInputItem = z
  .object({
    type: z.string().min(1).optional(),
    role: z.enum(['system', 'developer', 'user', 'assistant']).optional(),
    content: z.union([z.string(), z.array(responseContentPart)]).optional(),
  })
  .loose();

/**
 * Body of `POST /v1/responses` (OpenAI's Responses API): `input` text or a message array, `instructions`,
 * `max_output_tokens`, sampling, `stream`. Fields the gateway does not implement are refused by name before
 * any model is called (see src/gateway/openai/responses-api.ts).
 */
export const responseCreateSchema = z
  .object({
    model: z.string().min(1).max(256),
    input: z.union([z.string(), z.array(responseInputItem).min(1).max(4096)]),
    instructions: z.string().nullish(),
    max_output_tokens: z.number().int().min(1).max(MAX_TOKENS_CEILING).nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    stream: z.boolean().nullish(),
    store: z.boolean().nullish(),
    metadata: z.record(z.string().max(64), z.string().max(512)).nullish(),
    user: z.string().max(256).nullish(),
    safety_identifier: z.string().max(256).nullish(),
    text: z.object({ format: z.object({ type: z.string().min(1) }).loose().optional() }).loose().nullish(),
    truncation: z.enum(['auto', 'disabled']).nullish(),
  })
  .loose();

/** A Responses API response object (whole, or inside the `response.*` stream events). */
export const responseObjectSchema = z
  .object({
    id: z.string(),
    object: z.literal('response'),
    created_at: z.number().int(),
    status: z.string(),
    model: z.string(),
    output: z.array(z.object({ type: z.string(), id: z.string() }).loose()),
    usage: z.object({ input_tokens: z.number().int(), output_tokens: z.number().int(), total_tokens: z.number().int() }).loose().nullable(),
  })
  .loose();

/** OpenAI's `usage` object. */
export const usageBodySchema = z.object({ prompt_tokens: z.number().int(), completion_tokens: z.number().int(), total_tokens: z.number().int() }).loose();

/** A chat choice: `{ index, message, finish_reason }`. */
const chatChoiceSchema = z
  .object({
    index: z.number().int(),
    message: z.object({ role: z.string(), content: z.string().nullable().optional() }).loose(),
    finish_reason: z.string().nullable().optional(),
  })
  .loose();

/** A text completion choice: `{ index, text, finish_reason }`. */
const textChoiceSchema = z.object({ index: z.number().int(), text: z.string(), finish_reason: z.string().nullable().optional() }).loose();

/** The whole (non-streamed) answer of `POST /v1/chat/completions`. */
export const chatCompletionSchema = z
  .object({ id: z.string(), object: z.literal('chat.completion'), created: z.number().int(), model: z.string(), choices: z.array(chatChoiceSchema), usage: usageBodySchema })
  .loose();

/** The whole (non-streamed) answer of `POST /v1/completions`. */
export const textCompletionSchema = z
  .object({ id: z.string(), object: z.literal('text_completion'), created: z.number().int(), model: z.string(), choices: z.array(textChoiceSchema), usage: usageBodySchema })
  .loose();

/** OpenAI's model object: `owned_by` is the owning customer or partner of a fine-tune, else `qudao`. */
export const modelSchema = z.object({
  id: z.string(),
  object: z.literal('model'),
  created: z.number().int(),
  owned_by: z.string(),
  /** The `/v1` endpoints that serve this model (Qudao's addition; the SDKs keep extra fields). */
  endpoints: z.array(z.string()),
});

/** `GET /v1/models`. */
export const modelListSchema = z.object({ object: z.literal('list'), data: z.array(modelSchema) });

/**
 * The query of the `/v1` reads: OpenAI ignores parameters it does not know, and so do we (SDKs and
 * proxies add their own).
 */
const anyQuery = z.object({}).loose();

// ---- Anthropic Messages (`POST /v1/messages`)

/** A content block of the Anthropic Messages format: only `text` blocks are served (others are refused by name). */
const anthropicBlock = z.object({ type: z.string().min(1), text: z.string().optional() }).loose();

/**
 * Body of `POST /v1/messages`, Anthropic's Messages format (so the official Anthropic SDK is a client).
 * Loose: fields Anthropic has and Qudao does not implement (tools, thinking, …) are refused by name with
 * QD_UNSUPPORTED_PARAMETER by the gateway, never dropped.
 */
export const messagesRequestSchema = z
  .object({
    model: z.string().min(1).max(256),
    max_tokens: z.number().int().min(1).max(MAX_TOKENS_CEILING),
    messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(anthropicBlock)]) }).loose()).min(1).max(4096),
    system: z.union([z.string(), z.array(anthropicBlock)]).nullish(),
    stop_sequences: z.array(z.string().min(1)).max(16).nullish(),
    temperature: z.number().min(0).max(1).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    top_k: z.number().int().min(1).nullish(),
    stream: z.boolean().nullish(),
    metadata: z.object({ user_id: z.string().max(256).nullish() }).loose().nullish(),
  })
  .loose();

/** Anthropic's `usage`: input and output tokens (the prompt cache's counts are always 0 here). */
const anthropicUsageSchema = z.object({ input_tokens: z.number().int(), output_tokens: z.number().int() }).loose();

/** The whole (non-streamed) answer of `POST /v1/messages`: an Anthropic `message`. */
export const anthropicMessageSchema = z
  .object({
    id: z.string(),
    type: z.literal('message'),
    role: z.literal('assistant'),
    model: z.string(),
    content: z.array(z.object({ type: z.string(), text: z.string() }).loose()),
    stop_reason: z.string().nullable(),
    stop_sequence: z.string().nullable(),
    usage: anthropicUsageSchema,
  })
  .loose();

/** A validated Messages request. */
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;
/** A whole Messages answer. */
export type AnthropicMessage = z.infer<typeof anthropicMessageSchema>;

/** A validated chat completion request. */
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
/** A validated completion request. */
export type CompletionRequest = z.infer<typeof completionRequestSchema>;
/** A validated Responses API request. */
export type ResponseCreateRequest = z.infer<typeof responseCreateSchema>;
/** A Responses API response object. */
export type ResponseObject = z.infer<typeof responseObjectSchema>;
/** A validated embeddings request. */
export type EmbeddingRequest = z.infer<typeof embeddingRequestSchema>;
/** A whole embeddings answer. */
export type EmbeddingList = z.infer<typeof embeddingListSchema>;
/** One chat message. */
export type ChatMessage = z.infer<typeof chatMessageSchema>;
/** A whole chat answer. */
export type ChatCompletion = z.infer<typeof chatCompletionSchema>;
/** A whole text completion answer. */
export type TextCompletion = z.infer<typeof textCompletionSchema>;
/** A model as `/v1/models` lists it. */
export type OpenAIModel = z.infer<typeof modelSchema>;

const tag = 'v1';

/**
 * The `/v1` routes. A streamed answer (`stream: true`) is server-sent events of `chat.completion.chunk`
 * (or `text_completion`) objects ending with `data: [DONE]`, written by the handler itself; the 200
 * schemas describe the whole answer.
 */
/**
 * An error of `/v1/messages`, in Anthropic's shape: `type` follows the HTTP status (`invalid_request_error`,
 * `authentication_error`, `rate_limit_error`, …); the catalogued code is `code`, the start of `message` and
 * the `x-qudao-error-code` header; `param` names the field.
 */
export const anthropicErrorSchema = z.object({ type: z.literal('error'), error: z.object({ type: z.string(), message: z.string(), code: z.string(), param: z.string().nullable() }) });

export const v1Routes = {
  chatCompletions: defineRoute({
    method: 'POST',
    url: '/v1/chat/completions',
    tag,
    access: 'customer-key',
    summary: 'Chat completion, whole or streamed (SSE with stream: true)',
    body: chatCompletionRequestSchema,
    response: { 200: chatCompletionSchema },
  }),
  completions: defineRoute({
    method: 'POST',
    url: '/v1/completions',
    tag,
    access: 'customer-key',
    summary: 'Text completion, whole or streamed (SSE with stream: true)',
    body: completionRequestSchema,
    response: { 200: textCompletionSchema },
  }),
  responses: defineRoute({
    method: 'POST',
    url: '/v1/responses',
    tag,
    access: 'customer-key',
    summary: 'Responses API: a response, whole or streamed (typed SSE events with stream: true); stateless (store: false)',
    body: responseCreateSchema,
    response: { 200: responseObjectSchema },
  }),
  embeddings: defineRoute({
    method: 'POST',
    url: '/v1/embeddings',
    tag,
    access: 'customer-key',
    summary: 'Embeddings of one or more inputs (floats or base64)',
    body: embeddingRequestSchema,
    response: { 200: embeddingListSchema },
  }),
  messages: defineRoute({
    method: 'POST',
    url: '/v1/messages',
    tag,
    access: 'customer-key',
    summary: 'Anthropic Messages format: a message, whole or streamed (Anthropic SSE events with stream: true); the key also goes in x-api-key; errors in Anthropic\'s shape',
    body: messagesRequestSchema,
    response: { 200: anthropicMessageSchema },
    errorBody: anthropicErrorSchema,
  }),
  models: defineRoute({ method: 'GET', url: '/v1/models', tag, access: 'customer-key', summary: 'The models this key may call', query: anyQuery, response: { 200: modelListSchema } }),
  model: defineRoute({
    method: 'GET',
    url: '/v1/models/*',
    tag,
    access: 'customer-key',
    summary: 'One model this key may call (names may contain /)',
    params: z.object({ '*': z.string() }),
    query: anyQuery,
    response: { 200: modelSchema },
  }),
} as const;
