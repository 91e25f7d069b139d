/**
 * Least-squares fit of a saturating response curve to (spend, outcome) history by
 * Levenberg–Marquardt: Levenberg (1944), Marquardt (1963) "An algorithm for least-squares
 * estimation of nonlinear parameters", SIAM J. Appl. Math. 11(2), with Marquardt's diagonal
 * scaling (JᵀJ + λ·diag(JᵀJ)) δ = Jᵀr.
 *
 * Parameters are fitted as logarithms so they stay positive without constraints, and the fit is
 * started from a few data-driven guesses, keeping the one with the lowest residual sum of squares.
 */
import { StrategyInputError } from './errors.js';
import { solveLinearSystem } from './linearSolve.js';
import { RESPONSE_MODELS, type ResponseCurve, type ResponseModel, type ResponseModelSpec } from './responseCurves.js';
import { requireNonNegative } from './validate.js';

/** One observation: spend in micro-units and the outcome it produced. */
export interface SpendObservation {
  spendMicros: number;
  outcome: number;
}

/** A fitted curve with its goodness of fit. */
export interface FittedResponseCurve extends ResponseCurve {
  /** Residual sum of squares Σ (y − ŷ)². */
  sse: number;
  /** Root mean squared error √(SSE / n). */
  rmse: number;
  /** Coefficient of determination 1 − SSE / SST. */
  rSquared: number;
  observations: number;
  iterations: number;
  /** False if the iteration limit was hit before the parameters settled (relative step < 1e-10). */
  converged: boolean;
}

interface LmRun { logParams: number[]; sse: number; iterations: number; converged: boolean }

function degenerate(message: string): StrategyInputError {
  return new StrategyInputError('QD_FIT_DEGENERATE', message);
}

function sumSquares(spec: ResponseModelSpec, logP: readonly number[], xs: readonly number[], ys: readonly number[]): number {
  const p = logP.map(Math.exp);
  return xs.reduce((s, x, i) => s + (ys[i]! - spec.value(p, x)) ** 2, 0);
}

/** One Levenberg–Marquardt run from a starting point (log parameters). */
function levenbergMarquardt(spec: ResponseModelSpec, start: number[], xs: readonly number[], ys: readonly number[]): LmRun {
  let logP = start;
  let sse = sumSquares(spec, logP, xs, ys);
  let lambda = 1e-3;
  for (let iter = 1; iter <= 500; iter++) {
    const p = logP.map(Math.exp);
    const m = p.length;
    const jtj = Array.from({ length: m }, () => new Array<number>(m).fill(0));
    const jtr = new Array<number>(m).fill(0);
    xs.forEach((x, i) => {
      // Chain rule for log parameters: ∂y/∂log p = p · ∂y/∂p.
      const g = spec.gradient(p, x).map((d, j) => d * p[j]!);
      const r = ys[i]! - spec.value(p, x);
      for (let a = 0; a < m; a++) {
        jtr[a]! += g[a]! * r;
        for (let b = 0; b < m; b++) jtj[a]![b]! += g[a]! * g[b]!;
      }
    });
    let improved = false;
    while (lambda < 1e12 && !improved) {
      const damped = jtj.map((row, a) => row.map((v, b) => (a === b ? v + lambda * Math.max(v, 1e-12) : v)));
      const step = solveLinearSystem(damped, jtr);
      const trial = step === null ? null : logP.map((v, j) => v + step[j]!);
      const trialSse = trial === null ? Number.POSITIVE_INFINITY : sumSquares(spec, trial, xs, ys);
      if (trial !== null && Number.isFinite(trialSse) && trialSse <= sse) {
        // Converged when the parameters move by less than 1e-10 relative (log scale).
        const stepSize = Math.max(...step!.map(Math.abs));
        logP = trial;
        sse = trialSse;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if (stepSize < 1e-10) return { logParams: logP, sse, iterations: iter, converged: true };
      } else {
        lambda *= 10;
      }
    }
    if (!improved) return { logParams: logP, sse, iterations: iter, converged: true };
  }
  return { logParams: logP, sse, iterations: 500, converged: false };
}

/** Data-driven starting points (in natural parameters) for each family. */
function startingPoints(model: ResponseModel, xs: readonly number[], ys: readonly number[]): number[][] {
  const yMax = Math.max(...ys);
  const positive = xs.filter((x) => x > 0).sort((a, b) => a - b);
  const xMid = positive[Math.floor(positive.length / 2)]!;
  const starts: number[][] = [];
  for (const level of [1.05, 1.5, 3]) {
    for (const scale of [0.25, 1, 4]) {
      if (model === 'negativeExponential') starts.push([level * yMax, Math.LN2 / (xMid * scale)]);
      else for (const s of [0.7, 1.5, 3]) starts.push([level * yMax, xMid * scale, s]);
    }
  }
  return starts;
}

function validateObservations(observations: readonly SpendObservation[], paramCount: number): void {
  if (!Array.isArray(observations)) throw new StrategyInputError('QD_INVALID_INPUT', 'observations must be an array');
  observations.forEach((o, i) => {
    requireNonNegative(o.spendMicros, `observations[${i}].spendMicros`);
    requireNonNegative(o.outcome, `observations[${i}].outcome`);
  });
  const distinctSpend = new Set(observations.filter((o) => o.spendMicros > 0).map((o) => o.spendMicros)).size;
  if (distinctSpend < paramCount) throw degenerate(`a ${paramCount}-parameter curve needs at least ${paramCount} distinct positive spend levels, got ${distinctSpend}`);
  if (observations.every((o) => o.outcome === 0)) throw degenerate('every outcome is 0: no response to fit');
  const mean = observations.reduce((s, o) => s + o.outcome, 0) / observations.length;
  if (observations.every((o) => o.outcome === mean)) throw degenerate('every outcome is the same: spend shows no effect');
}

/**
 * Fits a response curve to spend history by least squares.
 * @throws StrategyInputError `QD_INVALID_INPUT` on negative or NaN data; `QD_FIT_DEGENERATE` when
 *   there are too few distinct spend levels, all outcomes are 0 or equal, or no start converges
 */
export function fitResponseCurve(observations: readonly SpendObservation[], model: ResponseModel): FittedResponseCurve {
  const spec = RESPONSE_MODELS[model];
  if (spec === undefined) throw new StrategyInputError('QD_INVALID_INPUT', `unknown response model "${String(model)}"`);
  validateObservations(observations, spec.paramNames.length);
  const xs = observations.map((o) => o.spendMicros);
  const ys = observations.map((o) => o.outcome);
  let best: LmRun | null = null;
  for (const start of startingPoints(model, xs, ys)) {
    const run = levenbergMarquardt(spec, start.map(Math.log), xs, ys);
    if (Number.isFinite(run.sse) && (best === null || run.sse < best.sse)) best = run;
  }
  if (best === null || !best.logParams.every(Number.isFinite)) throw degenerate(`${model} fit did not converge`);
  const p = best.logParams.map(Math.exp);
  const mean = ys.reduce((s, y) => s + y, 0) / ys.length;
  const sst = ys.reduce((s, y) => s + (y - mean) ** 2, 0);
  const params = Object.fromEntries(spec.paramNames.map((name, j) => [name, p[j]!]));
  return {
    model, params, sse: best.sse, rmse: Math.sqrt(best.sse / ys.length), rSquared: 1 - best.sse / sst,
    observations: ys.length, iterations: best.iterations, converged: best.converged,
  };
}
