/**
 * An interpolated Kneser-Ney n-gram language model over token ids (Kneser & Ney 1995; the interpolated form
 * of Chen & Goodman, "An empirical study of smoothing techniques for language modeling", 1998, eq. 17 with
 * one discount per order): the classical baseline a neural language model's perplexity is set beside.
 *
 *   P_k(w | h) = ( max(c_k(h w) − D_k, 0) + D_k · N₁₊(h •) · P_{k−1}(w | h') ) / Σ_w c_k(h w)
 *
 * where `h'` is `h` without its oldest token, `c_n` are the raw counts at the highest order, `c_k` for
 * k < n the continuation counts `N₁₊(• h w)` (how many distinct tokens precede `h w`), and `P_0(w) = 1/V`
 * (uniform over the tokenizer's vocabulary, so an id never seen in training still has a probability). A
 * context never seen (`Σ_w c_k(h w) = 0`) falls through to `P_{k−1}`. `D_k = n₁ / (n₁ + 2 n₂)` from the
 * count-of-counts at that order (Ney, Essen & Kneser 1994), unless given.
 */
export interface NgramModel {
  readonly order: number;
  readonly vocabSize: number;
  /** `D_k` for k = 1 .. order (index k − 1). */
  readonly discounts: readonly number[];
  /** Per order k (index k − 1): count of each k-gram, keyed by its ids in base `vocabSize`. */
  readonly counts: ReadonlyArray<Map<number, number>>;
  /** Per order: `Σ_w c_k(h w)` of each context h (a (k−1)-gram key; order 1's single context is key 0). */
  readonly contextTotals: ReadonlyArray<Map<number, number>>;
  /** Per order: `N₁₊(h •)`, the distinct tokens seen after h. */
  readonly contextTypes: ReadonlyArray<Map<number, number>>;
}

/** Options of {@link trainNgram}. */
export interface NgramOptions {
  /** Default 3 (lowered when `vocabSize^order` would not fit a float's 53-bit integers). */
  readonly order?: number;
  /** Fixed discounts per order (1 .. order); default estimated from the counts. */
  readonly discounts?: readonly number[];
}

/** The highest order whose keys fit exactly in a double: `vocabSize^order ≤ 2^53`. */
export function maxOrderFor(vocabSize: number): number {
  return Math.max(1, Math.floor(53 / Math.log2(Math.max(2, vocabSize))));
}

/** Counts every n-gram of `tokens` (one stream: documents separated by their `<|endoftext|>` ids). */
export function trainNgram(tokens: ArrayLike<number>, vocabSize: number, options: NgramOptions = {}): NgramModel {
  const order = Math.min(options.order ?? 3, maxOrderFor(vocabSize));
  if (!(order >= 1)) throw new RangeError(`order must be at least 1, got ${order}`);
  const V = vocabSize;
  const counts = Array.from({ length: order }, () => new Map<number, number>());
  // Highest order: raw counts of every n-gram in the stream.
  const top = counts[order - 1]!;
  for (let i = order - 1; i < tokens.length; i++) {
    let key = 0;
    for (let j = i - order + 1; j <= i; j++) key = key * V + tokens[j]!;
    top.set(key, (top.get(key) ?? 0) + 1);
  }
  // Lower orders: each distinct (k+1)-gram (v h w) adds one to the continuation count of its suffix (h w).
  for (let k = order - 1; k >= 1; k--) {
    const modulus = V ** k;
    const lower = counts[k - 1]!;
    for (const key of counts[k]!.keys()) {
      const suffix = key % modulus;
      lower.set(suffix, (lower.get(suffix) ?? 0) + 1);
    }
  }
  const contextTotals = counts.map(() => new Map<number, number>());
  const contextTypes = counts.map(() => new Map<number, number>());
  counts.forEach((level, k) => {
    for (const [key, c] of level) {
      const context = k === 0 ? 0 : Math.floor(key / V);
      contextTotals[k]!.set(context, (contextTotals[k]!.get(context) ?? 0) + c);
      contextTypes[k]!.set(context, (contextTypes[k]!.get(context) ?? 0) + 1);
    }
  });
  const discounts = options.discounts ? [...options.discounts] : counts.map(estimatedDiscount);
  if (discounts.length !== order || discounts.some((d) => !(d > 0 && d < 1))) throw new RangeError(`need ${order} discounts in (0, 1), got ${discounts.join(', ')}`);
  return { order, vocabSize: V, discounts, counts, contextTotals, contextTypes };
}

/** `n₁ / (n₁ + 2 n₂)`, clamped into [0.1, 0.9] (a level with no singletons or no doubletons gets a usable D). */
function estimatedDiscount(level: Map<number, number>): number {
  let n1 = 0;
  let n2 = 0;
  for (const c of level.values()) {
    if (c === 1) n1++;
    else if (c === 2) n2++;
  }
  const d = n1 + 2 * n2 === 0 ? 0.5 : n1 / (n1 + 2 * n2);
  return Math.min(0.9, Math.max(0.1, d));
}

/**
 * `P(w | context)`: `context` holds the preceding ids (at most `order − 1` are used, oldest first), so a
 * short context uses the lower orders only.
 */
export function ngramProbability(model: NgramModel, context: readonly number[], w: number): number {
  const V = model.vocabSize;
  const used = context.slice(Math.max(0, context.length - (model.order - 1)));
  let p = 1 / V;
  // From order 1 up to 1 + used.length: each level interpolates with the one below.
  for (let k = 1; k <= used.length + 1; k++) {
    let h = 0;
    for (let j = used.length - (k - 1); j < used.length; j++) h = h * V + used[j]!;
    const total = model.contextTotals[k - 1]!.get(h);
    if (!total) continue;
    const D = model.discounts[k - 1]!;
    const c = model.counts[k - 1]!.get(h * V + w) ?? 0;
    p = (Math.max(c - D, 0) + D * model.contextTypes[k - 1]!.get(h)! * p) / total;
  }
  return p;
}

/**
 * Mean next-token loss (nats) over exactly the positions a language model is scored on in windows of
 * `seqLen`: window `w` starts at `w·seqLen` and predicts the `seqLen` tokens after its start, each from the
 * window's tokens before it — the n-gram is given no context the model did not have.
 */
export function ngramWindowLoss(model: NgramModel, tokens: ArrayLike<number>, seqLen: number, windows: number): { loss: number; tokens: number } {
  let sum = 0;
  let scored = 0;
  const context: number[] = [];
  for (let w = 0; w < windows; w++) {
    const start = w * seqLen;
    for (let t = 1; t <= seqLen; t++) {
      const at = start + t;
      context.length = 0;
      for (let j = Math.max(start, at - (model.order - 1)); j < at; j++) context.push(tokens[j]!);
      sum -= Math.log(ngramProbability(model, context, tokens[at]!));
      scored++;
    }
  }
  if (scored === 0) throw new RangeError('no tokens were scored');
  return { loss: sum / scored, tokens: scored };
}
