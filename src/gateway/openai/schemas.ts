import { z } from 'zod';
import { parseInput, QudaoError } from '../../errors/index.js';

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
};

/** Body of `POST /v1/chat/completions`. Unknown fields are kept and passed on to HTTP upstreams. */
export const chatCompletionRequestSchema = z
  .object({
    ...samplingShape,
    messages: z.array(chatMessageSchema).min(1).max(4096),
    max_completion_tokens: z.number().int().min(1).max(MAX_TOKENS_CEILING).nullish(),
  })
  .loose();

/** Body of `POST /v1/completions`: one prompt (a string, or an array holding one string). */
export const completionRequestSchema = z
  .object({
    ...samplingShape,
    prompt: z.union([z.string(), z.array(z.string()).length(1)]),
  })
  .loose();

/** A validated chat completion request. */
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
/** A validated completion request. */
export type CompletionRequest = z.infer<typeof completionRequestSchema>;
/** One chat message. */
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** Validates a request body (a JSON object); the first problem becomes QD_INVALID_REQUEST naming the parameter. */
export function parseRequestBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new QudaoError('QD_INVALID_REQUEST', 'the body must be a JSON object');
  }
  return parseInput(schema, body);
}

/** The text of a message's content (text parts joined; other parts have no text). */
export function messageText(message: ChatMessage): string {
  const c = message.content;
  if (typeof c === 'string') return c;
  if (!c) return '';
  let text = '';
  for (const p of c) if (p.type === 'text' && typeof p.text === 'string') text += p.text;
  return text;
}

/** The stop sequences as a list. */
export function stopList(stop: string | string[] | null | undefined): string[] {
  if (stop === undefined || stop === null) return [];
  return typeof stop === 'string' ? [stop] : stop;
}
