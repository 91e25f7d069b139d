/**
 * Progress reporting for long pipeline steps (data preparation, training). Steps talk to the {@link Progress}
 * interface only; the CLI passes a terminal bar, tests and the API pass {@link silentProgress}.
 */

/** Extra values shown after the bar, e.g. `{ loss: 3.21, 'tok/s': 12000 }`. */
export type ProgressFields = Readonly<Record<string, string | number>>;

/** Receives the progress of one phase at a time. */
export interface Progress {
  /** Begins a phase of `total` units (0 when unknown) named `label`. */
  start(total: number, label: string): void;
  /** Records `n` more units done (default 1) and, optionally, the latest extra fields. */
  tick(n?: number, fields?: ProgressFields): void;
  /** Ends the phase (prints the final state). */
  done(): void;
}

/** A reporter that reports nothing: for tests and callers with no terminal. */
export function silentProgress(): Progress {
  return { start() {}, tick() {}, done() {} };
}

/** Everything a progress line is drawn from. */
export interface ProgressState {
  readonly label: string;
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
  readonly fields: ProgressFields;
}

/**
 * One progress line: `label [#####.....] 45% 450/1000 12.3/s ETA 0:45 loss=3.21`. Without a known total there
 * is no bar, percent or ETA. The rate is the mean over the phase, steadier than an instantaneous one.
 */
export function formatProgressLine(s: ProgressState, barWidth = 24): string {
  const secs = s.elapsedMs / 1000;
  const rate = secs > 0 ? s.done / secs : 0;
  const parts = [s.label];
  if (s.total > 0) {
    const frac = Math.min(1, s.done / s.total);
    const filled = Math.round(frac * barWidth);
    parts.push(`[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`, `${Math.floor(frac * 100)}%`);
    parts.push(`${compact(s.done)}/${compact(s.total)}`);
  } else parts.push(compact(s.done));
  parts.push(`${compact(rate)}/s`);
  if (s.total > 0) parts.push(s.done >= s.total ? `in ${duration(secs)}` : `ETA ${rate > 0 ? duration((s.total - s.done) / rate) : '?'}`);
  for (const [k, v] of Object.entries(s.fields)) parts.push(`${k}=${typeof v === 'number' ? compact(v) : v}`);
  return parts.join(' ');
}

/** Numbers for humans: 950, 12.3k, 4.56M; fractions keep three significant digits. */
function compact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (a >= 1e5) return `${(v / 1e3).toFixed(0)}k`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  if (Number.isInteger(v)) return String(v);
  return a >= 100 ? v.toFixed(0) : Number(v.toPrecision(3)).toString();
}

/** Seconds as `m:ss` or `h:mm:ss`. */
function duration(totalSecs: number): string {
  const t = Math.max(0, Math.round(totalSecs));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = String(t % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Where a terminal reporter writes; `process.stderr` fits (a TTY has `isTTY` and `columns`). */
export interface ProgressStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Options of {@link terminalProgress}. */
export interface TerminalProgressOptions {
  /** Default `process.stderr`, so progress never mixes with a command's output on stdout. */
  readonly stream?: ProgressStream;
  /** Clock in ms; injectable for tests. */
  readonly now?: () => number;
  /** Non-TTY: at most one line per this many ms (default 5000), so CI logs stay short. */
  readonly logEveryMs?: number;
  /** TTY: redraw at most this often (default 100 ms); redrawing every tick would cost more than the work. */
  readonly redrawEveryMs?: number;
}

/**
 * A terminal reporter. On a TTY it redraws one line in place (`\r`, cut to the terminal width); elsewhere
 * (pipes, CI) it prints a plain line every few seconds and at the end of each phase.
 */
export function terminalProgress(opts: TerminalProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? (() => performance.now());
  const tty = stream.isTTY === true;
  const every = tty ? (opts.redrawEveryMs ?? 100) : (opts.logEveryMs ?? 5000);
  let label = '';
  let total = 0;
  let done = 0;
  let fields: ProgressFields = {};
  let startedAt = 0;
  let lastDrawAt = 0;
  let active = false;
  let lastLine = '';
  const line = () => formatProgressLine({ label, done, total, elapsedMs: now() - startedAt, fields });
  const draw = (final: boolean) => {
    lastDrawAt = now();
    const text = line();
    if (!tty) {
      // A phase that just logged its final state need not log it twice.
      if (!(final && text === lastLine)) stream.write(`${text}\n`);
      lastLine = text;
      return;
    }
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    stream.write(`\r\x1b[2K${text.slice(0, width)}${final ? '\n' : ''}`);
  };
  return {
    start(n, name) {
      if (active) draw(true);
      [total, label, done, fields, active] = [Math.max(0, n), name, 0, {}, true];
      startedAt = now();
      lastDrawAt = startedAt;
      if (tty) draw(false);
    },
    tick(n = 1, extra) {
      done += n;
      if (extra) fields = extra;
      if (now() - lastDrawAt >= every) draw(false);
    },
    done() {
      if (!active) return;
      active = false;
      draw(true);
    },
  };
}
