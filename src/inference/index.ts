/**
 * Generation on token ids: KV-cached (GPT) or stateful (LSTM) decoding, temperature / top-k /
 * top-p sampling with a seeded RNG, stop tokens, streaming, cancellation, and batching of
 * concurrent requests; on text (`TextGenerator`): the one sampling path of the gateway's
 * in-process models and `qudao generate`; and in-process serving (`runtime/`): a version's checkpoint
 * loaded into a model on the engine, one runtime per version, requests batched in a `RuntimePool`.
 */
export { sampleToken, validateSampling, adjustLogits, topLogprobs, BAN_BIAS, type SamplingOptions, type SampledToken, type LogitAdjustments, type TokenLogprob } from './sampler.js';
export {
  BatchGenerator, generate, streamTokens, generateBatch,
  type GenerateOptions, type GeneratedToken, type FinishReason, type GenerationResult, type GenerationStream,
  type BatchGeneratorOptions, type BatchRequest,
} from './generator.js';
export {
  compileJsonSchema, compileToolCall, anyJsonObject, UnsupportedSchemaError, JsonAutomaton, GrammarMasks, MaskCache, tokenVocabulary,
  type JsonGrammar, type ToolSchema, type TokenConstraint, type TokenVocabulary,
} from './constrained/index.js';
export { TextGenerator, promptIds, choiceSeed, type TextRequest, type TextOutcome, type PieceDetail, type TokenDetail, type TokenLogprobEntry } from './text.js';
export {
  RuntimePool, engineRuntime, engineRuntimeLoader, versionReadiness,
  type GenerationItem, type GenerationOutcome, type EmbeddingInput, type EmbeddingOutcome, type ModelRuntime, type RuntimeLoader, type ModelVersionFiles,
  type VersionLookup, type ReadinessCheck, type LocalModels, type EngineRuntimeOptions, type EngineLoaderOptions,
  ClassifierPool, engineClassifierLoader,
  type Classification, type ClassifierRuntime, type ClassifierLoader, type LocalClassifiers, type ClassifierLoaderOptions,
} from './runtime/index.js';
export {
  chatTemplates, chatTemplateOf, renderChatSegments, renderChatPrompt,
  type ChatTemplate, type ChatRole, type ChatTurn, type ChatSegment,
} from './chat-templates.js';
