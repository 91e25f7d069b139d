import { Rng } from '../engine/index.js';
import type { CausalLM, DecodeState } from '../models/index.js';
import { adjustLogits, adjustsLogits, sampleToken, topLogprobs, validateSampling, type LogitAdjustments, type SamplingOptions, type TokenLogprob } from './sampler.js';
import { Channel } from './channel.js';
import type { TokenConstraint } from './constrained/index.js';

/** Options of one generation request. */
export interface GenerateOptions extends SamplingOptions, LogitAdjustments {
  /**
   * How many most likely alternatives to report with each token (`top_logprobs`), from the logits after
   * bias and penalties; 0 or absent: none.
   */
  topLogprobs?: number;
  /** Most tokens to generate (the stop token does not count). */
  maxTokens: number;
  /** Token ids that end generation; the stop token itself is not emitted. */
  stopTokenIds?: readonly number[];
  /** Seed of the sampling RNG (same seed, prompt and model: same tokens). Default: random. */
  seed?: number;
  /** Aborting ends the request with finish reason `cancelled`, keeping what was generated. */
  signal?: AbortSignal;
  /**
   * Called with each token as soon as it is chosen. A returned promise holds this request (its consumer
   * cannot take more yet, e.g. a client socket that is not draining): its next token is not computed until
   * the promise settles, while the other requests in the batch keep decoding. Aborting ends a held request.
   */
  onToken?: (token: GeneratedToken) => void | Promise<void>;
  /**
   * Constrained decoding: masks the logits before each token is sampled, and ends the request (`stop`) as
   * soon as the constrained text is complete. The stop tokens are never allowed while it is on.
   */
  constraint?: TokenConstraint;
}

/** One generated token. */
export interface GeneratedToken {
  token: number;
  /**
   * Log-probability at temperature 1 under the logits the token was drawn from: the model's, after
   * `logitBias` and the penalties (before temperature and top-p, which only shape the draw).
   */
  logprob: number;
  /** The `topLogprobs` most likely tokens at this position, most likely first (when asked for). */
  top?: TokenLogprob[];
  /** 0-based position among the generated tokens. */
  index: number;
}

/** Why generation ended: a stop token, maxTokens or the context limit, or the abort signal. */
export type FinishReason = 'stop' | 'length' | 'cancelled';

/** The outcome of a request. */
export interface GenerationResult {
  tokens: number[];
  logprobs: number[];
  finishReason: FinishReason;
  promptTokens: number;
}

/** Tokens as they are generated (async iterable), and the final result. */
export interface GenerationStream extends AsyncIterable<GeneratedToken> {
  readonly result: Promise<GenerationResult>;
}

interface Request {
  prompt: Int32Array;
  options: GenerateOptions;
  stop: Set<number>;
  rng: Rng;
  channel: Channel<GeneratedToken>;
  tokens: number[];
  logprobs: number[];
  /** How often each token was generated so far (for the penalties). */
  counts: Map<number, number>;
  row: number;
  last: number;
  /** True while the consumer's promise from `onToken` is pending: the row is left out of the decode. */
  held: boolean;
  resolve: (r: GenerationResult) => void;
  reject: (e: unknown) => void;
}

/** Options of {@link BatchGenerator}. */
export interface BatchGeneratorOptions {
  /** Most requests decoded together in one forward (default 8). */
  maxBatch?: number;
}

/**
 * Runs concurrent generation requests on one model, decoding all active requests together: one
 * forward per step computes the next token of every request (continuous batching). Each request is
 * prefilled alone when it joins. Generation resets the engine's activation arena at every step, so
 * do not interleave it with a training step on the same engine.
 */
export class BatchGenerator {
  private readonly state: DecodeState;
  private readonly freeRows: number[];
  private readonly pending: Request[] = [];
  private readonly active: Request[] = [];
  private running = false;
  /** Wakes the decode loop when it sleeps because every active request is held. */
  private wake: (() => void) | null = null;

  constructor(private readonly model: CausalLM, options: BatchGeneratorOptions = {}) {
    const maxBatch = options.maxBatch ?? 8;
    if (!(Number.isInteger(maxBatch) && maxBatch >= 1)) throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
    this.state = model.createDecodeState(maxBatch);
    this.freeRows = Array.from({ length: maxBatch }, (_, i) => maxBatch - 1 - i);
  }

  /** Queues a request; tokens stream from the returned iterable, the summary from `.result`. */
  submit(prompt: ArrayLike<number>, options: GenerateOptions): GenerationStream {
    validateSampling(options);
    if (!(Number.isInteger(options.maxTokens) && options.maxTokens >= 0)) throw new RangeError(`maxTokens must be an integer >= 0, got ${options.maxTokens}`);
    if (prompt.length === 0) throw new RangeError('the prompt needs at least one token');
    const V = this.model.vocabSize;
    const ids = Int32Array.from(prompt);
    for (const t of ids) if (t < 0 || t >= V) throw new RangeError(`prompt token ${t} outside the vocabulary [0, ${V})`);
    const channel = new Channel<GeneratedToken>();
    let resolve!: (r: GenerationResult) => void;
    let reject!: (e: unknown) => void;
    const result = new Promise<GenerationResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    result.catch(() => {});
    this.pending.push({
      prompt: ids, options, stop: new Set(options.stopTokenIds ?? []),
      rng: new Rng(options.seed ?? Math.floor(Math.random() * 2 ** 32)),
      channel, tokens: [], logprobs: [], counts: new Map(), row: -1, last: 0, held: false, resolve, reject,
    });
    options.signal?.addEventListener('abort', () => this.wakeUp(), { once: true });
    if (!this.running) void this.run();
    else this.wakeUp();
    return { result, [Symbol.asyncIterator]: () => channel[Symbol.asyncIterator]() };
  }

