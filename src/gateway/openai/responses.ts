import type { ChatCompletion, TextCompletion } from '../../shared/contract/v1.js';
import type { Choice, Endpoint, Usage } from '../upstream/types.js';

/** OpenAI's `usage` object. */
export function usageBody(u: Usage): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  return { prompt_tokens: u.promptTokens, completion_tokens: u.completionTokens, total_tokens: u.promptTokens + u.completionTokens };
}

/** The response id clients see; it embeds the ledger's request id so a row can be found from a response. */
export function responseId(endpoint: Endpoint, requestId: string): string {
  return `${endpoint === 'chat' ? 'chatcmpl' : 'cmpl'}-${requestId}`;
}

/** A whole (non-streamed) response body. */
export function completionBody(endpoint: Endpoint, requestId: string, model: string, createdS: number, choices: Choice[], usage: Usage): ChatCompletion | TextCompletion {
  // The choices are the upstream's (OpenAI's shape); the route's answer schema checks them on the way out.
  // Fields in OpenAI's order: the answer is serialised as built (server/http fast-check.ts).
  const id = responseId(endpoint, requestId);
  return endpoint === 'chat'
    ? { id, object: 'chat.completion', created: createdS, model, choices: choices as ChatCompletion['choices'], usage: usageBody(usage) }
    : { id, object: 'text_completion', created: createdS, model, choices: choices as TextCompletion['choices'], usage: usageBody(usage) };
}

/** One streamed chunk. */
export function chunkBody(endpoint: Endpoint, requestId: string, model: string, createdS: number, choices: Choice[], usage?: Usage): Record<string, unknown> {
  const body: Record<string, unknown> = { id: responseId(endpoint, requestId), object: endpoint === 'chat' ? 'chat.completion.chunk' : 'text_completion', created: createdS, model, choices };
  if (usage) body.usage = usageBody(usage);
  return body;
}

/** The text a streamed chunk delivers (chat deltas' content, or completions' text). */
export function chunkText(endpoint: Endpoint, choices: Choice[]): string {
  let text = '';
  for (const c of choices) {
    if (endpoint === 'chat') {
      const content = (c.delta as { content?: unknown } | undefined)?.content;
      if (typeof content === 'string') text += content;
    } else if (typeof c.text === 'string') text += c.text;
  }
  return text;
}

/** The text of a whole answer's choices. */
export function answerText(endpoint: Endpoint, choices: Choice[]): string {
  let text = '';
  for (const c of choices) {
    if (endpoint === 'chat') {
      const content = (c.message as { content?: unknown } | undefined)?.content;
      if (typeof content === 'string') text += content;
    } else if (typeof c.text === 'string') text += c.text;
  }
  return text;
}
