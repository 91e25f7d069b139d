/**
 * Steps 3 and 4 of the model pipeline: pretraining and fine-tuning (causal LM and classifier) on the engine,
 * with gradient accumulation, warm-up + cosine, clipping, validation, early stopping, atomic checkpoints and
 * bit-exact resume.
 */
export { trainLanguageModel, assertSameTokenizer } from './pretrain.js';
export { trainChat, validateChatParams, type ChatTrainOptions, type ChatRunFacts } from './chat.js';
export { trainClassifier, type ClassifierTrainOptions } from './classify.js';
export { resolveTrainOptions, type TrainOptions, type ResolvedTrainOptions, type ModelSource } from './options.js';
export { runTrainingLoop, initialLoopState, type CurvePoint, type LoopState, type LoopOutcome, type TrainingTask, type LoopConfig } from './loop.js';
export { sampleLmBatch, validationBatches, packClassBatch, permutation, type LabeledExample, type TokenIds } from './batches.js';
export { readCheckpoint, languageModelFrom, classifierFrom, classifierMetaOf, checkpointSpec, lmCheckpoint, classifierCheckpoint, type ClassifierMeta, type LanguageModel } from './model-io.js';
export { RUN_FILES, isDir, writeRunSummary, type RunSummary, type ValidationScope } from './run-folder.js';
export { withEngine, type TrainHooks } from './session.js';
