import type { Store } from '../../store/index.js';
import { schema } from '../../store/index.js';
import { redactPersonalData } from './redact.js';
import type { MeteredEndpoint } from '../upstream/types.js';

/** One request as a deployment with request logging on records it: the raw text, redacted before storage. */
export interface RequestLogEntry {
  readonly requestId: string;
  readonly deploymentId: string;
  readonly keyId: string | null;
  readonly customerId: string | null;
  readonly endpoint: MeteredEndpoint;
  readonly model: string;
  /** The prompt as the model saw it (raw: redacted here, before it is written). */
  readonly prompt: string;
  /** What reached the client (raw), or '' for a request that failed before any output. */
  readonly completion: string;
  readonly status: 'ok' | 'cancelled' | 'error';
  readonly httpStatus: number;
  readonly streamed: boolean;
}

/**
 * The most characters of a prompt or completion a row keeps (the rest is cut, and the row says how much):
 * redaction costs ~2 ms per KiB of digit-dense text on the event loop, and a debugging log needs the start.
 */
export const MAX_LOGGED_CHARS = 32_768;

/** Why a request log row was not written. */
export type RequestLogFailure = 'write' | 'overflow';

/** Options of {@link RequestLogWriter}. */
export interface RequestLogWriterOptions {
  /** Rows waiting for the database beyond which new ones are dropped (counted): a stuck database never grows memory. */
  readonly maxPending?: number;
  /** Rows per INSERT. */
  readonly batchSize?: number;
  /** Called for every row not written (the metric), with the error of a failed write. */
  readonly onFailure: (reason: RequestLogFailure, rows: number, err?: unknown) => void;
}

/**
 * Writes request logs OFF the hot path: {@link record} only queues (it never waits, never throws), and a
 * background flush redacts and inserts in batches. A failed write drops its rows and reports them — a
 * debugging log must never slow or fail the request it describes, nor retry into a database that is down.
 */
export class RequestLogWriter {
  private pending: RequestLogEntry[] = [];
  private flushing: Promise<void> | undefined;
  private readonly maxPending: number;
  private readonly batchSize: number;

  constructor(
    private readonly store: Store,
    private readonly options: RequestLogWriterOptions,
  ) {
    this.maxPending = options.maxPending ?? 10_000;
    this.batchSize = options.batchSize ?? 100;
  }

  /** Queues a row; returns at once. */
  record(entry: RequestLogEntry): void {
    if (this.pending.length >= this.maxPending) {
      this.options.onFailure('overflow', 1);
      return;
    }
    this.pending.push(entry);
    // setImmediate: the flush (redaction included) starts after the answer's own I/O callbacks.
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
  }

  /** Resolves once every row queued so far is written or reported. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.batchSize);
        try {
          const rows: (typeof schema.requestLogs.$inferInsert)[] = [];
          for (const entry of batch) {
            rows.push(toRow(entry));
            // Each row's redaction is its own turn of the event loop: requests in flight are not held up.
            await new Promise<void>((resolve) => setImmediate(resolve));
          }
          await this.store.db.insert(schema.requestLogs).values(rows).onConflictDoNothing();
        } catch (err) {
          this.options.onFailure('write', batch.length, err);
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }
}

function toRow(e: RequestLogEntry): typeof schema.requestLogs.$inferInsert {
  const { prompt, completion, ...rest } = e;
  return { ...rest, promptText: storedText(prompt), completionText: storedText(completion) };
}

/** The text as stored: cut to {@link MAX_LOGGED_CHARS}, redacted, without NUL (PostgreSQL's text refuses it). */
function storedText(text: string): string {
  if (text.length <= MAX_LOGGED_CHARS) return redactPersonalData(text).replaceAll('\u0000', '');
  // The cut drops the token it falls in and a run of digits and separators before it, so no fragment of an
  // e-mail address or of a card or phone number escapes redaction by being cut short.
  // (Loops from the end, not a `…$` regex: that backtracks quadratically over a long run.)
  let end = MAX_LOGGED_CHARS;
  while (end > 0 && !/\s/.test(text[end - 1]!)) end--;
  while (end > 0 && /[\d\s+().-]/.test(text[end - 1]!)) end--;
  const kept = text.slice(0, end);
  return `${redactPersonalData(kept).replaceAll('\u0000', '')}… [${text.length - kept.length} more characters not logged]`;
}
