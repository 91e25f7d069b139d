// Causal self-attention kernels (llm.c layout), head size % 4 == 0. Outputs that sum over keys or
// queries are accumulated in registers, 16 floats at a time, and written once.
import { dot4, dots4, madd, softmaxRow } from './simd';

// acc(16 floats at o) = sum over t2 in [t0, t1] of w(t2) * row(t2), with w at wp + t2*ws (bytes)
// and rows at rp + t2*rs (bytes); `add` adds into o instead of overwriting.
@inline function weightedRows16(o: usize, wp: usize, ws: usize, rp: usize, rs: usize, t0: i32, t1: i32, add: bool): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  // Pointer walks (no index multiplies in the loop); t2 runs t0..t1 in order.
  let wq = wp + <usize>t0 * ws;
  let r = rp + <usize>t0 * rs;
  const rend = rp + <usize>(t1 + 1) * rs;
  while (r < rend) {
    const w = v128.load32_splat(wq);
    a0 = madd(w, v128.load(r), a0);
    a1 = madd(w, v128.load(r, 16), a1);
    a2 = madd(w, v128.load(r, 32), a2);
    a3 = madd(w, v128.load(r, 48), a3);
    wq += ws;
    r += rs;
  }
  if (add) {
    a0 = f32x4.add(a0, v128.load(o)); a1 = f32x4.add(a1, v128.load(o, 16));
    a2 = f32x4.add(a2, v128.load(o, 32)); a3 = f32x4.add(a3, v128.load(o, 48));
  }
  v128.store(o, a0); v128.store(o, a1, 16); v128.store(o, a2, 32); v128.store(o, a3, 48);
}

// Same for 4 floats (head sizes not a multiple of 16).
@inline function weightedRows4(o: usize, wp: usize, ws: usize, rp: usize, rs: usize, t0: i32, t1: i32, add: bool): void {
  let a0 = f32x4.splat(0);
  for (let t2 = t0; t2 <= t1; t2++) {
    a0 = madd(v128.load32_splat(wp + <usize>t2 * ws), v128.load(rp + <usize>t2 * rs), a0);
  }
  if (add) a0 = f32x4.add(a0, v128.load(o));
  v128.store(o, a0);
}

// o[0..hs) (+)= sum over t2 in [t0, t1] of w(t2) * row(t2)[0..hs)
@inline function weightedRows(o: usize, wp: usize, ws: usize, rp: usize, rs: usize, t0: i32, t1: i32, hs: i32, add: bool): void {
  let j = 0;
  for (; j + 16 <= hs; j += 16) weightedRows16(o + (<usize>j << 2), wp, ws, rp + (<usize>j << 2), rs, t0, t1, add);
  for (; j < hs; j += 4) weightedRows4(o + (<usize>j << 2), wp, ws, rp + (<usize>j << 2), rs, t0, t1, add);
}

export function attn_fwd(out: usize, att: usize, qkv: usize, T: i32, C: i32, NH: i32, bh0: i32, bh1: i32): void {
  const hs = C / NH;
  const scale: f32 = 1.0 / Mathf.sqrt(<f32>hs);
  const rs = <usize>(3 * C) << 2;
  for (let bh = bh0; bh < bh1; bh++) {
    const b = bh / NH;
    const h = bh % NH;
    const base = qkv + <usize>b * <usize>T * rs;
    const kbase = base + ((<usize>C + <usize>h * <usize>hs) << 2);
    const vbase = base + ((2 * <usize>C + <usize>h * <usize>hs) << 2);
    for (let t = 0; t < T; t++) {
      const q = base + <usize>t * rs + (<usize>h * <usize>hs << 2);
      const arow = att + (((<usize>bh * <usize>T + <usize>t) * <usize>T) << 2);
      const sv = f32x4.splat(scale);
      let t2 = 0;
      for (; t2 + 4 <= t + 1; t2 += 4) v128.store(arow + (<usize>t2 << 2), f32x4.mul(dots4(q, kbase + <usize>t2 * rs, rs, hs), sv));
      for (; t2 <= t; t2++) store<f32>(arow + (<usize>t2 << 2), dot4(q, kbase + <usize>t2 * rs, hs) * scale);
      softmaxRow(arow, arow, t + 1);
      for (let t2 = t + 1; t2 < T; t2++) store<f32>(arow + (<usize>t2 << 2), 0);
      const o = out + (((<usize>b * <usize>T + <usize>t) * <usize>C + <usize>h * <usize>hs) << 2);
      weightedRows(o, arow, 4, vbase, rs, 0, t, hs, false);
    }
  }
}

