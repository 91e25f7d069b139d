// Optimiser kernel.
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
