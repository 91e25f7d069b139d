import { argmax, classificationReport, confusionMatrix, type ClassificationReport } from '../metrics.js';
import { binaryRows, countRows, logTfUnitRows, vocabularyOf } from './features.js';
import { trainLogisticRegression, logisticScores } from './logistic-regression.js';
import { naiveBayesScores, trainNaiveBayes } from './naive-bayes.js';
import { mcnemar, pairedBootstrap, type McNemarResult } from './significance.js';

/** The classical classifiers every classifier evaluation is set beside. */
export const classifierBaselineNames = ['naive-bayes', 'logistic-regression'] as const;
/** One of {@link classifierBaselineNames}. */
export type ClassifierBaselineName = (typeof classifierBaselineNames)[number];

/** The model against one baseline on the same examples. */
export interface VersusModel {
  /** Model accuracy minus the baseline's (a fraction: 0.01 is one point). */
  readonly accuracyDifference: number;
  /** Examples only the model got right (McNemar's b). */
  readonly modelOnlyCorrect: number;
  /** Examples only the baseline got right (McNemar's c). */
  readonly baselineOnlyCorrect: number;
  readonly mcnemar: McNemarResult;
  /** Paired bootstrap 95 % percentile interval of `accuracyDifference` (2,000 resamples, seed 1337). */
  readonly bootstrap95: readonly [number, number];
  /** McNemar's p below 0.05. */
  readonly significant: boolean;
}

/** A baseline trained on the data folder's train split and scored on the same examples as the model. */
export interface ClassifierBaseline extends ClassificationReport {
  readonly name: ClassifierBaselineName;
  /** What it is, in a line (features, smoothing or penalty). */
  readonly method: string;
  /** Training documents and the token ids they hold (the feature columns). */
  readonly trainExamples: number;
  readonly features: number;
  /** Predicted class id per scored example (same order as the model's). */
  readonly predictions: readonly number[];
  readonly versusModel: VersusModel;
}

/** Labeled documents: token ids (the whole document) and a class id. */
type Examples = ReadonlyArray<{ readonly tokens: readonly number[]; readonly label: number }>;

/** Inverse L2 strength of the logistic regression (scikit-learn's default `C`). */
const LOGISTIC_C = 1;

/**
 * Trains binary multinomial naive Bayes (Laplace α = 1, token presence) and L2 logistic regression (C = 1,
 * `1 + ln tf` unit-normalised rows, L-BFGS) on `train`, scores both on `scored`, and sets each beside the
 * model's predictions on the same examples: McNemar's test and a paired bootstrap interval.
 */
export function classifierBaselines(train: Examples, scored: Examples, modelPredictions: readonly number[], classes: number): ClassifierBaseline[] {
  if (modelPredictions.length !== scored.length) throw new RangeError(`${scored.length} examples but ${modelPredictions.length} model predictions`);
  const vocab = vocabularyOf(train.map((e) => e.tokens));
  const trainCounts = countRows(train.map((e) => e.tokens), vocab);
  const scoredCounts = countRows(scored.map((e) => e.tokens), vocab);
  const trainLabels = train.map((e) => e.label);
  const truth = scored.map((e) => e.label);
  const nb = trainNaiveBayes(binaryRows(trainCounts), trainLabels, classes, 1);
  const lr = trainLogisticRegression(logTfUnitRows(trainCounts), trainLabels, classes, { c: LOGISTIC_C });
  const fitted: Array<[ClassifierBaselineName, string, Float64Array]> = [
    ['naive-bayes', 'binary multinomial naive Bayes, Laplace smoothing (α = 1), token presence over the whole document', naiveBayesScores(nb, binaryRows(scoredCounts))],
    ['logistic-regression', `logistic regression, L2 (C = ${LOGISTIC_C}), 1 + ln tf unit-normalised, L-BFGS (${lr.iterations} iterations), whole document`, logisticScores(lr, logTfUnitRows(scoredCounts))],
  ];
  const modelCorrect = modelPredictions.map((p, i) => p === truth[i]);
  return fitted.map(([name, method, scores]) => {
    const predictions = truth.map((_, i) => argmax(scores, i * classes, classes));
    const report = classificationReport(confusionMatrix(truth, predictions, classes));
    const correct = predictions.map((p, i) => p === truth[i]);
    return { name, method, trainExamples: train.length, features: vocab.columns, ...report, predictions, versusModel: versus(modelCorrect, correct) };
  });
}

/** The model's correctness against a baseline's, example by example. */
export function versus(modelCorrect: readonly boolean[], baselineCorrect: readonly boolean[]): VersusModel {
  let modelOnly = 0;
  let baselineOnly = 0;
  let modelRight = 0;
  let baselineRight = 0;
  modelCorrect.forEach((m, i) => {
    const b = baselineCorrect[i]!;
    if (m) modelRight++;
    if (b) baselineRight++;
    if (m && !b) modelOnly++;
    if (b && !m) baselineOnly++;
  });
  const test = mcnemar(modelOnly, baselineOnly);
  return {
    accuracyDifference: (modelRight - baselineRight) / modelCorrect.length,
    modelOnlyCorrect: modelOnly,
    baselineOnlyCorrect: baselineOnly,
    mcnemar: test,
    bootstrap95: pairedBootstrap(modelCorrect, baselineCorrect, { seed: 1337 }),
    significant: test.pValue < 0.05,
  };
}