// scratch: T*T floats owned by the calling chunk (the score gradients of one head).
export function attn_bwd(dqkv: usize, dout: usize, qkv: usize, att: usize, scratch: usize, T: i32, C: i32, NH: i32, bh0: i32, bh1: i32): void {
  const hs = C / NH;
  const scale: f32 = 1.0 / Mathf.sqrt(<f32>hs);
  const rs = <usize>(3 * C) << 2;
  const ors = <usize>C << 2;
  const ts = <usize>T << 2;
  for (let bh = bh0; bh < bh1; bh++) {
    const b = bh / NH;
    const h = bh % NH;
    const hoff = <usize>h * <usize>hs << 2;
    const base = <usize>b * <usize>T * rs;
    const qb = qkv + base + hoff;
    const kb = qb + (<usize>C << 2);
    const vb = qb + (2 * <usize>C << 2);
    const dqb = dqkv + base + hoff;
    const dkb = dqb + (<usize>C << 2);
    const dvb = dqb + (2 * <usize>C << 2);
    const gb = dout + (<usize>b * <usize>T * ors) + hoff;
    const ab = att + (<usize>bh * <usize>T * <usize>T << 2);
    // dpre[t][t2] = att[t][t2] (datt[t2] - sum att datt) * scale, with datt[t2] = dout[t] . v[t2]
    for (let t = 0; t < T; t++) {
      const arow = ab + <usize>t * ts;
      const prow = scratch + <usize>t * ts;
      const g = gb + <usize>t * ors;
      let t2 = 0;
      for (; t2 + 4 <= t + 1; t2 += 4) v128.store(prow + (<usize>t2 << 2), dots4(g, vb + <usize>t2 * rs, rs, hs));
      for (; t2 <= t; t2++) store<f32>(prow + (<usize>t2 << 2), dot4(g, vb + <usize>t2 * rs, hs));
      let dot: f32 = 0;
      for (t2 = 0; t2 <= t; t2++) dot += load<f32>(prow + (<usize>t2 << 2)) * load<f32>(arow + (<usize>t2 << 2));
      for (let t2 = 0; t2 <= t; t2++) {
        const a = load<f32>(arow + (<usize>t2 << 2));
        store<f32>(prow + (<usize>t2 << 2), a * (load<f32>(prow + (<usize>t2 << 2)) - dot) * scale);
      }
    }
    for (let t = 0; t < T; t++) {
      // dq[t] += sum_t2<=t dpre[t][t2] k[t2]
      weightedRows(dqb + <usize>t * rs, scratch + <usize>t * ts, 4, kb, rs, 0, t, hs, true);
      // dk[t] += sum_t3>=t dpre[t3][t] q[t3];  dv[t] += sum_t3>=t att[t3][t] dout[t3]
      weightedRows(dkb + <usize>t * rs, scratch + (<usize>t << 2), ts, qb, rs, t, T - 1, hs, true);
      weightedRows(dvb + <usize>t * rs, ab + (<usize>t << 2), ts, gb, ors, t, T - 1, hs, true);
    }
  }
}

// Attention of n new tokens against a KV cache (rows, maxLen, C): pair ih = i * NH + h attends
// query i (in qkv, row stride 3C) to positions 0..pos[i] of cache row rowIdx[i]. scratch: maxLen
// floats owned by the calling chunk. Range over (token, head) pairs.
export function attn_decode(out: usize, qkv: usize, kc: usize, vc: usize, rowIdx: usize, pos: usize, C: i32, NH: i32, maxLen: i32, scratch: usize, ih0: i32, ih1: i32): void {
  const hs = C / NH;
  const scale: f32 = 1.0 / Mathf.sqrt(<f32>hs);
  const cs = <usize>C << 2;
  for (let ih = ih0; ih < ih1; ih++) {
    const i = ih / NH;
    const h = ih % NH;
    const r = load<i32>(rowIdx + (<usize>i << 2));
    const p = load<i32>(pos + (<usize>i << 2));
    const q = qkv + ((<usize>i * 3 * <usize>C + <usize>h * <usize>hs) << 2);
    const base = (<usize>r * <usize>maxLen * <usize>C + <usize>h * <usize>hs) << 2;
    for (let t = 0; t <= p; t++) store<f32>(scratch + (<usize>t << 2), dot4(q, kc + base + <usize>t * cs, hs) * scale);
    softmaxRow(scratch, scratch, p + 1);
    weightedRows(out + ((<usize>i * <usize>C + <usize>h * <usize>hs) << 2), scratch, 4, vc + base, cs, 0, p, hs, false);
  }
}
