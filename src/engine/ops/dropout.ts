import type { Tensor } from '../engine.js';
import type { Rng } from '../rng.js';

/**
 * Inverted dropout: zeroes each element with probability `p` and scales the rest by 1/(1-p), so
 * inference needs no rescaling. The mask comes from `rng`, so a seed fixes it. Identity when `p` is 0.
 */
export function dropout(a: Tensor, p: number, rng: Rng): Tensor {
  if (!(p >= 0 && p < 1)) throw new RangeError(`dropout probability ${p} not in [0, 1)`);
  if (p === 0) return a;
  const e = a.engine;
  const out = e.empty(a.shape);
  const mask = e.scratch(a.size);
  const keep = 1 / (1 - p);
  for (let i = 0; i < a.size; i++) {
    const m = rng.uniform() < p ? 0 : keep;
    mask[i] = m;
    out.data[i] = a.data[i]! * m;
  }
  e.record([out], [a], () => {
    const g = out.grad!;
    const ga = e.gradOf(a)!;
    for (let i = 0; i < g.length; i++) ga[i] = ga[i]! + g[i]! * mask[i]!;
  });
  return out;
}
