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
