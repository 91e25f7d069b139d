import type { SparseRows } from './features.js';

/**
 * Multinomial naive Bayes with Laplace (add-α) smoothing over token counts, as in Manning, Raghavan &
 * Schütze, *Introduction to Information Retrieval* (2008), §13.2, Figure 13.2 (TrainMultinomialNB /
 * ApplyMultinomialNB): `P̂(c) = N_c / N`, `P̂(t | c) = (T_ct + α) / (Σ_t' T_ct' + α·|V|)`, and a document
 * goes to the class maximising `log P̂(c) + Σ_t count(t) · log P̂(t | c)`.
 */
export interface NaiveBayesModel {
  readonly classes: number;
  readonly columns: number;
  /** `log P̂(c)`, per class. */
  readonly logPrior: Float64Array;
  /** `log P̂(t | c)` at `[t * classes + c]`. */
  readonly logLikelihood: Float64Array;
}

/** Fits the model on count rows and their class ids (0 .. classes-1). `alpha` 1 is Laplace's rule. */
export function trainNaiveBayes(x: SparseRows, labels: readonly number[], classes: number, alpha = 1): NaiveBayesModel {
  if (labels.length !== x.rows) throw new RangeError(`${x.rows} rows but ${labels.length} labels`);
  if (!(alpha > 0)) throw new RangeError(`alpha must be positive, got ${alpha}`);
  const docs = new Float64Array(classes);
  const termCounts = new Float64Array(x.columns * classes);
  const totals = new Float64Array(classes);
  for (let i = 0; i < x.rows; i++) {
    const c = labels[i]!;
    if (!(c >= 0 && c < classes)) throw new RangeError(`label out of range at ${i}: ${c}`);
    docs[c]!++;
    for (let e = x.rowStart[i]!; e < x.rowStart[i + 1]!; e++) {
      termCounts[x.cols[e]! * classes + c]! += x.values[e]!;
      totals[c]! += x.values[e]!;
    }
  }
  // A class with no training document gets prior 0 (log −∞): it is never predicted, as it cannot be estimated.
  const logPrior = docs.map((n) => Math.log(n / x.rows));
  const logLikelihood = new Float64Array(termCounts.length);
  for (let t = 0; t < x.columns; t++) {
    for (let c = 0; c < classes; c++) logLikelihood[t * classes + c] = Math.log((termCounts[t * classes + c]! + alpha) / (totals[c]! + alpha * x.columns));
  }
  return { classes, columns: x.columns, logPrior, logLikelihood };
}

/** `log P̂(c) + Σ_t count(t) · log P̂(t | c)` for each row, as `[row * classes + c]`. */
export function naiveBayesScores(model: NaiveBayesModel, x: SparseRows): Float64Array {
  const k = model.classes;
  const out = new Float64Array(x.rows * k);
  for (let i = 0; i < x.rows; i++) {
    for (let c = 0; c < k; c++) out[i * k + c] = model.logPrior[c]!;
    for (let e = x.rowStart[i]!; e < x.rowStart[i + 1]!; e++) {
      const t = x.cols[e]!;
      for (let c = 0; c < k; c++) out[i * k + c]! += x.values[e]! * model.logLikelihood[t * k + c]!;
    }
  }
  return out;
}
