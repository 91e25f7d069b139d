/**
 * The automaton's state, as data: frames (one per JSON value being written), stacks of them, the shared
 * rules of untyped JSON, byte constants, and the keys that identify a state for the mask cache.
 */
import { MAX_INT_DIGITS, type ObjectRule, type ValueRule } from './grammar.js';

export type ArrayRule = Extract<ValueRule, { kind: 'array' }>;
export type NumberRule = Extract<ValueRule, { kind: 'number' }>;
export type ObjPhase = 'start' | 'key' | 'colon' | 'value' | 'after' | 'next';
export type ArrPhase = 'start' | 'after' | 'next';
export type NumPhase = 'sign' | 'zero' | 'int' | 'dot' | 'frac' | 'e' | 'esign' | 'exp';

export type Frame =
  | { readonly t: 'root'; readonly done: boolean }
  /** Inside a string: after a backslash (`esc`), inside `\uXXXX` (`hex` digits left), or a UTF-8 character (`cont` bytes left, the next in [lo, hi]). */
  | { readonly t: 'str'; readonly esc: boolean; readonly hex: number; readonly cont: number; readonly lo: number; readonly hi: number }
  | { readonly t: 'num'; readonly rule: NumberRule; readonly phase: NumPhase; readonly digits: number }
  /** Matching one of `texts` (each longer than `pos`), of which `pos` bytes are written. */
  | { readonly t: 'lit'; readonly id: number; readonly texts: readonly string[]; readonly pos: number }
  /** An object: `next` is the first property not yet passed, `value` the property whose value comes, `cands` the keys still matching. */
  | { readonly t: 'obj'; readonly rule: ObjectRule; readonly phase: ObjPhase; readonly next: number; readonly value: number; readonly cands: readonly number[]; readonly pos: number; readonly ws: number }
  | { readonly t: 'arr'; readonly rule: ArrayRule; readonly phase: ArrPhase; readonly count: number; readonly ws: number };

/** One reading of the text so far: the innermost frame and the frames around it. */
export interface Stack {
  readonly frame: Frame;
  readonly parent: Stack | null;
}

/** A state of the automaton: every stack the text so far may be in (empty: the text is rejected). */
export type AutomatonState = readonly Stack[];

/**
 * Digits a number's fraction may have (its integer part: the rule's `intDigits`, at most MAX_INT_DIGITS):
 * enough for every number JavaScript writes (up to 21 digits before the exponent form, plus leading zeros of
 * a fraction), few enough that a model cannot spend its whole budget on one number.
 */
export const MAX_DIGITS = MAX_INT_DIGITS;
export const MAX_EXPONENT_DIGITS = 3;
/** How deep `$ref` and `anyOf` may nest before a value's first byte (a guard against left recursion). */
export const MAX_ENTER_DEPTH = 32;
/**
 * Most readings a state keeps. Nested anyOf options that agree on a long prefix multiply them; keeping only
 * some readings narrows what may follow but never lets through a text that matches none, so a hostile
 * schema costs bounded time per byte.
 */
export const MAX_STACKS = 64;

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COLON = 0x3a;
export const COMMA = 0x2c;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const LBRACK = 0x5b;
export const RBRACK = 0x5d;
export const MINUS = 0x2d;
export const PLUS = 0x2b;
export const DOT = 0x2e;
export const ZERO = 0x30;
export const NINE = 0x39;

export const isDigit = (b: number): boolean => b >= ZERO && b <= NINE;
export const isWhitespace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x09 || b === 0x0d;
export const isHex = (b: number): boolean => isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
/** Bytes that may follow a backslash (besides `u`). */
export const ESCAPES = new Set([...'"\\/bfnrt'].map((c) => c.charCodeAt(0)));

// Rules of an untyped JSON value (the values of `json_object`), shared by every grammar.
export const ANY: ValueRule = { kind: 'any', id: -1 };
export const ANY_ARRAY: ArrayRule = { kind: 'array', id: -2, items: ANY, minItems: 0, maxItems: Number.POSITIVE_INFINITY };
export const ANY_NUMBER: NumberRule = { kind: 'number', id: -5, integer: false, negative: true, intDigits: MAX_INT_DIGITS, exponent: true };
export const ANY_LITERAL_TEXTS = ['true', 'false', 'null'];
export const ANY_LITERAL_ID = -3;
export const OPEN_OBJECT: ObjectRule = { kind: 'object', id: -4, open: true, properties: [] };

export const STR_PLAIN: Frame = { t: 'str', esc: false, hex: 0, cont: 0, lo: 0, hi: 0 };
export const STR_ESCAPE: Frame = { t: 'str', esc: true, hex: 0, cont: 0, lo: 0, hi: 0 };
export const STR_HEX: readonly Frame[] = [1, 2, 3, 4].map((hex) => ({ t: 'str', esc: false, hex, cont: 0, lo: 0, hi: 0 }));
export const ROOT_DONE: Frame = { t: 'root', done: true };

export function objectFrame(rule: ObjectRule, phase: ObjPhase, next: number, value: number, cands: readonly number[], pos: number): Frame {
  return { t: 'obj', rule, phase, next, value, cands, pos, ws: 0 };
}

/** Properties that may come next: from `next` on, up to and including the first required one. */
export function available(rule: ObjectRule, next: number): number[] {
  const out: number[] = [];
  for (let j = next; j < rule.properties.length; j++) {
    out.push(j);
    if (rule.properties[j]!.required) break;
  }
  return out;
}

/** True when no required property is left from `next` on. */
export function closable(rule: ObjectRule, next: number): boolean {
  for (let j = next; j < rule.properties.length; j++) if (rule.properties[j]!.required) return false;
  return true;
}

export function frameKey(f: Frame): string {
  switch (f.t) {
    case 'root':
      return f.done ? 'R1' : 'R0';
    case 'str':
      return `s${f.esc ? 1 : 0}${f.hex}${f.cont}.${f.lo}.${f.hi}`;
    case 'num':
      return `n${f.rule.id}${f.phase}${f.digits}`;
    case 'lit':
      return `l${f.id}.${f.pos}.${f.texts.length}.${f.texts[0]!.slice(0, f.pos)}`;
    case 'obj':
      return `o${f.rule.id}${f.phase}${f.next}.${f.value}.${f.pos}.${f.cands.join(':')}.${f.ws}`;
    case 'arr': {
      // Past minItems an unbounded array behaves the same whatever its count: one key (and one cached mask).
      const r = f.rule;
      const count = f.count < r.minItems || Number.isFinite(r.maxItems) ? String(f.count) : 'n';
      return `a${r.id}${f.phase}${count}.${f.ws}`;
    }
  }
}

export function stackKey(s: Stack): string {
  let key = '';
  for (let at: Stack | null = s; at; at = at.parent) key += frameKey(at.frame) + '|';
  return key;
}

export function dedupe(stacks: Stack[]): Stack[] {
  const seen = new Map<string, Stack>();
  for (const s of stacks) {
    const k = stackKey(s);
    if (!seen.has(k)) seen.set(k, s);
  }
  return [...seen.values()];
}
