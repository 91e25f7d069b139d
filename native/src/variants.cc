// Compiles variant.inc once per CPU variant. Each inclusion sits under its own target pragma, so one
// object file carries AVX-512, AVX2 and baseline code; variants() picks by cpuid at run time.
#include <cstdint>
#include "kernels.h"

#define QD_TABLE(NS, NAME)                                                                              \
  static const qudao::VariantTable NS##_table = {                                                       \
      NAME, NS::MR_, NS::NR, NS::pack_a, NS::pack_b, NS::gemm_block, NS::gemm_block_direct, NS::gemv_nn, NS::gemv_nt,          \
      NS::layernorm_fwd, NS::layernorm_bwd, NS::softmax, NS::add, NS::scale, NS::sumsq, NS::gelu,       \
      NS::lstm_fwd, NS::lstm_bwd, NS::adamw, NS::attn_scratch, NS::attn_fwd, NS::attn_bwd, NS::flash_scratch, NS::flash_fwd, NS::flash_bwd, NS::attn_decode};

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define QD_X86 1
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,fma")
#endif
#define VARIANT avx512
#define VW 16
#define QD_ZEROS 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
#define MR 12
#define NV 2
namespace avx512 { constexpr int MR_ = MR; }
#include "variant.inc"
#undef VARIANT
#undef VW
#undef QD_ZEROS
#undef MR
#undef NV
#if defined(__clang__)
#pragma clang attribute pop
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC pop_options
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif
#define VARIANT avx2
#define VW 8
#define QD_ZEROS 0, 0, 0, 0, 0, 0, 0, 0
#define MR 6
#define NV 2
namespace avx2 { constexpr int MR_ = MR; }
#include "variant.inc"
#undef VARIANT
#undef VW
#undef QD_ZEROS
#undef MR
#undef NV
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#endif

#define VARIANT portable
#define VW 4
#define QD_ZEROS 0, 0, 0, 0
#define MR 6
#define NV 2
namespace portable { constexpr int MR_ = MR; }
#include "variant.inc"
#undef VARIANT
#undef VW
#undef QD_ZEROS
#undef MR
#undef NV

#ifdef QD_X86
QD_TABLE(avx512, "avx512")
QD_TABLE(avx2, "avx2")
#endif
QD_TABLE(portable, "portable")

namespace qudao {

std::vector<Variant> variants() {
  std::vector<Variant> out;
#ifdef QD_X86
  __builtin_cpu_init();
  out.push_back({&avx512_table, __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma")});
  out.push_back({&avx2_table, __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")});
#endif
  out.push_back({&portable_table, true});
  return out;
}

}  // namespace qudao
