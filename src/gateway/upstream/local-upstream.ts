import { QudaoError } from '../../errors/index.js';
import { choiceSeed } from '../../inference/index.js';
import { renderChat } from '../openai/chat-templates.js';
import { stopList } from '../openai/schemas.js';
import type { GatewayDeployment } from '../types.js';
import type { GenerationItem, GenerationOutcome, ModelRuntime } from './runtime.js';
import type { RuntimePool } from './runtime-pool.js';
import { UpstreamFailure, type ChunkSink, type Choice, type CompletionResult, type GenerationCall, type StreamResult, type Upstream } from './types.js';

interface Prepared {
  runtime: ModelRuntime;
  prompt: string;
  stops: string[];
  maxTokens: number;
  n: number;
}

/** Serves deployments of kind `local`: the engine's models, in this process, through the runtime pool. */
export class LocalUpstream implements Upstream {
  constructor(private readonly pool: RuntimePool) {}

  async complete(call: GenerationCall, deployment: GatewayDeployment, signal: AbortSignal): Promise<CompletionResult> {
    const p = await this.prepare(call, deployment);
    const texts = Array.from({ length: p.n }, () => '');
    const outcomes = await Promise.all(texts.map((_, i) => this.run(deployment, p, call, i, signal, (t) => void (texts[i] += t))));
    const choices: Choice[] = outcomes.map((o, i) =>
      call.endpoint === 'chat'
        ? { index: i, message: { role: 'assistant', content: texts[i] }, finish_reason: finish(o) }
        : { index: i, text: texts[i], finish_reason: finish(o), logprobs: null },
    );
    return { choices, usage: usageOf(outcomes) };
  }

  async stream(call: GenerationCall, deployment: GatewayDeployment, onChunk: ChunkSink, signal: AbortSignal): Promise<StreamResult> {
    const p = await this.prepare(call, deployment);
    const chunk = (i: number, text: string, reason: string | null): Choice =>
      call.endpoint === 'chat' ? { index: i, delta: text || reason === null ? { content: text } : {}, finish_reason: reason } : { index: i, text, finish_reason: reason, logprobs: null };
    const outcomes = await Promise.all(
      Array.from({ length: p.n }, async (_, i) => {
        if (call.endpoint === 'chat') await onChunk([{ index: i, delta: { role: 'assistant', content: '' }, finish_reason: null }], 0);
        // onChunk's promise (the client is not draining) holds this choice's generation: backpressure.
        const o = await this.run(deployment, p, call, i, signal, (t) => onChunk([chunk(i, t, null)], 1));
        if (!signal.aborted) onChunk([chunk(i, '', finish(o))], 0);
        return o;
      }),
    );
    return { usage: usageOf(outcomes) };
  }

  countTokens(_deployment: GatewayDeployment, text: string): number {
    // Called only after a request was prepared, so the runtime is loaded; an unloaded one counts bytes.
    return this.loaded.get(_deployment.modelVersionId ?? '')?.countTokens(text) ?? Buffer.byteLength(text);
  }

  private readonly loaded = new Map<string, ModelRuntime>();

  private async prepare(call: GenerationCall, deployment: GatewayDeployment): Promise<Prepared> {
    if (!deployment.modelVersionId) throw new UpstreamFailure(`deployment ${deployment.name} has no model version`, 'protocol', false);
    let runtime: ModelRuntime;
    try {
      runtime = await this.pool.runtime(deployment.modelVersionId);
    } catch (err) {
      throw new UpstreamFailure(`model version ${deployment.modelVersionId} cannot be loaded: ${(err as Error).message}`, 'protocol', true);
    }
    this.loaded.set(deployment.modelVersionId, runtime);
    const body = call.body;
    const rendered = call.endpoint === 'chat' ? renderChat(runtime.chatTemplate, call.body.messages) : { prompt: Array.isArray(call.body.prompt) ? call.body.prompt[0]! : call.body.prompt, stops: [] };
    const promptTokens = runtime.countTokens(rendered.prompt);
    const room = runtime.contextLength - promptTokens;
    const asked = body.max_tokens ?? (call.endpoint === 'chat' ? call.body.max_completion_tokens : undefined) ?? undefined;
    if (room < 1 || (asked !== undefined && asked > room)) {
      throw new QudaoError('QD_CONTEXT_TOO_LONG', `the prompt has ${promptTokens} tokens; with max_tokens ${asked ?? 1} it exceeds the context of ${runtime.contextLength}`, { param: 'max_tokens' });
    }
    return { runtime, prompt: rendered.prompt, stops: [...stopList(body.stop), ...rendered.stops], maxTokens: asked ?? room, n: body.n ?? 1 };
  }

  /** Generates choice `index`: with a seed, each choice samples its own stream of it (see choiceSeed). */
  private run(deployment: GatewayDeployment, p: Prepared, call: GenerationCall, index: number, signal: AbortSignal, onToken: (text: string) => void | Promise<void>): Promise<GenerationOutcome> {
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

function finish(o: GenerationOutcome): string {
  return o.finishReason === 'length' ? 'length' : 'stop';
}

function usageOf(outcomes: GenerationOutcome[]): { promptTokens: number; completionTokens: number } {
  return { promptTokens: outcomes[0]?.promptTokens ?? 0, completionTokens: outcomes.reduce((s, o) => s + o.completionTokens, 0) };
}
