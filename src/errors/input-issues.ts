import type { z } from 'zod';
import { isMonth } from '../shared/month.js';
import { QudaoError } from './qudao-error.js';

/**
 * Request input validation, the one way for every route: a zod schema checks the input, and the first
 * problem becomes QD_INVALID_REQUEST whose `param` is the field's dotted path and whose message says in
 * plain words what the field must be (`max_tokens: must be at most 32768 (got 40000)`), never the
 * validator's own wording ("Too big: expected number to be <=32768"), which is an implementation detail.
 * A message a schema sets itself (`.min(1, 'must not be empty')`, a `refine` text) is kept as written.
 */

/** Plain names of the types zod expects. */
const typeNames: Record<string, string> = {
  string: 'a string',
  number: 'a finite number',
  int: 'a whole number',
  boolean: 'true or false',
  bigint: 'a whole number',
  null: 'null',
  array: 'an array',
  object: 'a JSON object',
  record: 'a JSON object',
  tuple: 'an array',
  date: 'a date',
};

/** Plain descriptions of zod's string formats. */
const formatNames: Record<string, string> = {
  datetime: 'an ISO-8601 date-time with a UTC offset, e.g. 2026-01-31T00:00:00Z',
  date: 'a date YYYY-MM-DD',
  time: 'a time HH:MM[:SS]',
  email: 'an e-mail address',
  url: 'an http or https URL',
  uuid: 'a UUID',
  regex: 'text of the expected form',
};

/** The JSON type of a value as a user would call it. */
function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** "1 item" / "3 items". */
function count(n: number | bigint, unit: string): string {
  return `${n} ${unit}${n === 1 || n === 1n ? '' : 's'}`;
}

/** The unit of a size bound by what it bounds. */
function sizeUnit(origin: string): string | undefined {
  if (origin === 'string') return 'character';
  if (origin === 'array' || origin === 'set') return 'item';
  if (origin === 'file') return 'byte';
  return undefined;
}

/** `(got 40000)` for a number the client sent, so the message shows what was wrong. */
function got(input: unknown): string {
  return typeof input === 'number' && Number.isFinite(input) ? ` (got ${input})` : '';
}

function tooBig(issue: { origin: string; maximum: number | bigint; inclusive?: boolean; exact?: boolean; input?: unknown }): string {
  const unit = sizeUnit(issue.origin);
  if (unit) return issue.exact ? `must have exactly ${count(issue.maximum, unit)}` : `must have at most ${count(issue.maximum, unit)}`;
  return `${issue.inclusive === false ? 'must be less than' : 'must be at most'} ${issue.maximum}${got(issue.input)}`;
}

function tooSmall(issue: { origin: string; minimum: number | bigint; inclusive?: boolean; exact?: boolean; input?: unknown }): string {
  const unit = sizeUnit(issue.origin);
  if (unit && issue.exact) return `must have exactly ${count(issue.minimum, unit)}`;
  if (unit) return Number(issue.minimum) === 1 ? 'must not be empty' : `must have at least ${count(issue.minimum, unit)}`;
  return `${issue.inclusive === false ? 'must be greater than' : 'must be at least'} ${issue.minimum}${got(issue.input)}`;
}

/**
 * A zod error map (pass it as `safeParse(value, { error: inputIssueMessage })`): the plain-words text of one
 * issue, without the field name (the caller prefixes the path). Schema-level messages take precedence.
 */
export function inputIssueMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = typeNames[issue.expected] ?? issue.expected;
      if (issue.input === undefined) return `is required (${expected})`;
      // A number that is not whole, or not finite (1e400 parses to Infinity, a coerced "abc" to NaN).
      if (typeof issue.input === 'number') return `must be ${expected}${got(issue.input)}`;
      return `must be ${expected}, not ${jsonTypeOf(issue.input)}`;
    }
    case 'too_big':
      return tooBig(issue);
    case 'too_small':
      return tooSmall(issue);
    case 'invalid_format':
      if (issue.format === 'regex' && issue.pattern) return `must be text of the form ${issue.pattern}`;
      return `must be ${formatNames[issue.format] ?? `a valid ${issue.format}`}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return 'is not a field of this request';
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${JSON.stringify(issue.values[0])}` : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return 'does not match any accepted form';
    case 'invalid_key':
      return 'has a key that is not allowed';
    case 'invalid_element':
      return 'has an element that is not allowed';
    default:
      return 'is invalid';
  }
}

/** The problem to report from a list of issues: unions are opened to the branch that got furthest. */
function pickIssue(issues: readonly z.core.$ZodIssue[]): { path: PropertyKey[]; message: string } {
  const issue = issues[0]!;
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // A branch whose first issue is a type mismatch at the union itself got nowhere; another got further.
    const deeper = issue.errors.find((branch) => branch.length > 0 && !(branch[0]!.code === 'invalid_type' && branch[0]!.path.length === 0));
    if (deeper) {
      const inner = pickIssue(deeper);
      return { path: [...issue.path, ...inner.path], message: inner.message };
    }
    const expected = issue.errors.map((b) => b[0]).filter((i): i is z.core.$ZodIssueInvalidType => i?.code === 'invalid_type');
    if (expected.length === issue.errors.length) {
      const names = [...new Set(expected.map((i) => typeNames[i.expected] ?? i.expected))];
      return { path: issue.path, message: `must be ${names.join(' or ')}` };
    }
  }
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) {
    return { path: [...issue.path, issue.keys[0]!], message: issue.keys.length > 1 ? `is not a field of this request (nor are ${issue.keys.slice(1).join(', ')})` : issue.message };
  }
  return { path: issue.path, message: issue.message };
}

/** The QD_INVALID_REQUEST for a failed parse: `param` is the field's dotted path, or `where` at the top. */
export function invalidInputError(issues: readonly z.core.$ZodIssue[], where = 'body'): QudaoError {
  const { path, message } = pickIssue(issues);
  const param = path.map(String).join('.');
  return new QudaoError('QD_INVALID_REQUEST', `${param || where}: ${message}`, { param: param || undefined });
}

/**
 * Parses request input (a body, query or path parameters) with a zod schema; a mismatch throws
 * QD_INVALID_REQUEST naming the field (see {@link invalidInputError}). An absent input parses as `{}`.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.infer<S> {
  const result = schema.safeParse(value ?? {}, { error: inputIssueMessage });
  if (result.success) return result.data;
  throw invalidInputError(result.error.issues, where);
}

/**
 * Checks a month written `YYYY-MM` that a caller sent and returns it; QD_INVALID_REQUEST naming `param`
 * otherwise. (Routes check months with their schema; this is for values that arrive another way.)
 */
export function parseMonth(value: unknown, param = 'month'): string {
  if (!isMonth(value)) {
    throw new QudaoError('QD_INVALID_REQUEST', `${param}: must be a month written YYYY-MM (got ${JSON.stringify(value)})`, { param });
  }
  return value;
}
