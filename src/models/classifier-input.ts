/**
 * How a classifier reads a document longer than its window, and how it packs documents into one batch of
 * rows. Pure functions over token ids, shared by training, evaluation and serving so the three read every
 * document the same way.
 */

/** How a row's token states become one feature vector. */
export const poolings = ['last', 'mean'] as const;
/** `last`: the hidden state of the last non-pad token; `mean`: the mean over the non-pad tokens. */
export type Pooling = (typeof poolings)[number];

/** What the classifier reads of a document longer than its window of `seqLen` tokens. */
export const truncations = ['head', 'head+tail', 'chunk-and-pool'] as const;
/**
 * - `head`: the first `seqLen` tokens.
 * - `head+tail`: the first `ceil(seqLen/2)` and the last `floor(seqLen/2)` tokens, joined in one window (Sun et
 *   al. 2019, "How to Fine-Tune BERT for Text Classification": the end of a long text carries as much as its
 *   start). A document that fits is read whole.
 * - `chunk-and-pool`: consecutive windows of `seqLen` tokens (the last one shorter), at most
 *   {@link MAX_CHUNKS}; each is a row of the batch and the document's feature pools all of its rows (see
 *   {@link SequenceClassifier}).
 */
export type Truncation = (typeof truncations)[number];

/**
 * Rows one document may take under `chunk-and-pool`: bounds a batch's memory; tokens past
 * `MAX_CHUNKS · seqLen` are dropped (at 256 tokens that is 2,048, more than any 4,000-character e-mail).
 */
export const MAX_CHUNKS = 8;

/**
 * The token windows the classifier reads of one document, each at most `seqLen` tokens. An empty document is
 * one window of one `padId` (a row has to hold a token to be pooled).
 */
export function documentWindows(tokens: readonly number[], seqLen: number, truncation: Truncation, padId: number): number[][] {
  if (!Number.isInteger(seqLen) || seqLen < 1) throw new RangeError(`seqLen must be a positive integer, got ${seqLen}`);
  if (tokens.length === 0) return [[padId]];
  if (tokens.length <= seqLen) return [[...tokens]];
  switch (truncation) {
    case 'head':
      return [tokens.slice(0, seqLen)];
    case 'head+tail': {
      const head = Math.ceil(seqLen / 2);
      const tail = seqLen - head;
      return [[...tokens.slice(0, head), ...tokens.slice(tokens.length - tail)]];
    }
    case 'chunk-and-pool': {
      const out: number[][] = [];
      for (let at = 0; at < tokens.length && out.length < MAX_CHUNKS; at += seqLen) out.push(tokens.slice(at, at + seqLen));
      return out;
    }
  }
}

/**
 * Rows of a batch and the documents they belong to: `lengths[r]` non-pad tokens at the start of row `r`
 * (right padding), which belongs to document `docOf[r]` of `documents`.
 */
export interface RowLayout {
  readonly lengths: Int32Array;
  readonly docOf: Int32Array;
  readonly documents: number;
}

/** Documents packed as right-padded rows (B rows of T tokens) and how rows map to documents. */
export interface DocumentBatch {
  readonly ids: Int32Array;
  readonly shape: readonly [number, number];
  readonly layout: RowLayout;
}

/**
 * Packs documents as right-padded rows, each document's windows (see {@link documentWindows}) in order. The
 * width is the longest window of the batch, at most `seqLen`: padding changes nothing the classifier computes
 * (attention is causal and pooling skips it), so a batch of short documents costs only its own length.
 */
export function packDocuments(docs: readonly (readonly number[])[], seqLen: number, truncation: Truncation, padId: number): DocumentBatch {
  const windows = docs.map((d) => documentWindows(d, seqLen, truncation, padId));
  const rows = windows.reduce((n, w) => n + w.length, 0);
  const width = windows.reduce((m, w) => w.reduce((mm, row) => Math.max(mm, row.length), m), 1);
  const ids = new Int32Array(rows * width).fill(padId);
  const lengths = new Int32Array(rows);
  const docOf = new Int32Array(rows);
  let r = 0;
  windows.forEach((ws, d) => {
    for (const w of ws) {
      ids.set(w, r * width);
      lengths[r] = w.length;
      docOf[r] = d;
      r++;
    }
  });
  return { ids, shape: [rows, width], layout: { lengths, docOf, documents: docs.length } };
}

/**
 * The pooling matrix P (documents × rows·T): a document's feature is `P · H` over the token states H (rows·T ×
 * C). `last` puts 1/k on the last token of each of the document's k rows (the mean of their last-token
 * states); `mean` puts 1/n on each of its n non-pad tokens across all of its rows (the mean of every token
 * state it read, so a chunk weighs by its length).
 */
export function poolingWeights(layout: RowLayout, width: number, pooling: Pooling): Float32Array {
  const { lengths, docOf, documents } = layout;
  const rows = lengths.length;
  const per = new Float64Array(documents);
  for (let r = 0; r < rows; r++) per[docOf[r]!] += pooling === 'last' ? 1 : lengths[r]!;
  const P = new Float32Array(documents * rows * width);
  for (let r = 0; r < rows; r++) {
    const d = docOf[r]!;
    const n = lengths[r]!;
    if (n < 1 || n > width) throw new RangeError(`row ${r} holds ${n} tokens, outside 1..${width}`);
    const at = d * rows * width + r * width;
    if (pooling === 'last') P[at + n - 1] = 1 / per[d]!;
    else for (let t = 0; t < n; t++) P[at + t] = 1 / per[d]!;
  }
  return P;
}

/** One row per document, its length up to its last token that is not `padId` (at least 1). */
export function rowsAsDocuments(ids: Int32Array, shape: readonly [number, number], padId: number): RowLayout {
  const [B, T] = shape;
  const lengths = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    let last = 0;
    for (let t = 0; t < T; t++) if (ids[b * T + t] !== padId) last = t;
    lengths[b] = last + 1;
  }
  return { lengths, docOf: Int32Array.from({ length: B }, (_, b) => b), documents: B };
}
