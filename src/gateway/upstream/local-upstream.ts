import { QudaoError } from '../../errors/index.js';
import { refuseUnsupportedLocalFields } from './local-fields.js';
import { embeddingInputs } from '../openai/request-size.js';
import { choiceSeed, type JsonGrammar, type GenerationItem, type GenerationOutcome, type LocalModels, type ModelRuntime, type PieceDetail, type TokenDetail } from '../../inference/index.js';
import { renderChat } from '../openai/chat-templates.js';
import { stopList } from '../openai/schemas.js';
import { outputPlan, type OutputPlan } from '../openai/structured-output.js';
import { ToolCallSplitter } from '../openai/tool-calls.js';
import type { GatewayDeployment } from '../types.js';
import { callTimeoutMs, UpstreamFailure, type ChunkSink, type Choice, type CompletionResult, type EmbeddingCall, type EmbeddingResult, type GenerationCall, type StreamResult, type Upstream } from './types.js';

interface Prepared {
  runtime: ModelRuntime;
  prompt: string;
  stops: string[];
  maxTokens: number;
  n: number;
  /** Free text, a JSON text, or a tool call (chat only; completions are text). */
  plan: OutputPlan;
  logitBias: ReadonlyMap<number, number> | undefined;
  /** Log-probabilities asked for, and how many alternatives per token; undefined: none. */
  logprobs: { top: number } | undefined;
}

/**
 * OpenAI's log-probabilities of a piece of an answer: chat's `{ content: [...] }` (token, logprob, bytes,
 * top_logprobs) or the legacy completions shape (tokens, token_logprobs, top_logprobs, text_offset).
 */
function logprobsBody(endpoint: GenerationCall['endpoint'], tokens: readonly TokenDetail[], offset: number): Record<string, unknown> {
  if (endpoint === 'chat') {
    return { content: tokens.map((t) => ({ token: t.token, logprob: t.logprob, bytes: t.bytes, top_logprobs: t.topLogprobs.map((a) => ({ token: a.token, logprob: a.logprob, bytes: a.bytes })) })), refusal: null };
  }
  const textOffset: number[] = [];
  let at = offset;
  for (const t of tokens) {
    textOffset.push(at);
    at += t.token.length;
  }
  return {
    tokens: tokens.map((t) => t.token),
    token_logprobs: tokens.map((t) => t.logprob),
    top_logprobs: tokens.map((t) => Object.fromEntries(t.topLogprobs.map((a) => [a.token, a.logprob]))),
    text_offset: textOffset,
  };
}

/** Joins the log-probabilities of an answer's pieces into one. */
function joinLogprobs(endpoint: GenerationCall['endpoint'], tokens: readonly TokenDetail[]): Record<string, unknown> {
  return logprobsBody(endpoint, tokens, 0);
}

/**
 * Serves deployments of kind `local`: adapts OpenAI calls (chat templates, stops, context room, `n`, seeds)
 * to the in-process models of inference, reached through {@link LocalModels} (the runtime pool).
 */
export class LocalUpstream implements Upstream {
  /** Compiled JSON Schemas by their text (response_format, tools), so repeated schemas share warm token masks. */
  private readonly grammars = new Map<string, JsonGrammar>();

  constructor(private readonly pool: LocalModels) {}

