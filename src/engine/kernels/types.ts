/**
 * The kernel interface: the hot loops every backend implements. Arrays are Float32Array views of the
 * engine's shared memory; sizes are passed explicitly. Backward kernels ACCUMULATE into their
 * gradient outputs (autograd adds contributions from every consumer of a tensor).
 */
export interface Kernels {
  /** Backend name, e.g. `reference` or `wasm`. */
  readonly name: string;
  /**
   * `c[m,n] (+)= op(a) · op(b)` with `op(a)` of shape m×k (stored k×m when `transA`) and `op(b)` k×n
   * (stored n×k when `transB`). Adds into `c` when `accumulate`, else overwrites.
   */
  matmul(
    c: Float32Array, a: Float32Array, b: Float32Array,
    m: number, n: number, k: number,
    transA: boolean, transB: boolean, accumulate: boolean,
  ): void;
  /** LayerNorm over the last axis; saves per-row mean and 1/std for the backward pass. */
  layerNormForward(
    out: Float32Array, mean: Float32Array, rstd: Float32Array,
    x: Float32Array, w: Float32Array, b: Float32Array, rows: number, cols: number, eps: number,
  ): void;
  /** Accumulates dx, dw, db of LayerNorm. */
  layerNormBackward(
    dx: Float32Array, dw: Float32Array, db: Float32Array, dout: Float32Array,
    x: Float32Array, w: Float32Array, mean: Float32Array, rstd: Float32Array, rows: number, cols: number,
  ): void;
  /** Row-wise softmax of a rows×cols matrix. */
  softmax(out: Float32Array, x: Float32Array, rows: number, cols: number): void;
  /** `out[i] = a[i] + b[i]` for i < n; `out` may be `a` or `b` (so `add(g, g, d, n)` accumulates). */
  add(out: Float32Array, a: Float32Array, b: Float32Array, n: number): void;
  /** GELU, tanh approximation (as GPT-2). */
  geluForward(out: Float32Array, x: Float32Array, n: number): void;
  /** Accumulates `dx += gelu'(x) * dout`. */
  geluBackward(dx: Float32Array, x: Float32Array, dout: Float32Array, n: number): void;
  /** Sum of squares of `x[0..n)`, accumulated in double precision (gradient-norm clipping). */
  sumSquares(x: Float32Array, n: number): number;
  /** `x[i] *= s` for i < n, with `s` rounded to float32. */
  scale(x: Float32Array, s: number, n: number): void;
  /** GELU forward that also stores `tanh(u)` in `tanh` (n floats) for {@link geluBackwardSaved}. */
  geluForwardSave(out: Float32Array, tanh: Float32Array, x: Float32Array, n: number): void;
  /** Accumulates `dx += gelu'(x) * dout` using the `tanh` saved by {@link geluForwardSave}. */
  geluBackwardSaved(dx: Float32Array, x: Float32Array, tanh: Float32Array, dout: Float32Array, n: number): void;
  /**
   * Fused causal self-attention (llm.c layout): `qkv` is (B,T,3C) holding q|k|v, `out` (B,T,C),
   * `att` (B,NH,T,T) receives the softmaxed scores (zero above the diagonal) for the backward pass.
   */
  attentionForward(
    out: Float32Array, att: Float32Array, qkv: Float32Array, B: number, T: number, C: number, NH: number,
  ): void;
  /** Accumulates dqkv of the fused attention. */
  attentionBackward(
    dqkv: Float32Array, dout: Float32Array, qkv: Float32Array, att: Float32Array,
    B: number, T: number, C: number, NH: number,
  ): void;
  /**
   * Blocked ("flash") causal self-attention, the same function as {@link attentionForward} but keeping
   * only the log-sum-exp of each query row's scaled scores in `lse` (B, NH, T) instead of the (B, NH,
   * T, T) probabilities. Optional: backends without it run the unblocked pair.
   */
  flashAttentionForward?(
    out: Float32Array, lse: Float32Array, qkv: Float32Array, B: number, T: number, C: number, NH: number,
  ): void;
  /**
   * Accumulates dqkv of {@link flashAttentionForward}, recomputing the probabilities from `lse` and
   * using the forward's `out` (for Σ_j p_j·dp_j = dout·out).
   */
  flashAttentionBackward?(
    dqkv: Float32Array, dout: Float32Array, qkv: Float32Array, out: Float32Array, lse: Float32Array,
    B: number, T: number, C: number, NH: number,
  ): void;
  /**
   * Attention of `n` new tokens against a KV cache: token i (query in `qkv` (n, 3C) at columns
   * [0, C)) of cache row `rowIdx[i]` at position `pos[i]` attends to positions 0..pos[i] of that row
   * in `kCache`, `vCache` (rows, maxLen, C). Writes (n, C) to `out`.
   */
  attentionDecode(
    out: Float32Array, qkv: Float32Array, kCache: Float32Array, vCache: Float32Array,
    rowIdx: Int32Array, pos: Int32Array, n: number, C: number, NH: number, maxLen: number,
  ): void;
  /**
   * Pointwise part of an LSTM cell (PyTorch gate order i, f, g, o) for B rows of H units: from the
   * pre-activation `gates` (B, 4H) and `cPrev` (B, H), writes c = σ(f)·cPrev + σ(i)·tanh(g) and
   * h = σ(o)·tanh(c), and saves the activated gates in `act` (B, 4H) and tanh(c) in `tc` for the backward.
   */
  lstmCellForward(
    h: Float32Array, c: Float32Array, act: Float32Array, tc: Float32Array,
    gates: Float32Array, cPrev: Float32Array, B: number, H: number,
  ): void;
  /**
   * Backward of {@link lstmCellForward} for B rows of H units, from its saved `act`, `tc` and `cPrev`:
   * with dc' = dc + dh·σ(o)·(1 - tanh²(c)), accumulates the pre-activation gradients into `dgates`
   * (B, 4H) and dc'·σ(f) into `dcPrev` (B, H). `dh`, `dc` are the gradients of h and c (B, H).
   */
  lstmCellBackward(
    dgates: Float32Array, dcPrev: Float32Array, dh: Float32Array, dc: Float32Array,
    act: Float32Array, tc: Float32Array, cPrev: Float32Array, B: number, H: number,
  ): void;
  /**
   * One AdamW update of n parameters (Loshchilov & Hutter 2019: decay decoupled from the moments).
   * `bc1`, `bc2` are the bias corrections `1 - beta^t`. Weight decay 0 gives Adam.
   */
  adamw(
    p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, n: number,
    lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, bc1: number, bc2: number,
  ): void;
}
