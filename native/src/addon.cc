// Node-API bindings of the native kernels. Every kernel takes a context (an external made by
// createContext) and Float32Array / Int32Array views of the engine's shared WebAssembly.Memory,
// which it reads and writes in place. Sizes are checked against the views' lengths before any
// loop runs, so a wrong size is a RangeError, never a write outside a tensor.
#include <node_api.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "kernels.h"

namespace {

using qudao::Context;

struct JsError {
  std::string message;
};

/** The arguments of one call, with typed accessors that throw JsError on a bad argument. */
class Args {
 public:
  Args(napi_env env, napi_callback_info info) : env_(env) {
    size_t n = kMax;
    napi_get_cb_info(env, info, &n, argv_, nullptr, nullptr);
    count_ = n;
  }
  Context& context() {
    void* p = nullptr;
    if (napi_get_value_external(env_, at(0), &p) != napi_ok || p == nullptr) throw JsError{"argument 0 is not a kernel context"};
    return *static_cast<Context*>(p);
  }
  double num(size_t i) {
    double d = 0;
    if (napi_get_value_double(env_, at(i), &d) != napi_ok) throw JsError{"argument " + std::to_string(i) + " is not a number"};
    return d;
  }
  long size(size_t i) {
    const double d = num(i);
    if (!(d >= 0) || d > 9.0e15 || d != static_cast<double>(static_cast<long>(d))) throw JsError{"argument " + std::to_string(i) + " is not a size"};
    return static_cast<long>(d);
  }
  bool flag(size_t i) {
    bool b = false;
    if (napi_get_value_bool(env_, at(i), &b) != napi_ok) throw JsError{"argument " + std::to_string(i) + " is not a boolean"};
    return b;
  }
  std::string str(size_t i) {
    char buf[64];
    size_t len = 0;
    if (napi_get_value_string_utf8(env_, at(i), buf, sizeof buf, &len) != napi_ok) throw JsError{"argument " + std::to_string(i) + " is not a string"};
    return std::string(buf, len);
  }
  float* f32(size_t i, long need) { return static_cast<float*>(view(i, napi_float32_array, need)); }
  int32_t* i32(size_t i, long need) { return static_cast<int32_t*>(view(i, napi_int32_array, need)); }

