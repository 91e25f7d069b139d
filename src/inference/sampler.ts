import type { Rng } from '../engine/index.js';

/** How the next token is chosen from the logits. */
export interface SamplingOptions {
  /** Softmax temperature; 0 means greedy (argmax). Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens (0 or absent: all). */
  topK?: number;
  /** Nucleus sampling: keep the smallest set of tokens whose probability reaches p (1 or absent: all). */
  topP?: number;
}

/** A chosen token and its log-probability under the unmodified (temperature 1) distribution. */
export interface SampledToken {
  token: number;
  logprob: number;
}

/** A token and its log-probability, for the `top_logprobs` alternatives. */
export interface TokenLogprob {
  readonly token: number;
  readonly logprob: number;
}

/**
 * How a request reshapes the logits before sampling, as OpenAI documents it: for each token j,
 * `logit[j] + bias[j] − count[j]·frequency − (count[j] > 0)·presence`, where count[j] is how often j
 * was generated so far in this request (the prompt does not count).
 */
export interface LogitAdjustments {
  /** Token id → bias added to its logit (OpenAI: −100…100; −100 effectively bans the token). */
  readonly logitBias?: ReadonlyMap<number, number>;
  readonly frequencyPenalty?: number;
  readonly presencePenalty?: number;
}

/** The bias that bans a token outright. */
export const BAN_BIAS = -100;

/** True when `a` changes any logit. */
export function adjustsLogits(a: LogitAdjustments): boolean {
  return (a.logitBias !== undefined && a.logitBias.size > 0) || (a.frequencyPenalty ?? 0) !== 0 || (a.presencePenalty ?? 0) !== 0;
}

/**
 * The logits after bias and penalties (a new array; `logits` is left as it is). `counts` maps a token id to
 * how often it has been generated so far.
 */
export function adjustLogits(logits: Float32Array, a: LogitAdjustments, counts: ReadonlyMap<number, number>): Float32Array {
  const out = Float32Array.from(logits);
  // −100 is OpenAI's ban: made exact (−∞, never drawn), where e^−100 would merely make it unlikely.
  if (a.logitBias) for (const [token, bias] of a.logitBias) if (token >= 0 && token < out.length) out[token] = bias <= BAN_BIAS ? -Infinity : out[token]! + bias;
  const frequency = a.frequencyPenalty ?? 0;
  const presence = a.presencePenalty ?? 0;
  if (frequency !== 0 || presence !== 0) for (const [token, count] of counts) if (count > 0) out[token] = out[token]! - count * frequency - presence;
  return out;
}

/**
 * The `k` most likely tokens of `logits` with their log-probabilities (log-softmax at temperature 1),
 * most likely first; ties go to the lower id.
 */
export function topLogprobs(logits: Float32Array, k: number): TokenLogprob[] {
  const V = logits.length;
  let max = -Infinity;
  for (let i = 0; i < V; i++) if (logits[i]! > max) max = logits[i]!;
  let z = 0;
  for (let i = 0; i < V; i++) z += Math.exp(logits[i]! - max);
  const logZ = max + Math.log(z);
  // A sorted list of at most k entries: O(V·k), cheaper than sorting V for the k ≤ 20 OpenAI allows.
  const top: number[] = [];
  for (let i = 0; i < V && k > 0; i++) {
    const v = logits[i]!;
    if (v === -Infinity) continue; // a banned token is no alternative
    if (top.length === k && v <= logits[top[k - 1]!]!) continue;
    let j = top.length < k ? top.length : k - 1;
    top[j] = i;
    while (j > 0 && logits[top[j - 1]!]! < v) {
      top[j] = top[j - 1]!;
      top[j - 1] = i;
      j--;
    }
  }
  return top.map((token) => ({ token, logprob: logits[token]! - logZ }));
}

/** Checks sampling options once, when a request is made. */
export function validateSampling(o: SamplingOptions): void {
  const t = o.temperature ?? 1;
  if (!(t >= 0 && Number.isFinite(t))) throw new RangeError(`temperature must be a finite number >= 0, got ${t}`);
  if (o.topK !== undefined && !(Number.isInteger(o.topK) && o.topK >= 0)) throw new RangeError(`topK must be an integer >= 0, got ${o.topK}`);
  if (o.topP !== undefined && !(o.topP > 0 && o.topP <= 1)) throw new RangeError(`topP must be in (0, 1], got ${o.topP}`);
}

/**
 * Picks the next token from `logits` (V values): greedy when temperature is 0, else a draw from
 * softmax(logits / temperature) restricted by top-k and then top-p, using `rng`.
 */
export function sampleToken(logits: Float32Array, options: SamplingOptions, rng: Rng): SampledToken {
  const V = logits.length;
  let max = -Infinity;
  let arg = 0;
  for (let i = 0; i < V; i++) {
    if (logits[i]! > max) {
      max = logits[i]!;
      arg = i;
    }
  }
  let z = 0;
  for (let i = 0; i < V; i++) z += Math.exp(logits[i]! - max);
  const logZ = max + Math.log(z);
  const temperature = options.temperature ?? 1;
  if (temperature === 0) return { token: arg, logprob: logits[arg]! - logZ };

  // Candidates by descending logit; only sort when a cut-off needs the order.
  const topK = options.topK && options.topK > 0 ? Math.min(options.topK, V) : V;
  const topP = options.topP ?? 1;
  let order: number[];
  if (topK < V || topP < 1) {
    order = Array.from({ length: V }, (_, i) => i).sort((a, b) => logits[b]! - logits[a]! || a - b).slice(0, topK);
  } else {
    order = Array.from({ length: V }, (_, i) => i);
  }
  const probs = new Float64Array(order.length);
  let sum = 0;
  for (let j = 0; j < order.length; j++) {
    probs[j] = Math.exp((logits[order[j]!]! - max) / temperature);
    sum += probs[j]!;
  }
  let keep = order.length;
  if (topP < 1) {
    let cum = 0;
    for (let j = 0; j < order.length; j++) {
      cum += probs[j]! / sum;
      if (cum >= topP) {
        keep = j + 1;
        break;
      }
    }
    sum = 0;
    for (let j = 0; j < keep; j++) sum += probs[j]!;
  }
  let u = rng.uniform() * sum;
  for (let j = 0; j < keep; j++) {
    u -= probs[j]!;
    if (u < 0) return { token: order[j]!, logprob: logits[order[j]!]! - logZ };
  }
  const last = order[keep - 1]!;
  return { token: last, logprob: logits[last]! - logZ };
}
