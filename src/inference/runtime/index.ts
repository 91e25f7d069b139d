/**
 * In-process serving, owned by inference: the runtime contract, the pool that loads one runtime per model
 * version and batches requests to it, and the engine's loader. Callers pass plain functions (a
 * {@link VersionLookup}) instead of the store; the gateway reaches it through {@link LocalModels}.
 */
export type { GenerationItem, GenerationOutcome, FinishReason, PieceDetail, EmbeddingInput, EmbeddingOutcome, ModelRuntime, RuntimeLoader, ModelVersionFiles, VersionLookup, ReadinessCheck, LocalModels } from './contract.js';
export { RuntimePool } from './pool.js';
export { engineRuntime, engineRuntimeLoader, versionReadiness, type EngineRuntimeOptions, type EngineLoaderOptions } from './engine-runtime.js';
export { ClassifierPool, engineClassifierLoader, type Classification, type ClassifierRuntime, type ClassifierLoader, type LocalClassifiers, type ClassifierLoaderOptions } from './classifier-runtime.js';
