import { eq } from 'drizzle-orm';
import { createEngine, loadCheckpoint, type Engine, type KernelChoice } from '../../engine/index.js';
import { TextGenerator } from '../../inference/index.js';
import { modelFromCheckpoint, type CausalLM } from '../../models/index.js';
import { schema, type Store } from '../../store/index.js';
import { byteTokenizer, gpt2Tokenizer, tokenizerFromJSON, type Tokenizer, type TokenizerJSON } from '../../tokenizer/index.js';
import type { GenerationItem, GenerationOutcome, ModelRuntime, RuntimeLoader } from './runtime.js';

/** Completion room assumed for models without a fixed context (the LSTM). */
const UNBOUNDED_CONTEXT = 1 << 20;

/** Options of {@link engineRuntime}. */
export interface EngineRuntimeOptions {
  /** Rows decoded together per forward pass. */
  readonly maxBatch?: number;
  /** Chat template name (see chatTemplates); `plain` by default. */
  readonly chatTemplate?: string;
}

/**
 * A {@link ModelRuntime} over the engine's inference: the model decodes every active request in one forward
 * pass per step (continuous batching in `BatchGenerator`), through `TextGenerator`, the sampling path
 * `qudao generate` uses too (same prompt, parameters and seed: same text).
 */
export function engineRuntime(model: CausalLM, tokenizer: Tokenizer, options: EngineRuntimeOptions = {}): ModelRuntime {
  const text = new TextGenerator(model, tokenizer, { maxBatch: options.maxBatch ?? 8 });
  return {
    // The start-of-document token before every prompt (see promptIds) takes one position of the context.
    contextLength: Number.isFinite(model.maxContext) ? model.maxContext - (tokenizer.eotId < model.vocabSize ? 1 : 0) : UNBOUNDED_CONTEXT,
    chatTemplate: options.chatTemplate ?? 'plain',
    countTokens: (t) => tokenizer.encode(t).length,
    generateBatch: (items) => Promise.all(items.map((item) => generateOne(text, item))),
  };
}

async function generateOne(text: TextGenerator, item: GenerationItem): Promise<GenerationOutcome> {
  const o = await text.generate({
    prompt: item.prompt,
    maxTokens: item.maxTokens,
    temperature: item.temperature,
    topP: item.topP,
    stop: item.stop,
    seed: item.seed,
    signal: item.signal,
    trimStart: item.trimStart ?? false,
    onText: (piece) => item.onToken(piece),
  });
  return { promptTokens: o.promptTokens, completionTokens: o.completionTokens, finishReason: o.finishReason };
}

/** The tokenizer a checkpoint was trained with: stored in it, else bytes (vocabulary 256) or GPT-2. */
function tokenizerOf(json: unknown, vocabSize: number): Tokenizer {
  if (json) return tokenizerFromJSON(json as TokenizerJSON);
  return vocabSize <= 256 ? byteTokenizer() : gpt2Tokenizer();
}

/** Options of {@link engineRuntimeLoader}. */
export interface EngineLoaderOptions {
  readonly store: Store;
  /** Worker threads of the engine's kernels. */
  readonly threads: number;
  /** Which kernels the engine runs (default `auto`: native when built, else wasm). */
  readonly kernels?: KernelChoice;
  readonly maxBatch?: number;
}

/**
 * Loads model versions from the registry (`model_versions.checkpoint_path`) into engine runtimes. The
 * engine (worker threads, shared memory) is created on the first local request, not at start. A version's
 * `config.chatTemplate` names its chat template.
 */
export function engineRuntimeLoader(options: EngineLoaderOptions): RuntimeLoader {
  let engine: Promise<Engine> | undefined;
  return async (modelVersionId) => {
    const [version] = await options.store.db.select().from(schema.modelVersions).where(eq(schema.modelVersions.id, modelVersionId));
    if (!version) throw new Error(`no model version ${modelVersionId}`);
    const checkpoint = await loadCheckpoint(version.checkpointPath);
    engine ??= createEngine({ threads: options.threads, kernels: options.kernels });
    const { model } = modelFromCheckpoint(await engine, checkpoint);
    const lm = model as unknown as CausalLM;
    const chatTemplate = (version.config as { chatTemplate?: unknown } | null)?.chatTemplate;
    return engineRuntime(lm, tokenizerOf(checkpoint.tokenizer, lm.vocabSize), { maxBatch: options.maxBatch, ...(typeof chatTemplate === 'string' ? { chatTemplate } : {}) });
  };
}
