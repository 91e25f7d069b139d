/**
 * Evaluation metrics as pure functions over plain numbers, so each can be checked by hand. Language models
 * are scored by mean cross-entropy (nats per token) and perplexity; classifiers by accuracy, per-class
 * precision / recall / F1 and a confusion matrix.
 */

/** Perplexity of a mean cross-entropy in nats per token: `exp(loss)` (Jelinek et al. 1977). */
export function perplexity(meanLossNats: number): number {
  return Math.exp(meanLossNats);
}

/**
 * Token-weighted mean of per-batch mean losses: each batch counts by the tokens it scored, so a short last
 * batch does not weigh as much as a full one.
 */
export function weightedMeanLoss(batches: ReadonlyArray<{ readonly loss: number; readonly tokens: number }>): number {
  let sum = 0;
  let tokens = 0;
  for (const b of batches) {
    sum += b.loss * b.tokens;
    tokens += b.tokens;
  }
  if (tokens === 0) throw new RangeError('no tokens were scored');
  return sum / tokens;
}

/**
 * Confusion matrix: `matrix[t][p]` counts examples of true class `t` predicted as `p`. Classes are
 * 0 .. classes-1; an id outside that range is an error, not silently dropped.
 */
export function confusionMatrix(truth: readonly number[], predicted: readonly number[], classes: number): number[][] {
  if (truth.length !== predicted.length) throw new RangeError(`${truth.length} labels but ${predicted.length} predictions`);
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    if (!(t >= 0 && t < classes && p >= 0 && p < classes)) throw new RangeError(`class id out of range at ${i}: true ${t}, predicted ${p}`);
    m[t]![p]!++;
  }
  return m;
}

/** Precision, recall and F1 of one class, with its support (number of true examples). */
export interface ClassScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** Everything a classifier evaluation reports. */
export interface ClassificationReport {
  readonly examples: number;
  readonly accuracy: number;
  /** Per class, index = class id. */
  readonly perClass: readonly ClassScores[];
  /** Unweighted means over classes (scikit-learn's `average='macro'`). */
  readonly macro: { readonly precision: number; readonly recall: number; readonly f1: number };
  /** `confusion[true][predicted]`. */
  readonly confusion: readonly (readonly number[])[];
}

/**
 * Scores a confusion matrix. Following scikit-learn's `zero_division=0`, a precision or recall whose
 * denominator is zero (class never predicted / never present) counts as 0, and so does its F1.
 */
export function classificationReport(confusion: readonly (readonly number[])[]): ClassificationReport {
  const k = confusion.length;
  let total = 0;
  let correct = 0;
  const perClass: ClassScores[] = [];
  for (let c = 0; c < k; c++) {
    let predictedAsC = 0;
    let actualC = 0;
    for (let o = 0; o < k; o++) {
      predictedAsC += confusion[o]![c]!;
      actualC += confusion[c]![o]!;
      total += confusion[c]![o]!;
    }
    const tp = confusion[c]![c]!;
    correct += tp;
    const precision = predictedAsC === 0 ? 0 : tp / predictedAsC;
    const recall = actualC === 0 ? 0 : tp / actualC;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass.push({ precision, recall, f1, support: actualC });
  }
  const mean = (f: (s: ClassScores) => number) => (k === 0 ? 0 : perClass.reduce((s, c) => s + f(c), 0) / k);
  return {
    examples: total,
    accuracy: total === 0 ? 0 : correct / total,
    perClass,
    macro: { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) },
    confusion: confusion.map((row) => [...row]),
  };
}

/** Index of the largest of `n` logits starting at `offset` (first one wins a tie). */
export function argmax(values: ArrayLike<number>, offset = 0, n = values.length - offset): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (values[offset + i]! > values[offset + best]!) best = i;
  return best;
}

/** A confusion matrix as aligned text lines, true classes down, predicted across. */
export function formatConfusion(confusion: readonly (readonly number[])[], names: readonly string[]): string[] {
  const width = Math.max(8, ...names.map((n) => n.length + 2), ...confusion.flat().map((v) => String(v).length + 2));
  const cell = (s: string) => s.padStart(width);
  const lines = [`${'true \\ predicted'.padEnd(18)}${names.map(cell).join('')}`];
  confusion.forEach((row, i) => lines.push(`${(names[i] ?? String(i)).padEnd(18)}${row.map((v) => cell(String(v))).join('')}`));
  return lines;
}
