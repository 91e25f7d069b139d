import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { QudaoError } from '../../errors/index.js';
import { acquireDataDirLock } from '../../store/index.js';
import type { LedgerWriter, UsageRow } from './ledger-writer.js';
import { priceOfTokens } from './pricing.js';

const SUFFIX = '.stream.jsonl';

/** Per-million rates a recovered row is priced with (the plan's price, the deployment's cost). */
export interface StreamRates {
  readonly inputPer1mMicros: number;
  readonly outputPer1mMicros: number;
  readonly costInputPer1mMicros: number;
  readonly costOutputPer1mMicros: number;
}

/** The first line of a stream's file: its row as if cut before any token, and the rates to price it. */
interface OpenRecord {
  readonly row: UsageRow;
  readonly rates: StreamRates;
  /** `Date.now()` when the stream opened. */
  readonly at: number;
}

/** A progress line: text and (when exact) tokens handed to the socket since the previous line. */
interface ProgressRecord {
  readonly t: string;
  readonly k: number | null;
  readonly at: number;
}

/** Receives what a stream handed to its socket (the stream writer calls it from the write callback). */
export interface DeliveryListener {
  delivered(text: string, tokens: number | undefined): void;
}

/**
 * Journal of streams in flight, so a crash cannot lose what a stream delivered: one small JSON-lines file
 * per open stream in one folder — an opening line (the request's row, priced at zero completion tokens),
 * then a progress line at most every `intervalMs` while bytes reach the socket, with the text (and exact
 * token count, for in-process models) delivered since the previous line. The file is deleted once the
 * stream's final row is durable in the ledger. A line is in the operating system's page cache once written,
 * so a `kill -9` cannot lose it (the ledger journal's guarantee). On start-up {@link open} turns every file
 * left behind into a `cancelled` row with what its lines say was delivered; the ledger's
 * `ON CONFLICT (request_id) DO NOTHING` drops it when the final row did get written.
 *
 * The folder is locked to one process, like the ledger journal.
 */
export class StreamJournal {
  private release: (() => Promise<void>) | null = null;
  /** Another live process holds the folder (PostgreSQL replicas sharing a data folder): no journaling here. */
  private disabled = false;

  constructor(
    private readonly dir: string,
    /** Longest time delivered tokens wait before they are journaled, ms. */
    private readonly intervalMs: number,
    /** Counts tokens of delivered text for streams without exact counts (HTTP upstreams). */
    private readonly countText: (text: string) => number,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /**
   * Takes the folder's lock and returns the `cancelled` rows of the streams a previous process left open,
   * with the files to {@link discard} once those rows are durable.
   */
  open(): { rows: UsageRow[]; leftovers: string[] } {
    mkdirSync(this.dir, { recursive: true });
    try {
      this.release = acquireDataDirLock(this.dir);
    } catch (err) {
      if (!(err instanceof QudaoError && err.code === 'QD_DATA_DIR_LOCKED')) throw err;
      // The holder bills its own streams; this process serves without the crash guarantee for streams.
      this.disabled = true;
      this.onError(err);
      return { rows: [], leftovers: [] };
    }
    const leftovers = readdirSync(this.dir)
      .filter((f) => f.endsWith(SUFFIX))
      .map((f) => join(this.dir, f));
    const rows: UsageRow[] = [];
    for (const path of leftovers) {
      try {
        const row = recoveredRow(readFileSync(path, 'utf8'), this.countText);
        if (row) rows.push(row);
      } catch (err) {
        this.onError(err); // a damaged file cannot be billed; it must not stop the gateway from starting
      }
    }
    return { rows, leftovers };
  }

  /** Deletes the files of recovered streams (their rows are in the ledger now). */
  discard(paths: readonly string[]): void {
    for (const path of paths) unlinkQuietly(path);
  }

  /** Opens a stream's file with its row at zero completion tokens; returns the listener that journals progress. */
  start(row: UsageRow, rates: StreamRates): StreamProgress | undefined {
    if (this.disabled) return undefined;
    const path = join(this.dir, `${row.requestId.replace(/[^A-Za-z0-9_-]/g, '_')}${SUFFIX}`);
    try {
      const fd = openSync(path, 'w');
      const record: OpenRecord = { row, rates, at: Date.now() };
      writeAll(fd, `${JSON.stringify(record)}\n`);
      return new StreamProgress(fd, path, this.intervalMs, this.onError);
    } catch (err) {
      // Journaling is a safety net; a stream is not refused for it (it would be billed, if it ends, as usual).
      this.onError(err);
      return undefined;
    }
  }

  /** Releases the folder (streams still open keep their files: the next start bills them). */
  async close(): Promise<void> {
    await this.release?.();
    this.release = null;
  }
}

/**
 * One stream's progress. Delivered text and tokens gather in memory and are written at most every
 * `intervalMs`, and never later than `intervalMs` after they were delivered (a timer writes what a
 * burst left), so a crash loses at most the last `intervalMs` of deliveries.
 */
export class StreamProgress implements DeliveryListener {
  private text = '';
  private tokens: number | null = 0;
  private lastWrite = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private fd: number | null;

