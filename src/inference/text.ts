import { createStreamDecoder, type Tokenizer } from '../tokenizer/index.js';
import type { CausalLM } from '../models/index.js';
import { BatchGenerator, type FinishReason } from './generator.js';
import type { SamplingOptions, TokenLogprob } from './sampler.js';
import { GrammarMasks, MaskCache, tokenVocabulary, type JsonGrammar, type TokenVocabulary } from './constrained/index.js';

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
  /**
   * Constrained decoding: the text is a JSON text of this grammar (it ends, finish reason `stop`, once
   * complete; `length` if max_tokens cuts it first).
   */
  readonly grammar?: JsonGrammar;
  /** Token id → logit bias; see {@link LogitAdjustments}. */
  readonly logitBias?: ReadonlyMap<number, number>;
  readonly frequencyPenalty?: number;
  readonly presencePenalty?: number;
  /** Report each token's log-probability (and `topLogprobs` alternatives) with the text. */
  readonly logprobs?: boolean;
  readonly topLogprobs?: number;
  /**
   * Each piece of text as soon as it is final, with the tokens it holds; a returned promise holds this
   * request (backpressure).
   */
  onText?(piece: string, detail: PieceDetail): void | Promise<void>;
}

/** One token as OpenAI's `logprobs` report it: its text, raw bytes and log-probability. */
export interface TokenLogprobEntry {
  readonly token: string;
  readonly bytes: number[];
  readonly logprob: number;
}

/** A generated token with its most likely alternatives (`top_logprobs`). */
export interface TokenDetail extends TokenLogprobEntry {
  readonly topLogprobs: TokenLogprobEntry[];
}

/** What a piece of text holds: how many tokens, and (when asked for) their log-probabilities. */
export interface PieceDetail {
  readonly tokens: number;
  readonly logprobs?: readonly TokenDetail[];
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
  /** The vocabulary's byte trie, built on the first constrained request. */
  private vocabulary: TokenVocabulary | undefined;
  /** Token masks per grammar, so requests with the same grammar object share a warm cache. */
  private readonly masks = new WeakMap<JsonGrammar, GrammarMasks>();
  /** One memory budget for the masks of every grammar (64 MB). */
  private readonly maskCache = new MaskCache();

  constructor(
    model: CausalLM & { train?(on: boolean): unknown },
    readonly tokenizer: Tokenizer,
    options: { readonly maxBatch?: number } = {},
  ) {
    model.train?.(false);
    this.vocabSize = model.vocabSize;
    this.generator = new BatchGenerator(model, { maxBatch: options.maxBatch ?? 8 });
  }

  /** A fresh constraint for `grammar` over this model's vocabulary. */
  private constraintFor(grammar: JsonGrammar) {
    let masks = this.masks.get(grammar);
    if (!masks) {
      this.vocabulary ??= tokenVocabulary(this.tokenizer, this.vocabSize);
      masks = new GrammarMasks(grammar, this.vocabulary, this.maskCache);
      this.masks.set(grammar, masks);
    }
    return masks.start();
  }

  /** Releases the generator's decode state. */
  dispose(): void {
    this.generator.dispose();
  }

