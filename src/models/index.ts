/** Models built on the engine: GPT-2, the seed's LSTM language model, a classification head, presets. */
export { GPT, Block, type ModelOptions, type LmOutput } from './gpt.js';
export type { GptConfig } from './gpt-config.js';
export { GptKvCache } from './gpt-decode.js';
export { LstmLM, LstmDecodeState, type LstmLmConfig } from './lstm-lm.js';
export { SequenceClassifier, type ClassifierOptions, type ClassifierOutput, type ReadingOptions } from './classifier.js';
export { type CausalLM, type DecodeState } from './causal-lm.js';
export { PRESETS, presetSpec, createModel, parameterCount, estimateMemory, type ModelSpec, type PresetName, type MemoryEstimate } from './presets.js';
export { stateDict, loadStateDict, StateDictError } from './state-dict.js';
export { gradientStep, trainStep, type StepPlan, type TrainableModel, type Batch, type StepResult } from './train-step.js';
export { toCheckpoint, specOf, modelFromCheckpoint, restoreTraining, type TrainingProgress } from './checkpointing.js';
export { poolings, truncations, MAX_CHUNKS, documentWindows, packDocuments, poolingWeights, type Pooling, type Truncation, type RowLayout, type DocumentBatch } from './classifier-input.js';
