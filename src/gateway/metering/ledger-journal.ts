import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { acquireDataDirLock } from '../../store/index.js';

/** A segment file's rows not yet committed to the database. */
interface Segment {
  readonly path: string;
  fd: number | null;
  bytes: number;
  uncommitted: number;
}

/** Where a journaled row lives, so its segment can be deleted once every row in it is in the database. */
export type SegmentRef = Segment;

const SEGMENT_PREFIX = 'ledger-';
const SEGMENT_SUFFIX = '.jsonl'; // the name older versions gave it (their lines were JSON); kept so they are replayed

/** What a segment file holds: its header line (null for a segment written before headers) and its complete lines. */
export interface SegmentText {
  readonly header: string | null;
  readonly lines: string[];
}

/** A segment's header line starts with this; the rest is what the writer put there (the ledger's column list). */
const HEADER_PREFIX = '-- ';

/**
 * The ledger's local write-ahead journal: append-only segment files in one folder, one line per usage row
 * (the row as the writer encoded it: its SQL tuple, see ledger-sql.ts), after a header line that says how
 * the lines are encoded (the column list). Segments of an older version hold JSON lines and no header. A row is durable once its line is written (it is in the operating system's page cache, so a
 * kill -9 of the process cannot lose it — the same guarantee the embedded database's own files give);
 * the database insert happens after, in the background, in large batches. A segment is deleted when every
 * row in it is in the database; on start-up {@link replay} hands back whatever a crash left behind, and the
 * INSERT's `ON CONFLICT (request_id) DO NOTHING` makes replaying a row that did reach the database harmless.
 *
 * The folder is locked to one process (like the data folder), so two replicas never share a journal.
 */
export class LedgerJournal {
  private current: Segment | null = null;
  private sequence = 0;
  private release: (() => Promise<void>) | null = null;

  constructor(
    private readonly dir: string,
    /** The first line of every segment (without its newline): how its lines are encoded. */
    private readonly header: string,
    /** A segment is closed and a new one started beyond this size. */
    private readonly segmentBytes = 4 * 1024 * 1024,
  ) {}

  /** Takes the folder's lock and returns what every segment a previous process left holds (torn last lines dropped). */
  open(): { segments: SegmentText[]; leftovers: string[] } {
    mkdirSync(this.dir, { recursive: true });
    this.release = acquireDataDirLock(this.dir);
    const leftovers = readdirSync(this.dir)
      .filter((f) => f.startsWith(SEGMENT_PREFIX) && f.endsWith(SEGMENT_SUFFIX))
      .sort()
      .map((f) => join(this.dir, f));
    return { segments: leftovers.map((path) => parseSegment(readFileSync(path, 'utf8'))), leftovers };
  }

  /** Deletes segment files whose rows are now in the database (the leftovers after replay). */
  discard(paths: readonly string[]): void {
    for (const path of paths) unlinkQuietly(path);
  }

  /**
   * Appends rows' lines (each without a newline) as one write. Throws (disk full, I/O error) with the
   * segment cut back to its previous length, so a failed write leaves no partial line and the rows count as
   * not written.
   */
  append(lines: readonly string[]): SegmentRef {
    const segment = this.writable();
    const data = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    let written = 0;
    try {
      while (written < data.length) written += writeSync(segment.fd!, data, written, data.length - written);
    } catch (err) {
      try {
        ftruncateSync(segment.fd!, segment.bytes);
      } catch {
        /* the next write's own error will say why */
      }
      throw err;
    }
    segment.bytes += data.length;
    segment.uncommitted += lines.length;
    return segment;
  }

  /** Marks rows as committed to the database; a closed segment with nothing left is deleted. */
  committed(segment: SegmentRef, count: number): void {
    segment.uncommitted -= count;
    if (segment.uncommitted === 0 && segment !== this.current) unlinkQuietly(segment.path);
  }

  /** Closes the current segment (deleting it when every row is in the database) and releases the folder. */
  async close(): Promise<void> {
    if (this.current) {
      const segment = this.current;
      this.current = null;
      if (segment.fd !== null) closeSync(segment.fd);
      segment.fd = null;
      if (segment.uncommitted === 0) unlinkQuietly(segment.path);
    }
    await this.release?.();
    this.release = null;
  }

  private writable(): Segment {
    if (this.current && this.current.bytes < this.segmentBytes) return this.current;
    if (this.current) {
      const full = this.current;
      closeSync(full.fd!);
      full.fd = null;
      this.current = null;
      if (full.uncommitted === 0) unlinkQuietly(full.path);
    }
    const name = `${SEGMENT_PREFIX}${String(Date.now()).padStart(15, '0')}-${String(this.sequence++).padStart(6, '0')}${SEGMENT_SUFFIX}`;
    const path = join(this.dir, name);
    const fd = openSync(path, 'a');
    const header = Buffer.from(`${HEADER_PREFIX}${this.header}\n`, 'utf8');
    try {
      writeSync(fd, header);
    } catch (err) {
      closeSync(fd);
      unlinkQuietly(path);
      throw err;
    }
    this.current = { path, fd, bytes: header.length, uncommitted: 0 };
    return this.current;
  }
}

/** A segment's header and complete lines; a torn last line (a crash mid-write) is dropped. */
export function parseSegment(text: string): SegmentText {
  const lines = text.split('\n');
  lines.pop(); // after the last newline: empty, or a line the crash cut short (its request was never answered)
  const header = lines[0]?.startsWith(HEADER_PREFIX) ? lines.shift()!.slice(HEADER_PREFIX.length) : null;
  return { header, lines: lines.filter((line) => line !== '') };
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}