  async complete(call: GenerationCall, deployment: GatewayDeployment, signal: AbortSignal): Promise<CompletionResult> {
    const p = await this.prepare(call, deployment);
    const deadline = new Deadline(callTimeoutMs(call, deployment), signal);
    const texts = Array.from({ length: p.n }, () => '');
    const tokens = texts.map((): TokenDetail[] => []);
    const outcomes = await Promise.all(
      texts.map((_, i) =>
        this.run(deployment, p, call, i, deadline.signal, (t, detail) => {
          deadline.touch();
          texts[i] += t;
          if (detail?.logprobs) tokens[i]!.push(...detail.logprobs);
        }),
      ),
    ).finally(() => deadline.dispose());
    deadline.check();
    const logprobsOf = (i: number) => (p.logprobs ? joinLogprobs(call.endpoint, tokens[i]!) : null);
    const choices: Choice[] = outcomes.map((o, i) => {
      if (call.endpoint !== 'chat') return { index: i, text: texts[i], finish_reason: finish(o), logprobs: logprobsOf(i) };
      if (p.plan.kind !== 'tool') return { index: i, message: { role: 'assistant', content: texts[i] }, logprobs: logprobsOf(i), finish_reason: finish(o) };
      const split = new ToolCallSplitter();
      const args = split.push(texts[i]!).arguments + split.end(o.finishReason === 'stop').arguments;
      const name = split.toolName;
      // A call cut by max_tokens before its name was complete has nothing to show: no tool_calls.
      const toolCalls = name === undefined ? undefined : [{ id: toolCallId(call, i), type: 'function', function: { name, arguments: args } }];
      return { index: i, message: { role: 'assistant', content: null, ...(toolCalls ? { tool_calls: toolCalls } : {}) }, finish_reason: finish(o, p.plan) };
    });
    return { choices, usage: usageOf(outcomes) };
  }

  async stream(call: GenerationCall, deployment: GatewayDeployment, onChunk: ChunkSink, signal: AbortSignal): Promise<StreamResult> {
    const p = await this.prepare(call, deployment);
    const deadline = new Deadline(callTimeoutMs(call, deployment), signal);
    if (p.plan.kind === 'tool') return this.streamToolCalls(call, deployment, p, onChunk, deadline);
    const offsets = Array.from({ length: p.n }, () => 0);
    const chunk = (i: number, text: string, reason: string | null, detail?: PieceDetail): Choice => {
      const logprobs = p.logprobs && detail?.logprobs ? logprobsBody(call.endpoint, detail.logprobs, offsets[i]!) : null;
      offsets[i]! += text.length;
      return call.endpoint === 'chat'
        ? { index: i, delta: text || reason === null ? { content: text } : {}, ...(logprobs ? { logprobs } : {}), finish_reason: reason }
        : { index: i, text, finish_reason: reason, logprobs };
    };
    const outcomes = await Promise.all(
      Array.from({ length: p.n }, async (_, i) => {
        if (call.endpoint === 'chat') await onChunk([{ index: i, delta: { role: 'assistant', content: '' }, finish_reason: null }], 0);
        // onChunk's promise (the client is not draining) holds this choice's generation: backpressure.
        const o = await this.run(deployment, p, call, i, deadline.signal, (t, detail) => deadline.hold(onChunk([chunk(i, t, null, detail)], detail?.tokens ?? 1)));
        if (!deadline.signal.aborted) onChunk([chunk(i, '', finish(o))], 0);
        return o;
      }),
    ).finally(() => deadline.dispose());
    deadline.check();
    return { usage: usageOf(outcomes) };
  }

  /**
   * Streams tool calls as OpenAI does: the first delta of a call carries its id, type and name, later ones
   * pieces of its `arguments`. Tokens whose text is held back (the wrapper around the arguments) are counted
   * with the next delta sent, so the exact token count of what was delivered stays right.
   */
  private async streamToolCalls(call: GenerationCall, deployment: GatewayDeployment, p: Prepared, onChunk: ChunkSink, deadline: Deadline): Promise<StreamResult> {
    const outcomes = await Promise.all(
      Array.from({ length: p.n }, async (_, i) => {
        await onChunk([{ index: i, delta: { role: 'assistant', content: null }, finish_reason: null }], 0);
        const split = new ToolCallSplitter();
        let pending = 0;
        const send = (d: { name?: string; arguments: string }, reason: string | null) => {
          const toolCall = d.name === undefined ? { index: 0, function: { arguments: d.arguments } } : { index: 0, id: toolCallId(call, i), type: 'function', function: { name: d.name, arguments: d.arguments } };
          const delta = d.name === undefined && d.arguments === '' ? {} : { tool_calls: [toolCall] };
          const tokens = pending;
          pending = 0;
          return onChunk([{ index: i, delta, finish_reason: reason }], tokens);
        };
        const o = await this.run(deployment, p, call, i, deadline.signal, (t) => {
          pending++;
          const d = split.push(t);
          deadline.touch();
          return d.name === undefined && d.arguments === '' ? undefined : deadline.hold(send(d, null));
        });
        if (!deadline.signal.aborted) {
          const rest = split.end(o.finishReason === 'stop');
          if (rest.arguments !== '') await send(rest, null);
          await send({ arguments: '' }, finish(o, p.plan));
        }
        return o;
      }),
    ).finally(() => deadline.dispose());
    deadline.check();
    return { usage: usageOf(outcomes) };
  }

