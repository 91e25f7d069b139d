import { eq } from 'drizzle-orm';
import { createEngine, loadCheckpoint, type Engine, type KernelChoice } from '../../engine/index.js';
import { BatchGenerator } from '../../inference/index.js';
import { modelFromCheckpoint, type CausalLM } from '../../models/index.js';
import { schema, type Store } from '../../store/index.js';
import { byteTokenizer, createStreamDecoder, gpt2Tokenizer, tokenizerFromJSON, type Tokenizer, type TokenizerJSON } from '../../tokenizer/index.js';
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
 * pass per step (continuous batching in `BatchGenerator`), tokens are decoded to text incrementally (a
 * character split across tokens is held back until complete), and stop sequences end a request as soon as
 * they appear in its text, which is cut before them.
 */
export function engineRuntime(model: CausalLM, tokenizer: Tokenizer, options: EngineRuntimeOptions = {}): ModelRuntime {
  const generator = new BatchGenerator(model, { maxBatch: options.maxBatch ?? 8 });
  return {
    contextLength: Number.isFinite(model.maxContext) ? model.maxContext : UNBOUNDED_CONTEXT,
    chatTemplate: options.chatTemplate ?? 'plain',
    countTokens: (text) => tokenizer.encode(text).length,
    generateBatch: (items) => Promise.all(items.map((item) => generateOne(generator, tokenizer, item))),
  };
}

async function generateOne(generator: BatchGenerator, tokenizer: Tokenizer, item: GenerationItem): Promise<GenerationOutcome> {
  const ids = tokenizer.encode(item.prompt);
  const prompt = ids.length > 0 ? ids : [tokenizer.eotId];
  const stopAt = new AbortController();
  const onAbort = () => stopAt.abort();
  item.signal.addEventListener('abort', onAbort, { once: true });
  const decoder = createStreamDecoder(tokenizer);
  let text = '';
  let emitted = 0;
  let stopped = false;
  try {
    const stream = generator.submit(prompt, {
      maxTokens: item.maxTokens,
      temperature: item.temperature,
      topP: item.topP,
      ...(item.seed === undefined ? {} : { seed: item.seed }),
      stopTokenIds: [tokenizer.eotId],
      signal: stopAt.signal,
      onToken: (t) => {
        if (stopped) return;
        const piece = decoder.push(t.token);
        const candidate = text + piece;
        const cut = firstStop(candidate, item.stop, Math.max(0, text.length - longest(item.stop)));
        emitted++;
        if (cut >= 0) {
          stopped = true;
          stopAt.abort();
          if (cut > text.length) return item.onToken(candidate.slice(text.length, cut));
          return;
        }
        text = candidate;
        return item.onToken(piece); // a promise holds this request in the batch (backpressure)
      },
    });
    const result = await stream.result;
    const finishReason = stopped ? 'stop' : item.signal.aborted ? 'cancelled' : result.finishReason;
    return { promptTokens: prompt.length, completionTokens: emitted, finishReason };
  } finally {
    item.signal.removeEventListener('abort', onAbort);
  }
}

function longest(stops: readonly string[]): number {
  return stops.reduce((m, s) => Math.max(m, s.length), 0);
}

/** Index of the earliest stop sequence in `text` at or after `from`, or -1. */
function firstStop(text: string, stops: readonly string[], from: number): number {
  let best = -1;
  for (const s of stops) {
    if (!s) continue;
    const i = text.indexOf(s, from);
    if (i >= 0 && (best < 0 || i < best)) best = i;
  }
  return best;
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
