import { formatMicros } from '../../partners/index.js';

/**
 * How one value of an `/api` answer reads in a CLI table cell. Nested objects (tier requirements, agreement
 * SLAs, channel meta) read as `key=value, …` so a table never prints `[object Object]`; an object nested
 * deeper is written as JSON, which is exact and still one line.
 */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value)) return value.length === 0 ? '*' : value.map(formatNested).join(value.some(isObject) ? '; ' : ',');
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}=${formatNested(v)}`).join(', ');
  }
  return String(value);
}

/** A value inside an array or an object: primitives as they are, anything else as JSON. */
function formatNested(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'object') return isObject(value) && !Object.values(value).some((v) => typeof v === 'object' && v !== null) ? `{${formatCell(value)}}` : JSON.stringify(value);
  return String(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A money column of an `/api` answer: integer micro-units, named `…Micros`. */
const MONEY_COLUMN = /Micros$/;

/** A column's table header: a money column loses its unit suffix (`revenueMicros` → `revenue`). */
export function columnHeader(column: string): string {
  return MONEY_COLUMN.test(column) ? column.replace(MONEY_COLUMN, '') : column;
}

/** A money column's value in currency units, thousands grouped; anything else unchanged. */
export function moneyCell(column: string, value: unknown, precision: 'exact' | 'cents'): unknown {
  return MONEY_COLUMN.test(column) && typeof value === 'number' && Number.isSafeInteger(value) ? formatMicros(value, { grouping: true, precision }) : value;
}

/**
 * The cell of `column`: money in currency units, written exactly from the integer digits with thousands
 * grouped (`10,000.00`, `0.000477`; the CLI has no rounding of its own), anything else by {@link formatCell}.
 */
export function formatColumnCell(column: string, value: unknown): string {
  return formatCell(moneyCell(column, value, 'exact'));
}
