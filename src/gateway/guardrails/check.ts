/**
 * The two points where guardrails run, written over plain texts so every endpoint can call them: the
 * input check gets the texts a request's prompt is made of (message contents, a prompt string) after the
 * request is parsed and before a model sees it; the output check gets an answer's text before the client
 * does (streams: see ./stream-guard.ts). Neither knows HTTP or the ledger: they return what happened, as
 * {@link GuardrailEvent}s, and the serve path meters those.
 */
import { mergeSpans, redactSpans, type Span } from './matcher.js';
import type { CompiledGuardrail, GuardrailAction } from './rules.js';

/** What one guardrail did for one request; `pass` = it ran (and cost something) but did not fire. */
export interface GuardrailEvent {
  readonly guardrail: CompiledGuardrail;
  readonly outcome: GuardrailAction | 'pass';
  /** Cost to serve of the check itself (a classifier run), micro-units. */
  readonly costMicros: number;
}

/** A classifier run: the probability of each label for one text, and the tokens it read. */
export interface ClassifierVerdict {
  readonly probabilities: Readonly<Record<string, number>>;
  readonly tokens: number;
}

/** What the input check needs from the serving side. */
export interface InputTools {
  /** Tokens of a text under the deployment's tokenizer (`max_prompt`'s `maxTokens`). */
  countTokens(text: string): number;
  /** Runs a registered classifier model version in-process; undefined when the gateway has none. */
  readonly classify: ((modelVersionId: string, text: string) => Promise<ClassifierVerdict>) | undefined;
}

/** The outcome of a check: the texts to go on with (redacted), what fired, and the refusing guardrail if any. */
export interface Verdict {
  readonly texts: string[];
  readonly events: GuardrailEvent[];
  readonly refusedBy: CompiledGuardrail | undefined;
}

/**
 * Runs the input guardrails in order over the prompt's texts. A refusal stops at once (later checks do
 * not run, and nothing is redacted: the request is not served); a redaction changes the texts the later
 * checks and the model see; a flag changes nothing.
 */
export async function checkInput(guards: readonly CompiledGuardrail[], prompt: readonly string[], tools: InputTools): Promise<Verdict> {
  let texts = [...prompt];
  const events: GuardrailEvent[] = [];
  for (const g of guards) {
    if (g.stage !== 'input') continue;
    if (g.matcher) {
      const found = texts.map((t) => g.matcher!.find(t));
      if (found.every((s) => s.length === 0)) continue;
      events.push({ guardrail: g, outcome: g.action, costMicros: 0 });
      if (g.action === 'refuse') return { texts, events, refusedBy: g };
      if (g.action === 'redact') texts = texts.map((t, i) => redactSpans(t, mergeSpans(found[i]!)));
    } else if (g.kind === 'max_prompt') {
      const whole = texts.join('\n');
      const over = (g.maxChars !== undefined && whole.length > g.maxChars) || (g.maxTokens !== undefined && tools.countTokens(whole) > g.maxTokens);
      if (!over) continue;
      events.push({ guardrail: g, outcome: g.action, costMicros: 0 });
      if (g.action === 'refuse') return { texts, events, refusedBy: g };
    } else if (g.classifier) {
      const c = g.classifier;
      if (!tools.classify) throw new Error(`guardrail ${g.name}: no in-process classifier runtime is configured`);
      const verdict = await tools.classify(c.modelVersionId, texts.join('\n'));
      const costMicros = Math.round((verdict.tokens * (c.costPer1mMicros ?? 0)) / 1_000_000);
      const fired = (verdict.probabilities[c.label] ?? 0) >= c.threshold;
      events.push({ guardrail: g, outcome: fired ? g.action : 'pass', costMicros });
      if (fired && g.action === 'refuse') return { texts, events, refusedBy: g };
    }
  }
  return { texts, events, refusedBy: undefined };
}

/** The output guardrails of a deployment (blocklist and regex: the kinds that read answers). */
export function outputGuards(guards: readonly CompiledGuardrail[]): CompiledGuardrail[] {
  return guards.filter((g) => g.stage === 'output' && g.matcher !== undefined);
}

/**
 * Runs the output guardrails over a whole answer's texts (one per choice), as {@link checkInput} does:
 * refuse stops, redact replaces, flag records.
 */
export function checkOutput(guards: readonly CompiledGuardrail[], answer: readonly string[]): Verdict {
  let texts = [...answer];
  const events: GuardrailEvent[] = [];
  for (const g of outputGuards(guards)) {
    const found: Span[][] = texts.map((t) => g.matcher!.find(t));
    if (found.every((s) => s.length === 0)) continue;
    events.push({ guardrail: g, outcome: g.action, costMicros: 0 });
    if (g.action === 'refuse') return { texts, events, refusedBy: g };
    if (g.action === 'redact') texts = texts.map((t, i) => redactSpans(t, mergeSpans(found[i]!)));
  }
  return { texts, events, refusedBy: undefined };
}
