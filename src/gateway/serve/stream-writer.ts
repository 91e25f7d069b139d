import type { FastifyReply } from 'fastify';
import type { OpenAIErrorBody } from '../../errors/index.js';
import type { DeliveryListener } from '../metering/stream-journal.js';
import { chunkBody, chunkText } from '../openai/responses.js';
import { SSE_DONE, sseEvent } from '../openai/sse.js';
import type { Choice, Endpoint, Usage } from '../upstream/types.js';

/** How much a stream may hold for a client that does not read, and for how long. */
export interface StreamLimits {
  /** Bytes written but not yet handed to the socket at which the producer is paused. */
  readonly bufferBytes: number;
  /** A paused stream that hands no byte to the socket for this long is cut (the client has stalled). */
  readonly stallMs: number;
}

/**
 * How a stream's events are written: OpenAI's chat/completions chunks ending with `[DONE]` (the default),
 * or another wire format over the same chunks (the Responses API's typed events). The writer keeps the
 * delivery accounting; a format only turns chunks into bytes.
 */
export interface StreamFormat {
  /** Events sent before the first chunk ('' for none). */
  open(): string;
  /** The events of one chunk's choices ('' when it shows nothing: its tokens count as delivered at once). */
  chunk(choices: Choice[]): string;
  /** The usage event (`stream_options.include_usage`); '' when the format carries usage in `done`. */
  usage(usage: Usage): string;
  /** The final events of a stream that succeeded (written once its ledger row is durable). */
  done(usage: Usage): string;
  /** The event that ends a stream failed mid-way. */
  error(body: OpenAIErrorBody): string;
}

/** OpenAI's chat and completions stream: one chunk object per event, `data: [DONE]` at the end. */
export function openAIStreamFormat(endpoint: Endpoint, requestId: string, model: string, created: number): StreamFormat {
  return {
    open: () => '',
    chunk: (choices) => sseEvent(chunkBody(endpoint, requestId, model, created, choices)),
    usage: (usage) => sseEvent(chunkBody(endpoint, requestId, model, created, [], usage)),
    done: () => SSE_DONE,
    error: (body) => sseEvent(body),
  };
}

interface Pause {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
}

/**
 * Writes one OpenAI stream to the client and keeps count of what it delivered. The status line and
 * headers go out with the first chunk, so a failure before it can still be an ordinary JSON error.
 *
 * "Delivered" means handed to the socket: a chunk counts once its write callback has run, i.e. the kernel
 * took its bytes — not when it was queued in the process. While more than `bufferBytes` are queued,
 * {@link chunk} returns a promise (backpressure) that settles once the socket drains below it or the
 * stream is gone; a paused stream that makes no progress for `stallMs` calls `onStall` (which cuts it).
 */
export class StreamWriter {
  /** Text handed to the socket so far (what a cancelled stream is billed for). */
  text = '';
  /** Tokens handed to the socket, when every chunk came with an exact count (in-process models). */
  exactTokens = 0;
  allExact = true;
  /** Most bytes this stream ever held queued in the process (written, not yet taken by the socket). */
  peakQueuedBytes = 0;
  private queuedBytes = 0;
  private opened = false;
  private gone = false;
  private pause: Pause | null = null;
  private flushWaiters: (() => void)[] = [];
  /** Deliveries of chunks that wrote nothing, waiting for the bytes queued before them. */
  private afterQueued: (() => void)[] = [];
  private closeWaiters: (() => void)[] = [];
  private stallTimer: NodeJS.Timeout | null = null;
  private listener: DeliveryListener | undefined;
  private readonly format: StreamFormat;

  constructor(
    private readonly reply: FastifyReply,
    private readonly endpoint: Endpoint,
    requestId: string,
    model: string,
    private readonly limits: StreamLimits,
    private readonly onStall: () => void,
    format?: StreamFormat,
  ) {
    this.format = format ?? openAIStreamFormat(endpoint, requestId, model, Math.floor(Date.now() / 1000));
    // After 'close' no write callback reports a success any more, so the delivered counts are final.
    if (reply.raw.closed || reply.raw.destroyed) this.gone = true;
    else
      reply.raw.once('close', () => {
        this.gone = true;
        this.release();
      });
  }

  /** True once the status line has been sent. */
  get isOpen(): boolean {
    return this.opened;
  }

  /** True once the connection is closed: the delivered counts no longer change. */
  get isGone(): boolean {
    return this.gone;
  }

  /** Tells `listener` about every chunk the socket takes from now on (the stream journal). */
  track(listener: DeliveryListener): void {
    this.listener = listener;
  }

