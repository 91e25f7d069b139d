/**
 * A byte-level pushdown automaton for JSON that follows a {@link JsonGrammar}: the state is a stack of
 * frames (one per value being written: object, array, string, number, literal), stepped one UTF-8 byte at a
 * time. Bytes, not characters, because a BPE token may end in the middle of a character; strings check
 * UTF-8 themselves, so every accepted text decodes without U+FFFD.
 *
 * States are immutable (a stack is a linked list that shares its parents), so the token mask can explore
 * every continuation of a state from one trie walk. Where the grammar is ambiguous (anyOf, a number that may
 * end or go on, enum values that are prefixes of one another) the automaton keeps every possible stack: a
 * state is a set of stacks, usually of one.
 */
import type { JsonGrammar, ValueRule } from './grammar.js';
import {
  ANY, ANY_ARRAY, ANY_LITERAL_ID, ANY_LITERAL_TEXTS, ANY_NUMBER, COLON, COMMA, DOT, LBRACE, LBRACK, MAX_DIGITS, MAX_ENTER_DEPTH,
  MAX_EXPONENT_DIGITS, MAX_STACKS, MINUS, OPEN_OBJECT, PLUS, QUOTE, RBRACE, RBRACK, ROOT_DONE, STR_PLAIN, ZERO, available, closable, dedupe,
  isDigit, isWhitespace, objectFrame, stackKey, type AutomatonState, type Frame, type NumPhase, type ObjPhase, type Stack,
} from './frames.js';
import { ShortestTexts } from './lengths.js';
import { literalStep, numberStart, stepString } from './scalars.js';

export { leavesStringUnchanged } from './scalars.js';
export type { AutomatonState, Stack } from './frames.js';

/** The automaton of one grammar: steps states and measures how far a state is from a complete text. */
export class JsonAutomaton {
  private readonly lengths: ShortestTexts;
  /** The state before the first byte. */
  readonly initial: AutomatonState;

  constructor(readonly grammar: JsonGrammar) {
    this.lengths = new ShortestTexts(grammar);
    this.initial = [{ frame: { t: 'root', done: false }, parent: null }];
  }

  /** The state after `byte`; empty when the byte cannot come next. */
  step(state: AutomatonState, byte: number): AutomatonState {
    const out: Stack[] = [];
    for (const s of state) this.stepStack(s, byte, out);
    if (out.length <= 1) return out;
    const unique = dedupe(out);
    return unique.length > MAX_STACKS ? unique.filter((s) => Number.isFinite(this.minBytesToFinish([s]))).slice(0, MAX_STACKS) : unique;
  }

  /** The state after the bytes of `text` (a byte string or UTF-8 bytes); empty when rejected. */
  run(bytes: ArrayLike<number>, state: AutomatonState = this.initial): AutomatonState {
    let s = state;
    for (let i = 0; i < bytes.length && s.length > 0; i++) s = this.step(s, bytes[i]!);
    return s;
  }

  /** True when the text so far is a complete JSON text of the grammar (nothing may follow). */
  accepts(state: AutomatonState): boolean {
    return state.some((s) => s.frame.t === 'root' && s.frame.done);
  }

  /**
   * The fewest bytes that complete a text from `state` (Infinity if none can). Every byte is a token of a
   * byte-level BPE vocabulary, so this bounds the tokens a complete answer still needs: the token mask uses
   * it to keep an answer finishable within `max_tokens`.
   */
  minBytesToFinish(state: AutomatonState): number {
    let best = Number.POSITIVE_INFINITY;
    for (const s of state) {
      let total = 0;
      for (let at: Stack | null = s; at; at = at.parent) total += this.lengths.rest(at.frame);
      if (total < best) best = total;
    }
    return best;
  }

  /** True when every reading of the state is inside a string, between characters (no escape or UTF-8 sequence open). */
  inPlainString(state: AutomatonState): boolean {
    return state.length > 0 && state.every((s) => s.frame === STR_PLAIN);
  }

  /** A key that is equal for two states exactly when they accept the same continuations. */
  key(state: AutomatonState): string {
    return state.length === 1 ? stackKey(state[0]!) : state.map(stackKey).sort().join('‖');
  }

  private stepStack(s: Stack, b: number, out: Stack[]): void {
    const f = s.frame;
    switch (f.t) {
      case 'root':
        if (!f.done) this.enter(this.grammar.root, b, { frame: ROOT_DONE, parent: s.parent }, out, 0);
        return;
      case 'str':
        return stepString(f, s, b, out);
      case 'num':
        return this.stepNumber(f, s, b, out);
      case 'lit':
        return literalStep(f.id, f.texts, f.pos, b, s.parent!, out);
      case 'obj':
        return this.stepObject(f, s, b, out);
      case 'arr':
        return this.stepArray(f, s, b, out);
    }
  }

  /** Starts a value of `rule` with its first byte `b`, above `parent` (which continues once the value ends). */
  private enter(rule: ValueRule, b: number, parent: Stack, out: Stack[], depth: number): void {
    switch (rule.kind) {
      case 'ref':
        if (rule.target && depth < MAX_ENTER_DEPTH) this.enter(rule.target, b, parent, out, depth + 1);
        return;
      case 'anyOf':
        if (depth < MAX_ENTER_DEPTH) for (const o of rule.options) this.enter(o, b, parent, out, depth + 1);
        return;
      case 'string':
        if (b === QUOTE) out.push({ frame: STR_PLAIN, parent });
        return;
      case 'number':
        return numberStart(rule, b, parent, out);
      case 'literal':
        return literalStep(rule.id, rule.texts, 0, b, parent, out);
      case 'object':
        if (b === LBRACE) out.push({ frame: objectFrame(rule, 'start', 0, -1, [], 0), parent });
        return;
      case 'array':
        if (b === LBRACK) out.push({ frame: { t: 'arr', rule, phase: 'start', count: 0, ws: 0 }, parent });
        return;
      case 'any':
        if (b === QUOTE) out.push({ frame: STR_PLAIN, parent });
        else if (b === LBRACE) out.push({ frame: objectFrame(OPEN_OBJECT, 'start', 0, -1, [], 0), parent });
        else if (b === LBRACK) out.push({ frame: { t: 'arr', rule: ANY_ARRAY, phase: 'start', count: 0, ws: 0 }, parent });
        else if (b === MINUS || isDigit(b)) numberStart(ANY_NUMBER, b, parent, out);
        else literalStep(ANY_LITERAL_ID, ANY_LITERAL_TEXTS, 0, b, parent, out);
        return;
    }
  }

