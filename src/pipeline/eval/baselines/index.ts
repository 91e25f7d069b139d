/** Classical baselines an evaluation is set beside: naive Bayes and logistic regression for classifiers, a Kneser-Ney n-gram for language models. */
export { classifierBaselines, classifierBaselineNames, versus, type ClassifierBaseline, type ClassifierBaselineName, type VersusModel } from './classifier.js';
export { lmBaseline, type LmBaseline } from './lm.js';
export { mcnemar, pairedBootstrap, type McNemarResult } from './significance.js';
export { classifierBaselineLines, lmBaselineLines } from './format.js';
