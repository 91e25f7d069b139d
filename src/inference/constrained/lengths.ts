/**
 * Shortest texts: the fewest bytes that complete a value of each rule, and a state's frames. Every byte is
 * a token of a byte-level BPE vocabulary, so this bounds the tokens an answer still needs; the token mask
 * uses it to keep an answer finishable within max_tokens.
 */
import { ANY, available, type Frame } from './frames.js';
import type { JsonGrammar, ObjectRule, ValueRule } from './grammar.js';

/** Per closed object rule: bytes the required properties from index i on need at least, and how many they are. */
interface ObjectCosts {
  readonly cost: number[];
  readonly sum: number[];
  readonly required: number[];
}

/** The shortest text of each rule of a grammar (by fixpoint iteration: references may recurse). */
export class ShortestTexts {
  private readonly minLen = new Map<ValueRule, number>();
  private readonly objectCosts = new Map<ObjectRule, ObjectCosts>();

  constructor(private readonly grammar: JsonGrammar) {
    this.computeMinLengths();
  }

  /** Fewest bytes that finish the value of this frame (its inner frames already finished). */
  rest(f: Frame): number {
    switch (f.t) {
      case 'root':
        return f.done ? 0 : this.lengthOf(this.grammar.root);
      case 'str':
        return (f.esc ? 1 : 0) + f.hex + f.cont + 1;
      case 'num':
        return f.phase === 'sign' || f.phase === 'dot' || f.phase === 'e' || f.phase === 'esign' ? 1 : 0;
      case 'lit':
        return Math.min(...f.texts.map((t) => t.length - f.pos));
      case 'arr': {
        const m = this.lengthOf(f.rule.items);
        const need = Math.max(0, f.rule.minItems - f.count);
        if (f.phase === 'start') return need === 0 ? 1 : need * m + (need - 1) + 1;
        if (f.phase === 'after') return need * (m + 1) + 1;
        return m + Math.max(0, need - 1) * (m + 1) + 1;
      }
      case 'obj':
        return this.objectRest(f);
    }
  }

  private objectRest(f: Extract<Frame, { t: 'obj' }>): number {
    const rule = f.rule;
    if (rule.open) return { start: 1, next: 5, key: 0, colon: 3, value: 2, after: 1 }[f.phase];
    const c = this.costs(rule);
    const afterFrom = (i: number) => c.sum[i]! + c.required[i]! + 1;
    switch (f.phase) {
      case 'start':
        return c.required[f.next] === 0 ? 1 : c.sum[f.next]! + c.required[f.next]! - 1 + 1;
      case 'next': {
        if (c.required[f.next]! > 0) return c.sum[f.next]! + c.required[f.next]! - 1 + 1;
        return Math.min(...available(rule, f.next).map((j) => c.cost[j]!)) + 1;
      }
      case 'key':
        return Math.min(...f.cands.map((j) => rule.properties[j]!.keyText.length - f.pos + 1 + this.lengthOf(rule.properties[j]!.value) + afterFrom(j + 1)));
      case 'colon':
        return 1 + this.lengthOf(rule.properties[f.value]!.value) + afterFrom(f.value + 1);
      case 'value':
        return this.lengthOf(rule.properties[f.value]!.value) + afterFrom(f.value + 1);
      case 'after':
        return afterFrom(f.next);
    }
  }

  lengthOf(rule: ValueRule): number {
    return this.minLen.get(rule) ?? minLengthOfShared(rule);
  }

  private costs(rule: ObjectRule): ObjectCosts {
    let c = this.objectCosts.get(rule);
    if (!c) {
      const n = rule.properties.length;
      const cost = rule.properties.map((p) => p.keyText.length + 1 + this.lengthOf(p.value));
      const sum = new Array<number>(n + 1).fill(0);
      const required = new Array<number>(n + 1).fill(0);
      for (let i = n - 1; i >= 0; i--) {
        const req = rule.properties[i]!.required;
        sum[i] = sum[i + 1]! + (req ? cost[i]! : 0);
        required[i] = required[i + 1]! + (req ? 1 : 0);
      }
      c = { cost, sum, required };
      this.objectCosts.set(rule, c);
    }
    return c;
  }

  /** Shortest text of each rule, by fixpoint iteration (references may recurse; a rule with no finite text stays Infinity). */
  private computeMinLengths(): void {
    const rules = this.grammar.rules;
    for (const r of rules) this.minLen.set(r, Number.POSITIVE_INFINITY);
    for (let pass = 0; pass < rules.length + 2; pass++) {
      let changed = false;
      for (const r of rules) {
        const v = this.shortest(r);
        if (v < this.minLen.get(r)!) {
          this.minLen.set(r, v);
          changed = true;
        }
      }
      if (!changed) break;
    }
    this.objectCosts.clear();
  }

  private shortest(r: ValueRule): number {
    const len = (x: ValueRule) => this.minLen.get(x) ?? minLengthOfShared(x);
    switch (r.kind) {
      case 'string':
        return 2;
      case 'number':
      case 'any':
        return 1;
      case 'literal':
        return Math.min(...r.texts.map((t) => t.length));
      case 'ref':
        return r.target ? len(r.target) : Number.POSITIVE_INFINITY;
      case 'anyOf':
        return Math.min(...r.options.map(len));
      case 'array':
        return 2 + r.minItems * len(r.items) + Math.max(0, r.minItems - 1);
      case 'object': {
        if (r.open) return 2;
        const req = r.properties.filter((p) => p.required);
        return 2 + req.reduce((s, p) => s + p.keyText.length + 1 + len(p.value), 0) + Math.max(0, req.length - 1);
      }
    }
  }
}

function minLengthOfShared(rule: ValueRule): number {
  return rule === ANY ? 1 : 2;
}
