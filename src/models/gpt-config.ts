// GPT-2's hyper-parameters on their own, so the model (gpt.ts) and its incremental decode
// (gpt-decode.ts) both import them without importing each other.

/** GPT-2 hyper-parameters (Hugging Face names in comments). */
export interface GptConfig {
  /** Token ids (`vocab_size`). */
  vocabSize: number;
  /** Longest sequence, positions learned (`n_positions`). */
  contextLength: number;
  /** Transformer blocks (`n_layer`). */
  nLayer: number;
  /** Attention heads (`n_head`). */
  nHead: number;
  /** Model width (`n_embd`). */
  dModel: number;
  /** Dropout on embeddings and residual branches (`resid_pdrop`); default 0. */
  dropout?: number;
}
