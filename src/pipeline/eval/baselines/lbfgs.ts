/**
 * Limited-memory BFGS (Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithm 7.4 two-loop recursion
 * inside Algorithm 7.5) with a backtracking line search on the Armijo condition. Deterministic; used to fit
 * the logistic-regression baseline, whose objective is smooth and strictly convex.
 */

/** Writes the gradient at `x` into `gradient` and returns the objective's value. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

/** Options of {@link minimizeLbfgs}. */
export interface LbfgsOptions {
  readonly maxIterations?: number;
  /** Converged when the gradient's largest absolute entry is below this. */
  readonly tolerance?: number;
  /** Correction pairs kept; default 10. */
  readonly memory?: number;
}

/** Where the minimiser stopped. */
export interface LbfgsResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly iterations: number;
  readonly converged: boolean;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const maxAbs = (a: Float64Array): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
};

/** Minimises `f` from `start` (not modified). */
export function minimizeLbfgs(f: Objective, start: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const maxIterations = options.maxIterations ?? 200;
  const tolerance = options.tolerance ?? 1e-6;
  const memory = options.memory ?? 10;
  const n = start.length;
  let x = Float64Array.from(start);
  let g = new Float64Array(n);
  let value = f(x, g);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(memory);
  const direction = new Float64Array(n);
  const xNext = new Float64Array(n);
  const gNext = new Float64Array(n);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (maxAbs(g) < tolerance) return { x, value, iterations: iteration, converged: true };
    // Two-loop recursion: direction = −H g, with H0 = (sᵀy / yᵀy) I from the newest pair.
    for (let i = 0; i < n; i++) direction[i] = -g[i]!;
    for (let m = s.length - 1; m >= 0; m--) {
      alpha[m] = rho[m]! * dot(s[m]!, direction);
      for (let i = 0; i < n; i++) direction[i]! -= alpha[m]! * y[m]![i]!;
    }
    const gamma = s.length ? dot(s.at(-1)!, y.at(-1)!) / dot(y.at(-1)!, y.at(-1)!) : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let i = 0; i < n; i++) direction[i]! *= gamma;
    for (let m = 0; m < s.length; m++) {
      const beta = rho[m]! * dot(y[m]!, direction);
      for (let i = 0; i < n; i++) direction[i]! += (alpha[m]! - beta) * s[m]![i]!;
    }
    let slope = dot(g, direction);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      s.length = y.length = rho.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -g[i]! / Math.max(1, Math.sqrt(dot(g, g)));
      slope = dot(g, direction);
    }
    let step = 1;
    let next = Number.NaN;
    for (let tries = 0; tries < 60; tries++) {
      for (let i = 0; i < n; i++) xNext[i] = x[i]! + step * direction[i]!;
      next = f(xNext, gNext);
      if (next <= value + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(next <= value + 1e-4 * step * slope)) return { x, value, iterations: iteration, converged: false };
    const sNew = new Float64Array(n);
    const yNew = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sNew[i] = xNext[i]! - x[i]!;
      yNew[i] = gNext[i]! - g[i]!;
    }
    const sy = dot(sNew, yNew);
    // Keep the pair only if it keeps H positive definite (the curvature condition sᵀy > 0).
    if (sy > 1e-12) {
      if (s.length === memory) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sNew);
      y.push(yNew);
      rho.push(1 / sy);
    }
    const improvement = value - next;
    x = Float64Array.from(xNext);
    g = Float64Array.from(gNext);
    value = next;
    if (improvement <= 1e-15 * Math.max(1, Math.abs(value))) return { x, value, iterations: iteration + 1, converged: maxAbs(g) < tolerance };
  }
  return { x, value, iterations: maxIterations, converged: maxAbs(g) < tolerance };
}
