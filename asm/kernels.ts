// Hot kernels of the Qudao engine in AssemblyScript with WebAssembly SIMD (128-bit, 4 x f32).
// Compiled by `npm run build:wasm` (scripts/build-wasm.js) into src/engine/kernels/kernels.wasm.
// All pointers are byte offsets into the shared memory the engine owns; every kernel takes a range
// [lo, hi) of its outermost loop so the worker pool can split it without races: ranges write
// disjoint outputs, and each output is summed in one fixed order, so results do not depend on the
// number of threads. The plain TypeScript twins are in src/engine/kernels/reference.ts.

// ---------------------------------------------------------------------------------------------
// Vector math helpers
// ---------------------------------------------------------------------------------------------

// exp(x) for 4 lanes: x = n ln2 + f, |f| <= ln2/2, e^f by a degree-6 polynomial (rel. err ~2e-7),
// 2^n built in the exponent bits. Inputs are clamped to [-87.3, 88.7] (f32 range).
@inline function vexp(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.3)), f32x4.splat(88.7));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504)));
  let f = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  f = f32x4.sub(f, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.0 / 720.0);
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(1.0 / 120.0));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(1.0 / 24.0));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(1.0 / 6.0));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(1.0));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(1.0));
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, pow2);
}

// tanh(u) = 1 - 2 / (e^{2u} + 1)
@inline function vtanh(u: v128): v128 {
  const e = vexp(f32x4.add(u, u));
  return f32x4.sub(f32x4.splat(1.0), f32x4.div(f32x4.splat(2.0), f32x4.add(e, f32x4.splat(1.0))));
}

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

@inline function hmax(v: v128): f32 {
  return Mathf.max(Mathf.max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)),
    Mathf.max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

// Scalar exp through the vector path, so scalar tails round exactly like vector lanes.
@inline function sexp(x: f32): f32 {
  return f32x4.extract_lane(vexp(f32x4.splat(x)), 0);
}

// Dot product of n floats (n % 4 == 0) at byte pointers a and b.
@inline function dot4(a: usize, b: usize, n: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a + (<usize>i << 2)), v128.load(b + (<usize>i << 2))));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(a + (<usize>i << 2), 16), v128.load(b + (<usize>i << 2), 16)));
  }
  for (; i < n; i += 4) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a + (<usize>i << 2)), v128.load(b + (<usize>i << 2))));
  }
  return hsum(f32x4.add(s0, s1));
}

// y[0..n) += s * x[0..n)   (n % 4 == 0)
@inline function axpy4(y: usize, x: usize, s: f32, n: i32): void {
  const sv = f32x4.splat(s);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(sv, v128.load(x + o))));
  }
}

// ---------------------------------------------------------------------------------------------
// Matrix multiply: C[m,n] (+)= op(A)[m,k] op(B)[k,n]
// A is packed into panels of 4 rows ([panel][k][4]) and B into panels of 8 columns ([panel][k][8]),
// zero-padded, so the 4x8 register tile streams both contiguously whatever the transposition.
// ---------------------------------------------------------------------------------------------

export function pack_b(dst: usize, b: usize, n: i32, k: i32, transB: i32, jp0: i32, jp1: i32): void {
  for (let jp = jp0; jp < jp1; jp++) {
    let d = dst + (<usize>jp * <usize>k << 5);
    const j0 = jp * 8;
    if (!transB && j0 + 8 <= n) {
      for (let p = 0; p < k; p++) {
        const s = b + ((<usize>p * <usize>n + <usize>j0) << 2);
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        d += 32;
      }
      continue;
    }
    for (let p = 0; p < k; p++) {
      for (let jj = 0; jj < 8; jj++) {
        const j = j0 + jj;
        let v: f32 = 0;
        if (j < n) v = transB ? load<f32>(b + ((<usize>j * <usize>k + <usize>p) << 2)) : load<f32>(b + ((<usize>p * <usize>n + <usize>j) << 2));
        store<f32>(d, v);
        d += 4;
      }
    }
  }
}