  /**
   * Embeds with the model's final hidden states (see ModelRuntime.embed): the mean over each input's own
   * tokens, L2-normalised; `dimensions` keeps the first that many components and normalises again.
   */
  async embed(call: EmbeddingCall, deployment: GatewayDeployment, signal: AbortSignal): Promise<EmbeddingResult> {
    if (!deployment.modelVersionId) throw new UpstreamFailure(`deployment ${deployment.name} has no model version`, 'protocol', false);
    refuseUnsupportedLocalFields(call, deployment.name);
    const runtime = await this.load(deployment.modelVersionId);
    if (!runtime.embed) throw new QudaoError('QD_UNSUPPORTED_PARAMETER', `the model "${deployment.name}" does not serve embeddings (its runtime exposes no hidden states)`, { param: 'model' });
    const inputs = embeddingInputs(call);
    const many = inputs.length > 1 || (Array.isArray(call.body.input) && typeof call.body.input[0] !== 'number');
    for (const [i, input] of inputs.entries()) {
      const param = many ? `input.${i}` : 'input';
      const tokens = typeof input === 'string' ? runtime.countTokens(input) : input.length;
      if (tokens > runtime.contextLength) throw new QudaoError('QD_CONTEXT_TOO_LONG', `input ${i} has ${tokens} tokens, more than the context of ${runtime.contextLength}`, { param });
      if (typeof input !== 'string' && runtime.vocabSize !== undefined) {
        const bad = input.find((t) => t >= runtime.vocabSize!);
        if (bad !== undefined) throw new QudaoError('QD_INVALID_REQUEST', `input ${i} holds token ${bad}, outside this model's vocabulary of ${runtime.vocabSize} tokens`, { param });
      }
    }
    if (signal.aborted) throw new UpstreamFailure('the client went away', 'connection', false);
    let outcome;
    try {
      outcome = runtime.embed(inputs);
    } catch (err) {
      throw new UpstreamFailure(`the in-process model failed: ${(err as Error).message}`, 'protocol', false);
    }
    const width = outcome.vectors[0]?.length ?? 0;
    const dimensions = call.body.dimensions ?? undefined;
    if (dimensions !== undefined && dimensions > width) throw new QudaoError('QD_INVALID_REQUEST', `dimensions ${dimensions} exceeds this model's embedding width of ${width}`, { param: 'dimensions' });
    const data = outcome.vectors.map((v, index) => ({ index, embedding: dimensions === undefined || dimensions === width ? v : renormalised(v.subarray(0, dimensions)) }));
    return { data, usage: { promptTokens: outcome.promptTokens, completionTokens: 0 } };
  }

  countTokens(_deployment: GatewayDeployment, text: string): number {
    // Called only after a request was prepared, so the runtime is loaded; an unloaded one counts bytes.
    return this.loaded.get(_deployment.modelVersionId ?? '')?.countTokens(text) ?? Buffer.byteLength(text);
  }

  private readonly loaded = new Map<string, ModelRuntime>();

