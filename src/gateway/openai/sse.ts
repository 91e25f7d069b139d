/**
 * Server-sent events as OpenAI uses them: `data: <json>\n\n` per chunk and `data: [DONE]\n\n` at the end.
 */

/** Formats one SSE event carrying JSON. */
export function sseEvent(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/** The terminating event of an OpenAI stream. */
export const SSE_DONE = 'data: [DONE]\n\n';

/**
 * Incremental SSE parser: feed it bytes as they arrive, it calls `onData` with each event's `data` field
 * (multi-line data joined by newlines). Comments and other fields are ignored. Handles `\r\n` and events
 * split across network packets.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private readonly decoder = new TextDecoder();

  constructor(private readonly onData: (data: string) => void) {}

  push(bytes: Uint8Array): void {
    this.buffer += this.decoder.decode(bytes, { stream: true });
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      let line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.line(line);
    }
  }

  /** Flushes a last event not followed by a blank line. */
  end(): void {
    if (this.buffer) this.line(this.buffer);
    this.buffer = '';
    this.line('');
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) {
        const d = this.data.join('\n');
        this.data = [];
        this.onData(d);
      }
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
  }
}
