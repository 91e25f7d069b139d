import type { EmbeddingCall, GenerationCall } from '../upstream/types.js';
import { messageText } from './schemas.js';

/** Completion tokens reserved per choice when a request sets no `max_tokens` (settled to the actual count). */
export const DEFAULT_RESERVED_COMPLETION_TOKENS = 4_096;

/** Tokens a chat template may add per message (role markers) and per request (assistant start). */
const PER_MESSAGE_OVERHEAD = 8;

/** An embeddings request's inputs as a list: each a string or token ids. */
export function embeddingInputs(call: EmbeddingCall): (string | number[])[] {
  const input = call.body.input;
  if (typeof input === 'string') return [input];
  if (input.length > 0 && typeof input[0] === 'number') return [input as number[]];
  return input as (string | number[])[];
}

/**
 * The prompt's text: the prompt, the chat messages' texts joined by newlines, or an embeddings request's
 * text inputs joined by newlines (token-id inputs have no text; see {@link promptTokenIds}).
 */
export function promptText(call: GenerationCall | EmbeddingCall): string {
  if (call.endpoint === 'embeddings') return embeddingInputs(call).filter((i) => typeof i === 'string').join('\n');
  if (call.endpoint === 'completions') return Array.isArray(call.body.prompt) ? (call.body.prompt[0] ?? '') : call.body.prompt;
  return call.body.messages.map(messageText).join('\n');
}

/**
 * An upper bound of the prompt's tokens, cheap enough for every request: a byte-level BPE token is at
 * least one byte, so UTF-8 bytes bound the text, and each message gets room for its template markers.
 */
export function promptTokenBound(call: GenerationCall | EmbeddingCall): number {
  if (call.endpoint === 'embeddings') return embeddingInputs(call).reduce((sum, i) => sum + (typeof i === 'string' ? Buffer.byteLength(i) : i.length), 0);
  if (call.endpoint === 'completions') return Buffer.byteLength(promptText(call)) + PER_MESSAGE_OVERHEAD;
  let bytes = PER_MESSAGE_OVERHEAD;
  for (const m of call.body.messages) bytes += Buffer.byteLength(messageText(m)) + PER_MESSAGE_OVERHEAD;
  return bytes;
}

/** The most completion tokens the request may produce, over all `n` choices. */
export function completionTokenMaximum(call: GenerationCall | EmbeddingCall): number {
  if (call.endpoint === 'embeddings') return 0;
  const b = call.body;
  const perChoice = b.max_tokens ?? (call.endpoint === 'chat' ? call.body.max_completion_tokens : undefined) ?? DEFAULT_RESERVED_COMPLETION_TOKENS;
  return perChoice * (b.n ?? 1);
}

/** Token ids given as ids (embeddings' token-array inputs): counted as they are, not through text. */
export function promptTokenIds(call: GenerationCall | EmbeddingCall): number {
  if (call.endpoint !== 'embeddings') return 0;
  return embeddingInputs(call).reduce((sum, i) => sum + (typeof i === 'string' ? 0 : i.length), 0);
}
