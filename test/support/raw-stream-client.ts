import net from 'node:net';

/** What a raw stream client got: the HTTP head, and the SSE `data` payloads of whole events, in order. */
export interface RawStreamResult {
  readonly head: string;
  readonly events: string[];
  readonly bytes: number;
}

/**
 * A streaming client on a bare TCP socket, for backpressure tests: it sends one request, reads
 * `readFirst` bytes of the answer, then stops reading (the socket is paused, so the kernel's receive
 * buffer fills and the server's writes stop being taken). `finish()` resumes and reads to the end of the
 * connection — what the server had handed to its socket before it closed it is all still delivered.
 */
export class RawStreamClient {
  private readonly parts: Buffer[] = [];
  private received = 0;
  private readonly ended: Promise<void>;
  private readonly reachedFirst: Promise<void>;

  constructor(url: string, path: string, headers: Record<string, string>, body: unknown, readFirst: number) {
    const { hostname, port } = new URL(url);
    const socket = net.connect({ host: hostname, port: Number(port) });
    this.socket = socket;
    const text = JSON.stringify(body);
    const head = [`POST ${path} HTTP/1.1`, `host: ${hostname}:${port}`, 'content-type: application/json', 'connection: close', `content-length: ${Buffer.byteLength(text)}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
    socket.write(head + text);
    let first!: () => void;
    this.reachedFirst = new Promise<void>((r) => (first = r));
    if (readFirst <= 0) {
      socket.pause();
      first();
    }
    socket.on('data', (b: Buffer) => {
      this.parts.push(b);
      this.received += b.length;
      if (this.received >= readFirst && readFirst > 0 && !this.resumed) {
        socket.pause();
        first();
      }
    });
    this.ended = new Promise<void>((resolve) => {
      socket.on('close', () => resolve());
      socket.on('error', (e) => (this.error = e));
    });
  }

  private readonly socket: net.Socket;
  private resumed = false;
  /** The socket's error, if the connection was reset rather than closed. */
  error: Error | undefined;

  /** Resolves once the first `readFirst` bytes are in and the client has stopped reading. */
  paused(): Promise<void> {
    return this.reachedFirst;
  }

  /** Bytes read so far. */
  get bytesRead(): number {
    return this.received;
  }

  /** Reads the rest until the server closes the connection; returns everything received. */
  async finish(): Promise<RawStreamResult> {
    this.resumed = true;
    this.socket.resume();
    await this.ended;
    return parseRaw(Buffer.concat(this.parts));
  }

  /** Closes the connection from the client side. */
  close(): void {
    this.socket.destroy();
  }
}

/** Splits the HTTP head from a chunked body and returns the complete SSE events in it. */
export function parseRaw(raw: Buffer): RawStreamResult {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) return { head: raw.toString('latin1'), events: [], bytes: raw.length };
  const head = raw.subarray(0, split).toString('latin1');
  let body: Buffer = Buffer.alloc(0);
  if (/transfer-encoding:\s*chunked/i.test(head)) {
    const chunks: Buffer[] = [];
    let at = split + 4;
    for (;;) {
      const eol = raw.indexOf('\r\n', at);
      if (eol < 0) break;
      const size = parseInt(raw.subarray(at, eol).toString('latin1'), 16);
      if (!Number.isFinite(size) || size === 0 || eol + 2 + size > raw.length) break;
      chunks.push(raw.subarray(eol + 2, eol + 2 + size));
      at = eol + 2 + size + 2;
    }
    body = Buffer.concat(chunks);
  } else {
    body = raw.subarray(split + 4);
  }
  const events: string[] = [];
  const text = body.toString('utf8');
  let from = 0;
  for (let end = text.indexOf('\n\n', from); end >= 0; end = text.indexOf('\n\n', from)) {
    const event = text.slice(from, end);
    from = end + 2;
    // An event may name its type first (`event: response.output_text.delta`, the Responses stream).
    const data = event.split('\n').find((line) => line.startsWith('data: '));
    if (data !== undefined) events.push(data.slice(6));
  }
  return { head, events, bytes: raw.length };
}
