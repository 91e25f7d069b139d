// LayerNorm, softmax and GELU kernels.
import { vtanh, hsum, softmaxRow } from './simd';

// ---------------------------------------------------------------------------------------------
// LayerNorm, softmax, GELU (cols and n multiples of 4; the JS side falls back otherwise)
// ---------------------------------------------------------------------------------------------

export function layernorm_fwd(out: usize, mean: usize, rstd: usize, x: usize, w: usize, b: usize, cols: i32, eps: f32, r0: i32, r1: i32): void {
  const inv: f32 = <f32>1.0 / <f32>cols;
  for (let r = r0; r < r1; r++) {
    const xr = x + (<usize>r * <usize>cols << 2);
    const orow = out + (<usize>r * <usize>cols << 2);
    let s = f32x4.splat(0);
    for (let i = 0; i < cols; i += 4) s = f32x4.add(s, v128.load(xr + (<usize>i << 2)));
    const mu = hsum(s) * inv;
    const muv = f32x4.splat(mu);
    let vs = f32x4.splat(0);
    for (let i = 0; i < cols; i += 4) {
      const d = f32x4.sub(v128.load(xr + (<usize>i << 2)), muv);
      vs = f32x4.add(vs, f32x4.mul(d, d));
    }
    const rs: f32 = <f32>1.0 / Mathf.sqrt(hsum(vs) * inv + eps);
    const rsv = f32x4.splat(rs);
    for (let i = 0; i < cols; i += 4) {
      const o = <usize>i << 2;
      const nrm = f32x4.mul(f32x4.sub(v128.load(xr + o), muv), rsv);
      v128.store(orow + o, f32x4.add(f32x4.mul(nrm, v128.load(w + o)), v128.load(b + o)));
    }
    store<f32>(mean + (<usize>r << 2), mu);
    store<f32>(rstd + (<usize>r << 2), rs);
  }
}

// dx for rows [r0, r1); dw and db accumulate into the given buffers (per-thread partials).
export function layernorm_bwd(dx: usize, dw: usize, db: usize, dout: usize, x: usize, w: usize, mean: usize, rstd: usize, cols: i32, r0: i32, r1: i32): void {
  const inv: f32 = <f32>1.0 / <f32>cols;
  for (let r = r0; r < r1; r++) {
    const ro = <usize>r * <usize>cols << 2;
    const muv = f32x4.splat(load<f32>(mean + (<usize>r << 2)));
    const rs = load<f32>(rstd + (<usize>r << 2));
    const rsv = f32x4.splat(rs);
    let sm = f32x4.splat(0);
    let snm = f32x4.splat(0);
    for (let i = 0; i < cols; i += 4) {
      const o = <usize>i << 2;
      const nrm = f32x4.mul(f32x4.sub(v128.load(x + ro + o), muv), rsv);
      const dn = f32x4.mul(v128.load(w + o), v128.load(dout + ro + o));
      sm = f32x4.add(sm, dn);
      snm = f32x4.add(snm, f32x4.mul(dn, nrm));
    }
    const dmean = f32x4.splat(hsum(sm) * inv);
    const dnmean = f32x4.splat(hsum(snm) * inv);
    for (let i = 0; i < cols; i += 4) {
      const o = <usize>i << 2;
      const nrm = f32x4.mul(f32x4.sub(v128.load(x + ro + o), muv), rsv);
      const g = v128.load(dout + ro + o);
      const dn = f32x4.mul(v128.load(w + o), g);
      v128.store(db + o, f32x4.add(v128.load(db + o), g));
      v128.store(dw + o, f32x4.add(v128.load(dw + o), f32x4.mul(nrm, g)));
      const d = f32x4.mul(f32x4.sub(f32x4.sub(dn, dmean), f32x4.mul(nrm, dnmean)), rsv);
      v128.store(dx + ro + o, f32x4.add(v128.load(dx + ro + o), d));
    }
  }
}

export function softmax(out: usize, x: usize, cols: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const o = <usize>r * <usize>cols << 2;
    softmaxRow(out + o, x + o, cols);
  }
}

// GELU tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
export function gelu_fwd(out: usize, x: usize, i0: i32, i1: i32): void {
  const half = f32x4.splat(0.5);
  const one = f32x4.splat(1.0);
  const c0 = f32x4.splat(0.7978845608);
  const c1 = f32x4.splat(0.044715);
  for (let i = i0; i < i1; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    const u = f32x4.mul(c0, f32x4.add(v, f32x4.mul(c1, f32x4.mul(v, f32x4.mul(v, v)))));
    v128.store(out + o, f32x4.mul(f32x4.mul(half, v), f32x4.add(one, vtanh(u))));
  }
}

