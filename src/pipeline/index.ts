/**
 * The model pipeline (seed §3.2): data → model choice → pretrain → fine-tune → evaluate → deploy, as pure
 * library steps (each in its folder), the runs that record them, the registry, and the `/api` routes.
 */
export { createPipelineServices, type PipelineServices, type PipelineOptions } from './services.js';
export { pipelineRoutes } from './routes.js';
export { presetTable, measureTrainingFlops, trainingFlopsPerToken, type PresetRow } from './presets.js';
export { ensureBundledModel, BUNDLED_MODEL_NAME, type BundledModelResult } from './bundled.js';
