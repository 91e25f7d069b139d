// Matrix multiply kernels.
import { dot4, madd } from './simd';

// ---------------------------------------------------------------------------------------------
// Matrix multiply: C[m,n] (+)= op(A)[m,k] op(B)[k,n]
// A is packed into panels of 4 rows ([panel][k][4]) and B into panels of 8 columns ([panel][k][8]),
// zero-padded, so the 4x8 register tile streams both contiguously whatever the transposition.
// ---------------------------------------------------------------------------------------------

export function pack_b(dst: usize, b: usize, n: i32, k: i32, transB: i32, jp0: i32, jp1: i32): void {
  for (let jp = jp0; jp < jp1; jp++) {
    let d = dst + (<usize>jp * <usize>k << 5);
    const j0 = jp * 8;
    if (!transB && j0 + 16 <= n && jp + 1 < jp1) {
      // Two panels per sweep over the rows of B: each 64-byte run of a row is read once.
      const d2 = d + (<usize>k << 5);
      for (let p = 0; p < k; p++) {
        const s = b + ((<usize>p * <usize>n + <usize>j0) << 2);
        const o = <usize>p << 5;
        v128.store(d + o, v128.load(s));
        v128.store(d + o, v128.load(s, 16), 16);
        v128.store(d2 + o, v128.load(s, 32));
        v128.store(d2 + o, v128.load(s, 48), 16);
      }
      jp++;
      continue;
    }
    if (!transB && j0 + 8 <= n) {
      for (let p = 0; p < k; p++) {
        const s = b + ((<usize>p * <usize>n + <usize>j0) << 2);
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        d += 32;
      }
      continue;
    }
    if (transB && j0 + 8 <= n) {
      // B stored n x k: rows j0..j0+7 of it, four k at a time, transposed in registers.
      const r0 = b + (<usize>j0 * <usize>k << 2);
      const rs = <usize>k << 2;
      let p = 0;
      for (; p + 4 <= k; p += 4) {
        const o = <usize>p << 2;
        for (let h = 0; h < 2; h++) {
          const r = r0 + <usize>(4 * h) * rs + o;
          const x0 = v128.load(r);
          const x1 = v128.load(r + rs);
          const x2 = v128.load(r + 2 * rs);
          const x3 = v128.load(r + 3 * rs);
          const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
          const t1 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
          const t2 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
          const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
          const dd = d + (<usize>h << 4);
          v128.store(dd, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
          v128.store(dd, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 32);
          v128.store(dd, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 64);
          v128.store(dd, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 96);
        }
        d += 128;
      }
      for (; p < k; p++) {
        for (let jj = 0; jj < 8; jj++) store<f32>(d + (<usize>jj << 2), load<f32>(r0 + <usize>jj * rs + (<usize>p << 2)));
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
        // Up to four full panels per sweep over the rows of A, so each 64-byte run is read once.
        let g = 1;
        while (g < 4 && ip + g < ip1 && i + 4 * (g + 1) <= m) g++;
        const ps = <usize>k << 4;
        for (let p = 0; p < k; p++) {
          const s = a + ((<usize>p * <usize>m + <usize>i) << 2);
          const o = d + (<usize>p << 4);
          v128.store(o, v128.load(s));
          if (g > 1) v128.store(o + ps, v128.load(s, 16));
          if (g > 2) v128.store(o + 2 * ps, v128.load(s, 32));
          if (g > 3) v128.store(o + 3 * ps, v128.load(s, 48));
        }
        ip += g - 1;
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
  const bend = bp + (<usize>kc << 5);
  while (bp < bend) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const a0 = v128.load32_splat(ap);
    const a1 = v128.load32_splat(ap, 4);
    const a2 = v128.load32_splat(ap, 8);
    const a3 = v128.load32_splat(ap, 12);
    c00 = madd(a0, b0, c00);
    c01 = madd(a0, b1, c01);
    c10 = madd(a1, b0, c10);
    c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20);
    c21 = madd(a2, b1, c21);
    c30 = madd(a3, b0, c30);
    c31 = madd(a3, b1, c31);
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

// k is cut into blocks of KC; within a block, row panels are taken MCP at a time (4·MCP rows of A,
// MCP·KC·16 bytes, stay in L2) and every 8-column B panel (KC·32 bytes) is swept over those row
// panels while it sits in L1. Each C element is still summed over p in order, block by block, so the
// result does not depend on how [ip0, ip1) is split between threads.
const KC: i32 = 384;
const MCP: i32 = 16;

// Computes row panels [ip0, ip1) of C from packed A (ap) and packed B (bp).
export function gemm_packed(c: usize, ap: usize, bp: usize, m: i32, n: i32, k: i32, accumulate: i32, ip0: i32, ip1: i32): void {
  const ldc = <usize>n << 2;
  const npanels = (n + 7) >> 3;
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    const acc = accumulate != 0 || pc > 0;
    for (let ic = ip0; ic < ip1; ic += MCP) {
      const icend = min(ip1, ic + MCP);
      for (let jp = 0; jp < npanels; jp++) {
        const j = jp * 8;
        const bpanel = bp + ((<usize>jp * <usize>k + <usize>pc) << 5);
        for (let ip = ic; ip < icend; ip++) {
          const i = ip * 4;
          const apanel = ap + ((<usize>ip * <usize>k + <usize>pc) << 4);
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
        v128.store(crow + o, madd(sv, v128.load(brow + o), v128.load(crow + o)));
        v128.store(crow + o, madd(sv, v128.load(brow + o, 16), v128.load(crow + o, 16)), 16);
        v128.store(crow + o, madd(sv, v128.load(brow + o, 32), v128.load(crow + o, 32)), 32);
        v128.store(crow + o, madd(sv, v128.load(brow + o, 48), v128.load(crow + o, 48)), 48);
      }
      for (; j < jv; j += 4) {
        const o = <usize>j << 2;
        v128.store(crow + o, madd(sv, v128.load(brow + o), v128.load(crow + o)));
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