export function gelu_bwd(dx: usize, x: usize, dout: usize, i0: i32, i1: i32): void {
  const half = f32x4.splat(0.5);
  const one = f32x4.splat(1.0);
  const c0 = f32x4.splat(0.7978845608);
  const c1 = f32x4.splat(0.044715);
  const c3 = f32x4.splat(3.0 * 0.044715);
  for (let i = i0; i < i1; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    const v2 = f32x4.mul(v, v);
    const u = f32x4.mul(c0, f32x4.add(v, f32x4.mul(c1, f32x4.mul(v, v2))));
    const t = vtanh(u);
    const sech2 = f32x4.sub(one, f32x4.mul(t, t));
    const g = f32x4.add(f32x4.mul(half, f32x4.add(one, t)),
      f32x4.mul(f32x4.mul(f32x4.mul(half, v), sech2), f32x4.mul(c0, f32x4.add(one, f32x4.mul(c3, v2)))));
    v128.store(dx + o, f32x4.add(v128.load(dx + o), f32x4.mul(g, v128.load(dout + o))));
  }
}


// GELU forward that also keeps t = tanh(u) in `th`, so the backward does no transcendental work.
export function gelu_fwd_t(out: usize, th: usize, x: usize, i0: i32, i1: i32): void {
  const half = f32x4.splat(0.5);
  const one = f32x4.splat(1.0);
  const c0 = f32x4.splat(0.7978845608);
  const c1 = f32x4.splat(0.044715);
  for (let i = i0; i < i1; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    const u = f32x4.mul(c0, f32x4.add(v, f32x4.mul(c1, f32x4.mul(v, f32x4.mul(v, v)))));
    const t = vtanh(u);
    v128.store(th + o, t);
    v128.store(out + o, f32x4.mul(f32x4.mul(half, v), f32x4.add(one, t)));
  }
}

// dx += gelu'(x) * dout with t = tanh(u) saved by gelu_fwd_t (same arithmetic as gelu_bwd).
export function gelu_bwd_t(dx: usize, x: usize, th: usize, dout: usize, i0: i32, i1: i32): void {
  const half = f32x4.splat(0.5);
  const one = f32x4.splat(1.0);
  const c0 = f32x4.splat(0.7978845608);
  const c3 = f32x4.splat(3.0 * 0.044715);
  for (let i = i0; i < i1; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    const v2 = f32x4.mul(v, v);
    const t = v128.load(th + o);
    const sech2 = f32x4.sub(one, f32x4.mul(t, t));
    const g = f32x4.add(f32x4.mul(half, f32x4.add(one, t)),
      f32x4.mul(f32x4.mul(f32x4.mul(half, v), sech2), f32x4.mul(c0, f32x4.add(one, f32x4.mul(c3, v2)))));
    v128.store(dx + o, f32x4.add(v128.load(dx + o), f32x4.mul(g, v128.load(dout + o))));
  }
}

// out[i] = a[i] + b[i] over [i0, i1) (i0 a multiple of 4; out may alias a or b). Residual
// connections forward, and gradient accumulation `g += dout` backward.
export function add(out: usize, a: usize, b: usize, i0: i32, i1: i32): void {
  let i = i0;
  for (; i + 16 <= i1; i += 16) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
    v128.store(out + o, f32x4.add(v128.load(a + o, 16), v128.load(b + o, 16)), 16);
    v128.store(out + o, f32x4.add(v128.load(a + o, 32), v128.load(b + o, 32)), 32);
    v128.store(out + o, f32x4.add(v128.load(a + o, 48), v128.load(b + o, 48)), 48);
  }
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) + load<f32>(b + o));
  }
}

// Sum of squares of x[0..n) in f64 (f32 products are exact in f64), four f64 lanes then a tail.
// Gradient-norm clipping; runs on one thread so the order, and the result, is fixed.
export function sumsq(x: usize, n: i32): f64 {
  let a = f64x2.splat(0);
  let b = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    const lo = f64x2.promote_low_f32x4(v);
    const hi = f64x2.promote_low_f32x4(i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
    a = f64x2.add(a, f64x2.mul(lo, lo));
    b = f64x2.add(b, f64x2.mul(hi, hi));
  }
  let s: f64 = (f64x2.extract_lane(a, 0) + f64x2.extract_lane(b, 0)) + (f64x2.extract_lane(a, 1) + f64x2.extract_lane(b, 1));
  for (; i < n; i++) {
    const g = <f64>load<f32>(x + (<usize>i << 2));
    s += g * g;
  }
  return s;
}

// x[i] *= s over [i0, i1) (i0 a multiple of 4).
export function scale(x: usize, s: f32, i0: i32, i1: i32): void {
  const sv = f32x4.splat(s);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    v128.store(x + o, f32x4.mul(v128.load(x + o), sv));
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    store<f32>(x + o, load<f32>(x + o) * s);
  }
}
