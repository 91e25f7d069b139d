/** Step 5 of the pipeline, evaluate: pure metrics, checkpoint scoring and version comparison. */
export * from './metrics.js';
export { evaluateModel, evaluateLanguageModel, type EvaluateOptions, type Evaluation, type LmEvaluation, type ClassifierEvaluation } from './evaluate.js';
export { compareModels, type Comparison } from './compare.js';
export * from './baselines/index.js';
