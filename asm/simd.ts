// SIMD helpers shared by the kernels (inlined where used).

// ---------------------------------------------------------------------------------------------
// Vector math helpers
// ---------------------------------------------------------------------------------------------

// a * b + c for 4 lanes: one fused multiply-add where the relaxed-SIMD build is used (kernels-relaxed.wasm,
// picked at run time when the engine supports it), a multiply and an add otherwise.
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// exp(x) for 4 lanes: x = n ln2 + f, |f| <= ln2/2, e^f by a degree-6 polynomial (rel. err ~2e-7),
// 2^n built in the exponent bits. Inputs are clamped to [-87.3, 88.7] (f32 range).
@inline export function vexp(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.3)), f32x4.splat(88.7));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504)));
  let f = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  f = f32x4.sub(f, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.0 / 720.0);
  p = madd(p, f, f32x4.splat(1.0 / 120.0));
  p = madd(p, f, f32x4.splat(1.0 / 24.0));
  p = madd(p, f, f32x4.splat(1.0 / 6.0));
  p = madd(p, f, f32x4.splat(0.5));
  p = madd(p, f, f32x4.splat(1.0));
  p = madd(p, f, f32x4.splat(1.0));
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, pow2);
}

// tanh(u) = 1 - 2 / (e^{2u} + 1)
@inline export function vtanh(u: v128): v128 {
  const e = vexp(f32x4.add(u, u));
  return f32x4.sub(f32x4.splat(1.0), f32x4.div(f32x4.splat(2.0), f32x4.add(e, f32x4.splat(1.0))));
}

@inline export function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

@inline export function hmax(v: v128): f32 {
  return Mathf.max(Mathf.max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)),
    Mathf.max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

// Scalar exp through the vector path, so scalar tails round exactly like vector lanes.
@inline export function sexp(x: f32): f32 {
  return f32x4.extract_lane(vexp(f32x4.splat(x)), 0);
}

// Dot product of n floats (n % 4 == 0) at byte pointers a and b.
@inline export function dot4(a: usize, b: usize, n: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    s0 = madd(v128.load(a + (<usize>i << 2)), v128.load(b + (<usize>i << 2)), s0);
    s1 = madd(v128.load(a + (<usize>i << 2), 16), v128.load(b + (<usize>i << 2), 16), s1);
  }
  for (; i < n; i += 4) {
    s0 = madd(v128.load(a + (<usize>i << 2)), v128.load(b + (<usize>i << 2)), s0);
  }
  return hsum(f32x4.add(s0, s1));
}

// y[0..n) += s * x[0..n)   (n % 4 == 0)
@inline export function axpy4(y: usize, x: usize, s: f32, n: i32): void {
  const sv = f32x4.splat(s);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(sv, v128.load(x + o))));
  }
}

// Row softmax over [start, start+len) of a row at p; entries past len are left alone.
@inline export function softmaxRow(out: usize, x: usize, len: i32): void {
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


// Four dot products of n floats (n % 4 == 0): a . b(j) for rows b(j) = b + j*bs (bytes), j < 4, as
// one vector. Four independent accumulators keep the adders busy; one transpose-add reduces them.
@inline export function dots4(a: usize, b: usize, bs: usize, n: i32): v128 {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  const b1 = b + bs, b2 = b + 2 * bs, b3 = b + 3 * bs;
  const aend = a + (<usize>n << 2);
  let o: usize = 0;
  while (a + o < aend) {
    const av = v128.load(a + o);
    s0 = madd(av, v128.load(b + o), s0);
    s1 = madd(av, v128.load(b1 + o), s1);
    s2 = madd(av, v128.load(b2 + o), s2);
    s3 = madd(av, v128.load(b3 + o), s3);
    o += 16;
  }
  const s01 = f32x4.add(v128.shuffle<f32>(s0, s1, 0, 2, 4, 6), v128.shuffle<f32>(s0, s1, 1, 3, 5, 7));
  const s23 = f32x4.add(v128.shuffle<f32>(s2, s3, 0, 2, 4, 6), v128.shuffle<f32>(s2, s3, 1, 3, 5, 7));
  return f32x4.add(v128.shuffle<f32>(s01, s23, 0, 2, 4, 6), v128.shuffle<f32>(s01, s23, 1, 3, 5, 7));
}
