import type { GenerationCall } from '../upstream/types.js';
import { messageText } from './schemas.js';

/** Completion tokens reserved per choice when a request sets no `max_tokens` (settled to the actual count). */
export const DEFAULT_RESERVED_COMPLETION_TOKENS = 4_096;

/** Tokens a chat template may add per message (role markers) and per request (assistant start). */
const PER_MESSAGE_OVERHEAD = 8;

/** The prompt's text: the prompt, or the chat messages' texts joined by newlines. */
export function promptText(call: GenerationCall): string {
  if (call.endpoint === 'completions') return Array.isArray(call.body.prompt) ? (call.body.prompt[0] ?? '') : call.body.prompt;
  return call.body.messages.map(messageText).join('\n');
}

/**
 * An upper bound of the prompt's tokens, cheap enough for every request: a byte-level BPE token is at
 * least one byte, so UTF-8 bytes bound the text, and each message gets room for its template markers.
 */
export function promptTokenBound(call: GenerationCall): number {
  if (call.endpoint === 'completions') return Buffer.byteLength(promptText(call)) + PER_MESSAGE_OVERHEAD;
  let bytes = PER_MESSAGE_OVERHEAD;
  for (const m of call.body.messages) bytes += Buffer.byteLength(messageText(m)) + PER_MESSAGE_OVERHEAD;
  return bytes;
}

/** The most completion tokens the request may produce, over all `n` choices. */
export function completionTokenMaximum(call: GenerationCall): number {
  const b = call.body;
  const perChoice = b.max_tokens ?? (call.endpoint === 'chat' ? call.body.max_completion_tokens : undefined) ?? DEFAULT_RESERVED_COMPLETION_TOKENS;
  return perChoice * (b.n ?? 1);
}
