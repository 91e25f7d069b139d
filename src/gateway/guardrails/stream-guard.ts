/**
 * Output guardrails over a stream. A match may span chunk boundaries (`pass` + `word`), so each choice's
 * newest text is held back — a window as long as the longest match a guardrail can make — until later
 * text shows it is not the start of a match. Text leaves only redacted, and a refused answer is cut before
 * the matched text leaves. What the window costs: the client sees an answer up to a window later.
 */
import type { GuardrailEvent } from './check.js';
import { outputGuards } from './check.js';
import { mergeSpans, redactSpans, type Span } from './matcher.js';
import { REGEX_WINDOW_CHARS, type CompiledGuardrail } from './rules.js';

interface ChoiceState {
  /** Text already released (its tail is context for look-behind and for matches that began there). */
  context: string;
  /** Text received, not yet released. */
  pending: string;
}

/** What one chunk of a choice becomes: the text to send now, or the guardrail that refuses the answer. */
export type GuardedText = { readonly text: string; readonly refusedBy?: undefined } | { readonly text: ''; readonly refusedBy: CompiledGuardrail };

/** The output guardrails of one stream; one instance per request. */
export class StreamGuard {
  private readonly guards: CompiledGuardrail[];
  private readonly window: number;
  private readonly choices = new Map<number, ChoiceState>();
  private readonly fired = new Map<string, GuardrailEvent>();

  constructor(guards: readonly CompiledGuardrail[]) {
    this.guards = outputGuards(guards);
    this.window = Math.max(0, ...this.guards.map((g) => g.matchWindow ?? REGEX_WINDOW_CHARS));
  }

  /** True when the stream has output guardrails (else chunks pass as they are). */
  get active(): boolean {
    return this.guards.length > 0;
  }

  /** Every guardrail that fired so far, once each. */
  get events(): GuardrailEvent[] {
    return [...this.fired.values()];
  }

  /** Takes a choice's next text; returns what may be sent now. */
  push(index: number, text: string): GuardedText {
    const s = this.state(index);
    s.pending += text;
    return this.release(s, false);
  }

  /** The choice ended: everything held back is released (redacted), unless it is refused. */
  finish(index: number): GuardedText {
    return this.release(this.state(index), true);
  }

  /** Indexes of the choices that still hold text back. */
  holding(): number[] {
    return [...this.choices.entries()].filter(([, s]) => s.pending.length > 0).map(([i]) => i);
  }

  private state(index: number): ChoiceState {
    let s = this.choices.get(index);
    if (!s) this.choices.set(index, (s = { context: '', pending: '' }));
    return s;
  }

  private release(s: ChoiceState, all: boolean): GuardedText {
    const full = s.context + s.pending;
    const offset = s.context.length;
    const redact: Span[] = [];
    for (const g of this.guards) {
      const spans = g.matcher!.find(full, offset).filter((sp) => sp.end > offset);
      if (spans.length === 0) continue;
      if (g.action === 'refuse') {
        this.fire(g);
        s.pending = '';
        return { text: '', refusedBy: g };
      }
      if (g.action === 'flag') this.fire(g);
      else for (const sp of spans) redact.push({ start: Math.max(0, sp.start - offset), end: sp.end - offset });
    }
    const spans = mergeSpans(redact);
    let cut = all ? s.pending.length : Math.max(0, s.pending.length - this.window);
    // A match that straddles the cut is held back whole, so it is redacted in one piece.
    for (const sp of spans) if (sp.start < cut && sp.end > cut) cut = sp.start;
    const released = spans.filter((sp) => sp.end <= cut);
    if (released.length > 0) for (const g of this.guards) if (g.action === 'redact' && g.matcher!.find(full, offset).some((sp) => sp.end > offset && sp.start - offset < cut)) this.fire(g);
    const out = redactSpans(s.pending.slice(0, cut), released);
    s.context = (s.context + s.pending.slice(0, cut)).slice(-Math.max(this.window, 1));
    s.pending = s.pending.slice(cut);
    return { text: out };
  }

  private fire(g: CompiledGuardrail): void {
    if (!this.fired.has(g.id)) this.fired.set(g.id, { guardrail: g, outcome: g.action, costMicros: 0 });
  }
}
