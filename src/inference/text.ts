import { createStreamDecoder, type Tokenizer } from '../tokenizer/index.js';
import type { CausalLM } from '../models/index.js';
import { BatchGenerator, type FinishReason } from './generator.js';
import type { SamplingOptions } from './sampler.js';

/**
 * Text in, text out: the one sampling path shared by the gateway's in-process models and `qudao generate`,
 * so the same prompt, parameters and seed give the same text from both.
 */

/** One text generation request. */
export interface TextRequest extends SamplingOptions {
  /** The text to continue (chat messages already rendered with the model's template). */
  readonly prompt: string;
  readonly maxTokens: number;
  /** Stop sequences: the text ends before the first one that appears. */
  readonly stop?: readonly string[];
  /** Seed of the sampling RNG; absent = random. */
  readonly seed?: number | undefined;
  readonly signal?: AbortSignal;
  /**
   * Drops whitespace before the first visible character of the answer. A chat template ends with the
   * assistant's role marker (`Assistant:`), and the model's first token is usually the space or newline
   * that follows a marker in text; it belongs to the template, not to the reply.
   */
  readonly trimStart?: boolean;
  /** Each piece of text as soon as it is final; a returned promise holds this request (backpressure). */
  onText?(piece: string): void | Promise<void>;
}

/** What a text request produced. `promptTokens` counts the prompt's own tokens (not the start token). */
export interface TextOutcome {
  readonly text: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly finishReason: FinishReason;
}

/**
 * The token ids a prompt is fed as: the end-of-text token, then the prompt. Training data puts that token
 * before every document (see pipeline/data/prepare.ts), so a prompt is read as the start of a document.
 * A model whose vocabulary lacks the token (built without one) gets the prompt alone. `own` counts the
 * prompt's tokens, which is what a request is billed for.
 */
export function promptIds(tokenizer: Tokenizer, prompt: string, vocabSize: number): { ids: number[]; own: number } {
  const own = tokenizer.encode(prompt);
  return { ids: tokenizer.eotId < vocabSize ? [tokenizer.eotId, ...own] : own, own: own.length };
}

/**
 * The seed of choice `index` of a request with `seed`: choice 0 uses the seed itself (so `n: 1` and the
 * first of `n: 2` agree), later choices a splitmix32 hash of (seed, index), so each choice draws its own
 * stream: the same request gives the same choices, and the choices differ from each other.
 */
export function choiceSeed(seed: number, index: number): number {
  if (index === 0) return seed >>> 0;
  let z = (seed + Math.imul(index, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** A model ready to generate text: eval mode (no dropout), its tokenizer, and one batch generator. */
export class TextGenerator {
  private readonly generator: BatchGenerator;
  private readonly vocabSize: number;

  constructor(
    model: CausalLM & { train?(on: boolean): unknown },
    readonly tokenizer: Tokenizer,
    options: { readonly maxBatch?: number } = {},
  ) {
    model.train?.(false);
    this.vocabSize = model.vocabSize;
    this.generator = new BatchGenerator(model, { maxBatch: options.maxBatch ?? 8 });
  }

  /** Releases the generator's decode state. */
  dispose(): void {
    this.generator.dispose();
  }

  /**
   * Generates text for one request, decoding tokens incrementally (a character split across tokens is
   * held back until complete) and ending as soon as a stop sequence appears, the text cut before it.
   */
  async generate(request: TextRequest): Promise<TextOutcome> {
    const { ids, own } = promptIds(this.tokenizer, request.prompt, this.vocabSize);
    const stopAt = new AbortController();
    const onAbort = () => stopAt.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const decoder = createStreamDecoder(this.tokenizer);
    const stops = request.stop ?? [];
    let text = '';
    let emitted = 0;
    let stopped = false;
    let started = !request.trimStart;
    try {
      const stream = this.generator.submit(ids, {
        maxTokens: request.maxTokens,
        ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
        ...(request.topP === undefined ? {} : { topP: request.topP }),
        ...(request.topK === undefined ? {} : { topK: request.topK }),
        ...(request.seed === undefined ? {} : { seed: request.seed }),
        stopTokenIds: [this.tokenizer.eotId],
        signal: stopAt.signal,
        onToken: (t) => {
          if (stopped) return;
          emitted++;
          let piece = decoder.push(t.token);
          if (!started) {
            piece = piece.trimStart();
            if (piece === '') return;
            started = true;
          }
          const candidate = text + piece;
          const cut = firstStop(candidate, stops, Math.max(0, text.length - longest(stops)));
          if (cut >= 0) {
            stopped = true;
            stopAt.abort();
            const rest = candidate.slice(text.length, Math.max(cut, text.length));
            text = candidate.slice(0, Math.max(cut, text.length));
            return rest ? request.onText?.(rest) : undefined;
          }
          text = candidate;
          return request.onText?.(piece);
        },
      });
      const result = await stream.result;
      const finishReason = stopped ? 'stop' : request.signal?.aborted ? 'cancelled' : result.finishReason;
      return { text, promptTokens: own, completionTokens: emitted, finishReason };
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
    }
  }
}

function longest(stops: readonly string[]): number {
  return stops.reduce((m, s) => Math.max(m, s.length), 0);
}

/** Index of the earliest stop sequence in `text` at or after `from`, or -1. */
function firstStop(text: string, stops: readonly string[], from: number): number {
  let best = -1;
  for (const s of stops) {
    if (!s) continue;
    const i = text.indexOf(s, from);
    if (i >= 0 && (best < 0 || i < best)) best = i;
  }
  return best;
}
