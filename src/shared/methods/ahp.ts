/**
 * Analytic Hierarchy Process (Saaty): criterion weights from a pairwise comparison matrix.
 * Source: Saaty, T.L. (1980), The Analytic Hierarchy Process, McGraw-Hill; Saaty (1990),
 * "How to make a decision: the AHP", European Journal of Operational Research 48, 9–26.
 *
 * a_ij says how much more important criterion i is than j on the 1–9 scale (a_ji = 1/a_ij).
 * The weights are the principal (Perron) eigenvector of A, found by power iteration; λmax is its
 * eigenvalue; CI = (λmax − n)/(n − 1); CR = CI / RI(n). Saaty accepts CR ≤ 0.10.
 */
import { StrategyInputError } from './errors.js';
import { randomConsistencyIndex } from './ahpRandomIndex.js';

/** Options of {@link analysePairwiseMatrix} and {@link deriveAhpWeights}. */
export interface AhpOptions {
  /** Names of the compared items, used in messages; defaults to "#1", "#2", ... */
  labels?: readonly string[];
  /** Largest consistency ratio accepted by {@link deriveAhpWeights}; Saaty's 0.10 by default. */
  maxConsistencyRatio?: number;
  /** Relative tolerance for a_ij · a_ji = 1 and a_ii = 1 (0.01 admits 0.33 for 1/3). */
  reciprocalTolerance?: number;
}

/** A judgement a_ij compared with the ratio w_i / w_j the derived weights imply. */
export interface JudgementDeviation {
  i: number;
  j: number;
  labelI: string;
  labelJ: string;
  judged: number;
  implied: number;
  /** max(a_ij / (w_i/w_j), (w_i/w_j) / a_ij) ≥ 1; 1 means perfectly consistent with the weights. */
  deviationFactor: number;
}

/** Result of an AHP analysis. */
export interface AhpResult {
  /** Priority weights, summing to 1, in matrix order. */
  weights: number[];
  lambdaMax: number;
  consistencyIndex: number;
  randomIndex: number;
  /** CI / RI; 0 for n ≤ 2 (any reciprocal 2×2 matrix is consistent). */
  consistencyRatio: number;
  /** Up to three judgements that deviate most from the implied ratios, worst first. */
  mostInconsistent: JudgementDeviation[];
  iterations: number;
}

const SCALE_MIN = 1 / 9;
const SCALE_MAX = 9;

function invalid(message: string): StrategyInputError {
  return new StrategyInputError('QD_AHP_INVALID_MATRIX', message);
}

/**
 * Throws `QD_AHP_INVALID_MATRIX` unless `matrix` is square (n ≥ 1), finite, positive, on the
 * 1/9..9 scale, with a unit diagonal and reciprocal entries within the tolerance.
 */
export function validatePairwiseMatrix(matrix: readonly (readonly number[])[], options: AhpOptions = {}): void {
  const tol = options.reciprocalTolerance ?? 0.01;
  const n = Array.isArray(matrix) ? matrix.length : 0;
  if (n === 0) throw invalid('AHP matrix is empty');
  matrix.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== n) {
      throw invalid(`AHP matrix is not square: row ${i + 1} has ${Array.isArray(row) ? row.length : 0} entries, expected ${n}`);
    }
    row.forEach((a, j) => {
      if (typeof a !== 'number' || !Number.isFinite(a) || a <= 0) throw invalid(`AHP entry (${i + 1},${j + 1}) must be a positive number, got ${String(a)}`);
      if (a < SCALE_MIN * (1 - tol) || a > SCALE_MAX * (1 + tol)) throw invalid(`AHP entry (${i + 1},${j + 1}) = ${a} is outside Saaty's 1/9..9 scale`);
    });
  });
  for (let i = 0; i < n; i++) {
    if (Math.abs(matrix[i]![i]! - 1) > tol) throw invalid(`AHP diagonal entry (${i + 1},${i + 1}) must be 1, got ${matrix[i]![i]!}`);
    for (let j = i + 1; j < n; j++) {
      const product = matrix[i]![j]! * matrix[j]![i]!;
      if (Math.abs(product - 1) > tol) throw invalid(`AHP matrix is not reciprocal at (${i + 1},${j + 1}): ${matrix[i]![j]!} × ${matrix[j]![i]!} ≠ 1`);
    }
  }
}

