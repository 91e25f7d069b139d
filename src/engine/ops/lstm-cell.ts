import type { Tensor } from '../engine.js';
import { shapeString } from '../shapes.js';

/**
 * Fused LSTM cell pointwise part (Hochreiter & Schmidhuber 1997; PyTorch gate order i, f, g, o):
 * given pre-activation gates (B, 4H) and the previous cell state (B, H), returns `[h, c]` with
 * c = σ(f)·c_prev + σ(i)·tanh(g) and h = σ(o)·tanh(c).
 */
export function lstmCell(gates: Tensor, cPrev: Tensor): [Tensor, Tensor] {
  const e = gates.engine;
  const [B, H4] = gates.shape as [number, number];
  const H = H4 / 4;
  if (gates.rank !== 2 || cPrev.size !== B * H) {
    throw new RangeError(`lstmCell: gates ${shapeString(gates.shape)}, c ${shapeString(cPrev.shape)}`);
  }
  const h = e.empty([B, H]);
  const c = e.empty([B, H]);
  // Saved activations: i, f, g, o after their nonlinearity, and tanh(c).
  const act = e.scratch(B * H4);
  const tc = e.scratch(B * H);
  e.kernels.lstmCellForward(h.data, c.data, act, tc, gates.data, cPrev.data, B, H);
  e.record([h, c], [gates, cPrev], () => {
    const dh = h.grad;
    const dcOut = c.grad;
    const dg = e.gradOf(gates);
    const dcp = e.gradOf(cPrev);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const o4 = b * H4;
        const k = b * H + j;
        const ig = act[o4 + j]!;
        const fg = act[o4 + H + j]!;
        const gg = act[o4 + 2 * H + j]!;
        const og = act[o4 + 3 * H + j]!;
        const t = tc[k]!;
        const dhv = dh ? dh[k]! : 0;
        const dc = (dcOut ? dcOut[k]! : 0) + dhv * og * (1 - t * t);
        if (dg) {
          dg[o4 + j] = dg[o4 + j]! + dc * gg * ig * (1 - ig);
          dg[o4 + H + j] = dg[o4 + H + j]! + dc * cPrev.data[k]! * fg * (1 - fg);
          dg[o4 + 2 * H + j] = dg[o4 + 2 * H + j]! + dc * ig * (1 - gg * gg);
          dg[o4 + 3 * H + j] = dg[o4 + 3 * H + j]! + dhv * t * og * (1 - og);
        }
        if (dcp) dcp[k] = dcp[k]! + dc * fg;
      }
    }
  });
  return [h, c];
}