 private:
  static constexpr size_t kMax = 16;
  napi_value at(size_t i) {
    if (i >= count_) throw JsError{"missing argument " + std::to_string(i)};
    return argv_[i];
  }
  void* view(size_t i, napi_typedarray_type want, long need) {
    bool is = false;
    napi_is_typedarray(env_, at(i), &is);
    if (!is) throw JsError{"argument " + std::to_string(i) + " is not a typed array"};
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    napi_get_typedarray_info(env_, at(i), &type, &length, &data, nullptr, nullptr);
    if (type != want) throw JsError{"argument " + std::to_string(i) + " has the wrong element type"};
    if (static_cast<long>(length) < need) {
      throw JsError{"argument " + std::to_string(i) + " holds " + std::to_string(length) + " elements, " + std::to_string(need) + " needed"};
    }
    return data;
  }
  napi_env env_;
  napi_value argv_[kMax];
  size_t count_ = 0;
};

napi_value number(napi_env env, double d) {
  napi_value v;
  napi_create_double(env, d, &v);
  return v;
}

/** Wraps a body that returns a value (or nullptr for undefined) and may throw JsError. */
template <napi_value (*Body)(napi_env, Args&)>
napi_value entry(napi_env env, napi_callback_info info) {
  try {
    Args args(env, info);
    return Body(env, args);
  } catch (const JsError& e) {
    napi_throw_range_error(env, "QD_NATIVE_ARGUMENT", e.message.c_str());
  } catch (const std::exception& e) {
    napi_throw_error(env, "QD_NATIVE_FAILURE", e.what());
  }
  return nullptr;
}

napi_value str(napi_env env, const char* s) {
  napi_value v;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  return v;
}

// variants() -> [{ name, supported }], best first.
napi_value listVariants(napi_env env, Args&) {
  const auto vs = qudao::variants();
  napi_value arr;
  napi_create_array_with_length(env, vs.size(), &arr);
  for (size_t i = 0; i < vs.size(); i++) {
    napi_value o, b;
    napi_create_object(env, &o);
    napi_set_named_property(env, o, "name", str(env, vs[i].table->name));
    napi_get_boolean(env, vs[i].supported, &b);
    napi_set_named_property(env, o, "supported", b);
    napi_set_element(env, arr, i, o);
  }
  return arr;
}

// createContext(threads, variant) -> external; the threads stop when it is disposed or collected.
napi_value createContext(napi_env env, Args& a) {
  const long threads = a.size(0);
  const std::string name = a.str(1);
  if (threads < 1 || threads > 256) throw JsError{"threads must be 1 to 256"};
  for (const auto& v : qudao::variants()) {
    if (name != v.table->name) continue;
    if (!v.supported) throw JsError{"this CPU does not support the " + name + " kernels"};
    auto* cx = new Context(v.table, static_cast<int>(threads));
    napi_value ext;
    napi_create_external(env, cx, [](napi_env, void* data, void*) { delete static_cast<Context*>(data); }, nullptr, &ext);
    return ext;
  }
  throw JsError{"unknown kernel variant " + name};
}

// disposeContext(cx): stops its worker threads now rather than at garbage collection.
napi_value disposeContext(napi_env, Args& a) {
  a.context().release();
  return nullptr;
}

// matmul(cx, c, a, b, m, n, k, transA, transB, accumulate)
napi_value matmul(napi_env, Args& a) {
  const long m = a.size(4), n = a.size(5), k = a.size(6);
  qudao::matmul(a.context(), a.f32(1, m * n), a.f32(2, m * k), a.f32(3, k * n), m, n, k, a.flag(7), a.flag(8), a.flag(9));
  return nullptr;
}

// layerNormForward(cx, out, mean, rstd, x, w, b, rows, cols, eps)
napi_value layerNormForward(napi_env, Args& a) {
  const long rows = a.size(7), cols = a.size(8);
  qudao::layernorm_fwd(a.context(), a.f32(1, rows * cols), a.f32(2, rows), a.f32(3, rows), a.f32(4, rows * cols), a.f32(5, cols), a.f32(6, cols), rows, cols, static_cast<float>(a.num(9)));
  return nullptr;
}

// layerNormBackward(cx, dx, dw, db, dout, x, w, mean, rstd, rows, cols)
napi_value layerNormBackward(napi_env, Args& a) {
  const long rows = a.size(9), cols = a.size(10);
  qudao::layernorm_bwd(a.context(), a.f32(1, rows * cols), a.f32(2, cols), a.f32(3, cols), a.f32(4, rows * cols), a.f32(5, rows * cols), a.f32(6, cols), a.f32(7, rows), a.f32(8, rows), rows, cols);
  return nullptr;
}

// softmax(cx, out, x, rows, cols)
napi_value softmax(napi_env, Args& a) {
  const long rows = a.size(3), cols = a.size(4);
  qudao::softmax(a.context(), a.f32(1, rows * cols), a.f32(2, rows * cols), rows, cols);
  return nullptr;
}

// add(cx, out, a, b, n)
napi_value add(napi_env, Args& a) {
  const long n = a.size(4);
  qudao::add(a.context(), a.f32(1, n), a.f32(2, n), a.f32(3, n), n);
  return nullptr;
}

// scale(cx, x, s, n)
napi_value scale(napi_env, Args& a) {
  const long n = a.size(3);
  qudao::scale(a.context(), a.f32(1, n), static_cast<float>(a.num(2)), n);
  return nullptr;
}

// sumSquares(cx, x, n) -> number
napi_value sumSquares(napi_env env, Args& a) {
  const long n = a.size(2);
  return number(env, qudao::sumsq(a.context(), a.f32(1, n), n));
}

// geluForward(cx, out, x, n); geluForwardSave(cx, out, tanh, x, n)
napi_value geluForward(napi_env, Args& a) {
  const long n = a.size(3);
  qudao::gelu(a.context(), a.f32(1, n), nullptr, nullptr, a.f32(2, n), nullptr, nullptr, n);
  return nullptr;
}
napi_value geluForwardSave(napi_env, Args& a) {
  const long n = a.size(4);
  qudao::gelu(a.context(), a.f32(1, n), a.f32(2, n), nullptr, a.f32(3, n), nullptr, nullptr, n);
  return nullptr;
}

// geluBackward(cx, dx, x, dout, n); geluBackwardSaved(cx, dx, x, tanh, dout, n)
napi_value geluBackward(napi_env, Args& a) {
  const long n = a.size(4);
  qudao::gelu(a.context(), nullptr, nullptr, a.f32(1, n), a.f32(2, n), nullptr, a.f32(3, n), n);
  return nullptr;
}
napi_value geluBackwardSaved(napi_env, Args& a) {
  const long n = a.size(5);
  qudao::gelu(a.context(), nullptr, nullptr, a.f32(1, n), a.f32(2, n), a.f32(3, n), a.f32(4, n), n);
  return nullptr;
}

// adamw(cx, p, g, m, v, n, lr, beta1, beta2, eps, weightDecay, bc1, bc2)
napi_value adamw(napi_env, Args& a) {
  const long n = a.size(5);
  auto f = [&](size_t i) { return static_cast<float>(a.num(i)); };
  qudao::adamw(a.context(), a.f32(1, n), a.f32(2, n), a.f32(3, n), a.f32(4, n), n, f(6), f(7), f(8), f(9), f(10), f(11), f(12));
  return nullptr;
}

// lstmCellForward(cx, h, c, act, tc, gates, cPrev, B, H)
napi_value lstmCellForward(napi_env, Args& a) {
  const long B = a.size(7), H = a.size(8);
  qudao::lstm_fwd(a.context(), a.f32(1, B * H), a.f32(2, B * H), a.f32(3, B * 4 * H), a.f32(4, B * H), a.f32(5, B * 4 * H), a.f32(6, B * H), B, H);
  return nullptr;
}

// lstmCellBackward(cx, dgates, dcPrev, dh, dc, act, tc, cPrev, B, H)
napi_value lstmCellBackward(napi_env, Args& a) {
  const long B = a.size(8), H = a.size(9);
  qudao::lstm_bwd(a.context(), a.f32(1, B * 4 * H), a.f32(2, B * H), a.f32(3, B * H), a.f32(4, B * H), a.f32(5, B * 4 * H), a.f32(6, B * H), a.f32(7, B * H), B, H);
  return nullptr;
}

void checkHeads(long C, long NH) {
  if (NH < 1 || C % NH != 0) throw JsError{"C must be a multiple of NH"};
}

// attentionForward(cx, out, att, qkv, B, T, C, NH)
napi_value attentionForward(napi_env, Args& a) {
  const long B = a.size(4), T = a.size(5), C = a.size(6), NH = a.size(7);
  checkHeads(C, NH);
  qudao::attn_fwd(a.context(), a.f32(1, B * T * C), a.f32(2, B * NH * T * T), a.f32(3, B * T * 3 * C), B, T, C, NH);
  return nullptr;
}

// attentionBackward(cx, dqkv, dout, qkv, att, B, T, C, NH)
napi_value attentionBackward(napi_env, Args& a) {
  const long B = a.size(5), T = a.size(6), C = a.size(7), NH = a.size(8);
  checkHeads(C, NH);
  qudao::attn_bwd(a.context(), a.f32(1, B * T * 3 * C), a.f32(2, B * T * C), a.f32(3, B * T * 3 * C), a.f32(4, B * NH * T * T), B, T, C, NH);
  return nullptr;
}

// flashAttentionForward(cx, out, lse, qkv, B, T, C, NH)
napi_value flashAttentionForward(napi_env, Args& a) {
  const long B = a.size(4), T = a.size(5), C = a.size(6), NH = a.size(7);
  checkHeads(C, NH);
  qudao::flash_fwd(a.context(), a.f32(1, B * T * C), a.f32(2, B * NH * T), a.f32(3, B * T * 3 * C), B, T, C, NH);
  return nullptr;
}

// flashAttentionBackward(cx, dqkv, dout, qkv, out, lse, B, T, C, NH)
napi_value flashAttentionBackward(napi_env, Args& a) {
  const long B = a.size(6), T = a.size(7), C = a.size(8), NH = a.size(9);
  checkHeads(C, NH);
  qudao::flash_bwd(a.context(), a.f32(1, B * T * 3 * C), a.f32(2, B * T * C), a.f32(3, B * T * 3 * C), a.f32(4, B * T * C), a.f32(5, B * NH * T), B, T, C, NH);
  return nullptr;
}

// attentionDecode(cx, out, qkv, kCache, vCache, rowIdx, pos, n, C, NH, maxLen)
napi_value attentionDecode(napi_env, Args& a) {
  const long n = a.size(7), C = a.size(8), NH = a.size(9), maxLen = a.size(10);
  checkHeads(C, NH);
  const int32_t* rowIdx = a.i32(5, n);
  const int32_t* pos = a.i32(6, n);
  float* kc = a.f32(3, 0);
  float* vc = a.f32(4, 0);
  long rows = 0;
  for (long i = 0; i < n; i++) {
    if (rowIdx[i] < 0 || pos[i] < 0 || pos[i] >= maxLen) throw JsError{"cache row or position out of range"};
    rows = std::max(rows, static_cast<long>(rowIdx[i]) + 1);
  }
  a.f32(3, rows * maxLen * C);
  a.f32(4, rows * maxLen * C);
  qudao::attn_decode(a.context(), a.f32(1, n * C), a.f32(2, n * 3 * C), kc, vc, rowIdx, pos, n, C, NH, maxLen);
  return nullptr;
}

}  // namespace

#define QD_FN(name) {#name, nullptr, entry<name>, nullptr, nullptr, nullptr, napi_default, nullptr}

NAPI_MODULE_INIT() {
  const napi_property_descriptor fns[] = {
      {"variants", nullptr, entry<listVariants>, nullptr, nullptr, nullptr, napi_default, nullptr},
      QD_FN(createContext), QD_FN(disposeContext), QD_FN(matmul), QD_FN(layerNormForward), QD_FN(layerNormBackward), QD_FN(softmax),
      QD_FN(add), QD_FN(scale), QD_FN(sumSquares), QD_FN(geluForward), QD_FN(geluForwardSave), QD_FN(geluBackward),
      QD_FN(geluBackwardSaved), QD_FN(lstmCellForward), QD_FN(lstmCellBackward), QD_FN(adamw), QD_FN(attentionForward), QD_FN(attentionBackward), QD_FN(flashAttentionForward), QD_FN(flashAttentionBackward), QD_FN(attentionDecode),
  };
  napi_define_properties(env, exports, sizeof fns / sizeof fns[0], fns);
  return exports;
}