  constructor(
    fd: number,
    private readonly path: string,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {
    this.fd = fd;
  }

  delivered(text: string, tokens: number | undefined): void {
    if (this.fd === null) return;
    this.text += text;
    this.tokens = tokens === undefined || this.tokens === null ? null : this.tokens + tokens;
    const due = this.lastWrite + this.intervalMs - Date.now();
    if (due <= 0) this.write();
    else this.timer ??= setTimeout(() => this.write(), due);
  }

  /** The stream's final row is durable: the file goes. */
  settle(): void {
    this.stop();
    unlinkQuietly(this.path);
  }

  /** Stops journaling and leaves the file (the final row could not be written: the next start bills it). */
  abandon(): void {
    if (this.text !== '' || this.tokens !== 0) this.write();
    this.stop();
  }

  private write(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.fd === null) return;
    const record: ProgressRecord = { t: this.text, k: this.tokens, at: Date.now() };
    try {
      writeAll(this.fd, `${JSON.stringify(record)}\n`);
    } catch (err) {
      this.onError(err);
      this.stop();
      return;
    }
    this.text = '';
    this.tokens = this.tokens === null ? null : 0;
    this.lastWrite = record.at;
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * Start-up: locks the journal, writes a `cancelled` row for every stream a previous process left open
 * (a stream whose final row did get written is skipped by the ledger's ON CONFLICT), waits until they are
 * in the database, then deletes their files. Returns how many streams it found.
 */
export async function recoverInterruptedStreams(journal: StreamJournal, ledger: Pick<LedgerWriter, 'append' | 'settled'>): Promise<number> {
  const { rows, leftovers } = journal.open();
  await Promise.all(rows.map((row) => ledger.append(row)));
  await ledger.settled();
  journal.discard(leftovers);
  return rows.length;
}

/**
 * The `cancelled` row of a stream file a crash left: completion tokens are the journaled exact counts, or
 * the journaled text counted again; priced as the live gateway prices a cancelled stream (nothing when
 * nothing was delivered). A torn last line (the crash cut the write) is dropped; no opening line, no row.
 */
export function recoveredRow(text: string, countText: (text: string) => number): UsageRow | undefined {
  const lines = text.split('\n');
  lines.pop(); // empty, or a line the crash cut short
  if (lines.length === 0) return undefined;
  const open = JSON.parse(lines[0]!) as OpenRecord;
  let delivered = '';
  let exact: number | null = 0;
  let lastAt = open.at;
  for (const line of lines.slice(1)) {
    const p = JSON.parse(line) as ProgressRecord;
    delivered += p.t;
    exact = p.k === null || exact === null ? null : exact + p.k;
    lastAt = p.at;
  }
  const completionTokens = exact ?? (delivered ? countText(delivered) : 0);
  const promptTokens = open.row.promptTokens ?? 0;
  const { rates } = open;
  return {
    ...open.row,
    occurredAt: new Date(open.at),
    completionTokens,
    latencyMs: Math.max(0, lastAt - open.at),
    costMicros: priceOfTokens(promptTokens, completionTokens, rates.costInputPer1mMicros, rates.costOutputPer1mMicros),
    priceMicros: completionTokens > 0 ? priceOfTokens(promptTokens, completionTokens, rates.inputPer1mMicros, rates.outputPer1mMicros) : 0,
  };
}

function writeAll(fd: number, line: string): void {
  const data = Buffer.from(line, 'utf8');
  let written = 0;
  while (written < data.length) written += writeSync(fd, data, written, data.length - written);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}
