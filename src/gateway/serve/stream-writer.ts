import type { FastifyReply } from 'fastify';
import { chunkBody, chunkText } from '../openai/responses.js';
import { SSE_DONE, sseEvent } from '../openai/sse.js';
import type { Choice, Endpoint, Usage } from '../upstream/types.js';

/**
 * Writes one OpenAI stream to the client and keeps count of what it delivered. The status line and
 * headers go out with the first chunk, so a failure before it can still be an ordinary JSON error.
 */
export class StreamWriter {
  /** Text delivered so far (what a cancelled stream is billed for). */
  text = '';
  /** Tokens delivered, when every chunk came with an exact count (in-process models). */
  exactTokens = 0;
  allExact = true;
  private opened = false;
  private readonly created = Math.floor(Date.now() / 1000);

  constructor(
    private readonly reply: FastifyReply,
    private readonly endpoint: Endpoint,
    private readonly requestId: string,
    private readonly model: string,
  ) {}

  /** True once the status line has been sent. */
  get isOpen(): boolean {
    return this.opened;
  }

  /** Sends the status line and headers (the limit headers set on the reply included). */
  open(): void {
    if (this.opened) return;
    this.opened = true;
    this.reply.hijack();
    const headers = { ...(this.reply.getHeaders() as Record<string, string>), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' };
    this.reply.raw.writeHead(200, headers);
  }

  /** Sends a chunk's choices; `tokens` is its exact token count when known. */
  chunk(choices: Choice[], tokens: number | undefined): void {
    this.open();
    this.reply.raw.write(sseEvent(chunkBody(this.endpoint, this.requestId, this.model, this.created, choices)));
    this.text += chunkText(this.endpoint, choices);
    if (tokens === undefined) this.allExact = false;
    else this.exactTokens += tokens;
  }

  /** Sends the usage chunk (`stream_options.include_usage`). */
  usage(usage: Usage): void {
    this.open();
    this.reply.raw.write(sseEvent(chunkBody(this.endpoint, this.requestId, this.model, this.created, [], usage)));
  }

  /** Ends the stream with `[DONE]` (success), an error event, or nothing (the client is gone). */
  end(how: { done: true } | { error: unknown } | { gone: true }): void {
    if ('done' in how) this.reply.raw.end(SSE_DONE);
    else if ('error' in how) this.reply.raw.end(sseEvent(how.error));
    else this.reply.raw.end();
  }
}