  private async prepare(call: GenerationCall, deployment: GatewayDeployment): Promise<Prepared> {
    if (!deployment.modelVersionId) throw new UpstreamFailure(`deployment ${deployment.name} has no model version`, 'protocol', false);
    refuseUnsupportedLocalFields(call, deployment.name);
    const runtime = await this.load(deployment.modelVersionId);
    const body = call.body;
    const plan: OutputPlan = call.endpoint === 'chat' ? outputPlan(call.body, this.grammars) : { kind: 'text' };
    const rendered = call.endpoint === 'chat' ? renderChat(runtime.chatTemplate, call.body.messages) : { prompt: Array.isArray(call.body.prompt) ? call.body.prompt[0]! : call.body.prompt, stops: [] };
    const promptTokens = runtime.countTokens(rendered.prompt);
    const room = runtime.contextLength - promptTokens;
    const asked = body.max_tokens ?? (call.endpoint === 'chat' ? call.body.max_completion_tokens : undefined) ?? undefined;
    if (room < 1 || (asked !== undefined && asked > room)) {
      throw new QudaoError('QD_CONTEXT_TOO_LONG', `the prompt has ${promptTokens} tokens; with max_tokens ${asked ?? 1} it exceeds the context of ${runtime.contextLength}`, { param: 'max_tokens' });
    }
    // A constrained answer ends when its JSON is complete; the template's stops (a new turn) would cut it.
    const templateStops = plan.kind === 'text' ? rendered.stops : [];
    return { runtime, prompt: rendered.prompt, stops: [...stopList(body.stop), ...templateStops], maxTokens: asked ?? room, n: body.n ?? 1, plan, logitBias: logitBiasOf(body.logit_bias, runtime), logprobs: logprobsAsked(call) };
  }

  private async load(modelVersionId: string): Promise<ModelRuntime> {
    let runtime: ModelRuntime;
    try {
      runtime = await this.pool.runtime(modelVersionId);
    } catch (err) {
      throw new UpstreamFailure(`model version ${modelVersionId} cannot be loaded: ${(err as Error).message}`, 'protocol', true);
    }
    this.loaded.set(modelVersionId, runtime);
    return runtime;
  }

  /** Generates choice `index`: with a seed, each choice samples its own stream of it (see choiceSeed). */
  private run(deployment: GatewayDeployment, p: Prepared, call: GenerationCall, index: number, signal: AbortSignal, onToken: (text: string, detail?: PieceDetail) => void | Promise<void>): Promise<GenerationOutcome> {
    const seed = call.body.seed === undefined || call.body.seed === null ? undefined : Number(BigInt.asUintN(32, BigInt(call.body.seed)));
    const item: GenerationItem = {
      prompt: p.prompt,
      maxTokens: p.maxTokens,
      temperature: call.body.temperature ?? 1,
      // OpenAI allows top_p 0 (keep only the top token); the sampler wants (0, 1].
      topP: Math.max(call.body.top_p ?? 1, 1e-9),
      stop: p.stops,
      // Any JSON integer is a valid OpenAI seed; the engine's RNG takes 32 bits.
      seed: seed === undefined ? undefined : choiceSeed(seed, index),
      // A chat reply starts at its first visible character, not with the space or newline after `Assistant:`.
      trimStart: call.endpoint === 'chat',
      ...(p.plan.kind === 'text' ? {} : { grammar: p.plan.grammar }),
      ...(p.logitBias ? { logitBias: p.logitBias } : {}),
      ...(call.body.frequency_penalty ? { frequencyPenalty: call.body.frequency_penalty } : {}),
      ...(call.body.presence_penalty ? { presencePenalty: call.body.presence_penalty } : {}),
      ...(p.logprobs ? { logprobs: true, topLogprobs: p.logprobs.top } : {}),
      signal,
      onToken,
    };
    return this.pool.generate(deployment.modelVersionId!, item).catch((err: unknown) => {
      if (err instanceof QudaoError) throw err;
      // The model failed while generating: an upstream failure (502), never an internal error of the gateway.
      throw new UpstreamFailure(`the in-process model failed: ${(err as Error).message}`, 'protocol', false);
    });
  }
}

