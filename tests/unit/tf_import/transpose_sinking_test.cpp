// transpose_sinking on its own: graphs shaped like the TF frontend's output go in; the expected
// number of Transposes comes out and the reference executor gives the same values as before.
#include <gtest/gtest.h>

#include "passes/passes.h"
#include "runtime/reference.h"
#include "tf_test_util.h"

namespace q8 {
namespace {

using namespace tftest;
const std::vector<int64_t> kToNchw = {0, 3, 1, 2}, kToNhwc = {0, 2, 3, 1};

Tensor run(const Graph& g, const Tensor& x) {
  return runtime::run_reference(g, {{"x", x}}).at(0).value;
}

// Runs the graph, sinks, runs again: same values; returns the Transposes left.
size_t sink_and_compare(Graph& g, const Tensor& x) {
  Tensor before = run(g, x);
  passes::transpose_sinking(g);
  Tensor after = run(g, x);
  EXPECT_EQ(before.shape(), after.shape());
  EXPECT_LE(max_abs_diff(before, after), 1e-5);
  return count_ops(g, "Transpose");
}

// Parameter(NCHW) -> to NHWC -> op wrapped in to NCHW ... to NHWC: what the frontend emits.
Output conv_nchw(Graph& g, const std::string& name, Output nhwc, int64_t cin, int64_t cout, uint32_t seed) {
  Output x = transpose(g, name + "/in", nhwc, kToNchw);
  Node* w = g.add_const(name + "/w", random_f32({cout, cin, 3, 3}, seed));
  Output y = add_node(g, "Convolution", name, {x, w->output()},
                      {{"strides", std::vector<int64_t>{1, 1}},
                       {"dilations", std::vector<int64_t>{1, 1}},
                       {"pads_begin", std::vector<int64_t>{1, 1}},
                       {"pads_end", std::vector<int64_t>{1, 1}}})
                 ->output();
  return transpose(g, name + "/out", y, kToNhwc);
}

TEST(TransposeSinking, ResidualBlockKeepsNoTranspose) {
  Graph g;
  Output p = g.add_parameter("x", ElementType::kF32, Shape{1, 4, 6, 6})->output();
  Output x = transpose(g, "x/nhwc", p, kToNhwc);
  Output a = conv_nchw(g, "c1", x, 4, 4, 1);
  Node* bias = g.add_const("bias", random_f32({4}, 2));  // NHWC BiasAdd: a [C] constant
  Output b = add_node(g, "Add", "bias_add", {a, bias->output()})->output();
  Output r = add_node(g, "Clamp", "relu6", {b}, {{"min", 0.0}, {"max", 6.0}})->output();
  Output c = conv_nchw(g, "c2", r, 4, 4, 3);
  Output sum = add_node(g, "Add", "residual", {c, x})->output();
  Output relu = add_node(g, "ReLU", "relu", {sum})->output();
  Output mean =
      add_node(g, "ReduceMean", "mean", {relu, i64_const(g, "axes", {1, 2})}, {{"keep_dims", false}})
          ->output();
  g.add_result("out", mean);
  EXPECT_EQ(count_ops(g, "Transpose"), 5u);
  EXPECT_EQ(sink_and_compare(g, random_f32({1, 4, 6, 6}, 9)), 0u);
  EXPECT_EQ(count_ops(g, "Convolution"), 2u);
}

TEST(TransposeSinking, PadConcatAndSqueezeFollowTheTranspose) {
  Graph g;
  Output p = g.add_parameter("x", ElementType::kF32, Shape{1, 3, 4, 5})->output();
  Output x = transpose(g, "x/nhwc", p, kToNhwc);  // [1,4,5,3]
  Output pad =
      add_node(g, "Pad", "pad", {x, i64_const(g, "pb", {0, 1, 2, 0}), i64_const(g, "pe", {0, 0, 1, 0})},
               {{"pad_mode", std::string("constant")}})
          ->output();  // [1,5,8,3]
  Node* extra = g.add_const("extra", random_f32({1, 5, 8, 2}, 4));
  Output cat = add_node(g, "Concat", "cat", {pad, extra->output()}, {{"axis", int64_t{-1}}})->output();
  Output max =
      add_node(g, "ReduceMax", "max", {cat, i64_const(g, "axes", {1})}, {{"keep_dims", true}})->output();
  Output sq = add_node(g, "Squeeze", "squeeze", {max, i64_const(g, "sq", {1})})->output();  // [1,8,5]
  Output back = transpose(g, "back", sq, {0, 2, 1});
  g.add_result("out", back);
  EXPECT_EQ(sink_and_compare(g, random_f32({1, 3, 4, 5}, 5)), 0u);
  EXPECT_EQ(count_ops(g, "Concat"), 1u);
}

TEST(TransposeSinking, FlattenKeepsItsTranspose) {
  Graph g;
  Output p = g.add_parameter("x", ElementType::kF32, Shape{1, 3, 2, 2})->output();
  Output x = transpose(g, "x/nhwc", p, kToNhwc);
  Output relu = add_node(g, "ReLU", "relu", {x})->output();
  Output flat =
      add_node(g, "Reshape", "flatten", {relu, i64_const(g, "shape", {1, -1})}, {{"special_zero", false}})
          ->output();
  g.add_result("out", flat);
  EXPECT_EQ(sink_and_compare(g, random_f32({1, 3, 2, 2}, 6)), 1u);
  // The one left sits right before the Reshape, after the ReLU it was moved through.
  Node* reshape = g.results()[0]->inputs[0].node;
  EXPECT_EQ(reshape->inputs[0].node->type(), "Transpose");
  EXPECT_EQ(reshape->inputs[0].node->inputs[0].node->type(), "ReLU");
}

TEST(TransposeSinking, DifferentOperandLayoutsStay) {
  Graph g;
  Output p = g.add_parameter("x", ElementType::kF32, Shape{1, 3, 3, 3})->output();
  Output a = transpose(g, "a", p, kToNhwc);
  Output b = transpose(g, "b", p, {0, 1, 3, 2});
  g.add_result("out", add_node(g, "Multiply", "mul", {a, b})->output());
  EXPECT_EQ(sink_and_compare(g, random_f32({1, 3, 3, 3}, 7)), 2u);
}

TEST(TransposeSinking, UnitDimTransposeBecomesReshape) {
  Graph g;
  Output p = g.add_parameter("x", ElementType::kF32, Shape{1, 1, 4, 5})->output();
  g.add_result("out", transpose(g, "t", p, kToNhwc));
  EXPECT_EQ(sink_and_compare(g, random_f32({1, 1, 4, 5}, 8)), 0u);
  EXPECT_EQ(count_ops(g, "Reshape"), 1u);
}

TEST(TransposeSinking, MergesChainsIntoOne) {
  Graph g;
  Output p = g.add_parameter("x", ElementType::kF32, Shape{2, 3, 4, 5})->output();
  Output t = transpose(g, "t1", transpose(g, "t0", p, {1, 0, 2, 3}), {0, 1, 3, 2});
  g.add_result("out", add_node(g, "Sigmoid", "sig", {t})->output());
  EXPECT_EQ(sink_and_compare(g, random_f32({2, 3, 4, 5}, 9)), 1u);
}

}  // namespace
}  // namespace q8
