import { errorFromResponse } from './client.js';
import { v1Routes, type ChatCompletionRequest } from '../../../src/shared/contract/v1.js';

/** One chat message in OpenAI's shape. */
export type ChatMessage = {
  role: 'system' | 'user' | 'assistant';
  content: string;
};

/** What the playground sends to `/v1/chat/completions` (checked against the contract's request schema below). */
export type ChatRequest = {
  model: string;
  messages: readonly ChatMessage[];
  temperature: number;
  max_tokens: number;
};

interface ChunkBody {
  choices?: { delta?: { content?: string | null } }[];
  error?: { message?: string };
}

/**
 * Streams a chat completion through the gateway with a customer API key: posts with `stream: true`,
 * reads the server-sent events (`data: {...}` lines, ending with `data: [DONE]`) and calls `onDelta`
 * with each piece of text as it arrives. Errors (before or inside the stream) throw with the server's message.
 */
export async function streamChat(apiKey: string, request: ChatRequest, onDelta: (text: string) => void, signal?: AbortSignal): Promise<void> {
  const body = { ...request, messages: [...request.messages], stream: true } satisfies ChatCompletionRequest;
  const response = await fetch(v1Routes.chatCompletions.url, {
    method: v1Routes.chatCompletions.method,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await errorFromResponse(response);
  if (!response.body) throw new Error('the gateway sent no stream');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    // Events are separated by a blank line; only complete events are parsed.
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      for (const line of event.split(/\r?\n/)) {
        if (!line.startsWith('data:')) continue;
        const payload = line.slice(5).trim();
        if (payload === '[DONE]') return;
        const chunk = JSON.parse(payload) as ChunkBody;
        if (chunk.error) throw new Error(chunk.error.message ?? 'the stream failed');
        const text = chunk.choices?.[0]?.delta?.content;
        if (text) onDelta(text);
      }
    }
  }
}