// A packed into panels of 4 rows ([panel][k][4]), zero-padded; vectorised for both layouts.
export function pack_a(dst: usize, a: usize, m: i32, k: i32, transA: i32, ip0: i32, ip1: i32): void {
  for (let ip = ip0; ip < ip1; ip++) {
    const i = ip * 4;
    let d = dst + (<usize>ip * <usize>k << 4);
    if (i + 4 <= m) {
      if (transA) {
        for (let p = 0; p < k; p++) {
          v128.store(d, v128.load(a + ((<usize>p * <usize>m + <usize>i) << 2)));
          d += 16;
        }
        continue;
      }
      const r0 = a + (<usize>i * <usize>k << 2);
      const rs = <usize>k << 2;
      let p = 0;
      for (; p + 4 <= k; p += 4) {
        const o = <usize>p << 2;
        const x0 = v128.load(r0 + o);
        const x1 = v128.load(r0 + rs + o);
        const x2 = v128.load(r0 + 2 * rs + o);
        const x3 = v128.load(r0 + 3 * rs + o);
        const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
        const t1 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
        const t2 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
        const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
        v128.store(d, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
        v128.store(d, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 16);
        v128.store(d, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 32);
        v128.store(d, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 48);
        d += 64;
      }
      for (; p < k; p++) {
        for (let ii = 0; ii < 4; ii++) store<f32>(d + (<usize>ii << 2), load<f32>(r0 + <usize>ii * rs + (<usize>p << 2)));
        d += 16;
      }
      continue;
    }
    for (let p = 0; p < k; p++) {
      for (let ii = 0; ii < 4; ii++) {
        const r = i + ii;
        let v: f32 = 0;
        if (r < m) v = transA ? load<f32>(a + ((<usize>p * <usize>m + <usize>r) << 2)) : load<f32>(a + ((<usize>r * <usize>k + <usize>p) << 2));
        store<f32>(d, v);
        d += 4;
      }
    }
  }
}

// Full 4x8 tile at c (row stride ldc bytes) over kc steps of packed panels.
@inline function tile4x8(c: usize, ldc: usize, ap: usize, bp: usize, kc: i32, acc: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const a0 = v128.load32_splat(ap);
    const a1 = v128.load32_splat(ap, 4);
    const a2 = v128.load32_splat(ap, 8);
    const a3 = v128.load32_splat(ap, 12);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0));
    c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    c10 = f32x4.add(c10, f32x4.mul(a1, b0));
    c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    c20 = f32x4.add(c20, f32x4.mul(a2, b0));
    c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    c30 = f32x4.add(c30, f32x4.mul(a3, b0));
    c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    ap += 16;
    bp += 32;
  }
  if (acc) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16)); c += ldc;
    c10 = f32x4.add(c10, v128.load(c)); c11 = f32x4.add(c11, v128.load(c, 16)); c += ldc;
    c20 = f32x4.add(c20, v128.load(c)); c21 = f32x4.add(c21, v128.load(c, 16)); c += ldc;
    c30 = f32x4.add(c30, v128.load(c)); c31 = f32x4.add(c31, v128.load(c, 16));
    c -= 3 * ldc;
  }
  v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
  v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
  v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
  v128.store(c, c30); v128.store(c, c31, 16);
}

// Partial tile at the matrix edge: mi rows, nj columns, scalar.
function tileEdge(c: usize, ldc: usize, ap: usize, bp: usize, kc: i32, acc: bool, mi: i32, nj: i32): void {
  for (let ii = 0; ii < mi; ii++) {
    for (let jj = 0; jj < nj; jj++) {
      let s: f32 = 0;
      for (let p = 0; p < kc; p++) s += load<f32>(ap + ((<usize>p << 2) + <usize>ii << 2)) * load<f32>(bp + ((<usize>p << 3) + <usize>jj << 2));
      const o = c + <usize>ii * ldc + (<usize>jj << 2);
      store<f32>(o, acc ? load<f32>(o) + s : s);
    }
  }
}

const KC: i32 = 256;
const NC: i32 = 256;

