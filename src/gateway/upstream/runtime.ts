/**
 * The contract between the gateway and an in-process model. The inference engine implements it; the
 * gateway knows nothing else about models. A runtime generates for a batch of requests at once (one
 * forward pass per step for all of them), and the {@link RuntimePool} forms those batches.
 */

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
  /** Aborts this item only (client gone); the rest of the batch continues. */
  readonly signal: AbortSignal;
  /**
   * Called with each generated token's text, in order, as soon as it is sampled. A returned promise means
   * the consumer cannot take more yet (the client's socket is not draining): the runtime must not generate
   * this item's next token until it settles, and should keep the rest of the batch going meanwhile.
   */
  onToken(text: string): void | Promise<void>;
}

/** Why an item stopped: a stop sequence or end of text, `max_tokens`, or abort. */
export type FinishReason = 'stop' | 'length' | 'cancelled';

/** What an item produced: exact token counts from the model's tokenizer. */
export interface GenerationOutcome {
  readonly promptTokens: number;
  readonly completionTokens: number;
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
}

/** Loads the runtime of a model version (the engine's checkpoint loader, or a fake in tests). */
export type RuntimeLoader = (modelVersionId: string) => Promise<ModelRuntime>;
