import type { Engine } from '../engine/index.js';

/**
 * Per-row incremental state of a language model being decoded (a KV cache for GPT, the recurrent
 * state for the LSTM). Rows are independent sequences; persistent memory, released by `dispose`.
 */
export interface DecodeState {
  /** Number of rows (concurrent sequences). */
  readonly rows: number;
  /** Tokens consumed so far by `row`. */
  length(row: number): number;
  /** Forgets `row`'s history so the row can hold a new sequence. */
  reset(row: number): void;
  /** Releases the state's memory. */
  dispose(): void;
}

/** What generation needs from a model: incremental decoding over token ids. */
export interface CausalLM {
  readonly engine: Engine;
  /** Number of token ids. */
  readonly vocabSize: number;
  /** Longest sequence a row can hold (Infinity for recurrent models). */
  readonly maxContext: number;
  /** A fresh state for `rows` concurrent sequences. */
  createDecodeState(rows: number): DecodeState;
  /**
   * Feeds `tokens[i]` to row `rows[i]`, in order, and returns the next-token logits after each run of
   * consecutive entries for the same row: (number of runs) × vocabSize values, on the JS heap.
   * Prefill one row with `rows` all equal; decode one step for many rows with distinct `rows`.
   */
  decode(state: DecodeState, tokens: Int32Array, rows: Int32Array): Float32Array;
}

/** Splits `rows` into runs of equal consecutive values: [start, end) pairs. */
export function rowRuns(rows: Int32Array): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i === rows.length || rows[i] !== rows[start]) {
      runs.push([start, i]);
      start = i;
    }
  }
  return runs;
}
