import { describeBenefits, describeRequirements, tierBenefitsSchema, tierRequirementsSchema } from '../../partners/index.js';
import type { CallInput, RouteContract } from '../../shared/contract/route.js';
import { UsageError, type CommandContext, type FlagValues } from '../command.js';
import { printRows, stringFlag } from './admin-api.js';
import { columnHeader, moneyCell } from './cells.js';

/** A row of an `/api` answer. */
export type ApiRow = Record<string, unknown>;

/**
 * The body a route's contract accepts, as the CLI builds it from flags. A flag the contract requires may be
 * absent: the server then answers QD_INVALID_REQUEST naming it, as for any client.
 */
export type BodyOf<R extends RouteContract> = CallInput<R>['body'];

/** The query a route's contract accepts, as the CLI builds it from flags (the server checks the values). */
export type QueryOf<R extends RouteContract> = NonNullable<CallInput<R>['query']>;

/** The `{ id }` path parameter from the n-th positional argument. */
export function idArg(ctx: CommandContext, n = 0): { id: string } {
  return { id: ctx.positionals[n]! };
}

/** A flag holding a JSON object (tier requirements, benefits, channel meta), or undefined. */
export function jsonObjectFlag(flags: FlagValues, name: string): Record<string, unknown> | undefined {
  const v = stringFlag(flags, name);
  if (v === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    throw new UsageError(`--${name} must be a JSON object, e.g. '{"minMonthlyRevenueMicros": 10000000000}'`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`--${name} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

/** A `YYYY-MM` month flag, checked here so a typo fails before the request. */
export function monthFlag(flags: FlagValues, name = 'month'): string | undefined {
  const v = stringFlag(flags, name);
  if (v !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) throw new UsageError(`--${name} must be a month written YYYY-MM, got "${v}"`);
  return v;
}

/** A table cell a person reads: money in currency units rounded to cents (the dashboard's form, `10,000.00`), tiers in words. */
function readableCell(column: string, value: unknown): unknown {
  if (column === 'requirements') {
    const r = tierRequirementsSchema.safeParse(value);
    if (r.success) return describeRequirements(r.data);
  }
  if (column === 'benefits') {
    const b = tierBenefitsSchema.safeParse(value);
    if (b.success) return describeBenefits(b.data);
  }
  return moneyCell(column, value, 'cents');
}

/**
 * Prints rows of the partner pillar as a table: a money column `revenueMicros` prints as `revenue` in
 * currency units, tier requirements and benefits in words; `--json` still prints the exact answer.
 */
export function printTable(ctx: CommandContext, json: unknown, rows: ApiRow[], columns: string[]): void {
  const headers = columns.map(columnHeader);
  const readable = rows.map((r) => Object.fromEntries(columns.map((c, i) => [headers[i]!, readableCell(c, r[c])])));
  printRows(ctx, json, readable, headers);
}

/** Prints one row, or the JSON answer with --json. */
export function printRow(ctx: CommandContext, row: ApiRow, columns: string[]): void {
  printTable(ctx, row, [row], columns);
}

/** Prints a `{ data: [...] }` list answer. */
export function printList(ctx: CommandContext, answer: { data: ApiRow[] }, columns: string[]): void {
  printTable(ctx, answer, answer.data, columns);
}