  /**
   * Generates text for one request, decoding tokens incrementally (a character split across tokens is
   * held back until complete) and ending as soon as a stop sequence appears, the text cut before it. Text
   * that could be the start of a stop sequence is held back too, so a stream never shows part of one.
   */
  async generate(request: TextRequest): Promise<TextOutcome> {
    const { ids, own } = promptIds(this.tokenizer, request.prompt, this.vocabSize);
    const stopAt = new AbortController();
    const onAbort = () => stopAt.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const decoder = createStreamDecoder(this.tokenizer);
    const stops = (request.stop ?? []).filter((x) => x !== '');
    const wantLogprobs = request.logprobs === true;
    /** Text handed to `onText` so far. */
    let text = '';
    /** Decoded text not handed out yet: it might begin a stop sequence. */
    let held = '';
    /** Tokens whose text is (partly) in `held` or not decoded yet, with their log-probabilities. */
    let heldTokens: HeldToken[] = [];
    let emitted = 0;
    let stopped = false;
    let started = !request.trimStart;
    const handOut = (piece: string, tokens: HeldToken[]): void | Promise<void> => {
      text += piece;
      return request.onText?.(piece, { tokens: tokens.length, ...(wantLogprobs ? { logprobs: tokens.map((t) => t.detail) } : {}) });
    };
    try {
      const stream = this.generator.submit(ids, {
        maxTokens: request.maxTokens,
        ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
        ...(request.topP === undefined ? {} : { topP: request.topP }),
        ...(request.topK === undefined ? {} : { topK: request.topK }),
        ...(request.seed === undefined ? {} : { seed: request.seed }),
        ...(request.logitBias === undefined ? {} : { logitBias: request.logitBias }),
        ...(request.frequencyPenalty === undefined ? {} : { frequencyPenalty: request.frequencyPenalty }),
        ...(request.presencePenalty === undefined ? {} : { presencePenalty: request.presencePenalty }),
        ...(wantLogprobs ? { topLogprobs: request.topLogprobs ?? 0 } : {}),
        stopTokenIds: [this.tokenizer.eotId],
        signal: stopAt.signal,
        ...(request.grammar ? { constraint: this.constraintFor(request.grammar) } : {}),
        onToken: (t) => {
          if (stopped) return;
          emitted++;
          let piece = decoder.push(t.token);
          if (!started) {
            piece = piece.trimStart();
            // Whitespace before the answer is the template's: billed (it was generated) but not shown.
            if (piece === '') return;
            started = true;
          }
          heldTokens.push({ detail: this.detailOf(t.token, t.logprob, t.top, wantLogprobs), chars: piece.length });
          const candidate = held + piece;
          const cut = firstStop(text + candidate, stops, Math.max(0, text.length - longest(stops)));
          if (cut >= 0) {
            stopped = true;
            stopAt.abort();
            const rest = candidate.slice(0, Math.max(0, cut - text.length));
            // The tokens whose text is shown; those wholly inside the stop sequence are not.
            const shown = rest ? heldTokens.slice(0, tokensCovering(heldTokens, rest.length)) : [];
            heldTokens = [];
            held = '';
            return rest ? handOut(rest, shown) : undefined;
          }
          const keep = stopPrefixLength(text + candidate, stops, candidate.length);
          if (keep === 0) {
            const tokens = heldTokens;
            heldTokens = [];
            held = '';
            return handOut(candidate, tokens);
          }
          held = candidate.slice(candidate.length - keep);
          const out = candidate.slice(0, candidate.length - keep);
          if (out === '') return;
          const n = tokensCovering(heldTokens, out.length);
          const tokens = heldTokens.slice(0, n);
          heldTokens = heldTokens.slice(n);
          return handOut(out, tokens);
        },
      });
      const result = await stream.result;
      // The text ended without completing a stop sequence: what was held back is part of the answer.
      if (!stopped && (held !== '' || heldTokens.length > 0)) {
        const tokens = heldTokens;
        const piece = held;
        held = '';
        heldTokens = [];
        await handOut(piece, tokens);
      }
      const finishReason = stopped ? 'stop' : request.signal?.aborted ? 'cancelled' : result.finishReason;
      return { text, promptTokens: own, completionTokens: emitted, finishReason };
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** A token's text, raw bytes and log-probabilities, as OpenAI's `logprobs` report them. */
  private detailOf(token: number, logprob: number, top: readonly TokenLogprob[] | undefined, full: boolean): TokenDetail {
    if (!full) return { token: '', bytes: [], logprob, topLogprobs: [] };
    const entry = (id: number, lp: number) => {
      const bytes = this.tokenizer.tokenBytes ? Array.from(this.tokenizer.tokenBytes(id)) : Array.from(Buffer.from(this.tokenizer.decode([id])));
      return { token: this.tokenizer.decode([id]), bytes, logprob: lp };
    };
    return { ...entry(token, logprob), topLogprobs: (top ?? []).map((t) => entry(t.token, t.logprob)) };
  }
}

/**
 * How many of `tokens` it takes to cover the first `chars` characters of their joined text (at least one,
 * so a piece always carries the token that began it).
 */
function tokensCovering(tokens: readonly HeldToken[], chars: number): number {
  let length = 0;
  for (let i = 0; i < tokens.length; i++) {
    length += tokens[i]!.chars;
    if (length >= chars) return i + 1;
  }
  return tokens.length;
}

/** A generated token not handed out yet, and how many characters of decoded text it added. */
interface HeldToken {
  readonly detail: TokenDetail;
  readonly chars: number;
}

/**
 * The length of the longest tail of `text`, at most `limit` characters, that is a proper prefix of a stop
 * sequence: that much must be held back, since the next token may complete the stop.
 */
function stopPrefixLength(text: string, stops: readonly string[], limit: number): number {
  let best = 0;
  for (const s of stops) {
    for (let k = Math.min(s.length - 1, limit, text.length); k > best; k--) {
      if (text.endsWith(s.slice(0, k))) {
        best = k;
        break;
      }
    }
  }
  return best;
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
