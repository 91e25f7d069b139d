/**
 * Guardrails in the serve path of `/v1/chat/completions` and `/v1/completions`: the adapters between a
 * {@link GenerationCall} (and its choices) and the text-level checks of ./check.ts, and the metering of
 * what fired. Other endpoints call {@link guardInputTexts} / {@link guardOutputTexts} with their own texts.
 */
import type { ChatMessage } from '../../shared/contract/v1.js';
import type { LedgerWriter } from '../metering/ledger-writer.js';
import type { Caller, GatewayDeployment } from '../types.js';
import type { Choice, Endpoint, GenerationCall } from '../upstream/types.js';
import { checkInput, checkOutput, type GuardrailEvent, type InputTools } from './check.js';
import { guardrailLine } from './ledger-lines.js';
import { refusalError } from './refusal.js';
import type { CompiledGuardrail } from './rules.js';
import { StreamGuard } from './stream-guard.js';

/** What the guardrail step of a request needs. */
export interface GuardrailScope {
  readonly requestId: string;
  readonly caller: Caller;
  /** The deployment the client named: its guardrails apply, also when a fallback serves the request. */
  readonly deployment: GatewayDeployment;
  readonly guards: readonly CompiledGuardrail[];
  readonly ledger: LedgerWriter;
  readonly onRefused: (code: string) => void;
}

/** Appends the ledger lines of `events` and waits until they are durable. */
export async function meterGuardrailEvents(scope: GuardrailScope, events: readonly GuardrailEvent[]): Promise<void> {
  if (events.length === 0) return;
  const at = new Date();
  await Promise.all(events.map((e) => scope.ledger.append(guardrailLine(scope.requestId, scope.caller, scope.deployment, e, at))));
}

/**
 * Runs the input guardrails over texts and meters what fired; throws the refusal (after its ledger line
 * is durable) or returns the texts to serve (redacted where a guardrail redacts).
 */
export async function guardInputTexts(scope: GuardrailScope, texts: readonly string[], tools: InputTools, param: string): Promise<string[]> {
  if (!scope.guards.some((g) => g.stage === 'input')) return [...texts];
  const verdict = await checkInput(scope.guards, texts, tools);
  await meterGuardrailEvents(scope, verdict.events);
  if (verdict.refusedBy) {
    const err = refusalError(verdict.refusedBy, param);
    scope.onRefused(err.code);
    throw err;
  }
  return verdict.texts;
}

/** Runs the output guardrails over a whole answer's texts; throws the refusal or returns the texts to send. */
export async function guardOutputTexts(scope: GuardrailScope, texts: readonly string[]): Promise<string[]> {
  if (!scope.guards.some((g) => g.stage === 'output')) return [...texts];
  const verdict = checkOutput(scope.guards, texts);
  await meterGuardrailEvents(scope, verdict.events);
  if (verdict.refusedBy) {
    const err = refusalError(verdict.refusedBy, null);
    scope.onRefused(err.code);
    throw err;
  }
  return verdict.texts;
}

// ---- chat and completions

/** The texts of a request's prompt, in order: each message's content (or text part), or the prompt. */
export function promptTexts(call: GenerationCall): string[] {
  if (call.endpoint === 'completions') return [Array.isArray(call.body.prompt) ? (call.body.prompt[0] ?? '') : call.body.prompt];
  const texts: string[] = [];
  for (const m of call.body.messages) {
    if (typeof m.content === 'string') texts.push(m.content);
    else if (Array.isArray(m.content)) for (const p of m.content) if (p.type === 'text' && typeof p.text === 'string') texts.push(p.text);
  }
  return texts;
}

/** The call with its prompt's texts replaced (same order as {@link promptTexts}); the call itself is unchanged. */
export function withPromptTexts(call: GenerationCall, texts: readonly string[]): GenerationCall {
  let i = 0;
  const next = () => texts[i++] ?? '';
  if (call.endpoint === 'completions') {
    const prompt = next();
    return { ...call, body: { ...call.body, prompt: Array.isArray(call.body.prompt) ? [prompt] : prompt } };
  }
  const messages: ChatMessage[] = call.body.messages.map((m) => {
    if (typeof m.content === 'string') return { ...m, content: next() };
    if (Array.isArray(m.content)) return { ...m, content: m.content.map((p) => (p.type === 'text' && typeof p.text === 'string' ? { ...p, text: next() } : p)) };
    return m;
  });
  return { ...call, body: { ...call.body, messages } };
}