/**
 * The request timeout of an in-process generation: like an HTTP upstream's, it fires when no token has come
 * for `ms` (a model that never starts, or stalls), but not while the client holds the stream (backpressure:
 * the stall timeout governs then). Expiry aborts every choice of the call; {@link check} then throws the
 * timeout failure (504 QD_UPSTREAM_TIMEOUT).
 */
class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private holds = 0;
  private expired = false;
  private readonly onAbort = () => this.controller.abort();

  constructor(
    private readonly ms: number,
    private readonly parent: AbortSignal,
  ) {
    if (parent.aborted) this.controller.abort();
    else parent.addEventListener('abort', this.onAbort, { once: true });
    this.timer = setTimeout(() => this.expire(), ms);
  }

  /** Aborted when the client goes or the deadline passes. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** A token came: the clock starts again. */
  touch(): void {
    this.timer.refresh();
  }

  /** A token came, and the client may hold the stream with `hold`: no expiry until it settles. */
  hold<T>(hold: T): T {
    this.touch();
    if (hold instanceof Promise) {
      this.holds++;
      const release = () => {
        this.holds--;
        this.touch();
      };
      hold.then(release, release);
    }
    return hold;
  }

  /** Throws the timeout failure if the deadline passed (call after the generation ended). */
  check(): void {
    if (this.expired && !this.parent.aborted) throw new UpstreamFailure(`no token within ${this.ms} ms`, 'timeout', false);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.parent.removeEventListener('abort', this.onAbort);
  }

  private expire(): void {
    if (this.holds > 0) return void this.timer.refresh();
    this.expired = true;
    this.controller.abort();
  }
}

/** The first components of a unit vector, scaled back to unit length. */
function renormalised(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return Float32Array.from(v, (x) => x / norm);
}

/** `logit_bias` as token ids; a key outside the model's vocabulary is the client's error, naming it. */
function logitBiasOf(bias: Record<string, number> | null | undefined, runtime: ModelRuntime): ReadonlyMap<number, number> | undefined {
  if (!bias) return undefined;
  const map = new Map<number, number>();
  for (const [key, value] of Object.entries(bias)) {
    const id = Number(key);
    if (runtime.vocabSize !== undefined && id >= runtime.vocabSize) throw new QudaoError('QD_INVALID_REQUEST', `logit_bias names token ${key}, outside this model's vocabulary of ${runtime.vocabSize} tokens`, { param: `logit_bias.${key}` });
    map.set(id, value);
  }
  return map.size > 0 ? map : undefined;
}

/** Whether (and with how many alternatives) the call asks for log-probabilities. */
function logprobsAsked(call: GenerationCall): { top: number } | undefined {
  if (call.endpoint === 'chat') {
    const top = call.body.top_logprobs ?? undefined;
    if (top !== undefined && call.body.logprobs !== true) throw new QudaoError('QD_INVALID_REQUEST', 'top_logprobs needs logprobs: true', { param: 'top_logprobs' });
    return call.body.logprobs === true ? { top: top ?? 0 } : undefined;
  }
  const k = call.body.logprobs;
  return k === undefined || k === null ? undefined : { top: k };
}

function finish(o: GenerationOutcome, plan?: OutputPlan): string {
  if (o.finishReason === 'length') return 'length';
  return plan?.kind === 'tool' ? 'tool_calls' : 'stop';
}

/** The id of choice `index`'s tool call: from the request id, so a call can be traced to its ledger row. */
function toolCallId(call: GenerationCall, index: number): string {
  return `call_${call.requestId}_${index}`;
}

function usageOf(outcomes: GenerationOutcome[]): { promptTokens: number; completionTokens: number } {
  return { promptTokens: outcomes[0]?.promptTokens ?? 0, completionTokens: outcomes.reduce((s, o) => s + o.completionTokens, 0) };
}