/** Principal eigenvector (sum 1) and eigenvalue of a positive matrix by power iteration. */
export function principalEigenvector(matrix: readonly (readonly number[])[]): { vector: number[]; eigenvalue: number; iterations: number } {
  const n = matrix.length;
  let w = new Array<number>(n).fill(1 / n);
  let eigenvalue = n;
  for (let iter = 1; iter <= 10_000; iter++) {
    const aw = matrix.map((row) => row.reduce((s, a, j) => s + a * w[j]!, 0));
    // With Σw = 1, Σ(Aw) → λ·Σw = λ.
    eigenvalue = aw.reduce((s, x) => s + x, 0);
    const next = aw.map((x) => x / eigenvalue);
    const change = Math.max(...next.map((x, i) => Math.abs(x - w[i]!)));
    w = next;
    if (change < 1e-13) return { vector: w, eigenvalue, iterations: iter };
  }
  return { vector: w, eigenvalue, iterations: 10_000 };
}

/** All judgements i < j ranked by how far a_ij is from w_i / w_j, worst first. */
export function rankJudgementDeviations(matrix: readonly (readonly number[])[], weights: readonly number[], labels?: readonly string[]): JudgementDeviation[] {
  const out: JudgementDeviation[] = [];
  for (let i = 0; i < matrix.length; i++) {
    for (let j = i + 1; j < matrix.length; j++) {
      const judged = matrix[i]![j]!;
      const implied = weights[i]! / weights[j]!;
      const deviationFactor = Math.max(judged / implied, implied / judged);
      out.push({ i, j, labelI: labels?.[i] ?? `#${i + 1}`, labelJ: labels?.[j] ?? `#${j + 1}`, judged, implied, deviationFactor });
    }
  }
  return out.sort((a, b) => b.deviationFactor - a.deviationFactor || a.i - b.i || a.j - b.j);
}

/**
 * Weights, λmax, CI and CR of a pairwise comparison matrix, without refusing inconsistency.
 * @throws StrategyInputError `QD_AHP_INVALID_MATRIX` if the matrix is malformed
 */
export function analysePairwiseMatrix(matrix: readonly (readonly number[])[], options: AhpOptions = {}): AhpResult {
  validatePairwiseMatrix(matrix, options);
  if (options.labels !== undefined && options.labels.length !== matrix.length) {
    throw new StrategyInputError('QD_INVALID_INPUT', `AHP labels must have ${matrix.length} entries, got ${options.labels.length}`);
  }
  const n = matrix.length;
  const { vector: weights, eigenvalue, iterations } = principalEigenvector(matrix);
  const lambdaMax = Math.max(eigenvalue, n); // λmax ≥ n for positive reciprocal matrices; clamp rounding.
  const consistencyIndex = n <= 1 ? 0 : (lambdaMax - n) / (n - 1);
  const randomIndex = randomConsistencyIndex(n);
  const consistencyRatio = randomIndex === 0 ? 0 : consistencyIndex / randomIndex;
  const mostInconsistent = rankJudgementDeviations(matrix, weights, options.labels).slice(0, 3);
  return { weights, lambdaMax, consistencyIndex, randomIndex, consistencyRatio, mostInconsistent, iterations };
}

/**
 * AHP weights, refusing judgements whose consistency ratio exceeds the threshold (0.10).
 * @throws StrategyInputError `QD_AHP_INCONSISTENT` naming the most inconsistent pairs, or
 *   `QD_AHP_INVALID_MATRIX` if the matrix is malformed
 */
export function deriveAhpWeights(matrix: readonly (readonly number[])[], options: AhpOptions = {}): AhpResult {
  const result = analysePairwiseMatrix(matrix, options);
  const limit = options.maxConsistencyRatio ?? 0.1;
  if (result.consistencyRatio > limit) {
    const pairs = result.mostInconsistent
      .map((d) => `(${d.labelI},${d.labelJ}) judged ${round(d.judged)} vs implied ${round(d.implied)}`)
      .join('; ');
    throw new StrategyInputError(
      'QD_AHP_INCONSISTENT',
      `AHP consistency ratio ${result.consistencyRatio.toFixed(3)} exceeds ${limit}; revisit ${pairs}`,
      { consistencyRatio: result.consistencyRatio, mostInconsistent: result.mostInconsistent },
    );
  }
  return result;
}

function round(x: number): string {
  return x >= 1 ? x.toFixed(2) : `1/${(1 / x).toFixed(2)}`;
}