  /** Releases the decode state (KV cache). Pending requests are not served afterwards. */
  dispose(): void {
    this.state.dispose();
  }

  private async run(): Promise<void> {
    this.running = true;
    const V = this.model.vocabSize;
    try {
      while (this.pending.length > 0 || this.active.length > 0) {
        while (this.pending.length > 0 && this.freeRows.length > 0) {
          const r = this.pending.shift()!;
          r.row = this.freeRows.pop()!;
          this.state.reset(r.row);
          if (r.options.signal?.aborted) this.finish(r, 'cancelled');
          else if (r.options.maxTokens === 0 || r.prompt.length >= this.model.maxContext) this.finish(r, 'length');
          else {
            this.model.engine.resetArena();
            const logits = this.model.decode(this.state, r.prompt, new Int32Array(r.prompt.length).fill(r.row));
            this.accept(r, logits);
          }
        }
        const live = this.active.filter((r) => {
          if (r.options.signal?.aborted) {
            this.finish(r, 'cancelled');
            return false;
          }
          return !r.held;
        });
        if (live.length === 0 && this.active.length > 0 && (this.pending.length === 0 || this.freeRows.length === 0)) {
          // Every active request is held by its consumer: sleep until one is released, aborts, or a request arrives.
          await new Promise<void>((res) => (this.wake = res));
          continue;
        }
        if (live.length > 0) {
          this.model.engine.resetArena();
          const logits = this.model.decode(this.state, Int32Array.from(live, (r) => r.last), Int32Array.from(live, (r) => r.row));
          live.forEach((r, i) => this.accept(r, logits.subarray(i * V, (i + 1) * V)));
        }
        // Let consumers, new submissions and abort signals run between steps.
        await new Promise<void>((res) => setImmediate(res));
      }
    } catch (err) {
      for (const r of [...this.active, ...this.pending.splice(0)]) {
        r.channel.close(err);
        r.reject(err);
      }
      this.active.length = 0;
    } finally {
      this.running = false;
    }
  }

  private accept(r: Request, logits: Float32Array): void {
    if (r.options.signal?.aborted) return this.finish(r, 'cancelled');
    const constraint = r.options.constraint;
    const shaped = adjustsLogits(r.options) ? adjustLogits(logits, r.options, r.counts) : logits;
    // A constrained text that cannot go on (no token of the vocabulary continues it) ends as truncated.
    if (constraint && !constraint.mask(shaped, r.options.maxTokens - r.tokens.length - 1)) return this.finish(r, 'length');
    const s = sampleToken(shaped, r.options, r.rng);
    if (r.stop.has(s.token)) return this.finish(r, 'stop');
    constraint?.advance(s.token);
    const tok: GeneratedToken = { token: s.token, logprob: s.logprob, index: r.tokens.length };
    if (r.options.topLogprobs) tok.top = topLogprobs(shaped, r.options.topLogprobs);
    r.counts.set(s.token, (r.counts.get(s.token) ?? 0) + 1);
    r.tokens.push(s.token);
    r.logprobs.push(s.logprob);
    const hold = r.options.onToken?.(tok);
    r.channel.push(tok);
    // Only a promise holds: callbacks written as expressions (`(t) => seen.push(t)`) return other values.
    if (hold instanceof Promise) {
      r.held = true;
      const release = () => {
        r.held = false;
        this.wakeUp();
      };
      hold.then(release, release);
    }
    // A complete constrained text ends here: the grammar would allow nothing but the end.
    if (constraint?.complete) return this.finish(r, 'stop');
    if (r.tokens.length >= r.options.maxTokens || this.state.length(r.row) >= this.model.maxContext) return this.finish(r, 'length');
    r.last = s.token;
    if (!this.active.includes(r)) this.active.push(r);
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private finish(r: Request, reason: FinishReason): void {
    const i = this.active.indexOf(r);
    if (i >= 0) this.active.splice(i, 1);
    this.freeRows.push(r.row);
    r.channel.close();
    r.resolve({ tokens: r.tokens, logprobs: r.logprobs, finishReason: reason, promptTokens: r.prompt.length });
  }
}

/** Generates for one prompt; resolves with every token (use `onToken` or {@link streamTokens} to stream). */
export async function generate(model: CausalLM, prompt: ArrayLike<number>, options: GenerateOptions): Promise<GenerationResult> {
  const gen = new BatchGenerator(model, { maxBatch: 1 });
  try {
    return await gen.submit(prompt, options).result;
  } finally {
    gen.dispose();
  }
}

/** Generates for one prompt as an async iterable of tokens; `.result` gives the summary. */
export function streamTokens(model: CausalLM, prompt: ArrayLike<number>, options: GenerateOptions): GenerationStream {
  const gen = new BatchGenerator(model, { maxBatch: 1 });
  const stream = gen.submit(prompt, options);
  stream.result.then(() => gen.dispose(), () => gen.dispose());
  return stream;
}

/** One request of {@link generateBatch}. */
export interface BatchRequest {
  prompt: ArrayLike<number>;
  options: GenerateOptions;
}

/** Generates for several prompts together (one forward per step for all of them). */
export async function generateBatch(model: CausalLM, requests: readonly BatchRequest[], options: BatchGeneratorOptions = {}): Promise<GenerationResult[]> {
  const gen = new BatchGenerator(model, { maxBatch: options.maxBatch ?? Math.max(1, requests.length) });
  try {
    return await Promise.all(requests.map((r) => gen.submit(r.prompt, r.options).result));
  } finally {
    gen.dispose();
  }
}
