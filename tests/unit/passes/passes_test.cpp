#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "base/error.h"
#include "graph/shape_infer.h"
#include "graph/validate.h"
#include "passes/passes.h"
#include "passes/preprocess.h"
#include "runtime/reference.h"
#include "tensor/convert.h"

namespace q8 {
namespace {

Tensor random_f32(const Shape& s, uint32_t seed, float lo = -1, float hi = 1) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(static_cast<size_t>(num_elements(s)));
  for (auto& x : v) x = d(rng);
  return make_f32(s, v);
}

Node* conv(Graph& g, Output x, Tensor w, const std::string& name) {
  Node* c = g.add_const(name + "/w", std::move(w));
  Node* n = g.add("Convolution", name);
  n->set_attr("strides", std::vector<int64_t>{1, 1});
  n->set_attr("dilations", std::vector<int64_t>{1, 1});
  n->set_attr("pads_begin", std::vector<int64_t>{1, 1});
  n->set_attr("pads_end", std::vector<int64_t>{1, 1});
  n->inputs = {x, c->output()};
  infer_node(*n);
  return n;
}

Node* binary(Graph& g, const std::string& type, Output a, Output b, const std::string& name) {
  Node* n = g.add(type, name);
  n->inputs = {a, b};
  infer_node(*n);
  return n;
}

Node* batch_norm(Graph& g, Output x, int64_t c) {
  Node* n = g.add("BatchNormInference", "bn", "opset5");
  n->set_attr("epsilon", 1e-5);
  n->inputs = {x, g.add_const("gamma", random_f32({c}, 1, 0.5f, 2))->output(),
               g.add_const("beta", random_f32({c}, 2))->output(),
               g.add_const("mean", random_f32({c}, 3))->output(),
               g.add_const("var", random_f32({c}, 4, 0.1f, 2))->output()};
  infer_node(*n);
  return n;
}

Tensor run(const Graph& g, const Tensor& x) {
  return runtime::run_reference(g, {{"x", x}}).at(0).value;
}

double max_diff(const Tensor& a, const Tensor& b) {
  auto x = to_floats(a), y = to_floats(b);
  double d = 0;
  for (size_t i = 0; i < x.size(); ++i) d = std::max<double>(d, std::fabs(x[i] - y[i]));
  return d;
}

int count(const Graph& g, const std::string& type) {
  int n = 0;
  for (const auto& node : g.nodes()) n += node->type() == type;
  return n;
}

TEST(Passes, BatchNormFoldsIntoConvolutionWeights) {
  Graph g;
  Node* x = g.add_parameter("x", ElementType::kF32, PartialShape(Shape{1, 3, 6, 6}));
  Node* c = conv(g, x->output(), random_f32({4, 3, 3, 3}, 7), "conv");
  g.add_result("out", batch_norm(g, c->output(), 4)->output());
  Tensor in = random_f32({1, 3, 6, 6}, 9);
  Tensor before = run(g, in);
  passes::fuse_batch_norm(g);
  validate(g);
  EXPECT_EQ(count(g, "BatchNormInference"), 0);
  EXPECT_EQ(count(g, "Multiply"), 0);  // scale went into the weights
  EXPECT_EQ(count(g, "Add"), 1);
  EXPECT_LE(max_diff(run(g, in), before), 1e-5);
}

TEST(Passes, BatchNormWithoutConvolutionBecomesMultiplyAdd) {
  Graph g;
  Node* x = g.add_parameter("x", ElementType::kF32, PartialShape(Shape{1, 4, 5, 5}));
  g.add_result("out", batch_norm(g, x->output(), 4)->output());
  Tensor in = random_f32({1, 4, 5, 5}, 3);
  Tensor before = run(g, in);
  passes::fuse_batch_norm(g);
  EXPECT_EQ(count(g, "BatchNormInference"), 0);
  EXPECT_EQ(count(g, "Multiply"), 1);
  EXPECT_LE(max_diff(run(g, in), before), 1e-5);
}

TEST(Passes, MulAddChainsFuseIntoWeightsAndOneBias) {
  Graph g;
  Node* x = g.add_parameter("x", ElementType::kF32, PartialShape(Shape{1, 3, 6, 6}));
  Node* c = conv(g, x->output(), random_f32({4, 3, 3, 3}, 11), "conv");
  Node* b = binary(g, "Add", c->output(), g.add_const("b", random_f32({1, 4, 1, 1}, 12))->output(), "bias");
  Node* m =
      binary(g, "Multiply", b->output(), g.add_const("m", random_f32({1, 4, 1, 1}, 13))->output(), "mul");
  Node* a = binary(g, "Add", m->output(), g.add_const("a", random_f32({1, 4, 1, 1}, 14))->output(), "add");
  Node* a2 = binary(g, "Add", a->output(), g.add_const("a2", random_f32({1}, 15))->output(), "add2");
  g.add_result("out", a2->output());
  Tensor in = random_f32({1, 3, 6, 6}, 16);
  Tensor before = run(g, in);
  passes::fuse_mul_add(g);
  validate(g);
  EXPECT_EQ(count(g, "Multiply"), 0);
  EXPECT_EQ(count(g, "Add"), 1);
  EXPECT_LE(max_diff(run(g, in), before), 1e-5);
}

TEST(Passes, ConstantFoldingReplacesConstantSubgraphs) {
  Graph g;
  Node* x = g.add_parameter("x", ElementType::kF32, PartialShape(Shape{2, 3}));
  Node* sum = binary(g, "Add", g.add_const("a", make_f32({3}, {1, 2, 3}))->output(),
                     g.add_const("b", make_f32({3}, {10, 20, 30}))->output(), "sum");
  g.add_result("out", binary(g, "Multiply", x->output(), sum->output(), "mul")->output());
  passes::fold_constants(g);
  EXPECT_EQ(count(g, "Add"), 0);
  Node* folded = g.find_by_name("sum");
  ASSERT_TRUE(folded);
  EXPECT_EQ(folded->type(), "Const");
  EXPECT_EQ(to_floats(folded->value), (std::vector<float>{11, 22, 33}));
}

TEST(Passes, ShapeOfFoldsOnStaticShapes) {
  Graph g;
  Node* x = g.add_parameter("x", ElementType::kF32, PartialShape(Shape{1, 3, 4, 4}));
  Node* s = g.add("ShapeOf", "shape", "opset3");
  s->inputs = {x->output()};
  infer_node(*s);
  g.add_result("out", s->output());
  passes::fold_shape_of(g);
  ASSERT_EQ(count(g, "ShapeOf"), 0);
  EXPECT_EQ(to_ints(g.find_by_name("shape")->value), (std::vector<int64_t>{1, 3, 4, 4}));
}

TEST(Passes, NoopsAreRemoved) {
  Graph g;
  Node* x = g.add_parameter("x", ElementType::kF32, PartialShape(Shape{2, 3}));
  Node* cvt = g.add("Convert", "cvt");
  cvt->set_attr("destination_type", ElementType::kF32);
  cvt->inputs = {x->output()};
  infer_node(*cvt);
  Node* r = g.add("ReLU", "relu");
  r->inputs = {cvt->output()};
  infer_node(*r);
  g.add_result("out", r->output());
  passes::eliminate_noops(g);
  EXPECT_EQ(count(g, "Convert"), 0);
  EXPECT_EQ(g.find_by_name("relu")->inputs[0].node, g.find_by_name("x"));
}

TEST(Passes, Fp16CompressionConvertsFloatTensorsOnly) {
  Graph g;
  Node* x = g.add_parameter("x", ElementType::kF32, PartialShape(Shape{1, 3}));
  Node* idx = g.add_const("idx", make_i64({1}, {2}));
  Node* w = g.add_const("w", make_f32({1, 3}, {0.1f, 65504.f, 1e-8f}));
  Node* m = binary(g, "Multiply", x->output(), w->output(), "mul");
  g.add_result("out", m->output());
  g.add_result("idx_out", idx->output());
  passes::compress_to_fp16(g);
  validate(g);
  EXPECT_EQ(g.find_by_name("x")->attr<ElementType>("element_type"), ElementType::kF16);
  EXPECT_EQ(g.find_by_name("w")->value.type(), ElementType::kF16);
  EXPECT_EQ(g.find_by_name("idx")->value.type(), ElementType::kI64);
  EXPECT_EQ(g.find_by_name("mul")->outputs[0].type, ElementType::kF16);
  auto back = to_floats(g.find_by_name("w")->value);
  EXPECT_NEAR(back[0], 0.1f, 1e-4);
  EXPECT_EQ(back[1], 65504.f);
}

TEST(Passes, PreprocessingComputesExactlyMeanAndScaleAfterReversal) {
  Graph g;
  Node* x = g.add_parameter("x", ElementType::kF32, PartialShape(Shape{1, 3, 1, 2}));
  Node* r = g.add("ReLU", "relu");  // any consumer
  r->inputs = {x->output()};
  infer_node(*r);
  g.add_result("out", r->output());
  passes::apply_preprocessing(g, {{"x", {10, 20, 30}, {2, 4, 8}, true}});
  validate(g);
  Tensor in = make_f32({1, 3, 1, 2}, {100, 101, 200, 201, 300, 301});
  auto out = to_floats(run(g, in));
  // channels reversed first: [300,301 | 200,201 | 100,101], then (v - mean[c]) / scale[c]
  EXPECT_EQ(out, (std::vector<float>{(300 - 10) / 2.f, (301 - 10) / 2.f, (200 - 20) / 4.f, (201 - 20) / 4.f,
                                     (100 - 30) / 8.f, (101 - 30) / 8.f}));
  EXPECT_THROW(passes::apply_preprocessing(g, {{"x", {1, 2}, {}, false}}), Error);
  EXPECT_THROW(passes::apply_preprocessing(g, {{"nope", {1}, {}, false}}), Error);
}

TEST(Passes, DeadNodesGoParametersStay) {
  Graph g;
  Node* x = g.add_parameter("x", ElementType::kF32, PartialShape(Shape{2}));
  g.add_parameter("unused", ElementType::kF32, PartialShape(Shape{2}));
  g.add_const("orphan", make_f32({1}, {1}));
  g.add_result("out", x->output());
  passes::remove_dead_nodes(g);
  EXPECT_EQ(g.size(), 3u);
  EXPECT_FALSE(g.find_by_name("orphan"));
}

}  // namespace
}  // namespace q8
