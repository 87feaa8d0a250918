// Conv/ConvTranspose/pooling/normalization/Gemm importers: emitted ops, attributes and shapes.
#include <gtest/gtest.h>

#include "model_builder.h"
#include "onnx/frontend.h"
#include "tensor/convert.h"

namespace q8 {
namespace {

using test::ModelBuilder;
using test::nodes_of;
using test::result_source;

using test::import;

TEST(OnnxImportConv, GroupConvReshapesWeightsAndAddsBias) {
  ModelBuilder b(13);
  b.input("x", {1, 4, 8, 8})
      .floats("w", {6, 2, 3, 3}, std::vector<float>(108, 0.5f))
      .floats("b", {6}, {1, 2, 3, 4, 5, 6});
  auto& n = b.node("Conv", {"x", "w", "b"}, {"y"}, "conv1");
  test::set_int(n, "group", 2);
  test::set_string(n, "auto_pad", "SAME_UPPER");
  test::set_ints(n, "strides", {2, 2});
  b.output("y");
  Graph g = import(b);
  auto convs = nodes_of(g, "GroupConvolution");
  ASSERT_EQ(convs.size(), 1u);
  Node* conv = convs[0];
  EXPECT_EQ(conv->attr<std::string>("auto_pad"), "same_upper");
  EXPECT_EQ(conv->attr<std::vector<int64_t>>("strides"), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(conv->input(1).node->value.shape(), (Shape{2, 3, 2, 3, 3}));
  Node* add = result_source(g);
  ASSERT_EQ(add->type(), "Add");
  EXPECT_EQ(add->name(), "conv1");  // the node producing the ONNX output carries the ONNX node's name
  EXPECT_EQ(add->input(1).node->value.shape(), (Shape{1, 6, 1, 1}));
  EXPECT_EQ(add->outputs[0].shape, PartialShape(Shape{1, 6, 4, 4}));
  EXPECT_EQ(add->outputs[0].names, (std::vector<std::string>{"y"}));
}

TEST(OnnxImportConv, ExplicitPadsSplitIntoBeginAndEnd) {
  ModelBuilder b(11);
  b.input("x", {1, 1, 5, 5}).floats("w", {2, 1, 3, 3}, std::vector<float>(18, 1.0f));
  test::set_ints(b.node("Conv", {"x", "w"}, {"y"}), "pads", {1, 0, 2, 1});
  b.output("y");
  Graph g = import(b);
  Node* conv = result_source(g);
  ASSERT_EQ(conv->type(), "Convolution");
  EXPECT_EQ(conv->attr<std::string>("auto_pad"), "explicit");
  EXPECT_EQ(conv->attr<std::vector<int64_t>>("pads_begin"), (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(conv->attr<std::vector<int64_t>>("pads_end"), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(conv->outputs[0].shape, PartialShape(Shape{1, 2, 6, 4}));
}

TEST(OnnxImportConv, ConvTransposeSameUpperSpellsOutPads) {
  ModelBuilder b(13);
  b.input("x", {1, 1, 3, 3}).floats("w", {1, 2, 3, 3}, std::vector<float>(18, 1.0f));
  auto& n = b.node("ConvTranspose", {"x", "w"}, {"y"});
  test::set_string(n, "auto_pad", "SAME_UPPER");
  test::set_ints(n, "strides", {2, 2});
  b.output("y");
  Graph g = import(b);
  Node* deconv = result_source(g);
  ASSERT_EQ(deconv->type(), "ConvolutionBackpropData");
  EXPECT_EQ(deconv->attr<std::vector<int64_t>>("pads_begin"), (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(deconv->attr<std::vector<int64_t>>("pads_end"), (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(deconv->outputs[0].shape, PartialShape(Shape{1, 2, 6, 6}));
}

TEST(OnnxImportPool, MaxPoolCeilModeAndIndices) {
  ModelBuilder b(12);
  b.input("x", {1, 1, 5, 5});
  auto& n = b.node("MaxPool", {"x"}, {"y"});
  test::set_ints(n, "kernel_shape", {2, 2});
  test::set_ints(n, "strides", {2, 2});
  test::set_int(n, "ceil_mode", 1);
  b.output("y");
  Graph g = import(b);
  Node* pool = result_source(g);
  EXPECT_EQ(pool->version(), "opset1");
  EXPECT_EQ(pool->attr<std::string>("rounding_type"), "ceil");
  EXPECT_EQ(pool->outputs[0].shape, PartialShape(Shape{1, 1, 3, 3}));

  ModelBuilder c(12);
  c.input("x", {1, 1, 4, 4});
  auto& m = c.node("MaxPool", {"x"}, {"y", "i"});
  test::set_ints(m, "kernel_shape", {2, 2});
  c.output("y").output("i");
  Graph h = import(c);
  auto pools = nodes_of(h, "MaxPool");
  ASSERT_EQ(pools.size(), 1u);
  EXPECT_EQ(pools[0]->version(), "opset8");
  EXPECT_EQ(pools[0]->outputs[1].type, ElementType::kI64);
}

TEST(OnnxImportPool, AveragePoolCountIncludePadAndGlobalPools) {
  ModelBuilder b(11);
  b.input("x", {1, 3, 4, 4});
  auto& n = b.node("AveragePool", {"x"}, {"a"});
  test::set_ints(n, "kernel_shape", {3, 3});
  test::set_ints(n, "pads", {1, 1, 1, 1});
  test::set_int(n, "count_include_pad", 1);
  b.node("GlobalAveragePool", {"a"}, {"y"});
  b.output("y");
  Graph g = import(b);
  EXPECT_FALSE(nodes_of(g, "AvgPool").at(0)->attr<bool>("exclude-pad"));
  Node* mean = result_source(g);
  ASSERT_EQ(mean->type(), "ReduceMean");
  EXPECT_TRUE(mean->attr<bool>("keep_dims"));
  EXPECT_EQ(to_ints(mean->input(1).node->value), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(mean->outputs[0].shape, PartialShape(Shape{1, 3, 1, 1}));
}

TEST(OnnxImportNorm, BatchNormalizationIsBatchNormInference5) {
  ModelBuilder b(15);
  b.input("x", {1, 2, 3, 3});
  for (const char* p : {"s", "bias", "mean", "var"}) b.floats(p, {2}, {1.0f, 2.0f});
  test::set_float(b.node("BatchNormalization", {"x", "s", "bias", "mean", "var"}, {"y"}), "epsilon", 1e-3f);
  b.output("y");
  Graph g = import(b);
  Node* bn = result_source(g);
  ASSERT_EQ(bn->type(), "BatchNormInference");
  EXPECT_EQ(bn->version(), "opset5");
  EXPECT_NEAR(bn->attr<double>("epsilon"), 1e-3, 1e-9);
  EXPECT_EQ(bn->input(0).node->type(), "Parameter");  // opset5 input order: data first
}

TEST(OnnxImportMatMul, GemmBecomesMatMulScaledPlusScaledConstantBias) {
  ModelBuilder b(13);
  b.input("a", {2, 3}).floats("w", {4, 3}, std::vector<float>(12, 1.0f)).floats("c", {4}, {1, 2, 3, 4});
  auto& n = b.node("Gemm", {"a", "w", "c"}, {"y"});
  test::set_int(n, "transB", 1);
  test::set_float(n, "alpha", 2.0f);
  test::set_float(n, "beta", 0.5f);
  b.output("y");
  Graph g = import(b);
  Node* matmul = nodes_of(g, "MatMul").at(0);
  EXPECT_TRUE(matmul->attr<bool>("transpose_b"));
  EXPECT_FALSE(matmul->attr<bool>("transpose_a"));
  Node* add = result_source(g);
  ASSERT_EQ(add->type(), "Add");
  EXPECT_EQ(add->input(0).node->type(), "Multiply");
  EXPECT_EQ(to_floats(add->input(1).node->value), (std::vector<float>{0.5f, 1.0f, 1.5f, 2.0f}));
  EXPECT_EQ(add->outputs[0].shape, PartialShape(Shape{2, 4}));
}

}  // namespace
}  // namespace q8
