#include <cmath>

#include "ref_test_util.h"

namespace q8::test {
namespace {

TEST(RefFakeQuantize, BoundariesAndRounding) {
  // levels 5 over [0, 2] -> steps of 0.5; output range [-1, 1].
  Tensor x = make_f32({8}, {-1.f, 0.f, 0.125f, 0.25f, 0.75f, 1.9f, 2.f, 2.5f});
  Tensor lo = make_f32({}, {0}), hi = make_f32({}, {2}), olo = make_f32({}, {-1}), ohi = make_f32({}, {1});
  Tensor y = OpRun("FakeQuantize", 1).set("levels", int64_t{5}).run1({x, lo, hi, olo, ohi});
  // 0.25 -> 0.5 steps exactly half: rounds to even (0); 0.75 -> 1.5 steps: rounds to 2.
  expect_floats(y, {8}, {-1, -1, -1, -1, 0, 1, 1, 1});
}

TEST(RefFakeQuantize, PerChannelRangesBroadcast) {
  Tensor x = make_f32({1, 2, 1, 2}, {0.4f, 0.6f, 4.f, 6.f});
  Tensor lo = make_f32({1, 2, 1, 1}, {0, 0}), hi = make_f32({1, 2, 1, 1}, {1, 10});
  Tensor y = OpRun("FakeQuantize", 1).set("levels", int64_t{2}).run1({x, lo, hi, lo, hi});
  expect_floats(y, {1, 2, 1, 2}, {0, 1, 0, 10});
  EXPECT_THROW(
      OpRun("FakeQuantize", 1).set("levels", int64_t{2}).run1({x, make_f32({3}, {0, 0, 0}), hi, lo, hi}),
      Error);
}

OpRun pool(const char* type, int opset) {
  OpRun op(type, opset);
  op.set("strides", ints({2, 2}))
      .set("pads_begin", ints({0, 0}))
      .set("pads_end", ints({0, 0}))
      .set("kernel", ints({2, 2}));
  return op;
}

TEST(RefPool, MaxPoolCeilAndIndices) {
  std::vector<float> x(9);
  for (int i = 0; i < 9; ++i) x[i] = static_cast<float>((i * 5) % 9);  // 0 5 1 / 6 2 7 / 3 8 4
  OpRun op = pool("MaxPool", 8);
  op.set("rounding_type", str("ceil"));
  auto out = op.run({make_f32({1, 1, 3, 3}, x)});
  expect_floats(out[0], {1, 1, 2, 2}, {6, 7, 8, 4});
  expect_ints(out[1], {1, 1, 2, 2}, {3, 5, 7, 8});
  EXPECT_EQ(out[1].type(), ElementType::kI64);
  OpRun floor_op = pool("MaxPool", 1);
  expect_floats(floor_op.run1({make_f32({1, 1, 3, 3}, x)}), {1, 1, 1, 1}, {6});
}

TEST(RefPool, AvgPoolExcludePad) {
  Tensor x = make_f32({1, 1, 2, 2}, {1, 2, 3, 4});
  OpRun op("AvgPool", 1);
  op.set("strides", ints({1, 1}))
      .set("pads_begin", ints({1, 1}))
      .set("pads_end", ints({0, 0}))
      .set("kernel", ints({2, 2}));
  op.set("exclude-pad", true);
  expect_floats(op.run1({x}), {1, 1, 2, 2}, {1, 1.5f, 2, 2.5f});
  op.set("exclude-pad", false);
  expect_floats(op.run1({x}), {1, 1, 2, 2}, {0.25f, 0.75f, 1, 2.5f});
}

TEST(RefPool, AdaptiveAvgPoolOverlappingBins) {
  // 5 -> 3 bins: [0,2) [1,4) [3,5)
  Tensor x = make_f32({1, 1, 5}, {1, 2, 3, 4, 5});
  expect_floats(OpRun("AdaptiveAvgPool", 8).run1({x, make_i64({1}, {3})}), {1, 1, 3}, {1.5f, 3, 4.5f});
}

TEST(RefNorm, BatchNormInputOrders) {
  Tensor x = make_f32({1, 2, 1, 1}, {1, 2});
  Tensor gamma = make_f32({2}, {2, 1}), beta = make_f32({2}, {0, 1}), mean = make_f32({2}, {1, 0}),
         var = make_f32({2}, {4, 1});
  std::vector<float> want{0, 3};
  expect_floats(OpRun("BatchNormInference", 5).set("epsilon", 0.0).run1({x, gamma, beta, mean, var}),
                {1, 2, 1, 1}, want);
  expect_floats(OpRun("BatchNormInference", 1).set("epsilon", 0.0).run1({gamma, beta, x, mean, var}),
                {1, 2, 1, 1}, want);
}

TEST(RefNorm, SoftMaxNegativeAxisAndLogSoftmax) {
  Tensor x = make_f32({2, 2}, {0, std::log(3.f), 1, 1});
  expect_floats(OpRun("SoftMax", 8).set("axis", int64_t{-1}).run1({x}), {2, 2}, {0.25f, 0.75f, 0.5f, 0.5f});
  expect_floats(OpRun("LogSoftmax", 5).set("axis", int64_t{1}).run1({x}), {2, 2},
                {std::log(0.25f), std::log(0.75f), std::log(0.5f), std::log(0.5f)});
  EXPECT_THROW(OpRun("SoftMax", 8).set("axis", int64_t{2}).run1({x}), Error);
}

TEST(RefNorm, MvnAndNormalizeL2) {
  Tensor x = make_f32({1, 1, 4}, {1, 2, 3, 4});
  // mean 2.5, variance 1.25
  float sd = std::sqrt(1.25f);
  expect_floats(OpRun("MVN", 6)
                    .set("normalize_variance", true)
                    .set("eps", 0.0)
                    .set("eps_mode", str("inside_sqrt"))
                    .run1({x, make_i64({1}, {-1})}),
                {1, 1, 4}, {-1.5f / sd, -0.5f / sd, 0.5f / sd, 1.5f / sd});
  expect_floats(OpRun("MVN", 1).set("normalize_variance", false).set("eps", 1e-9).run1({x}), {1, 1, 4},
                {-1.5f, -0.5f, 0.5f, 1.5f});
  Tensor v = make_f32({2, 2}, {3, 4, 0, 0});
  expect_floats(
      OpRun("NormalizeL2", 1).set("eps", 1e-6).set("eps_mode", str("max")).run1({v, make_i64({1}, {1})}),
      {2, 2}, {0.6f, 0.8f, 0, 0});
}

TEST(RefNorm, LrnAcrossChannels) {
  // size 3 over channels of [1, 3, 1, 1]: windows {0,1}, {0,1,2}, {1,2}.
  Tensor x = make_f32({1, 3, 1, 1}, {1, 2, 3});
  Tensor y = OpRun("LRN", 1)
                 .set("alpha", 3.0)
                 .set("beta", 1.0)
                 .set("bias", 1.0)
                 .set("size", int64_t{3})
                 .run1({x, make_i64({1}, {1})});
  expect_floats(y, {1, 3, 1, 1}, {1.f / (1 + 5), 2.f / (1 + 14), 3.f / (1 + 13)});
}

TEST(RefReduce, AxesKeepDimsAndTypes) {
  Tensor x = make_f32({2, 3}, {1, 2, 3, 4, 5, 6});
  expect_floats(OpRun("ReduceSum", 1).run1({x, make_i64({1}, {-1})}), {2}, {6, 15});
  expect_floats(OpRun("ReduceMean", 1).set("keep_dims", true).run1({x, make_i64({1}, {0})}), {1, 3},
                {2.5f, 3.5f, 4.5f});
  expect_floats(OpRun("ReduceMax", 1).run1({x, make_i64({2}, {0, 1})}), {}, {6});
  expect_floats(OpRun("ReduceProd", 1).run1({x, make_i64({1}, {1})}), {2}, {6, 120});
  expect_floats(OpRun("ReduceL2", 4).run1({make_f32({2}, {3, -4}), make_i64({1}, {0})}), {}, {5});
  expect_floats(OpRun("ReduceL1", 4).run1({make_f32({2}, {3, -4}), make_i64({1}, {0})}), {}, {7});
  Tensor b = convert(make_i32({2, 2}, {1, 0, 1, 1}), ElementType::kBoolean);
  Tensor all = OpRun("ReduceLogicalAnd", 1).run1({b, make_i64({1}, {1})});
  EXPECT_EQ(all.type(), ElementType::kBoolean);
  expect_ints(all, {2}, {0, 1});
  expect_ints(OpRun("ReduceMin", 1).run1({make_i32({3}, {4, -2, 7}), make_i64({1}, {0})}), {}, {-2});
  EXPECT_THROW(OpRun("ReduceSum", 1).run1({x, make_i64({1}, {2})}), Error);
}

}  // namespace
}  // namespace q8::test
