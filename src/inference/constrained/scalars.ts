/**
 * Steps of the automaton's scalar frames (strings, literals, the start of numbers): plain functions of a
 * frame and a byte, pushing the successor stacks.
 */
import { BACKSLASH, ESCAPES, MINUS, QUOTE, ROOT_DONE, STR_ESCAPE, STR_HEX, STR_PLAIN, ZERO, isDigit, isHex, type Frame, type NumberRule, type Stack } from './frames.js';


/**
 * True when `bytes` inside a string, between characters, leave it there unchanged: printable ASCII other than
 * `"` and `\`, and whole UTF-8 characters. Such a token keeps any plain-string state as it is, so the mask
 * of such a state takes all of them at once without walking them (most of a vocabulary).
 */
export function leavesStringUnchanged(bytes: ArrayLike<number>): boolean {
  const anchor: Stack = { frame: ROOT_DONE, parent: null };
  let state: Stack[] = [{ frame: STR_PLAIN, parent: anchor }];
  for (let i = 0; i < bytes.length; i++) {
    const out: Stack[] = [];
    const s = state[0]!;
    if (s.frame.t !== 'str') return false;
    stepString(s.frame, s, bytes[i]!, out);
    if (out.length !== 1) return false;
    state = out;
  }
  return state[0]!.frame === STR_PLAIN && state[0]!.parent === anchor;
}

export function numberStart(rule: NumberRule, b: number, parent: Stack, out: Stack[]): void {
  if (b === MINUS) {
    if (rule.negative) out.push({ frame: { t: 'num', rule, phase: 'sign', digits: 0 }, parent });
  } else if (b === ZERO) out.push({ frame: { t: 'num', rule, phase: 'zero', digits: 1 }, parent });
  else if (isDigit(b)) out.push({ frame: { t: 'num', rule, phase: 'int', digits: 1 }, parent });
}

/** Consumes byte `b` at position `pos` of the literal texts: completes one (pops) and/or continues the longer ones. */
export function literalStep(id: number, texts: readonly string[], pos: number, b: number, parent: Stack, out: Stack[]): void {
  let longer: string[] | undefined;
  let complete = false;
  for (const t of texts) {
    if (t.charCodeAt(pos) !== b) continue;
    if (t.length === pos + 1) complete = true;
    else (longer ??= []).push(t);
  }
  if (complete) out.push(parent);
  if (longer) out.push({ frame: { t: 'lit', id, texts: longer, pos: pos + 1 }, parent });
}

export function stepString(f: Extract<Frame, { t: 'str' }>, s: Stack, b: number, out: Stack[]): void {
  const up = s.parent;
  if (f.esc) {
    if (ESCAPES.has(b)) out.push({ frame: STR_PLAIN, parent: up });
    else if (b === 0x75) out.push({ frame: STR_HEX[3]!, parent: up });
    return;
  }
  if (f.hex > 0) {
    if (isHex(b)) out.push({ frame: f.hex === 1 ? STR_PLAIN : STR_HEX[f.hex - 2]!, parent: up });
    return;
  }
  if (f.cont > 0) {
    if (b >= f.lo && b <= f.hi) out.push({ frame: f.cont === 1 ? STR_PLAIN : { t: 'str', esc: false, hex: 0, cont: f.cont - 1, lo: 0x80, hi: 0xbf }, parent: up });
    return;
  }
  if (b === QUOTE) out.push(up!);
  else if (b === BACKSLASH) out.push({ frame: STR_ESCAPE, parent: up });
  else if (b < 0x20) return;
  else if (b < 0x80) out.push(s);
  else {
    // UTF-8 lead bytes (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
    const lead = (cont: number, lo: number, hi: number) => out.push({ frame: { t: 'str', esc: false, hex: 0, cont, lo, hi }, parent: up });
    if (b >= 0xc2 && b <= 0xdf) lead(1, 0x80, 0xbf);
    else if (b === 0xe0) lead(2, 0xa0, 0xbf);
    else if (b === 0xed) lead(2, 0x80, 0x9f);
    else if (b >= 0xe1 && b <= 0xef) lead(2, 0x80, 0xbf);
    else if (b === 0xf0) lead(3, 0x90, 0xbf);
    else if (b >= 0xf1 && b <= 0xf3) lead(3, 0x80, 0xbf);
    else if (b === 0xf4) lead(3, 0x80, 0x8f);
  }
}
