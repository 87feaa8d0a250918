#pragma once
// Builds one node of an op (by opset) with attributes and runs its reference kernel.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/error.h"
#include "graph/graph.h"
#include "runtime/ref/kernels.h"
#include "tensor/convert.h"

namespace q8::test {

class OpRun {
 public:
  OpRun(const std::string& type, int opset)
      : node_(0, OpRegistry::instance().find(type, "opset" + std::to_string(opset)), type) {}
  OpRun& set(const std::string& name, AttrValue v) {
    node_.set_attr(name, std::move(v));
    return *this;
  }
  std::vector<Tensor> run(const std::vector<Tensor>& inputs) const {
    ref::Kernel k = ref::KernelTable::instance().find(node_.type());
    if (!k) throw_internal("no kernel for " + node_.type());
    return k(node_, inputs);
  }
  Tensor run1(const std::vector<Tensor>& inputs) const { return run(inputs).at(0); }
  const Node& node() const { return node_; }

 private:
  Node node_;
};

inline AttrValue ints(std::vector<int64_t> v) {
  return AttrValue(std::move(v));
}
inline AttrValue str(const char* s) {
  return AttrValue(std::string(s));
}

inline void expect_floats(const Tensor& t, const Shape& shape, const std::vector<float>& want,
                          float tol = 1e-5f) {
  ASSERT_EQ(t.shape(), shape);
  std::vector<float> got = to_floats(t);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "at " << i;
}

inline void expect_ints(const Tensor& t, const Shape& shape, const std::vector<int64_t>& want) {
  ASSERT_EQ(t.shape(), shape);
  EXPECT_EQ(to_ints(t), want);
}

inline Tensor scalar_i64(int64_t v) {
  return make_i64({}, {v});
}
inline Tensor scalar_f32(float v) {
  return make_f32({}, {v});
}

}  // namespace q8::test
