#pragma once
// Helpers shared by the TF frontend tests: random tensors, graph building, op counting, comparison.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "graph/shape_infer.h"
#include "tensor/convert.h"

namespace q8::tftest {

inline Tensor random_f32(const Shape& s, uint32_t seed, float lo = -1, float hi = 1) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(static_cast<size_t>(num_elements(s)));
  for (auto& x : v) x = d(rng);
  return make_f32(s, v);
}

inline size_t count_ops(const Graph& g, const std::string& type) {
  return static_cast<size_t>(
      std::count_if(g.nodes().begin(), g.nodes().end(), [&](const auto& n) { return n->type() == type; }));
}

inline double max_abs_diff(const Tensor& a, const Tensor& b) {
  auto x = to_floats(a), y = to_floats(b);
  EXPECT_EQ(x.size(), y.size());
  double d = 0;
  for (size_t i = 0; i < std::min(x.size(), y.size()); ++i) d = std::max(d, std::fabs(double(x[i]) - y[i]));
  return d;
}

inline double value_range(const Tensor& t) {
  auto v = to_floats(t);
  auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  return std::max(1e-6, double(*hi) - *lo);
}

// NHWC <-> NCHW of 4-D float data (test inputs are NHWC .npy files, the IR takes NCHW).
inline Tensor nhwc_to_nchw(const Tensor& t) {
  const Shape& s = t.shape();
  int64_t n = s[0], h = s[1], w = s[2], c = s[3];
  auto v = to_floats(t);
  std::vector<float> out(v.size());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t y = 0; y < h; ++y)
      for (int64_t x = 0; x < w; ++x)
        for (int64_t k = 0; k < c; ++k)
          out[static_cast<size_t>(((b * c + k) * h + y) * w + x)] =
              v[static_cast<size_t>(((b * h + y) * w + x) * c + k)];
  return make_f32({n, c, h, w}, out);
}

inline Node* add_node(Graph& g, const std::string& type, const std::string& name, std::vector<Output> inputs,
                      const std::vector<std::pair<std::string, AttrValue>>& attrs = {},
                      const std::string& v = "") {
  Node* n = g.add(type, name, v);
  n->inputs = std::move(inputs);
  for (const auto& [k, a] : attrs) n->set_attr(k, a);
  infer_node(*n);
  return n;
}

inline Output transpose(Graph& g, const std::string& name, Output x, const std::vector<int64_t>& perm) {
  Node* p = g.add_const(name + "/perm", make_i64({static_cast<int64_t>(perm.size())}, perm));
  return add_node(g, "Transpose", name, {x, p->output()})->output();
}

inline Output i64_const(Graph& g, const std::string& name, const std::vector<int64_t>& v) {
  return g.add_const(name, make_i64({static_cast<int64_t>(v.size())}, v))->output();
}

}  // namespace q8::tftest
