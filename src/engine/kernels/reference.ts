import type { Kernels } from './types.js';

/** Logistic sigmoid, without overflow for large |x|. */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const z = Math.exp(x);
  return z / (1 + z);
}

/** sqrt(2/pi), the GELU tanh-approximation constant. */
const GELU_SCALE = Math.sqrt(2 / Math.PI);

/**
 * Plain TypeScript kernels: the readable definition of every hot loop, and the reference the
 * WebAssembly kernels are tested against. Sums are accumulated in float64 (JS numbers).
 */
export const referenceKernels: Kernels = {
  name: 'reference',

  matmul(c, a, b, m, n, k, transA, transB, accumulate) {
    // Strides let one loop serve all four transposition cases.
    const aRow = transA ? 1 : k;
    const aCol = transA ? m : 1;
    const bRow = transB ? 1 : n;
    const bCol = transB ? k : 1;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * aRow + p * aCol]! * b[p * bRow + j * bCol]!;
        c[i * n + j] = accumulate ? c[i * n + j]! + s : s;
      }
    }
  },

  layerNormForward(out, mean, rstd, x, w, b, rows, cols, eps) {
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let mu = 0;
      for (let i = 0; i < cols; i++) mu += x[o + i]!;
      mu /= cols;
      let v = 0;
      for (let i = 0; i < cols; i++) {
        const d = x[o + i]! - mu;
        v += d * d;
      }
      const rs = 1 / Math.sqrt(v / cols + eps);
      for (let i = 0; i < cols; i++) out[o + i] = (x[o + i]! - mu) * rs * w[i]! + b[i]!;
      mean[r] = mu;
      rstd[r] = rs;
    }
  },

  layerNormBackward(dx, dw, db, dout, x, w, mean, rstd, rows, cols) {
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      const mu = mean[r]!;
      const rs = rstd[r]!;
      let dnormMean = 0;
      let dnormNormMean = 0;
      for (let i = 0; i < cols; i++) {
        const norm = (x[o + i]! - mu) * rs;
        const dnorm = w[i]! * dout[o + i]!;
        dnormMean += dnorm;
        dnormNormMean += dnorm * norm;
      }
      dnormMean /= cols;
      dnormNormMean /= cols;
      for (let i = 0; i < cols; i++) {
        const norm = (x[o + i]! - mu) * rs;
        const dnorm = w[i]! * dout[o + i]!;
        db[i] = db[i]! + dout[o + i]!;
        dw[i] = dw[i]! + norm * dout[o + i]!;
        dx[o + i] = dx[o + i]! + (dnorm - dnormMean - norm * dnormNormMean) * rs;
      }
    }
  },

  softmax(out, x, rows, cols) {
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let max = -Infinity;
      for (let i = 0; i < cols; i++) if (x[o + i]! > max) max = x[o + i]!;
      let s = 0;
      for (let i = 0; i < cols; i++) {
        const e = Math.exp(x[o + i]! - max);
        out[o + i] = e;
        s += e;
      }
      const inv = 1 / s;
      for (let i = 0; i < cols; i++) out[o + i] = out[o + i]! * inv;
    }
  },

  add(out, a, b, n) {
    for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
  },

  geluForward(out, x, n) {
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      out[i] = 0.5 * v * (1 + Math.tanh(GELU_SCALE * (v + 0.044715 * v * v * v)));
    }
  },

  geluBackward(dx, x, dout, n) {
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      const u = GELU_SCALE * (v + 0.044715 * v * v * v);
      const t = Math.tanh(u);
      const sech2 = 1 - t * t;
      const grad = 0.5 * (1 + t) + 0.5 * v * sech2 * GELU_SCALE * (1 + 3 * 0.044715 * v * v);
      dx[i] = dx[i]! + grad * dout[i]!;
    }
  },

  sumSquares(x, n) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i]! * x[i]!;
    return s;
  },

  scale(x, s, n) {
    const f = Math.fround(s);
    for (let i = 0; i < n; i++) x[i] = x[i]! * f;
  },

  geluForwardSave(out, th, x, n) {
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      const t = Math.tanh(GELU_SCALE * (v + 0.044715 * v * v * v));
      th[i] = t;
      out[i] = 0.5 * v * (1 + t);
    }
  },

  geluBackwardSaved(dx, x, th, dout, n) {
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      const t = th[i]!;
      const grad = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_SCALE * (1 + 3 * 0.044715 * v * v);
      dx[i] = dx[i]! + grad * dout[i]!;
    }
  },

  attentionForward(out, att, qkv, B, T, C, NH) {
    const hs = C / NH;
    const scale = 1 / Math.sqrt(hs);
    const C3 = 3 * C;
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < NH; h++) {
        for (let t = 0; t < T; t++) {
          const q = b * T * C3 + t * C3 + h * hs;
          const a = ((b * NH + h) * T + t) * T;
          let max = -Infinity;
          for (let t2 = 0; t2 <= t; t2++) {
            const kk = b * T * C3 + t2 * C3 + C + h * hs;
            let s = 0;
            for (let i = 0; i < hs; i++) s += qkv[q + i]! * qkv[kk + i]!;
            s *= scale;
            att[a + t2] = s;
            if (s > max) max = s;
          }
          let sum = 0;
          for (let t2 = 0; t2 <= t; t2++) {
            const e = Math.exp(att[a + t2]! - max);
            att[a + t2] = e;
            sum += e;
          }
          const inv = 1 / sum;
          for (let t2 = 0; t2 < T; t2++) att[a + t2] = t2 <= t ? att[a + t2]! * inv : 0;
          const o = b * T * C + t * C + h * hs;
          for (let i = 0; i < hs; i++) {
            let s = 0;
            for (let t2 = 0; t2 <= t; t2++) s += att[a + t2]! * qkv[b * T * C3 + t2 * C3 + 2 * C + h * hs + i]!;
            out[o + i] = s;
          }
        }
      }
    }
  },

  attentionBackward(dqkv, dout, qkv, att, B, T, C, NH) {
    const hs = C / NH;
    const scale = 1 / Math.sqrt(hs);
    const C3 = 3 * C;
    const datt = new Float64Array(T);
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < NH; h++) {
        for (let t = 0; t < T; t++) {
          const a = ((b * NH + h) * T + t) * T;
          const o = b * T * C + t * C + h * hs;
          const q = b * T * C3 + t * C3 + h * hs;
          // out = att · v  ->  datt = dout · v^T, dv += att^T · dout
          let dot = 0;
          for (let t2 = 0; t2 <= t; t2++) {
            const vv = b * T * C3 + t2 * C3 + 2 * C + h * hs;
            let s = 0;
            for (let i = 0; i < hs; i++) {
              s += qkv[vv + i]! * dout[o + i]!;
              dqkv[vv + i] = dqkv[vv + i]! + att[a + t2]! * dout[o + i]!;
            }
            datt[t2] = s;
            dot += s * att[a + t2]!;
          }
          // softmax backward: dpre = att * (datt - sum(att * datt)); then q·k backward.
          for (let t2 = 0; t2 <= t; t2++) {
            const dpre = att[a + t2]! * (datt[t2]! - dot) * scale;
            const kk = b * T * C3 + t2 * C3 + C + h * hs;
            for (let i = 0; i < hs; i++) {
              dqkv[q + i] = dqkv[q + i]! + qkv[kk + i]! * dpre;
              dqkv[kk + i] = dqkv[kk + i]! + qkv[q + i]! * dpre;
            }
          }
        }
      }
    }
  },

  flashAttentionForward(out, lse, qkv, B, T, C, NH) {
    // The unblocked forward, then each row's log-sum-exp from its scores.
    const att = new Float32Array(B * NH * T * T);
    referenceKernels.attentionForward(out, att, qkv, B, T, C, NH);
    const hs = C / NH;
    const scale = 1 / Math.sqrt(hs);
    const C3 = 3 * C;
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < NH; h++) {
        for (let t = 0; t < T; t++) {
          const q = b * T * C3 + t * C3 + h * hs;
          const s = new Float64Array(t + 1);
          let max = -Infinity;
          for (let t2 = 0; t2 <= t; t2++) {
            const kk = b * T * C3 + t2 * C3 + C + h * hs;
            let d = 0;
            for (let i = 0; i < hs; i++) d += qkv[q + i]! * qkv[kk + i]!;
            s[t2] = d * scale;
            if (s[t2]! > max) max = s[t2]!;
          }
          let sum = 0;
          for (let t2 = 0; t2 <= t; t2++) sum += Math.exp(s[t2]! - max);
          lse[(b * NH + h) * T + t] = max + Math.log(sum);
        }
      }
    }
  },

  flashAttentionBackward(dqkv, dout, qkv, _out, lse, B, T, C, NH) {
    // The probabilities rebuilt from lse, then the unblocked backward.
    const hs = C / NH;
    const scale = 1 / Math.sqrt(hs);
    const C3 = 3 * C;
    const att = new Float32Array(B * NH * T * T);
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < NH; h++) {
        for (let t = 0; t < T; t++) {
          const q = b * T * C3 + t * C3 + h * hs;
          const l = lse[(b * NH + h) * T + t]!;
          for (let t2 = 0; t2 <= t; t2++) {
            const kk = b * T * C3 + t2 * C3 + C + h * hs;
            let d = 0;
            for (let i = 0; i < hs; i++) d += qkv[q + i]! * qkv[kk + i]!;
            att[((b * NH + h) * T + t) * T + t2] = Math.exp(d * scale - l);
          }
        }
      }
    }
    referenceKernels.attentionBackward(dqkv, dout, qkv, att, B, T, C, NH);
  },

  attentionDecode(out, qkv, kCache, vCache, rowIdx, pos, n, C, NH, maxLen) {
    const hs = C / NH;
    const scale = 1 / Math.sqrt(hs);
    const scores = new Float64Array(maxLen);
    for (let i = 0; i < n; i++) {
      const base = rowIdx[i]! * maxLen * C;
      const p = pos[i]!;
      for (let h = 0; h < NH; h++) {
        const q = i * 3 * C + h * hs;
        let max = -Infinity;
        for (let t = 0; t <= p; t++) {
          const k = base + t * C + h * hs;
          let s = 0;
          for (let j = 0; j < hs; j++) s += qkv[q + j]! * kCache[k + j]!;
          s *= scale;
          scores[t] = s;
          if (s > max) max = s;
        }
        let sum = 0;
        for (let t = 0; t <= p; t++) {
          scores[t] = Math.exp(scores[t]! - max);
          sum += scores[t]!;
        }
        const o = i * C + h * hs;
        for (let j = 0; j < hs; j++) {
          let s = 0;
          for (let t = 0; t <= p; t++) s += scores[t]! * vCache[base + t * C + h * hs + j]!;
          out[o + j] = s / sum;
        }
      }
    }
  },

  lstmCellForward(h, c, act, tc, gates, cPrev, B, H) {
    const H4 = 4 * H;
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const o4 = b * H4;
        const ig = sigmoid(gates[o4 + j]!);
        const fg = sigmoid(gates[o4 + H + j]!);
        const gg = Math.tanh(gates[o4 + 2 * H + j]!);
        const og = sigmoid(gates[o4 + 3 * H + j]!);
        act[o4 + j] = ig;
        act[o4 + H + j] = fg;
        act[o4 + 2 * H + j] = gg;
        act[o4 + 3 * H + j] = og;
        const cv = fg * cPrev[b * H + j]! + ig * gg;
        c[b * H + j] = cv;
        const t = Math.tanh(cv);
        tc[b * H + j] = t;
        h[b * H + j] = og * t;
      }
    }
  },

  lstmCellBackward(dgates, dcPrev, dh, dc, act, tc, cPrev, B, H) {
    const H4 = 4 * H;
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const o4 = b * H4;
        const k = b * H + j;
        const ig = act[o4 + j]!;
        const fg = act[o4 + H + j]!;
        const gg = act[o4 + 2 * H + j]!;
        const og = act[o4 + 3 * H + j]!;
        const t = tc[k]!;
        const dhv = dh[k]!;
        const d = dc[k]! + dhv * og * (1 - t * t);
        dgates[o4 + j] = dgates[o4 + j]! + d * gg * ig * (1 - ig);
        dgates[o4 + H + j] = dgates[o4 + H + j]! + d * cPrev[k]! * fg * (1 - fg);
        dgates[o4 + 2 * H + j] = dgates[o4 + 2 * H + j]! + d * ig * (1 - gg * gg);
        dgates[o4 + 3 * H + j] = dgates[o4 + 3 * H + j]! + dhv * t * og * (1 - og);
        dcPrev[k] = dcPrev[k]! + d * fg;
      }
    }
  },
  adamw(p, g, m, v, n, lr, beta1, beta2, eps, weightDecay, bc1, bc2) {
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      const mi = beta1 * m[i]! + (1 - beta1) * gi;
      const vi = beta2 * v[i]! + (1 - beta2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      const mhat = mi / bc1;
      const vhat = vi / bc2;
      p[i] = p[i]! - lr * (mhat / (Math.sqrt(vhat) + eps) + weightDecay * p[i]!);
    }
  },
};
