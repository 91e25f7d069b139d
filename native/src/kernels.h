// The native kernel backend: one table of hot loops per CPU variant (variants.cc) and the drivers
// that cut each kernel into chunks for the thread pool (kernels.cc). Arrays are the engine's tensors
// in the shared WebAssembly.Memory, addressed in place.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>
#include "pool.h"

namespace qudao {

/** The hot loops of one CPU variant; see variant.inc for what each computes. */
struct VariantTable {
  const char* name;
  int mr, nr;  // matmul micro-tile
  void (*pack_a)(float*, const float*, long, long, bool, long, long, long, long);
  void (*pack_b)(float*, const float*, long, long, bool, long, long, long, long);
  void (*gemm_block)(float*, const float*, const float*, long, long, long, long, long, long, long, bool);
  void (*gemm_block_direct)(float*, const float*, const float*, long, long, long, long, long, long, long, bool);
  void (*gemv_nn)(float*, const float*, const float*, long, long, long, bool, long, long);
  void (*gemv_nt)(float*, const float*, const float*, long, long, long, bool, long, long);
  void (*layernorm_fwd)(float*, float*, float*, const float*, const float*, const float*, long, float, long, long);
  void (*layernorm_bwd)(float*, float*, float*, const float*, const float*, const float*, const float*, const float*, long, long, long);
  void (*softmax)(float*, const float*, long, long, long);
  void (*add)(float*, const float*, const float*, long, long);
  void (*scale)(float*, float, long, long);
  double (*sumsq)(const float*, long, long);
  void (*gelu)(float*, float*, float*, const float*, const float*, const float*, long, long);
  void (*lstm_fwd)(float*, float*, float*, float*, const float*, const float*, long, long, long);
  void (*lstm_bwd)(float*, float*, const float*, const float*, const float*, const float*, const float*, long, long, long);
  void (*adamw)(float*, const float*, float*, float*, float, float, float, float, float, float, float, long, long);
  long (*attn_scratch)(long, long);
  void (*attn_fwd)(float*, float*, const float*, float*, long, long, long, long);
  void (*attn_bwd)(float*, const float*, const float*, const float*, float*, long, long, long, long);
  long (*flash_scratch)(long, long);
  void (*flash_fwd)(float*, float*, const float*, float*, long, long, long, long);
  void (*flash_bwd)(float*, const float*, const float*, const float*, const float*, float*, long, long, long, long);
  void (*attn_decode)(float*, const float*, const float*, const float*, const int32_t*, const int32_t*, float*, long, long, long, long);
};

/** Variants compiled in, best first; `supported` says whether this CPU (and OS) runs it. */
struct Variant {
  const VariantTable* table;
  bool supported;
};
std::vector<Variant> variants();

/** One backend instance: its variant and its threads (the calling thread plus `threads - 1`). */
struct Context {
  const VariantTable* v;
  std::unique_ptr<Pool> pool;
  std::vector<float> packB;
  std::vector<float> partial;  // layernorm backward partial sums
  Context(const VariantTable* table, int threads) : v(table), pool(new Pool(threads)) {}
  /** Stops the worker threads; later calls run on the calling thread alone. */
  void release() { pool.reset(new Pool(1)); }
};

void matmul(Context& cx, float* c, const float* a, const float* b, long m, long n, long k, bool transA, bool transB, bool accumulate);
void layernorm_fwd(Context& cx, float* out, float* mean, float* rstd, const float* x, const float* w, const float* b, long rows, long cols, float eps);
void layernorm_bwd(Context& cx, float* dx, float* dw, float* db, const float* dout, const float* x, const float* w, const float* mean, const float* rstd, long rows, long cols);
void softmax(Context& cx, float* out, const float* x, long rows, long cols);
void add(Context& cx, float* out, const float* a, const float* b, long n);
void scale(Context& cx, float* x, float s, long n);
double sumsq(Context& cx, const float* x, long n);
void gelu(Context& cx, float* out, float* th, float* dx, const float* x, const float* thIn, const float* dout, long n);
void lstm_fwd(Context& cx, float* h, float* c, float* act, float* tc, const float* gates, const float* cPrev, long B, long H);
void lstm_bwd(Context& cx, float* dgates, float* dcPrev, const float* dh, const float* dc, const float* act, const float* tc, const float* cPrev, long B, long H);
void adamw(Context& cx, float* p, const float* g, float* m, float* v, long n, float lr, float beta1, float beta2, float eps, float wd, float bc1, float bc2);
void attn_fwd(Context& cx, float* out, float* att, const float* qkv, long B, long T, long C, long NH);
void attn_bwd(Context& cx, float* dqkv, const float* dout, const float* qkv, const float* att, long B, long T, long C, long NH);
void flash_fwd(Context& cx, float* out, float* lse, const float* qkv, long B, long T, long C, long NH);
void flash_bwd(Context& cx, float* dqkv, const float* dout, const float* qkv, const float* out, const float* lse, long B, long T, long C, long NH);
void attn_decode(Context& cx, float* out, const float* qkv, const float* kc, const float* vc, const int32_t* rowIdx, const int32_t* pos, long n, long C, long NH, long maxLen);

}  // namespace qudao
