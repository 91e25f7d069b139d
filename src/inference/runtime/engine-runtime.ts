/**
 * The engine's side of in-process serving (owned by inference): loading a model version's checkpoint into
 * a model, creating the engine on first use, and adapting the model to a {@link ModelRuntime}. It knows
 * versions only through a {@link VersionLookup} (a plain function the composition root builds from the
 * registry), never the store; {@link versionReadiness} is the cheap check health probes use.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createEngine, loadCheckpoint, type Engine, type KernelChoice, type Tensor } from '../../engine/index.js';
import { modelFromCheckpoint, type CausalLM } from '../../models/index.js';
import { byteTokenizer, gpt2Tokenizer, tokenizerFromJSON, type Tokenizer, type TokenizerJSON } from '../../tokenizer/index.js';
import { promptIds, TextGenerator } from '../text.js';
import type { EmbeddingInput, EmbeddingOutcome, GenerationItem, GenerationOutcome, ModelRuntime, ReadinessCheck, RuntimeLoader, VersionLookup } from './contract.js';

/** A language model that exposes its final hidden states (GPT after `ln_f`; the LSTM's top layer). */
type WithFeatures = CausalLM & { features?(ids: Int32Array, shape: readonly [number, number]): Tensor };

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
export function engineRuntime(model: WithFeatures, tokenizer: Tokenizer, options: EngineRuntimeOptions = {}): ModelRuntime {
  const text = new TextGenerator(model, tokenizer, { maxBatch: options.maxBatch ?? 8 });
  const features = model.features?.bind(model);
  return {
    vocabSize: model.vocabSize,
    ...(features ? { embed: (inputs: readonly EmbeddingInput[]) => embedAll(model, features, tokenizer, inputs) } : {}),
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
    ...(item.logitBias === undefined ? {} : { logitBias: item.logitBias }),
    ...(item.frequencyPenalty === undefined ? {} : { frequencyPenalty: item.frequencyPenalty }),
    ...(item.presencePenalty === undefined ? {} : { presencePenalty: item.presencePenalty }),
    ...(item.logprobs === undefined ? {} : { logprobs: item.logprobs }),
    ...(item.topLogprobs === undefined ? {} : { topLogprobs: item.topLogprobs }),
    onText: (piece, detail) => item.onToken(piece, detail),
    ...(item.grammar ? { grammar: item.grammar } : {}),
  });
  return { promptTokens: o.promptTokens, completionTokens: o.completionTokens, finishReason: o.finishReason };
}

/**
 * Embeds inputs one at a time: each is fed as generation feeds a prompt (the start-of-document token, then
 * its tokens), and its vector is the mean of the final hidden states over its own tokens (not the start
 * token), L2-normalised. It runs synchronously between decode steps, so it shares the engine's arena with
 * generation safely: the arena is reset before and after, and no decode step is in flight meanwhile.
 */
function embedAll(model: CausalLM, features: NonNullable<WithFeatures['features']>, tokenizer: Tokenizer, inputs: readonly EmbeddingInput[]): EmbeddingOutcome {
  const vectors: Float32Array[] = [];
  let promptTokens = 0;
  for (const input of inputs) {
    const { ids, own } = typeof input === 'string' ? promptIds(tokenizer, input, model.vocabSize) : { ids: tokenizer.eotId < model.vocabSize ? [tokenizer.eotId, ...input] : [...input], own: input.length };
    if (own === 0) throw new RangeError('an input to embed needs at least one token');
    promptTokens += own;
    const skip = ids.length - own;
    model.engine.resetArena();
    try {
      const hidden = model.engine.noGrad(() => features(Int32Array.from(ids), [1, ids.length]).toArray());
      const width = hidden.length / ids.length;
      const mean = new Float64Array(width);
      for (let t = skip; t < ids.length; t++) for (let c = 0; c < width; c++) mean[c]! += hidden[t * width + c]!;
      let norm = 0;
      for (let c = 0; c < width; c++) norm += mean[c]! * mean[c]!;
      norm = Math.sqrt(norm) || 1;
      vectors.push(Float32Array.from(mean, (v) => v / norm));
    } finally {
      model.engine.resetArena();
    }
  }
  return { vectors, promptTokens };
}

/** The tokenizer a checkpoint was trained with: stored in it, else bytes (vocabulary 256) or GPT-2. */
function tokenizerOf(json: unknown, vocabSize: number): Tokenizer {
  if (json) return tokenizerFromJSON(json as TokenizerJSON);
  return vocabSize <= 256 ? byteTokenizer() : gpt2Tokenizer();
}

/** Options of {@link engineRuntimeLoader}. */
export interface EngineLoaderOptions {
  /** Where each model version's checkpoint is (the registry's `model_versions`), and its config. */
  readonly lookup: VersionLookup;
  /** Worker threads of the engine's kernels. */
  readonly threads: number;
  /** Which kernels the engine runs (default `auto`: native when built, else wasm). */
  readonly kernels?: KernelChoice;
  readonly maxBatch?: number;
}

/**
 * Loads model versions (their checkpoint folders, found through `lookup`) into engine runtimes. The engine
 * (worker threads, shared memory) is created on the first local request, not at start. A version's
 * `config.chatTemplate` names its chat template.
 */
export function engineRuntimeLoader(options: EngineLoaderOptions): RuntimeLoader {
  let engine: Promise<Engine> | undefined;
  return async (modelVersionId) => {
    const version = await options.lookup(modelVersionId);
    if (!version) throw new Error(`no model version ${modelVersionId}`);
    const checkpoint = await loadCheckpoint(version.checkpointPath);
    engine ??= createEngine({ threads: options.threads, kernels: options.kernels });
    // GPT and LstmLM both implement CausalLM: the checkpoint's model is a language model as it stands.
    const { model }: { model: CausalLM } = modelFromCheckpoint(await engine, checkpoint);
    const chatTemplate = chatTemplateOf(version.config);
    return engineRuntime(model, tokenizerOf(checkpoint.tokenizer, model.vocabSize), { maxBatch: options.maxBatch, ...(chatTemplate === undefined ? {} : { chatTemplate }) });
  };
}

/** The chat template a version's config names, if it names one. */
function chatTemplateOf(config: unknown): string | undefined {
  if (typeof config !== 'object' || config === null || !('chatTemplate' in config)) return undefined;
  return typeof config.chatTemplate === 'string' ? config.chatTemplate : undefined;
}

/**
 * Checks, without loading it, that a version could be loaded: it is registered and its checkpoint folder
 * holds its manifest (`checkpoint.json`). Loading the weights would cost seconds and memory on every round.
 */
export function versionReadiness(lookup: VersionLookup): ReadinessCheck {
  return async (modelVersionId) => {
    const version = await lookup(modelVersionId);
    if (!version) throw new Error(`model version ${modelVersionId} is not registered`);
    const path = version.checkpointPath;
    const folder = await stat(path).catch(() => null);
    if (!folder?.isDirectory()) throw new Error(`the checkpoint folder ${path} is missing`);
    if (!(await stat(join(path, 'checkpoint.json')).catch(() => null))) throw new Error(`${path} holds no checkpoint manifest`);
  };
}
