#include <cmath>

#include "ref_test_util.h"

namespace q8::test {
namespace {

TEST(RefUnary, ActivationsByHand) {
  Tensor x = make_f32({4}, {-2.f, -0.5f, 0.f, 3.f});
  expect_floats(OpRun("ReLU", 1).run1({x}), {4}, {0, 0, 0, 3});
  expect_floats(OpRun("Sigmoid", 1).run1({x}), {4},
                {1 / (1 + std::exp(2.f)), 1 / (1 + std::exp(0.5f)), 0.5f, 1 / (1 + std::exp(-3.f))});
  expect_floats(OpRun("HSwish", 4).run1({x}), {4}, {-2.f * 1 / 6, -0.5f * 2.5f / 6, 0, 3});
  expect_floats(OpRun("Elu", 1).set("alpha", 2.0).run1({x}), {4},
                {2 * (std::exp(-2.f) - 1), 2 * (std::exp(-0.5f) - 1), 0, 3});
  expect_floats(OpRun("HardSigmoid", 1).run1({x, scalar_f32(0.2f), scalar_f32(0.5f)}), {4},
                {0.1f, 0.4f, 0.5f, 1.f});
  expect_floats(OpRun("Sign", 1).run1({x}), {4}, {-1, -1, 0, 1});
}

TEST(RefUnary, RoundModes) {
  Tensor x = make_f32({6}, {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f});
  expect_floats(OpRun("Round", 5).set("mode", str("half_to_even")).run1({x}), {6}, {-2, -2, -0, 0, 2, 2});
  expect_floats(OpRun("Round", 5).set("mode", str("half_away_from_zero")).run1({x}), {6},
                {-3, -2, -1, 1, 2, 3});
}

TEST(RefUnary, ClampOnIntegersUsesInnerBounds) {
  Tensor x = make_i32({4}, {-5, 0, 2, 9});
  Tensor y = OpRun("Clamp", 1).set("min", -1.5).set("max", 2.5).run1({x});
  EXPECT_EQ(y.type(), ElementType::kI32);
  expect_ints(y, {4}, {-1, 0, 2, 2});
}

TEST(RefUnary, GeluModes) {
  Tensor x = make_f32({2}, {1.f, -1.f});
  expect_floats(OpRun("Gelu", 7).set("approximation_mode", str("ERF")).run1({x}), {2},
                {0.841345f, -0.158655f});
  expect_floats(OpRun("Gelu", 7).set("approximation_mode", str("TANH")).run1({x}), {2},
                {0.841192f, -0.158808f});
}

TEST(RefBinary, BroadcastAddAndCompare) {
  Tensor a = make_f32({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor b = make_f32({3}, {10, 20, 30});
  expect_floats(OpRun("Add", 1).run1({a, b}), {2, 3}, {11, 22, 33, 14, 25, 36});
  Tensor c = make_f32({2, 1}, {2, 5});
  Tensor g = OpRun("Greater", 1).run1({a, c});
  EXPECT_EQ(g.type(), ElementType::kBoolean);
  expect_ints(g, {2, 3}, {0, 0, 1, 0, 0, 1});
  EXPECT_THROW(OpRun("Add", 1).run1({a, make_f32({2}, {1, 2})}), Error);
}

TEST(RefBinary, NoneBroadcastRejectsDifferentShapes) {
  Tensor a = make_f32({2}, {1, 2});
  EXPECT_THROW(OpRun("Multiply", 1).set("auto_broadcast", str("none")).run1({a, make_f32({1}, {3})}), Error);
}

TEST(RefBinary, IntegerDivisionAndModulo) {
  Tensor a = make_i32({4}, {7, -7, 7, -7});
  Tensor b = make_i32({4}, {2, 2, -2, -2});
  expect_ints(OpRun("Divide", 1).run1({a, b}), {4}, {3, -4, -4, 3});
  expect_ints(OpRun("Divide", 1).set("m_pythondiv", false).run1({a, b}), {4}, {3, -3, -3, 3});
  expect_ints(OpRun("FloorMod", 1).run1({a, b}), {4}, {1, 1, -1, -1});
  expect_ints(OpRun("Mod", 1).run1({a, b}), {4}, {1, -1, 1, -1});
  expect_floats(OpRun("FloorMod", 1).run1({make_f32({2}, {-7.5f, 7.5f}), make_f32({2}, {2, -2})}), {2},
                {0.5f, -0.5f});
  EXPECT_THROW(OpRun("Divide", 1).run1({a, make_i32({1}, {0})}), Error);
}

TEST(RefBinary, LogicalAndSelect) {
  Tensor t = make_i32({3}, {1, 0, 1});
  Tensor bt = convert(t, ElementType::kBoolean);
  Tensor bf = convert(make_i32({3}, {1, 1, 0}), ElementType::kBoolean);
  expect_ints(OpRun("LogicalXor", 1).run1({bt, bf}), {3}, {0, 1, 1});
  expect_ints(OpRun("LogicalNot", 1).run1({bt}), {3}, {0, 1, 0});
  Tensor sel = OpRun("Select", 1).run1({bt, make_f32({3}, {1, 2, 3}), make_f32({1}, {-1})});
  expect_floats(sel, {3}, {1, -1, 3});
}

TEST(RefBinary, PowerSquaredDifferenceMinMax) {
  Tensor a = make_f32({3}, {2, 3, -1});
  Tensor b = make_f32({3}, {3, 0.5f, 2});
  expect_floats(OpRun("Power", 1).run1({a, b}), {3}, {8, std::sqrt(3.f), 1});
  expect_floats(OpRun("SquaredDifference", 1).run1({a, b}), {3}, {1, 6.25f, 9});
  expect_floats(OpRun("Maximum", 1).run1({a, b}), {3}, {3, 3, 2});
  expect_floats(OpRun("Minimum", 1).run1({a, b}), {3}, {2, 0.5f, -1});
}

TEST(RefBinary, PReluPerChannelSlope) {
  // [1, 2, 2] with slope per channel (2 values): channel 0 * 0.5, channel 1 * 3.
  Tensor x = make_f32({1, 2, 2}, {-2, 4, -1, -3});
  expect_floats(OpRun("PReLU", 1).run1({x, make_f32({2}, {0.5f, 3})}), {1, 2, 2}, {-1, 4, -3, -9});
  // A scalar slope broadcasts everywhere.
  expect_floats(OpRun("PReLU", 1).run1({x, make_f32({1}, {0.1f})}), {1, 2, 2}, {-0.2f, 4, -0.1f, -0.3f});
}

TEST(RefConvert, SaturatesAndTruncates) {
  Tensor x = make_f32({5}, {-300.f, -1.7f, 1.7f, 200.f, 300.f});
  Tensor u8 = OpRun("Convert", 1).set("destination_type", ElementType::kU8).run1({x});
  EXPECT_EQ(u8.type(), ElementType::kU8);
  expect_ints(u8, {5}, {0, 0, 1, 200, 255});
  Tensor i8 = OpRun("ConvertLike", 1).run1({x, make_i32({1}, {0})});
  EXPECT_EQ(i8.type(), ElementType::kI32);
  expect_ints(i8, {5}, {-300, -1, 1, 200, 300});
}

}  // namespace
}  // namespace q8::test
