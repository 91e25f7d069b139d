/**
 * Saturating response curves: expected outcome (signups, paying customers, tokens) as a function
 * of spend in a promotion channel. Spend is in micro-units of currency (the same unit as the
 * budget), so `b` and `k` are per micro-unit; outcomes are in the caller's unit.
 *
 * - negativeExponential: y = a (1 − e^{−b x}); a = saturation level, b = response rate.
 *   Concave everywhere (diminishing returns from the first unit).
 * - hill: y = a x^s / (k^s + x^s); a = saturation, k = spend at half saturation, s = shape.
 *   s ≤ 1 is concave; s > 1 is S-shaped (needs spend before it pays). Hill (1910) form as used in
 *   marketing-mix models, e.g. Jin et al. (2017), "Bayesian Methods for Media Mix Modeling with
 *   Carryover and Shape Effects", Google Inc., eq. (3).
 *
 * Curves are plain data ({ model, params }); the functions here evaluate them. Each model is one
 * row of the {@link RESPONSE_MODELS} table, with its analytic gradient beside its value.
 */
import { StrategyInputError } from './errors.js';

/** The supported curve families. */
export type ResponseModel = 'negativeExponential' | 'hill';

/** A fitted or assumed curve: plain JSON-serialisable data. */
export interface ResponseCurve {
  model: ResponseModel;
  /** negativeExponential: { a, b }; hill: { a, k, s }. All > 0. */
  params: Readonly<Record<string, number>>;
}

/** One curve family: parameter names, value, derivative in x and gradient in the parameters. */
export interface ResponseModelSpec {
  paramNames: readonly string[];
  value(p: readonly number[], x: number): number;
  /** dy/dx: outcome per micro-unit of spend. */
  slope(p: readonly number[], x: number): number;
  /** ∂y/∂p_j in paramNames order. */
  gradient(p: readonly number[], x: number): number[];
  /** Spend below which the curve is convex (0 for concave families). */
  inflection(p: readonly number[]): number;
}

const negativeExponential: ResponseModelSpec = {
  paramNames: ['a', 'b'],
  value: ([a, b], x) => a! * -Math.expm1(-b! * x),
  slope: ([a, b], x) => a! * b! * Math.exp(-b! * x),
  gradient: ([a, b], x) => [-Math.expm1(-b! * x), a! * x * Math.exp(-b! * x)],
  inflection: () => 0,
};

/** x^s / (k^s + x^s) computed as 1 / (1 + (k/x)^s) to avoid overflow for large spend. */
function hillFraction(k: number, s: number, x: number): number {
  return x <= 0 ? 0 : 1 / (1 + (k / x) ** s);
}

const hill: ResponseModelSpec = {
  paramNames: ['a', 'k', 's'],
  value: ([a, k, s], x) => a! * hillFraction(k!, s!, x),
  slope: ([a, k, s], x) => {
    if (x <= 0) return s! < 1 ? Number.POSITIVE_INFINITY : s === 1 ? a! / k! : 0;
    const h = hillFraction(k!, s!, x);
    return (a! * s! * h * (1 - h)) / x;
  },
  gradient: ([a, k, s], x) => {
    if (x <= 0) return [0, 0, 0];
    const h = hillFraction(k!, s!, x);
    const dk = (-a! * s! * h * (1 - h)) / k!;
    const ds = a! * h * (1 - h) * Math.log(x / k!);
    return [h, dk, ds];
  },
  inflection: ([, k, s]) => (s! > 1 ? k! * ((s! - 1) / (s! + 1)) ** (1 / s!) : 0),
};

/** The curve families, as data. */
export const RESPONSE_MODELS: Readonly<Record<ResponseModel, ResponseModelSpec>> = { negativeExponential, hill };

/** Parameter vector of a curve in the model's order, validated (finite, > 0). */
export function curveParameters(curve: ResponseCurve): number[] {
  const spec = RESPONSE_MODELS[curve.model];
  if (spec === undefined) throw new StrategyInputError('QD_INVALID_INPUT', `unknown response model "${String(curve.model)}"`);
  return spec.paramNames.map((name) => {
    const v = curve.params[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new StrategyInputError('QD_INVALID_INPUT', `${curve.model} parameter ${name} must be a finite number > 0, got ${String(v)}`);
    }
    return v;
  });
}

/** Expected outcome at `spendMicros` of spend. */
export function expectedOutcome(curve: ResponseCurve, spendMicros: number): number {
  return RESPONSE_MODELS[curve.model].value(curveParameters(curve), spendMicros);
}

/** Marginal outcome per micro-unit of extra spend at `spendMicros` (dy/dx). */
export function marginalOutcome(curve: ResponseCurve, spendMicros: number): number {
  return RESPONSE_MODELS[curve.model].slope(curveParameters(curve), spendMicros);
}
