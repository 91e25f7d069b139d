import { minimizeLbfgs } from './lbfgs.js';
import type { SparseRows } from './features.js';

/**
 * Multinomial (softmax) logistic regression with an L2 penalty on the weights (not the biases), fitted by
 * full-batch L-BFGS — deterministic: the same data give the same weights, no seed involved. The objective
 * is scikit-learn's `LogisticRegression(C)` divided by the number of rows:
 *   `(1/n) Σ_i −log softmax(W x_i + b)[y_i]  +  ‖W‖² / (2·C·n)`.
 */
export interface LogisticModel {
  readonly classes: number;
  readonly columns: number;
  /** `W[j * classes + c]`, then the `classes` biases. */
  readonly theta: Float64Array;
}

/** Options of {@link trainLogisticRegression}. */
export interface LogisticOptions {
  /** Inverse regularisation strength, scikit-learn's `C`; default 1. */
  readonly c?: number;
  /** Default 300. */
  readonly maxIterations?: number;
  /** Stop when the gradient's largest entry falls below this; default 1e-6. */
  readonly tolerance?: number;
}

/** The objective above and its gradient at `theta` (exported for the gradient check). */
export function logisticObjective(x: SparseRows, labels: readonly number[], classes: number, c: number, theta: Float64Array, gradient: Float64Array): number {
  const k = classes;
  const n = x.rows;
  const biases = x.columns * k;
  gradient.fill(0);
  const logits = new Float64Array(k);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    for (let cl = 0; cl < k; cl++) logits[cl] = theta[biases + cl]!;
    for (let e = x.rowStart[i]!; e < x.rowStart[i + 1]!; e++) {
      const j = x.cols[e]! * k;
      const v = x.values[e]!;
      for (let cl = 0; cl < k; cl++) logits[cl]! += v * theta[j + cl]!;
    }
    let max = -Infinity;
    for (let cl = 0; cl < k; cl++) max = Math.max(max, logits[cl]!);
    let z = 0;
    for (let cl = 0; cl < k; cl++) z += Math.exp(logits[cl]! - max);
    const logZ = max + Math.log(z);
    const y = labels[i]!;
    loss += logZ - logits[y]!;
    // d(−log p_y)/d logit_c = p_c − [c = y]
    for (let cl = 0; cl < k; cl++) logits[cl] = Math.exp(logits[cl]! - logZ) - (cl === y ? 1 : 0);
    for (let e = x.rowStart[i]!; e < x.rowStart[i + 1]!; e++) {
      const j = x.cols[e]! * k;
      const v = x.values[e]!;
      for (let cl = 0; cl < k; cl++) gradient[j + cl]! += v * logits[cl]!;
    }
    for (let cl = 0; cl < k; cl++) gradient[biases + cl]! += logits[cl]!;
  }
  const lambda = 1 / (c * n);
  let penalty = 0;
  for (let p = 0; p < gradient.length; p++) {
    gradient[p]! /= n;
    if (p < biases) {
      penalty += theta[p]! * theta[p]!;
      gradient[p]! += lambda * theta[p]!;
    }
  }
  return loss / n + (lambda / 2) * penalty;
}

/** Fits the model on feature rows and class ids (0 .. classes-1). */
export function trainLogisticRegression(x: SparseRows, labels: readonly number[], classes: number, options: LogisticOptions = {}): LogisticModel & { readonly iterations: number; readonly objective: number } {
  if (labels.length !== x.rows) throw new RangeError(`${x.rows} rows but ${labels.length} labels`);
  if (x.rows === 0) throw new RangeError('no training rows');
  const c = options.c ?? 1;
  if (!(c > 0)) throw new RangeError(`C must be positive, got ${c}`);
  const start = new Float64Array(x.columns * classes + classes);
  const fit = minimizeLbfgs((theta, gradient) => logisticObjective(x, labels, classes, c, theta, gradient), start, { maxIterations: options.maxIterations ?? 300, tolerance: options.tolerance ?? 1e-6 });
  return { classes, columns: x.columns, theta: fit.x, iterations: fit.iterations, objective: fit.value };
}

/** Logits `W x + b` of each row, as `[row * classes + c]`. */
export function logisticScores(model: LogisticModel, x: SparseRows): Float64Array {
  const k = model.classes;
  const biases = model.columns * k;
  const out = new Float64Array(x.rows * k);
  for (let i = 0; i < x.rows; i++) {
    for (let c = 0; c < k; c++) out[i * k + c] = model.theta[biases + c]!;
    for (let e = x.rowStart[i]!; e < x.rowStart[i + 1]!; e++) {
      const j = x.cols[e]! * k;
      for (let c = 0; c < k; c++) out[i * k + c]! += x.values[e]! * model.theta[j + c]!;
    }
  }
  return out;
}
