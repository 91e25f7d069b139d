import { z } from 'zod';
import { MONTH_PATTERN } from '../month.js';

/**
 * Schemas every domain's contract uses. `/api` speaks camelCase JSON throughout; money is integer
 * micro-units (`…Micros`), times are ISO-8601 with an offset, months are `YYYY-MM`.
 */

/** An entity id (`cus_…`, `prt_…`, a slug). */
export const id = z.string().min(1).max(80);

/** `{ id }` path parameters. */
export const idParams = z.object({ id }).strict();

/** Integer micro-units of money, ≥ 0. */
export const micros = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Integer micro-units of money that may be negative (adjustments, margins). */
export const signedMicros = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

/** A whole number of tokens, requests or the like, ≥ 0. */
export const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** An ISO-8601 date-time with an offset, e.g. `2026-01-31T00:00:00Z` (answers always use UTC, `Z`). */
export const timestamp = z.iso.datetime({ offset: true }).meta({ id: 'Timestamp', description: 'ISO-8601 date-time with an offset; answers use UTC (Z)' });

/** A calendar date `YYYY-MM-DD`. */
export const day = z.iso.date().meta({ id: 'Day', description: 'calendar date YYYY-MM-DD' });

/** A calendar month `YYYY-MM`. */
export const month = z.string().regex(MONTH_PATTERN, 'must be a month YYYY-MM, e.g. 2026-03').meta({ id: 'Month', description: 'calendar month YYYY-MM (UTC)' });

/** Free-form JSON metadata. */
export const meta = z.record(z.string(), z.unknown());

/** `{ data: [...] }`, the list envelope of `/api` (OpenAI's, too). */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item) });
}

/** `{ data: [...], total }`: one page of a longer list. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), total: count });
}

/** Paging query parameters (`limit` 1–1000, default 100; `offset` ≥ 0). */
export const paging = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
};

/** A 204 answer: no body. */
export const noContent = z.null().optional();

/** `{ deleted: true, id }` style acknowledgement. */
export const deleted = z.object({ id, deleted: z.literal(true) });

/**
 * OpenAI's error shape, which every error answer on `/api` and `/v1` has: `code` is a stable Qudao code
 * from the catalogue (src/errors/catalogue.ts, listed in the README), `param` the field at fault.
 */
export const errorBodySchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string(),
      param: z.string().nullable(),
      code: z.string(),
    }),
  })
  .meta({ id: 'Error', description: "OpenAI's error shape; `code` is a stable Qudao code (README, Errors)" });

/** The error body as a type. */
export type ErrorBody = z.infer<typeof errorBodySchema>;
