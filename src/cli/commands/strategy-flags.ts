import { UsageError, type CommandContext, type FlagSpec, type FlagValues } from '../command.js';
import { adminApiFlags, stringFlag } from './admin-api.js';

/**
 * Flags and parsing shared by the strategy commands (segments, market, selection, promotion, campaigns,
 * links, attribution, ecosystem, resources), which all talk to a running server's `/api` like `qudao keys`.
 */
export const windowFlags: Record<string, FlagSpec> = {
  ...adminApiFlags,
  from: { type: 'string', doc: 'Start of the window, ISO-8601 (default: a year before --to).', placeholder: 'TIME' },
  to: { type: 'string', doc: 'End of the window (exclusive), ISO-8601 (default: now).', placeholder: 'TIME' },
};

/** A finite number flag, or undefined when absent. */
export function numberFlag(flags: FlagValues, name: string): number | undefined {
  const v = stringFlag(flags, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${v}"`);
  return n;
}

/** The values of a repeatable string flag (also split on commas). */
export function listFlag(flags: FlagValues, name: string): string[] {
  const v = flags[name];
  const values = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  return values.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
}

/** `key=number` pairs of a repeatable flag, e.g. `--weight size=3 --weight fit=2`. */
export function pairsFlag(flags: FlagValues, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pair of listFlag(flags, name)) {
    const [key, value] = pair.split('=');
    const n = Number(value);
    if (!key || value === undefined || !Number.isFinite(n)) throw new UsageError(`--${name} takes KEY=NUMBER, got "${pair}"`);
    out[key] = n;
  }
  return out;
}

/** A JSON flag (e.g. an AHP matrix `[[1,3],[0.333,1]]`), or undefined. */
export function jsonFlag(flags: FlagValues, name: string): unknown {
  const v = stringFlag(flags, name);
  if (v === undefined) return undefined;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    throw new UsageError(`--${name} must be JSON, got "${v}"`);
  }
}

/** `?from=…&to=…&…` from the window flags and extra query fields (undefined ones dropped). */
export function query(flags: FlagValues, extra: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ from: stringFlag(flags, 'from'), to: stringFlag(flags, 'to'), ...extra })) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Prints a JSON answer as-is (reports whose shape is nested). */
export function printJson(ctx: CommandContext, json: unknown): void {
  ctx.out(JSON.stringify(json, null, 2));
}
