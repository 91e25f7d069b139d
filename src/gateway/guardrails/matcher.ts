/**
 * Finding the text a guardrail matches, and replacing it. Pure functions over strings: no I/O.
 *
 * Blocklist terms are literals: escaped and joined into one case-insensitive, Unicode-aware regex with
 * whole-word boundaries (a letter, digit or `_` on either side means "inside a word", so `ass` does not
 * match `class`). Admin-written patterns run on RE2 (`@adguard/re2-wasm`), whose matching time is linear in
 * the text whatever the pattern: a pattern like `(a|a)*b` cannot hang the gateway on a hostile prompt,
 * which JavaScript's backtracking engine would. RE2 refuses what needs backtracking (back-references,
 * look-around); such a pattern is refused when the guardrail is saved.
 */
import { createRequire } from 'node:module';
import type { RE2 as RE2Type } from '@adguard/re2-wasm';

// RE2 is loaded on the first pattern compiled, not at start: it costs an idle server ~8 MB of RSS (measured
// with `require` alone) that only workspaces with pattern guardrails use.
const require = createRequire(import.meta.url);
let re2: typeof import('@adguard/re2-wasm') | undefined;
function newRE2(pattern: string, flags: string): RE2Type {
  re2 ??= require('@adguard/re2-wasm') as typeof import('@adguard/re2-wasm');
  return new re2.RE2(pattern, flags);
}

/** A matched span `[start, end)` of a text, in UTF-16 code units. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** What replaces a redacted span. */
export const REDACTED = '[redacted]';

/** Finds every non-empty match in a text, from `from` on (earlier text still counts as context). */
export interface Matcher {
  find(text: string, from?: number): Span[];
}

/** Anything that can be inside a word: a match of a term must not touch one on either side. */
const WORD_CHAR = '[\\p{L}\\p{N}\\p{M}_]';

function escapeRegex(s: string): string {
  // Only what is special outside a character class: under the `u` flag, a needless escape (`\-`) is an error.
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A matcher for whole-word, case-insensitive terms (whitespace inside a phrase matches any whitespace run). */
export function termMatcher(terms: readonly string[]): Matcher {
  // Longest first, so `foo bar` wins over `foo` where both match at one place.
  const alternatives = [...new Set(terms.map((t) => t.trim()).filter((t) => t.length > 0))]
    .sort((a, b) => b.length - a.length)
    .map((t) => t.split(/\s+/).map(escapeRegex).join('\\s+'));
  const re = new RegExp(`(?<!${WORD_CHAR})(?:${alternatives.join('|')})(?!${WORD_CHAR})`, 'giu');
  return { find: (text, from = 0) => allMatches(re, text, from) };
}

/** Why a pattern cannot be used, or undefined when it can. */
export function patternProblem(pattern: string): string | undefined {
  let re: RE2Type;
  try {
    re = newRE2(pattern, 'giu');
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : 'invalid';
    return `is not a pattern the gateway can run in linear time (${reason}); back-references and look-around are not supported`;
  }
  re.lastIndex = 0;
  const empty = re.exec('');
  if (empty && empty[0] === '') return 'must not match empty text';
  return undefined;
}

/** A matcher for RE2 patterns (case-insensitive, Unicode); each must have passed {@link patternProblem}. */
export function patternMatcher(patterns: readonly string[]): Matcher {
  const compiled = patterns.map((p) => newRE2(p, 'giu'));
  return {
    find(text, from = 0) {
      const spans: Span[] = [];
      for (const re of compiled) spans.push(...allMatches(re, text, from));
      return mergeSpans(spans);
    },
  };
}

interface GlobalRegex {
  lastIndex: number;
  exec(text: string): { readonly index: number; readonly [group: number]: string | undefined } | null;
}

function allMatches(re: GlobalRegex, text: string, from: number): Span[] {
  const spans: Span[] = [];
  re.lastIndex = from;
  for (;;) {
    const m = re.exec(text);
    if (!m) break;
    const start = m.index;
    const end = start + (m[0] ?? '').length;
    // An empty match (a pattern like `\b` inside text) marks nothing: step over it.
    if (end === start) re.lastIndex = start + 1;
    else spans.push({ start, end });
    if (re.lastIndex > text.length) break;
  }
  return spans;
}

/** Sorted, non-overlapping spans covering the same text. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, s.end) };
    else out.push(s);
  }
  return out;
}

/** The text with each span replaced by {@link REDACTED}; spans must be sorted and not overlap. */
export function redactSpans(text: string, spans: readonly Span[]): string {
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + REDACTED;
    at = s.end;
  }
  return out + text.slice(at);
}
