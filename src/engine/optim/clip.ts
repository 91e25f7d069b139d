import type { Tensor } from '../engine.js';

/**
 * Scales all gradients so their global L2 norm is at most `maxNorm` (Pascanu et al. 2013). Returns
 * the norm before clipping.
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number): number {
  const list = [...params].filter((t) => t.grad);
  let sq = 0;
  for (const t of list) sq += t.engine.kernels.sumSquares(t.grad!, t.grad!.length);
  const norm = Math.sqrt(sq);
  if (norm > maxNorm && norm > 0) {
    const s = maxNorm / (norm + 1e-6);
    for (const t of list) t.engine.kernels.scale(t.grad!, s, t.grad!.length);
  }
  return norm;
}
