/**
 * The serving contract of in-process models, owned by inference: what a loaded model can do
 * ({@link ModelRuntime}), how a model version is loaded ({@link RuntimeLoader}), what a loader needs to know
 * about a version ({@link VersionLookup}, a plain function the composition root builds from the registry),
 * and what a caller of the serving runtime sees ({@link LocalModels}, implemented by `RuntimePool`). The
 * gateway routes requests to it through {@link LocalModels} and knows nothing else about models. A runtime
 * generates for a batch of requests at once (one forward pass per step for all of them), and the pool forms
 * those batches.
 */
import type { FinishReason } from '../generator.js';
import type { JsonGrammar } from '../constrained/index.js';
import type { PieceDetail } from '../text.js';

export type { FinishReason, PieceDetail };

/** One request's part of a batch. */
export interface GenerationItem {
  /** The prompt text (chat messages already rendered with the model's chat template). */
  readonly prompt: string;
  readonly maxTokens: number;
  readonly temperature: number;
  readonly topP: number;
  readonly stop: readonly string[];
  readonly seed: number | undefined;
  /** Drop whitespace before the answer's first visible character (chat: it follows the role marker). */
  readonly trimStart?: boolean;
  /** Constrained decoding: the text must be a JSON text of this grammar (response_format, tools). */
  readonly grammar?: JsonGrammar;
  /** Token id → bias added to its logit (−100 bans the token). */
  readonly logitBias?: ReadonlyMap<number, number>;
  /** OpenAI's penalties: logit − count·frequency − (count > 0)·presence, counts over generated tokens. */
  readonly frequencyPenalty?: number;
  readonly presencePenalty?: number;
  /** Report each token's log-probability with its text, and this many alternatives (`top_logprobs`). */
  readonly logprobs?: boolean;
  readonly topLogprobs?: number;
  /** Aborts this item only (client gone); the rest of the batch continues. */
  readonly signal: AbortSignal;
  /**
   * Called with each generated token's text, in order, as soon as it is sampled. A returned promise means
   * the consumer cannot take more yet (the client's socket is not draining): the runtime must not generate
   * this item's next token until it settles, and should keep the rest of the batch going meanwhile.
   * `detail` says how many tokens the text holds (absent: one) and, when asked for, their log-probabilities;
   * text that might begin a stop sequence is held back, so one call may carry several tokens or none.
   */
  onToken(text: string, detail?: PieceDetail): void | Promise<void>;
}

/** What an item produced: exact token counts from the model's tokenizer. */
export interface GenerationOutcome {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Why it stopped: a stop sequence or end of text (`stop`), `max_tokens` (`length`), or abort (`cancelled`). */
  readonly finishReason: FinishReason;
}

/** A loaded model that can generate. */
export interface ModelRuntime {
  /** Longest prompt plus completion, in tokens. */
  readonly contextLength: number;
  /** The chat template the model was trained with (a key of `chatTemplates`). */
  readonly chatTemplate: string;
  /** Tokens in `text` under the model's tokenizer. */
  countTokens(text: string): number;
  /** Generates for every item together; resolves with one outcome per item, same order. */
  generateBatch(items: readonly GenerationItem[]): Promise<GenerationOutcome[]>;
  /** Number of token ids (for `logit_bias` and token-array inputs); absent: not known. */
  readonly vocabSize?: number;
  /**
   * Embeds each input (text, or token ids of the model's vocabulary): the mean of the final hidden states
   * (after the last layer norm) over the input's own tokens, L2-normalised. Absent: the model cannot embed.
   */
  embed?(inputs: readonly EmbeddingInput[]): EmbeddingOutcome;
}

/** One input of {@link ModelRuntime.embed}: text, or token ids. */
export type EmbeddingInput = string | readonly number[];

/** Vectors of {@link ModelRuntime.embed}, one per input, and the input tokens counted. */
export interface EmbeddingOutcome {
  readonly vectors: Float32Array[];
  readonly promptTokens: number;
}

/** Loads the runtime of a model version (the engine's checkpoint loader, or a fake in tests). */
export type RuntimeLoader = (modelVersionId: string) => Promise<ModelRuntime>;

/** Where a registered model version's weights are and how it was configured (a row of the registry). */
export interface ModelVersionFiles {
  /** The checkpoint folder (safetensors + JSON, with its `checkpoint.json` manifest). */
  readonly checkpointPath: string;
  /** The version's config; `chatTemplate` (a string) names its chat template. */
  readonly config: unknown;
}

/** Finds a model version's files by id; undefined when no such version is registered. */
export type VersionLookup = (modelVersionId: string) => Promise<ModelVersionFiles | undefined>;

/** Resolves when a model version could be loaded (without loading it); rejects with the reason otherwise. */
export type ReadinessCheck = (modelVersionId: string) => Promise<void>;

/** The in-process models as a caller sees them: one runtime per version, loaded on first use, batched. */
export interface LocalModels {
  /** The runtime of a version, loading it on first use. */
  runtime(modelVersionId: string): Promise<ModelRuntime>;
  /** Queues one generation on a version's runtime; resolves when it has finished. */
  generate(modelVersionId: string, item: GenerationItem): Promise<GenerationOutcome>;
}