  private stepNumber(f: Extract<Frame, { t: 'num' }>, s: Stack, b: number, out: Stack[]): void {
    const rule = f.rule;
    const to = (phase: NumPhase, digits: number) => out.push({ frame: { t: 'num', rule, phase, digits }, parent: s.parent });
    const digit = isDigit(b);
    const exponent = b === 0x65 || b === 0x45;
    const fractionOrExponent = (): boolean => {
      if (rule.integer) return false;
      if (b === DOT) to('dot', 0);
      else if (exponent && rule.exponent) to('e', 0);
      else return false;
      return true;
    };
    switch (f.phase) {
      case 'sign':
        if (b === ZERO) to('zero', 1);
        else if (digit) to('int', 1);
        return;
      case 'zero':
        if (!fractionOrExponent()) this.stepStack(s.parent!, b, out);
        return;
      case 'int':
        if (digit) {
          if (f.digits < rule.intDigits) to('int', f.digits + 1);
        } else if (!fractionOrExponent()) this.stepStack(s.parent!, b, out);
        return;
      case 'dot':
        if (digit) to('frac', 1);
        return;
      case 'frac':
        if (digit) {
          if (f.digits < MAX_DIGITS) to('frac', f.digits + 1);
        } else if (exponent && rule.exponent) to('e', 0);
        else this.stepStack(s.parent!, b, out);
        return;
      case 'e':
        if (b === PLUS || b === MINUS) to('esign', 0);
        else if (digit) to('exp', 1);
        return;
      case 'esign':
        if (digit) to('exp', 1);
        return;
      case 'exp':
        if (digit) {
          if (f.digits < MAX_EXPONENT_DIGITS) to('exp', f.digits + 1);
        } else this.stepStack(s.parent!, b, out);
        return;
    }
  }

  private stepObject(f: Extract<Frame, { t: 'obj' }>, s: Stack, b: number, out: Stack[]): void {
    const rule = f.rule;
    const up = s.parent!;
    const to = (phase: ObjPhase, next: number, value: number, cands: readonly number[] = [], pos = 0) => out.push({ frame: objectFrame(rule, phase, next, value, cands, pos), parent: up });
    if (f.phase !== 'key' && isWhitespace(b)) {
      if (f.ws < this.grammar.maxWhitespace) out.push({ frame: { ...f, ws: f.ws + 1 }, parent: up });
      return;
    }
    switch (f.phase) {
      case 'start':
      case 'next':
        if (b === QUOTE) {
          if (rule.open) out.push({ frame: STR_PLAIN, parent: { frame: objectFrame(rule, 'colon', 0, -1, [], 0), parent: up } });
          else {
            const cands = available(rule, f.next);
            if (cands.length > 0) to('key', f.next, -1, cands, 1);
          }
        } else if (b === RBRACE && f.phase === 'start' && closable(rule, f.next)) out.push(up);
        return;
      case 'key': {
        const matching: number[] = [];
        for (const j of f.cands) {
          const text = rule.properties[j]!.keyText;
          if (text.charCodeAt(f.pos) !== b) continue;
          if (text.length === f.pos + 1) to('colon', f.next, j);
          else matching.push(j);
        }
        if (matching.length > 0) to('key', f.next, -1, matching, f.pos + 1);
        return;
      }
      case 'colon':
        if (b === COLON) to('value', f.next, f.value);
        return;
      case 'value': {
        const value = rule.open ? ANY : rule.properties[f.value]!.value;
        const after: Stack = { frame: objectFrame(rule, 'after', rule.open ? 0 : f.value + 1, -1, [], 0), parent: up };
        this.enter(value, b, after, out, 0);
        return;
      }
      case 'after':
        if (b === COMMA && (rule.open || available(rule, f.next).length > 0)) to('next', f.next, -1);
        else if (b === RBRACE && closable(rule, f.next)) out.push(up);
        return;
    }
  }

  private stepArray(f: Extract<Frame, { t: 'arr' }>, s: Stack, b: number, out: Stack[]): void {
    const rule = f.rule;
    const up = s.parent!;
    if (isWhitespace(b)) {
      if (f.ws < this.grammar.maxWhitespace) out.push({ frame: { ...f, ws: f.ws + 1 }, parent: up });
      return;
    }
    const item = () => this.enter(rule.items, b, { frame: { t: 'arr', rule, phase: 'after', count: f.count + 1, ws: 0 }, parent: up }, out, 0);
    switch (f.phase) {
      case 'start':
        if (b === RBRACK) {
          if (rule.minItems === 0) out.push(up);
        } else if (rule.maxItems > 0) item();
        return;
      case 'next':
        item();
        return;
      case 'after':
        if (b === COMMA && f.count < rule.maxItems) out.push({ frame: { t: 'arr', rule, phase: 'next', count: f.count, ws: 0 }, parent: up });
        else if (b === RBRACK && f.count >= rule.minItems) out.push(up);
        return;
    }
  }

}
