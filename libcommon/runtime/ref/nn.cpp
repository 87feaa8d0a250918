// MatMul (Eigen GEMM per batch) and FakeQuantize; registers the nn family.
#include <Eigen/Core>
#include <cmath>

#include "runtime/ref/families.h"
#include "runtime/ref/util.h"

namespace q8::ref {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMatrix>;

// 1-D operands become matrices ([1, K] for a, [K, 1] for b) and the added dim is removed
// from the result; transpose flags only apply to operands of rank >= 2.
std::vector<Tensor> matmul(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  Shape as = in[0].shape(), bs = in[1].shape();
  if (as.empty() || bs.empty()) throw_bad_input("MatMul inputs must not be scalars");
  bool ta = as.size() > 1 && n.attr<bool>("transpose_a");
  bool tb = bs.size() > 1 && n.attr<bool>("transpose_b");
  bool a_vec = as.size() == 1, b_vec = bs.size() == 1;
  if (a_vec) as.insert(as.begin(), 1);
  if (b_vec) bs.push_back(1);
  int64_t m = ta ? as.back() : as[as.size() - 2], k = ta ? as[as.size() - 2] : as.back();
  int64_t kb = tb ? bs.back() : bs[bs.size() - 2], nn = tb ? bs[bs.size() - 2] : bs.back();
  if (k != kb)
    throw_bad_input("MatMul inner dims differ: " + to_string(in[0].shape()) + " x " +
                    to_string(in[1].shape()));
  Shape a_batch(as.begin(), as.end() - 2), b_batch(bs.begin(), bs.end() - 2);
  Shape batch = broadcast_or_throw(a_batch, b_batch);
  std::vector<float> a = to_floats(in[0]), b = to_floats(in[1]);
  Shape full = batch;
  full.push_back(m);
  full.push_back(nn);
  std::vector<float> y(static_cast<size_t>(num_elements(full)));
  for_each_broadcast<2>(batch, {a_batch, b_batch}, [&](int64_t o, const std::array<int64_t, 2>& off) {
    ConstMap am(a.data() + off[0] * m * k, ta ? k : m, ta ? m : k);
    ConstMap bm(b.data() + off[1] * k * nn, tb ? nn : k, tb ? k : nn);
    Eigen::Map<RowMatrix> ym(y.data() + o * m * nn, m, nn);
    if (ta && tb)
      ym.noalias() = am.transpose() * bm.transpose();
    else if (ta)
      ym.noalias() = am.transpose() * bm;
    else if (tb)
      ym.noalias() = am * bm.transpose();
    else
      ym.noalias() = am * bm;
  });
  Shape out = batch;
  if (!a_vec) out.push_back(m);
  if (!b_vec) out.push_back(nn);
  return {floats_to_type(out, y, in[0].type())};
}

// x <= min(il, ih) -> ol; x > max(il, ih) -> oh; otherwise quantized to `levels` steps,
// rounding half to even as std::nearbyint does.
std::vector<Tensor> fake_quantize(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 5);
  const Shape& xs = in[0].shape();
  Shape shape = xs;
  for (size_t i = 1; i < 5; ++i) shape = broadcast_or_throw(shape, in[i].shape());
  if (shape != xs)
    throw_bad_input("FakeQuantize ranges would broadcast data " + to_string(xs) + " to " + to_string(shape));
  int64_t levels = n.attr<int64_t>("levels");
  if (levels < 2) throw_bad_input("FakeQuantize levels must be >= 2, got " + std::to_string(levels));
  std::vector<float> x = to_floats(in[0]), il = to_floats(in[1]), ih = to_floats(in[2]),
                     ol = to_floats(in[3]), oh = to_floats(in[4]);
  std::vector<float> y(x.size());
  const float steps = static_cast<float>(levels - 1);
  for_each_broadcast<5>(shape, {xs, in[1].shape(), in[2].shape(), in[3].shape(), in[4].shape()},
                        [&](int64_t o, const std::array<int64_t, 5>& off) {
                          float v = x[off[0]], lo = il[off[1]], hi = ih[off[2]];
                          float out_lo = ol[off[3]], out_hi = oh[off[4]];
                          if (v <= std::min(lo, hi))
                            y[o] = out_lo;
                          else if (v > std::max(lo, hi))
                            y[o] = out_hi;
                          else
                            y[o] = std::nearbyint((v - lo) / (hi - lo) * steps) / steps * (out_hi - out_lo) +
                                   out_lo;
                        });
  return {floats_to_type(xs, y, in[0].type())};
}

}  // namespace

void register_nn(KernelTable& t) {
  t.add("MatMul", matmul);
  t.add("FakeQuantize", fake_quantize);
  register_conv(t);
  register_pool(t);
  register_norm(t);
  register_reduce(t);
}

}  // namespace q8::ref