// Computes row panels [ip0, ip1) of C from packed A (ap) and packed B (bp).
export function gemm_packed(c: usize, ap: usize, bp: usize, m: i32, n: i32, k: i32, accumulate: i32, ip0: i32, ip1: i32): void {
  const ldc = <usize>n << 2;
  const npanels = (n + 7) >> 3;
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    const acc = accumulate != 0 || pc > 0;
    for (let jc = 0; jc < npanels; jc += NC >> 3) {
      const jend = min(npanels, jc + (NC >> 3));
      for (let ip = ip0; ip < ip1; ip++) {
        const i = ip * 4;
        const apanel = ap + ((<usize>ip * <usize>k + <usize>pc) << 4);
        for (let jp = jc; jp < jend; jp++) {
          const j = jp * 8;
          const bpanel = bp + ((<usize>jp * <usize>k + <usize>pc) << 5);
          const cptr = c + <usize>i * ldc + (<usize>j << 2);
          if (i + 4 <= m && j + 8 <= n) tile4x8(cptr, ldc, apanel, bpanel, kc, acc);
          else tileEdge(cptr, ldc, apanel, bpanel, kc, acc, min(4, m - i), min(8, n - j));
        }
      }
    }
  }
}

// Few rows (decoding), B row-major (k x n): columns [j0, j1) of C. Streams B once, row by row, and
// adds a[i,p] * B[p, j0:j1] into every row i of C, which stays in L1: matrix-vector products are
// bound by memory bandwidth, so B must be read sequentially and only once.
export function gemv_nn(c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, accumulate: i32, j0: i32, j1: i32): void {
  const ldc = <usize>n << 2;
  if (!accumulate) {
    for (let i = 0; i < m; i++) for (let j = j0; j < j1; j++) store<f32>(c + <usize>i * ldc + (<usize>j << 2), 0);
  }
  const jv = j0 + ((j1 - j0) & ~3);
  for (let p = 0; p < k; p++) {
    const brow = b + (<usize>p * <usize>n << 2);
    for (let i = 0; i < m; i++) {
      const s = load<f32>(a + ((<usize>i * <usize>k + <usize>p) << 2));
      const sv = f32x4.splat(s);
      const crow = c + <usize>i * ldc;
      let j = j0;
      for (; j + 16 <= jv; j += 16) {
        const o = <usize>j << 2;
        v128.store(crow + o, f32x4.add(v128.load(crow + o), f32x4.mul(sv, v128.load(brow + o))));
        v128.store(crow + o, f32x4.add(v128.load(crow + o, 16), f32x4.mul(sv, v128.load(brow + o, 16))), 16);
        v128.store(crow + o, f32x4.add(v128.load(crow + o, 32), f32x4.mul(sv, v128.load(brow + o, 32))), 32);
        v128.store(crow + o, f32x4.add(v128.load(crow + o, 48), f32x4.mul(sv, v128.load(brow + o, 48))), 48);
      }
      for (; j < jv; j += 4) {
        const o = <usize>j << 2;
        v128.store(crow + o, f32x4.add(v128.load(crow + o), f32x4.mul(sv, v128.load(brow + o))));
      }
      for (; j < j1; j++) {
        const o = <usize>j << 2;
        store<f32>(crow + o, load<f32>(crow + o) + s * load<f32>(brow + o));
      }
    }
  }
}

// Few rows, B stored n x k (C = A Bᵀ): dot products, columns [j0, j1). Needs k % 4 == 0.
export function gemv_nt(c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, accumulate: i32, j0: i32, j1: i32): void {
  for (let i = 0; i < m; i++) {
    const arow = a + (<usize>i * <usize>k << 2);
    for (let j = j0; j < j1; j++) {
      const s = dot4(arow, b + (<usize>j * <usize>k << 2), k);
      const o = c + ((<usize>i * <usize>n + <usize>j) << 2);
      store<f32>(o, accumulate ? load<f32>(o) + s : s);
    }
  }
}

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