  /** Sends the status line and headers (the limit headers set on the reply included). */
  open(): void {
    if (this.opened) return;
    this.opened = true;
    this.reply.hijack();
    const headers = { ...(this.reply.getHeaders() as Record<string, string>), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' };
    this.reply.raw.writeHead(200, headers);
    const opening = this.format.open();
    if (opening) this.write(opening);
  }

  /**
   * Sends a chunk's choices; `tokens` is its exact token count when known. Returns a promise while the
   * client is not draining: produce nothing more for this stream until it settles.
   */
  chunk(choices: Choice[], tokens: number | undefined): Promise<void> | undefined {
    this.open();
    const text = chunkText(this.endpoint, choices);
    if (tokens === undefined) this.allExact = false;
    const delivered = () => {
      this.text += text;
      if (tokens !== undefined) this.exactTokens += tokens;
      this.listener?.delivered(text, tokens);
    };
    const data = this.format.chunk(choices);
    if (data) this.write(data, delivered);
    // A chunk the format shows nothing of is delivered once everything written before it has reached the socket.
    else if (!this.gone && this.queuedBytes === 0) delivered();
    else if (!this.gone) this.afterQueued.push(delivered);
    if (this.gone || this.queuedBytes < this.limits.bufferBytes) return undefined;
    if (!this.pause) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.pause = { promise, resolve };
      this.watchStall();
    }
    return this.pause.promise;
  }

  /** Resolves once every byte written so far is handed to the socket, or the stream is gone (stalled, closed). */
  flushed(): Promise<void> {
    if (this.gone || this.queuedBytes === 0) return Promise.resolve();
    this.watchStall();
    return new Promise<void>((resolve) => this.flushWaiters.push(resolve));
  }

  /** Resolves once the connection is closed (all write callbacks have run); at once if it is. */
  closed(): Promise<void> {
    if (this.gone) return Promise.resolve();
    return new Promise<void>((resolve) => this.closeWaiters.push(resolve));
  }

  /** Sends the usage chunk (`stream_options.include_usage`). */
  usage(usage: Usage): void {
    this.open();
    const data = this.format.usage(usage);
    if (data) this.write(data);
  }

  /**
   * Ends the stream with the format's final events (`[DONE]`; success, with the usage), an error event, or nothing (the client is gone). A client that
   * does not take the last bytes within `stallMs` is disconnected too: it would hold the socket for ever.
   */
  end(how: { done: Usage } | { error: OpenAIErrorBody } | { gone: true }): void {
    const raw = this.reply.raw;
    if ('done' in how) raw.end(this.format.done(how.done));
    else if ('error' in how) raw.end(this.format.error(how.error));
    else raw.end();
    if (this.gone || raw.writableFinished) return;
    const timer = setTimeout(() => {
      if (!raw.writableFinished) raw.destroy();
    }, this.limits.stallMs).unref();
    raw.once('finish', () => clearTimeout(timer));
    raw.once('close', () => clearTimeout(timer));
  }

  private write(data: string, onFlushed?: () => void): void {
    const bytes = Buffer.byteLength(data);
    this.queuedBytes += bytes;
    if (this.queuedBytes > this.peakQueuedBytes) this.peakQueuedBytes = this.queuedBytes;
    let inKernel = false;
    this.reply.raw.write(data, (err) => {
      this.queuedBytes -= bytes;
      // An error means the bytes never reached the kernel. So may a success once the socket is destroyed:
      // Node completes a write that destroying cancelled with no error (stream_base_commons onWriteComplete).
      // Unless the kernel took the bytes at once (below): then the success is real even after a destroy,
      // whose callback Node runs on the next tick — the client has those bytes, so they are billed.
      if (err || (this.reply.raw.destroyed && !inKernel)) return;
      onFlushed?.();
      this.progress();
    });
    // Node corks the socket for each response write until the next tick, so a burst of events would be one
    // writev; if the kernel takes part of it, none of its callbacks report success although whole events
    // reached the client. One write per event keeps the count exact: at most the one event the kernel cut
    // is unbilled, and the client cannot parse that one either.
    const socket = this.reply.raw.socket;
    socket?.uncork();
    // Nothing left in the socket's queue right after the write: libuv wrote it synchronously, so these bytes
    // (and all before them) are in the kernel's buffer, on their way to the client whatever happens next.
    inKernel = socket !== null && socket !== undefined && !socket.destroyed && socket.writableLength === 0;
  }

  /** Some bytes reached the socket: release a pause that has drained, and restart the stall clock. */
  private progress(): void {
    if (this.pause && this.queuedBytes < this.limits.bufferBytes) {
      const { resolve } = this.pause;
      this.pause = null;
      resolve();
    }
    if (this.queuedBytes === 0) for (const d of this.afterQueued.splice(0)) d();
    if (this.queuedBytes === 0) for (const w of this.flushWaiters.splice(0)) w();
    if (this.pause || this.flushWaiters.length > 0) this.stallTimer?.refresh();
    else this.stopStallClock();
  }

  /** Starts the stall clock (once): it runs while the stream waits on the client and restarts on progress. */
  private watchStall(): void {
    if (this.stallTimer) return;
    this.stallTimer = setTimeout(() => {
      this.stallTimer = null;
      if (!this.gone && (this.pause || this.flushWaiters.length > 0)) this.onStall();
    }, this.limits.stallMs);
  }

  private stopStallClock(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = null;
  }

  /** The stream is gone: nobody waits on the client any more. */
  private release(): void {
    this.stopStallClock();
    const pause = this.pause;
    this.pause = null;
    pause?.resolve();
    for (const w of this.flushWaiters.splice(0)) w();
    for (const w of this.closeWaiters.splice(0)) w();
  }
}
