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
    const zeros = (): Float32Array => e.scratch(B * H).fill(0);
    e.kernels.lstmCellBackward(
      e.gradOf(gates) ?? e.scratch(B * H4), e.gradOf(cPrev) ?? zeros(),
      h.grad ?? zeros(), c.grad ?? zeros(), act, tc, cPrev.data, B, H,
    );
  });
  return [h, c];
}

/** Outputs of {@link lstmLayer}. */
export interface LstmLayerResult {
  /** Hidden state at every step, (B, T, H). */
  output: Tensor;
  /** Final hidden and cell state, (B, H) each. */
  h: Tensor;
  c: Tensor;
}

/**
 * One LSTM layer over a whole sequence as one op: `xProj` (B, T, 4H) holds the input projections of
 * every step, `biases` (each 4H; PyTorch's bias_ih and bias_hh) are added to every step's gates, `wHh` (4H, H) is the recurrent weight (PyTorch layout), `h0`, `c0` (B, H)
 * the initial state. Equal to stepping {@link lstmCell} on `xProj[:, t] + h·wHhᵀ`, but the backward
 * pass runs the recurrence on time-major buffers and sums the recurrent weight gradient over all steps
 * in ONE matmul (dWhh = Σ_t dgates_tᵀ·h_{t-1}, a (4H × T·B)·(T·B × H) product) instead of one thin
 * product per step, and the input-side gradients in one add.
 */
export function lstmLayer(xProj: Tensor, wHh: Tensor, biases: readonly Tensor[], h0: Tensor, c0: Tensor): LstmLayerResult {
  const e = xProj.engine;
  const k = e.kernels;
  const [B, T, H4] = xProj.shape as [number, number, number];
  const H = H4 / 4;
  if (xProj.rank !== 3 || H4 % 4 !== 0 || wHh.rank !== 2 || wHh.shape[0] !== H4 || wHh.shape[1] !== H || h0.size !== B * H || c0.size !== B * H || biases.some((b) => b.size !== H4)) {
    throw new RangeError(`lstmLayer: input projections ${shapeString(xProj.shape)}, weight_hh ${shapeString(wHh.shape)}, h0 ${shapeString(h0.shape)}, c0 ${shapeString(c0.shape)}`);
  }
  const BH = B * H;
  // Time-major saved state: hs[t] = h_{t-1} (hs[0] = h0), cs[t] = c_{t-1}; act[t], tcs[t] of step t.
  const hs = e.scratch((T + 1) * BH);
  const cs = e.scratch((T + 1) * BH);
  const act = e.scratch(T * B * H4);
  const tcs = e.scratch(T * BH);
  const gates = e.scratch(B * H4);
  hs.set(h0.data.subarray(0, BH));
  cs.set(c0.data.subarray(0, BH));
  const at = (buf: Float32Array, t: number, width: number): Float32Array => buf.subarray(t * width, (t + 1) * width);
  // Training-sized runs copy wHhᵀ (H, 4H) once, so that every step's product reads it row by row instead of
  // packing a transposed operand each step. Decoding (a step or two, a few rows) multiplies by wHh as
  // stored: few-row products stream it without packing.
  const transposeOnce = T > 2 && B > 8;
  let wStep = wHh.data;
  if (transposeOnce) {
    const w = wHh.data;
    wStep = e.scratch(H * H4);
    for (let r = 0; r < H4; r++) for (let j = 0; j < H; j++) wStep[j * H4 + r] = w[r * H + j]!;
  }
  // The biases summed once, in the order given, then added to each step's projections.
  const bias = e.scratch(H4).fill(0);
  for (const b of biases) k.add(bias, bias, b.data, H4);
  const biasRows = e.scratch(B * H4);
  for (let b = 0; b < B; b++) biasRows.set(bias, b * H4);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) gates.set(xProj.data.subarray((b * T + t) * H4, (b * T + t + 1) * H4), b * H4);
    k.add(gates, gates, biasRows, B * H4);
    k.matmul(gates, at(hs, t, BH), wStep, B, H4, H, false, !transposeOnce, true);
    k.lstmCellForward(at(hs, t + 1, BH), at(cs, t + 1, BH), at(act, t, B * H4), at(tcs, t, BH), gates, at(cs, t, BH), B, H);
  }
  const output = e.empty([B, T, H]);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) output.data.set(hs.subarray((t + 1) * BH + b * H, (t + 1) * BH + (b + 1) * H), (b * T + t) * H);
  }
  const hT = e.fromArray([B, H], at(hs, T, BH));
  const cT = e.fromArray([B, H], at(cs, T, BH));
  e.record([output, hT, cT], [xProj, wHh, ...biases, h0, c0], () => {
    const dOut = output.grad;
    const dG = e.scratch(T * B * H4).fill(0);
    const dh = e.scratch(BH);
    let dc = e.scratch(BH);
    let dcPrev = e.scratch(BH);
    if (hT.grad) dh.set(hT.grad);
    else dh.fill(0);
    if (cT.grad) dc.set(cT.grad);
    else dc.fill(0);
    // The output gradient, time-major, so each step adds one contiguous (B, H) block.
    const dOutT = dOut ? e.scratch(T * BH) : null;
    if (dOut && dOutT) {
      for (let t = 0; t < T; t++) {
        for (let b = 0; b < B; b++) dOutT.set(dOut.subarray((b * T + t) * H, (b * T + t + 1) * H), t * BH + b * H);
      }
    }
    for (let t = T - 1; t >= 0; t--) {
      if (dOutT) k.add(dh, dh, at(dOutT, t, BH), BH);
      const dGt = at(dG, t, B * H4);
      dcPrev.fill(0);
      k.lstmCellBackward(dGt, dcPrev, dh, dc, at(act, t, B * H4), at(tcs, t, BH), at(cs, t, BH), B, H);
      [dc, dcPrev] = [dcPrev, dc];
      // dh_{t-1} = dgates_t · wHh
      if (t > 0 || h0.requiresGrad) k.matmul(dh, dGt, wHh.data, B, H, H4, false, false, false);
    }
    const dh0 = e.gradOf(h0);
    if (dh0) k.add(dh0, dh0, dh, BH);
    const dc0 = e.gradOf(c0);
    if (dc0) k.add(dc0, dc0, dc, BH);
    const dW = e.gradOf(wHh);
    if (dW) k.matmul(dW, dG, hs, H4, H, T * B, true, false, true);
    if (biases.some((b) => b.requiresGrad)) {
      // Column sums of dgates over all T·B rows, as a 1×(T·B) · (T·B)×4H product.
      const ones = e.scratch(T * B).fill(1);
      const db = e.scratch(H4);
      k.matmul(db, ones, dG, 1, H4, T * B, false, false, false);
      for (const b of biases) {
        const g = e.gradOf(b);
        if (g) k.add(g, g, db, H4);
      }
    }
    const dx = e.gradOf(xProj);
    if (dx) {
      const dGb = e.scratch(T * B * H4);
      for (let t = 0; t < T; t++) {
        for (let b = 0; b < B; b++) dGb.set(dG.subarray((t * B + b) * H4, (t * B + b + 1) * H4), (b * T + t) * H4);
      }
      k.add(dx, dx, dGb, T * B * H4);
    }
  });
  return { output, h: hT, c: cT };
}
