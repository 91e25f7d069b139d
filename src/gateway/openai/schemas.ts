import type { ChatMessage } from '../../shared/contract/v1.js';

/**
 * The `/v1` request schemas live with their routes' contract (src/shared/contract/v1.ts); the gateway
 * reads the types from here.
 */
export {
  MAX_TOKENS_CEILING,
  chatMessageSchema,
  chatCompletionRequestSchema,
  completionRequestSchema,
  type ChatCompletionRequest,
  type CompletionRequest,
  type EmbeddingRequest,
  type ChatMessage,
} from '../../shared/contract/v1.js';

/**
 * The text of a message: its content (text parts joined; other parts have no text), then an assistant's
 * tool calls, one per line, written as an in-process model writes a call (`{"name": …, "arguments": …}`,
 * see compileToolCall), so a history with calls reads to the model like its own answers.
 */
export function messageText(message: ChatMessage): string {
  const c = message.content;
  let text = '';
  if (typeof c === 'string') text = c;
  else if (c) for (const p of c) if (p.type === 'text' && typeof p.text === 'string') text += p.text;
  for (const call of toolCallsOf(message)) text += `${text ? '\n' : ''}{"name":${JSON.stringify(call.name)},"arguments":${call.arguments}}`;
  return text;
}

/** An assistant message's function calls (`tool_calls`), as far as they are well-formed. */
function toolCallsOf(message: ChatMessage): { name: string; arguments: string }[] {
  const calls: unknown = (message as Record<string, unknown>).tool_calls;
  if (!Array.isArray(calls)) return [];
  const out: { name: string; arguments: string }[] = [];
  for (const call of calls as unknown[]) {
    const fn = typeof call === 'object' && call !== null ? (call as Record<string, unknown>).function : undefined;
    if (typeof fn !== 'object' || fn === null) continue;
    const { name, arguments: args } = fn as Record<string, unknown>;
    if (typeof name === 'string' && typeof args === 'string') out.push({ name, arguments: args });
  }
  return out;
}

/** The stop sequences as a list. */
export function stopList(stop: string | string[] | null | undefined): string[] {
  if (stop === undefined || stop === null) return [];
  return typeof stop === 'string' ? [stop] : stop;
}
