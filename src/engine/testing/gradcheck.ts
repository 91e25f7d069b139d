import type { Tensor } from '../engine.js';
import { Rng } from '../rng.js';
import { mul } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';

/** Result of {@link gradCheck}: the worst disagreement found. */
export interface GradCheckResult {
  /** Largest |analytic - numeric| / (atol + rtol·|numeric|); <= 1 passes. */
  worst: number;
  /** Where it happened, for the failure message. */
  where: string;
}

/**
 * Finite-difference gradient check. The scalar probed is L = Σ w ⊙ f(), with fixed random weights w,
 * so every output element matters. Compares the autograd gradient of each input with central
 * differences (step `h`) on up to `samples` random elements per input. `f` must be deterministic
 * (recreate any RNG inside it).
 */
export function gradCheck(inputs: readonly Tensor[], f: () => Tensor, options: { h?: number; samples?: number; atol?: number; rtol?: number } = {}): GradCheckResult {
  const h = options.h ?? 1e-2;
  const samples = options.samples ?? 24;
  const atol = options.atol ?? 2e-3;
  const rtol = options.rtol ?? 2e-2;
  const e = inputs[0]!.engine;
  const rng = new Rng(1234);
  for (const t of inputs) {
    if (t.grad) t.grad.fill(0);
  }
  const out = f();
  const w = new Float64Array(out.size);
  for (let i = 0; i < w.length; i++) w[i] = rng.uniform() * 2 - 1;
  const loss = sum(mul(out, e.fromArray(out.shape, w)));
  e.backward(loss);
  const analytic = inputs.map((t) => (t.grad ? Float64Array.from(t.grad) : new Float64Array(t.size)));
  const probe = (): number => {
    const o = e.noGrad(f);
    let s = 0;
    for (let i = 0; i < o.size; i++) s += w[i]! * o.data[i]!;
    return s;
  };
  let worst = 0;
  let where = '';
  inputs.forEach((t, k) => {
    const n = Math.min(samples, t.size);
    for (let s = 0; s < n; s++) {
      const i = n === t.size ? s : Math.floor(rng.uniform() * t.size);
      const orig = t.data[i]!;
      t.data[i] = orig + h;
      const up = probe();
      t.data[i] = orig - h;
      const down = probe();
      t.data[i] = orig;
      const numeric = (up - down) / (2 * h);
      const err = Math.abs(analytic[k]![i]! - numeric) / (atol + rtol * Math.abs(numeric));
      if (err > worst) {
        worst = err;
        where = `input ${k} [${i}]: analytic ${analytic[k]![i]}, numeric ${numeric}`;
      }
    }
  });
  return { worst, where };
}