/** The request field the input check reads. */
export function promptParam(endpoint: Endpoint): string {
  return endpoint === 'chat' ? 'messages' : 'prompt';
}

/** The text of one whole choice (a chat message's content, or a completion's text). */
export function choiceText(endpoint: Endpoint, c: Choice): string {
  if (endpoint === 'completions') return typeof c.text === 'string' ? c.text : '';
  const content = (c.message as { content?: unknown } | undefined)?.content;
  return typeof content === 'string' ? content : '';
}

/** The choice with its text replaced. */
export function withChoiceText(endpoint: Endpoint, c: Choice, text: string): Choice {
  if (endpoint === 'completions') return { ...c, text };
  const message = c.message as Record<string, unknown> | undefined;
  return typeof message?.content === 'string' ? { ...c, message: { ...message, content: text } } : c;
}

/** The text a streamed choice carries (a delta's content, or a completion's text). */
export function deltaText(endpoint: Endpoint, c: Choice): string {
  if (endpoint === 'completions') return typeof c.text === 'string' ? c.text : '';
  const content = (c.delta as { content?: unknown } | undefined)?.content;
  return typeof content === 'string' ? content : '';
}

/** The streamed choice with its text replaced. */
export function withDeltaText(endpoint: Endpoint, c: Choice, text: string): Choice {
  if (endpoint === 'completions') return { ...c, text };
  const delta = (c.delta as Record<string, unknown> | undefined) ?? {};
  return { ...c, delta: { ...delta, content: text } };
}

/**
 * The output guardrails of one stream, at the level of chunks: {@link filter} turns an upstream chunk's
 * choices into what may be sent now (held back, redacted), {@link drain} releases what is held back once
 * the upstream has ended. After a refusal both return undefined and {@link refusedBy} names the guardrail:
 * the caller stops the upstream and ends the stream with {@link contentFilterChoices}.
 */
export class ChunkGuard {
  refusedBy: CompiledGuardrail | undefined;
  private readonly guard: StreamGuard;

  constructor(
    private readonly endpoint: Endpoint,
    guards: readonly CompiledGuardrail[],
  ) {
    this.guard = new StreamGuard(guards);
  }

  /** What fired (once per guardrail). */
  get events(): GuardrailEvent[] {
    return this.guard.events;
  }

  filter(choices: Choice[]): Choice[] | undefined {
    if (this.refusedBy) return undefined;
    if (!this.guard.active) return choices;
    const out: Choice[] = [];
    for (const c of choices) {
      const index = typeof c.index === 'number' ? c.index : 0;
      const pushed = this.guard.push(index, deltaText(this.endpoint, c));
      const ended = pushed.refusedBy || c.finish_reason === null || c.finish_reason === undefined ? undefined : this.guard.finish(index);
      this.refusedBy = pushed.refusedBy ?? ended?.refusedBy;
      if (this.refusedBy) return undefined;
      out.push(withDeltaText(this.endpoint, c, pushed.text + (ended?.text ?? '')));
    }
    return out;
  }

  /** The held-back text of choices the upstream ended without a finish reason, as chunks' choices. */
  drain(): Choice[] | undefined {
    const out: Choice[] = [];
    for (const index of this.guard.holding()) {
      const ended = this.guard.finish(index);
      if (ended.refusedBy) {
        this.refusedBy = ended.refusedBy;
        return undefined;
      }
      out.push(withDeltaText(this.endpoint, { index, ...(this.endpoint === 'chat' ? { delta: {} } : {}), finish_reason: null }, ended.text));
    }
    return out;
  }

  /** The last chunk of a refused stream: every choice ends with OpenAI's `content_filter`. */
  contentFilterChoices(n: number): Choice[] {
    return Array.from({ length: n }, (_, index) => (this.endpoint === 'chat' ? { index, delta: {}, finish_reason: 'content_filter' } : { index, text: '', finish_reason: 'content_filter' }));
  }
}
