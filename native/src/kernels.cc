// Drivers of the native kernels: they choose block sizes, cut each kernel into tasks for the pool
// and call the hot loops of the context's CPU variant. Results never depend on the thread count:
// every task writes its own outputs, and the one reduction across rows (layernorm's dw, db) and the
// sum of squares are split into a fixed number of parts summed in order.
#include "kernels.h"

#include <algorithm>
#include <cstring>

namespace qudao {
namespace {

/** Depth of one packed k-block: a kc x NR panel of B plus an MR x kc panel of A stay in L1. */
constexpr long KC = 256;
/** Rows of A packed per task: an MC x KC block stays in L2. */
constexpr long MC_TILES = 8;
/** Matmuls with at most this many rows (and A not transposed) stream B instead of packing it. */
constexpr long GEMV_ROWS = 8;
/** Matmuls with at most this many rows (B not transposed, n a multiple of NR) read B without packing. */
constexpr long DIRECT_ROWS = 48;
/** Work below this many flops (or elements) runs on the calling thread only. */
constexpr long PARALLEL_FLOPS = 1000000;
constexpr long PARALLEL_ELEMENTS = 32768;
/** Chunks per thread: small enough that an idle thread can take over a busy one's share. */
constexpr long CHUNKS_PER_THREAD = 4;
/** LayerNorm backward sums dw, db over this many row parts, whatever the thread count. */
constexpr long LN_PARTS = 8;
/** Sum of squares: fixed parts of this many elements, summed in order. */
constexpr long SUMSQ_PART = 65536;

long ceilDiv(long a, long b) { return (a + b - 1) / b; }

/** Start of chunk i of `chunks` over [0, total), on a multiple of `align`. */
long bound(long i, long chunks, long total, long align) {
  if (i >= chunks) return total;
  const long b = (total * i / chunks) / align * align;
  return std::min(total, b);
}

long chunkCount(const Context& cx, long total, long align, long work, long threshold) {
  if (cx.pool->threads() == 1 || work < threshold) return 1;
  return std::max(1L, std::min(cx.pool->threads() * CHUNKS_PER_THREAD, total / align));
}

/** Runs fn(lo, hi) over [0, total) in `chunks` aligned chunks on the pool. */
template <typename F>
void parallelRange(Context& cx, long total, long align, long chunks, const F& fn) {
  struct Job { const F* fn; long total, align, chunks; };
  Job job{&fn, total, align, chunks};
  cx.pool->run(chunks, [](void* a, long i) {
    const Job& j = *static_cast<Job*>(a);
    const long lo = bound(i, j.chunks, j.total, j.align), hi = bound(i + 1, j.chunks, j.total, j.align);
    if (lo < hi) (*j.fn)(lo, hi);
  }, &job);
}

/** Runs fn(i) for i < count on the pool. */
template <typename F>
void parallelTasks(Context& cx, long count, const F& fn) {
  cx.pool->run(count, [](void* a, long i) { (*static_cast<const F*>(a))(i); }, const_cast<F*>(&fn));
}

/** A per-thread buffer of at least n floats, 64-byte aligned (packed A blocks, attention scratch). */
float* threadBuffer(long n, int slot) {
  thread_local std::vector<float> buffers[2];
  std::vector<float>& b = buffers[slot];
  if (static_cast<long>(b.size()) < n + 16) b.resize(n + 16);
  const uintptr_t p = reinterpret_cast<uintptr_t>(b.data());
  return reinterpret_cast<float*>((p + 63) & ~static_cast<uintptr_t>(63));
}

}  // namespace

void matmul(Context& cx, float* c, const float* a, const float* b, long m, long n, long k, bool transA, bool transB, bool accumulate) {
  const VariantTable& v = *cx.v;
  if (m == 0 || n == 0) return;
  if (k == 0) {
    if (!accumulate) std::memset(c, 0, sizeof(float) * m * n);
    return;
  }
  const long flops = 2 * m * n * k;
  if (m <= GEMV_ROWS && !transA) {
    // Few rows (decoding, bias gradients): stream B instead of packing it. Memory-bound, so it is split
    // across the threads by the bytes of B it reads, not by flops.
    const long chunks = chunkCount(cx, n, 64, k * n, PARALLEL_ELEMENTS * 2);
    const auto gemv = transB ? v.gemv_nt : v.gemv_nn;
    parallelRange(cx, n, 64, chunks, [&](long lo, long hi) { gemv(c, a, b, m, n, k, accumulate, lo, hi); });
    return;
  }
  const long mr = v.mr, nr = v.nr;
  const long mc = MC_TILES * mr;
  const long npad = ceilDiv(n, nr) * nr;
  const long mBlocks = ceilDiv(m, mc);
  // Column blocks only when there are too few row blocks to keep the threads busy.
  const long panels = npad / nr;
  const long want = cx.pool->threads() > 1 && flops >= PARALLEL_FLOPS ? cx.pool->threads() * CHUNKS_PER_THREAD : 1;
  const long nBlocks = std::max(1L, std::min(panels, ceilDiv(want, mBlocks)));
  // Few rows and B in row-major order with whole panels: the micro-kernel reads B in place, since
  // packing it would move as many bytes as the product reads (the LSTM's per-step recurrent matmuls).
  if (m <= DIRECT_ROWS && !transB && n % nr == 0) {
    // Each task walks all k-blocks of its own block of C in k order (the same sums as the packed path),
    // so one pool dispatch serves the whole product.
    parallelTasks(cx, mBlocks * nBlocks, [&](long task) {
      const long ib = task / nBlocks, jb = task % nBlocks;
      const long i0 = ib * mc, rows = std::min(mc, m - i0);
      const long j0 = bound(jb, nBlocks, panels, 1) * nr, j1 = bound(jb + 1, nBlocks, panels, 1) * nr;
      if (j0 >= j1) return;
      for (long p0 = 0; p0 < k; p0 += KC) {
        const long kc = std::min(KC, k - p0);
        float* ap = threadBuffer(ceilDiv(rows, mr) * mr * kc, 0);
        v.pack_a(ap, a, m, k, transA, i0, rows, p0, kc);
        v.gemm_block_direct(c, ap, b + p0 * n, m, n, kc, i0, rows, j0, j1, accumulate || p0 > 0);
      }
    });
    return;
  }
  if (static_cast<long>(cx.packB.size()) < npad * KC + 16) cx.packB.resize(npad * KC + 16);
  float* bp = cx.packB.data();
  for (long p0 = 0; p0 < k; p0 += KC) {
    const long kc = std::min(KC, k - p0);
    // The first k-block writes (or adds to) C as asked; later ones add to it, in k order.
    const bool add = accumulate || p0 > 0;
    const long packChunks = chunkCount(cx, panels, 1, npad * kc * 8, PARALLEL_ELEMENTS * 4);
    parallelRange(cx, panels, 1, packChunks, [&](long lo, long hi) {
      v.pack_b(bp, b, n, k, transB, lo * nr, std::min(hi * nr, npad), p0, kc);
    });
    parallelTasks(cx, mBlocks * nBlocks, [&](long task) {
      const long ib = task / nBlocks, jb = task % nBlocks;
      const long i0 = ib * mc, rows = std::min(mc, m - i0);
      const long j0 = bound(jb, nBlocks, panels, 1) * nr, j1 = std::min(bound(jb + 1, nBlocks, panels, 1) * nr, npad);
      if (j0 >= j1) return;
      float* ap = threadBuffer(ceilDiv(rows, mr) * mr * kc, 0);
      v.pack_a(ap, a, m, k, transA, i0, rows, p0, kc);
      v.gemm_block(c, ap, bp, m, n, kc, i0, rows, j0, j1, add);
    });
  }
}

void layernorm_fwd(Context& cx, float* out, float* mean, float* rstd, const float* x, const float* w, const float* b, long rows, long cols, float eps) {
  const long chunks = chunkCount(cx, rows, 1, rows * cols, PARALLEL_ELEMENTS);
  parallelRange(cx, rows, 1, chunks, [&](long lo, long hi) { cx.v->layernorm_fwd(out, mean, rstd, x, w, b, cols, eps, lo, hi); });
}

void layernorm_bwd(Context& cx, float* dx, float* dw, float* db, const float* dout, const float* x, const float* w, const float* mean, const float* rstd, long rows, long cols) {
  if (rows < 4 * LN_PARTS) {
    cx.v->layernorm_bwd(dx, dw, db, dout, x, w, mean, rstd, cols, 0, rows);
    return;
  }
  // Each row part sums dw, db into its own zeroed partial; partials are added in part order.
  cx.partial.assign(LN_PARTS * 2 * cols, 0.0f);
  float* part = cx.partial.data();
  parallelTasks(cx, LN_PARTS, [&](long i) {
    float* pw = part + i * 2 * cols;
    cx.v->layernorm_bwd(dx, pw, pw + cols, dout, x, w, mean, rstd, cols, bound(i, LN_PARTS, rows, 1), bound(i + 1, LN_PARTS, rows, 1));
  });
  for (long i = 0; i < LN_PARTS; i++) {
    const float* pw = part + i * 2 * cols;
    for (long j = 0; j < cols; j++) {
      dw[j] += pw[j];
      db[j] += pw[cols + j];
    }
  }
}

void softmax(Context& cx, float* out, const float* x, long rows, long cols) {
  const long chunks = chunkCount(cx, rows, 1, rows * cols, PARALLEL_ELEMENTS);
  parallelRange(cx, rows, 1, chunks, [&](long lo, long hi) { cx.v->softmax(out, x, cols, lo, hi); });
}

void add(Context& cx, float* out, const float* a, const float* b, long n) {
  parallelRange(cx, n, 64, chunkCount(cx, n, 64, n, PARALLEL_ELEMENTS), [&](long lo, long hi) { cx.v->add(out, a, b, lo, hi); });
}

void scale(Context& cx, float* x, float s, long n) {
  parallelRange(cx, n, 64, chunkCount(cx, n, 64, n, PARALLEL_ELEMENTS), [&](long lo, long hi) { cx.v->scale(x, s, lo, hi); });
}

double sumsq(Context& cx, const float* x, long n) {
  const long parts = std::max(1L, ceilDiv(n, SUMSQ_PART));
  std::vector<double> sums(parts);
  if (parts == 1) return cx.v->sumsq(x, 0, n);
  parallelTasks(cx, parts, [&](long i) { sums[i] = cx.v->sumsq(x, i * SUMSQ_PART, std::min(n, (i + 1) * SUMSQ_PART)); });
  double s = 0;
  for (double p : sums) s += p;
  return s;
}

void gelu(Context& cx, float* out, float* th, float* dx, const float* x, const float* thIn, const float* dout, long n) {
  parallelRange(cx, n, 64, chunkCount(cx, n, 64, n, PARALLEL_ELEMENTS), [&](long lo, long hi) { cx.v->gelu(out, th, dx, x, thIn, dout, lo, hi); });
}

void lstm_fwd(Context& cx, float* h, float* c, float* act, float* tc, const float* gates, const float* cPrev, long B, long H) {
  const long chunks = chunkCount(cx, B, 1, B * H * 4, PARALLEL_ELEMENTS);
  parallelRange(cx, B, 1, chunks, [&](long lo, long hi) { cx.v->lstm_fwd(h, c, act, tc, gates, cPrev, H, lo, hi); });
}

void lstm_bwd(Context& cx, float* dgates, float* dcPrev, const float* dh, const float* dc, const float* act, const float* tc, const float* cPrev, long B, long H) {
  const long chunks = chunkCount(cx, B, 1, B * H * 4, PARALLEL_ELEMENTS);
  parallelRange(cx, B, 1, chunks, [&](long lo, long hi) { cx.v->lstm_bwd(dgates, dcPrev, dh, dc, act, tc, cPrev, H, lo, hi); });
}

void adamw(Context& cx, float* p, const float* g, float* m, float* v, long n, float lr, float beta1, float beta2, float eps, float wd, float bc1, float bc2) {
  parallelRange(cx, n, 64, chunkCount(cx, n, 64, n, PARALLEL_ELEMENTS), [&](long lo, long hi) {
    cx.v->adamw(p, g, m, v, lr, beta1, beta2, eps, wd, bc1, bc2, lo, hi);
  });
}

void attn_fwd(Context& cx, float* out, float* att, const float* qkv, long B, long T, long C, long NH) {
  const long need = cx.v->attn_scratch(T, C / NH);
  auto one = [&](long bh) { cx.v->attn_fwd(out, att, qkv, threadBuffer(need, 1), T, C, NH, bh); };
  if (cx.pool->threads() == 1 || B * T * T * C < PARALLEL_FLOPS) {
    for (long bh = 0; bh < B * NH; bh++) one(bh);
    return;
  }
  parallelTasks(cx, B * NH, one);
}

void attn_bwd(Context& cx, float* dqkv, const float* dout, const float* qkv, const float* att, long B, long T, long C, long NH) {
  const long need = cx.v->attn_scratch(T, C / NH);
  auto one = [&](long bh) { cx.v->attn_bwd(dqkv, dout, qkv, att, threadBuffer(need, 1), T, C, NH, bh); };
  if (cx.pool->threads() == 1 || B * T * T * C < PARALLEL_FLOPS) {
    for (long bh = 0; bh < B * NH; bh++) one(bh);
    return;
  }
  parallelTasks(cx, B * NH, one);
}

void flash_fwd(Context& cx, float* out, float* lse, const float* qkv, long B, long T, long C, long NH) {
  const long need = cx.v->flash_scratch(T, C / NH);
  auto one = [&](long bh) { cx.v->flash_fwd(out, lse, qkv, threadBuffer(need, 1), T, C, NH, bh); };
  if (cx.pool->threads() == 1 || B * T * T * C < PARALLEL_FLOPS) {
    for (long bh = 0; bh < B * NH; bh++) one(bh);
    return;
  }
  parallelTasks(cx, B * NH, one);
}

void flash_bwd(Context& cx, float* dqkv, const float* dout, const float* qkv, const float* out, const float* lse, long B, long T, long C, long NH) {
  const long need = cx.v->flash_scratch(T, C / NH);
  auto one = [&](long bh) { cx.v->flash_bwd(dqkv, dout, qkv, out, lse, threadBuffer(need, 1), T, C, NH, bh); };
  if (cx.pool->threads() == 1 || B * T * T * C < PARALLEL_FLOPS) {
    for (long bh = 0; bh < B * NH; bh++) one(bh);
    return;
  }
  parallelTasks(cx, B * NH, one);
}

void attn_decode(Context& cx, float* out, const float* qkv, const float* kc, const float* vc, const int32_t* rowIdx, const int32_t* pos, long n, long C, long NH, long maxLen) {
  long work = 0;
  for (long i = 0; i < n; i++) work += 4 * (pos[i] + 1) * C;
  auto one = [&](long ih) { cx.v->attn_decode(out, qkv, kc, vc, rowIdx, pos, threadBuffer(maxLen, 1), C, NH, maxLen, ih); };
  if (cx.pool->threads() == 1 || work < PARALLEL_FLOPS) {
    for (long ih = 0; ih < n * NH; ih++) one(ih);
    return;
  }
  parallelTasks(cx, n * NH, one);
}

}  // namespace qudao
