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

/** The window flags as query or body fields `{ from, to }` (absent ones undefined, which are not sent). */
export function windowQuery(flags: FlagValues): { from: string | undefined; to: string | undefined } {
  return { from: stringFlag(flags, 'from'), to: stringFlag(flags, 'to') };
}

/**
 * A value the user typed for an enum field, as the contract's type: the server checks it and answers
 * QD_INVALID_REQUEST naming the field and its values when it is not one of them.
 */
export function enumFlag<T extends string>(flags: FlagValues, name: string): T | undefined {
  return stringFlag(flags, name) as T | undefined;
}

/** Prints a JSON answer as-is (reports whose shape is nested). */
export function printJson(ctx: CommandContext, json: unknown): void {
  ctx.out(JSON.stringify(json, null, 2));
}