// Row softmax over [start, start+len) of a row at p; entries past len are left alone.
@inline function softmaxRow(out: usize, x: usize, len: i32): void {
  let mv = f32x4.splat(-Infinity);
  let i = 0;
  for (; i + 4 <= len; i += 4) mv = f32x4.max(mv, v128.load(x + (<usize>i << 2)));
  let mx = hmax(mv);
  for (; i < len; i++) mx = Mathf.max(mx, load<f32>(x + (<usize>i << 2)));
  const mxv = f32x4.splat(mx);
  let sv = f32x4.splat(0);
  i = 0;
  for (; i + 4 <= len; i += 4) {
    const e = vexp(f32x4.sub(v128.load(x + (<usize>i << 2)), mxv));
    v128.store(out + (<usize>i << 2), e);
    sv = f32x4.add(sv, e);
  }
  let s = hsum(sv);
  for (; i < len; i++) {
    const e = sexp(load<f32>(x + (<usize>i << 2)) - mx);
    store<f32>(out + (<usize>i << 2), e);
    s += e;
  }
  const iv = f32x4.splat(1.0 / s);
  const is: f32 = <f32>1.0 / s;
  i = 0;
  for (; i + 4 <= len; i += 4) v128.store(out + (<usize>i << 2), f32x4.mul(v128.load(out + (<usize>i << 2)), iv));
  for (; i < len; i++) store<f32>(out + (<usize>i << 2), load<f32>(out + (<usize>i << 2)) * is);
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

// ---------------------------------------------------------------------------------------------
// Fused causal self-attention (llm.c layout), head size % 4 == 0. Range over (b, h) pairs.
// ---------------------------------------------------------------------------------------------

export function attn_fwd(out: usize, att: usize, qkv: usize, T: i32, C: i32, NH: i32, bh0: i32, bh1: i32): void {
  const hs = C / NH;
  const scale: f32 = 1.0 / Mathf.sqrt(<f32>hs);
  const C3 = 3 * C;
  for (let bh = bh0; bh < bh1; bh++) {
    const b = bh / NH;
    const h = bh % NH;
    const base = qkv + (<usize>b * <usize>T * <usize>C3 << 2);
    for (let t = 0; t < T; t++) {
      const q = base + ((<usize>t * <usize>C3 + <usize>h * <usize>hs) << 2);
      const arow = att + (((<usize>bh * <usize>T + <usize>t) * <usize>T) << 2);
      for (let t2 = 0; t2 <= t; t2++) {
        const kp = base + ((<usize>t2 * <usize>C3 + <usize>C + <usize>h * <usize>hs) << 2);
        store<f32>(arow + (<usize>t2 << 2), dot4(q, kp, hs) * scale);
      }
      softmaxRow(arow, arow, t + 1);
      for (let t2 = t + 1; t2 < T; t2++) store<f32>(arow + (<usize>t2 << 2), 0);
      const o = out + (((<usize>b * <usize>T + <usize>t) * <usize>C + <usize>h * <usize>hs) << 2);
      for (let i = 0; i < hs; i += 4) v128.store(o + (<usize>i << 2), f32x4.splat(0));
      for (let t2 = 0; t2 <= t; t2++) {
        const vp = base + ((<usize>t2 * <usize>C3 + 2 * <usize>C + <usize>h * <usize>hs) << 2);
        axpy4(o, vp, load<f32>(arow + (<usize>t2 << 2)), hs);
      }
    }
  }
}

// scratch: T floats owned by the calling thread.
export function attn_bwd(dqkv: usize, dout: usize, qkv: usize, att: usize, scratch: usize, T: i32, C: i32, NH: i32, bh0: i32, bh1: i32): void {
  const hs = C / NH;
  const scale: f32 = 1.0 / Mathf.sqrt(<f32>hs);
  const C3 = 3 * C;
  for (let bh = bh0; bh < bh1; bh++) {
    const b = bh / NH;
    const h = bh % NH;
    const base = <usize>b * <usize>T * <usize>C3 << 2;
    for (let t = 0; t < T; t++) {
      const arow = att + (((<usize>bh * <usize>T + <usize>t) * <usize>T) << 2);
      const go = dout + (((<usize>b * <usize>T + <usize>t) * <usize>C + <usize>h * <usize>hs) << 2);
      const qo = base + ((<usize>t * <usize>C3 + <usize>h * <usize>hs) << 2);
      let dot: f32 = 0;
      for (let t2 = 0; t2 <= t; t2++) {
        const vo = base + ((<usize>t2 * <usize>C3 + 2 * <usize>C + <usize>h * <usize>hs) << 2);
        const a = load<f32>(arow + (<usize>t2 << 2));
        const s = dot4(qkv + vo, go, hs);
        axpy4(dqkv + vo, go, a, hs);
        store<f32>(scratch + (<usize>t2 << 2), s);
        dot += s * a;
      }
      for (let t2 = 0; t2 <= t; t2++) {
        const a = load<f32>(arow + (<usize>t2 << 2));
        const dpre = a * (load<f32>(scratch + (<usize>t2 << 2)) - dot) * scale;
        const ko = base + ((<usize>t2 * <usize>C3 + <usize>C + <usize>h * <usize>hs) << 2);
        axpy4(dqkv + qo, qkv + ko, dpre, hs);
        axpy4(dqkv + ko, qkv + qo, dpre, hs);
      }
    }
  }
}

// Attention of n new tokens against a KV cache (rows, maxLen, C): pair ih = i * NH + h attends
// query i (in qkv, row stride 3C) to positions 0..pos[i] of cache row rowIdx[i]. scratch: maxLen
// floats owned by the calling chunk. Range over (token, head) pairs.
export function attn_decode(out: usize, qkv: usize, kc: usize, vc: usize, rowIdx: usize, pos: usize, C: i32, NH: i32, maxLen: i32, scratch: usize, ih0: i32, ih1: i32): void {
  const hs = C / NH;
  const scale: f32 = 1.0 / Mathf.sqrt(<f32>hs);
  for (let ih = ih0; ih < ih1; ih++) {
    const i = ih / NH;
    const h = ih % NH;
    const r = load<i32>(rowIdx + (<usize>i << 2));
    const p = load<i32>(pos + (<usize>i << 2));
    const q = qkv + ((<usize>i * 3 * <usize>C + <usize>h * <usize>hs) << 2);
    const base = (<usize>r * <usize>maxLen * <usize>C + <usize>h * <usize>hs) << 2;
    for (let t = 0; t <= p; t++) {
      store<f32>(scratch + (<usize>t << 2), dot4(q, kc + base + (<usize>t * <usize>C << 2), hs) * scale);
    }
    softmaxRow(scratch, scratch, p + 1);
    const o = out + ((<usize>i * <usize>C + <usize>h * <usize>hs) << 2);
    for (let j = 0; j < hs; j += 4) v128.store(o + (<usize>j << 2), f32x4.splat(0));
    for (let t = 0; t <= p; t++) axpy4(o, vc + base + (<usize>t * <usize>C << 2), load<f32>(scratch + (<usize>t << 2)), hs);
  }
}

// ---------------------------------------------------------------------------------------------
// AdamW update over [i0, i1) (i0 a multiple of 4; a scalar tail handles the end)
// ---------------------------------------------------------------------------------------------

export function adamw(p: usize, g: usize, m: usize, v: usize, lr: f32, beta1: f32, beta2: f32, eps: f32, wd: f32, bc1: f32, bc2: f32, i0: i32, i1: i32): void {
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const ob1 = f32x4.splat(1.0 - beta1);
  const ob2 = f32x4.splat(1.0 - beta2);
  const ibc1 = f32x4.splat(1.0 / bc1);
  const ibc2 = f32x4.splat(1.0 / bc2);
  const lrv = f32x4.splat(lr);
  const epsv = f32x4.splat(eps);
  const wdv = f32x4.splat(wd);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    const gv = v128.load(g + o);
    const mv = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(ob1, gv));
    const vv = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(ob2, f32x4.mul(gv, gv)));
    v128.store(m + o, mv);
    v128.store(v + o, vv);
    const pv = v128.load(p + o);
    const upd = f32x4.add(f32x4.div(f32x4.mul(mv, ibc1), f32x4.add(f32x4.sqrt(f32x4.mul(vv, ibc2)), epsv)), f32x4.mul(wdv, pv));
    v128.store(p + o, f32x4.sub(pv, f32x4.mul(lrv, upd)));
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const mi = beta1 * load<f32>(m + o) + (1.0 - beta1) * gi;
    const vi = beta2 * load<f32>(v + o) + (1.0 - beta2) * gi * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    const pi = load<f32>(p + o);
    store<f32>(p + o, pi - lr * ((mi * (1.0 / bc1)) / (Mathf.sqrt(vi * (1.0 / bc2)) + eps) + wd * pi));
  }
}
