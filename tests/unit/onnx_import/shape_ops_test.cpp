// Importers whose meaning changed across opsets or needs care: Softmax, Unsqueeze, Split, Clip,
// Reshape allowzero, Pad, Slice, Gather with negative indices, ArgMax, Resize.
#include <gtest/gtest.h>

#include <cmath>

#include "model_builder.h"
#include "onnx/frontend.h"
#include "tensor/convert.h"

namespace q8 {
namespace {

using test::ModelBuilder;
using test::nodes_of;
using test::result_source;

using test::import;

TEST(OnnxImportSoftmax, BeforeOpset13CoercesTo2D) {
  ModelBuilder b(11);
  b.input("x", {2, 3, 4});
  test::set_int(b.node("Softmax", {"x"}, {"y"}), "axis", 1);
  b.output("y");
  Graph g = import(b);
  Node* back = result_source(g);
  ASSERT_EQ(back->type(), "Reshape");
  Node* sm = back->input(0).node;
  ASSERT_EQ(sm->type(), "SoftMax");
  EXPECT_EQ(sm->attr<int64_t>("axis"), 1);
  EXPECT_EQ(sm->input(0).node->outputs[0].shape, PartialShape(Shape{2, 12}));
  EXPECT_EQ(back->outputs[0].shape, PartialShape(Shape{2, 3, 4}));
}

TEST(OnnxImportSoftmax, Opset13IsOneAxisAndLastAxisNeedsNoReshape) {
  for (int64_t opset : {11, 13}) {
    ModelBuilder b(opset);
    b.input("x", {2, 3, 4});
    test::set_int(b.node("Softmax", {"x"}, {"y"}), "axis", opset == 13 ? 1 : -1);
    b.output("y");
    Graph g = import(b);
    Node* sm = result_source(g);
    ASSERT_EQ(sm->type(), "SoftMax") << opset;
    EXPECT_EQ(sm->attr<int64_t>("axis"), opset == 13 ? 1 : 2);
  }
}

TEST(OnnxImportShape, UnsqueezeAxesAttributeBefore13InputSince) {
  ModelBuilder a(11);
  a.input("x", {3, 4});
  test::set_ints(a.node("Unsqueeze", {"x"}, {"y"}), "axes", {0, 3});
  a.output("y");
  EXPECT_EQ(result_source(import(a))->outputs[0].shape, PartialShape(Shape{1, 3, 4, 1}));

  ModelBuilder b(13);
  b.input("x", {3, 4}).ints("axes", {2}, {0, -1});
  b.node("Unsqueeze", {"x", "axes"}, {"y"});
  b.output("y");
  EXPECT_EQ(result_source(import(b))->outputs[0].shape, PartialShape(Shape{1, 3, 4, 1}));
}

TEST(OnnxImportShape, SplitSizesAttributeBefore13InputSince) {
  ModelBuilder a(11);
  a.input("x", {6, 2});
  test::set_ints(a.node("Split", {"x"}, {"p", "q"}), "split", {2, 4});
  a.output("p").output("q");
  Graph ga = import(a);
  Node* vs = nodes_of(ga, "VariadicSplit").at(0);
  EXPECT_EQ(vs->outputs[0].shape, PartialShape(Shape{2, 2}));
  EXPECT_EQ(vs->outputs[1].shape, PartialShape(Shape{4, 2}));
  EXPECT_EQ(vs->outputs[1].names, (std::vector<std::string>{"q"}));

  ModelBuilder b(13);
  b.input("x", {6, 2});
  b.node("Split", {"x"}, {"p", "q", "r"});
  b.output("p").output("q").output("r");
  Graph gb = import(b);
  Node* s = nodes_of(gb, "Split").at(0);
  EXPECT_EQ(s->attr<int64_t>("num_splits"), 3);
  EXPECT_EQ(s->outputs[2].shape, PartialShape(Shape{2, 2}));
}

TEST(OnnxImportShape, ClipBoundsFromAttributesOrOptionalInputs) {
  ModelBuilder a(6);
  a.input("x", {4});
  auto& n = a.node("Clip", {"x"}, {"y"});
  test::set_float(n, "min", 0.0f);
  test::set_float(n, "max", 6.0f);
  a.output("y");
  Graph g_c = import(a);
  Node* c = result_source(g_c);
  ASSERT_EQ(c->type(), "Clamp");
  EXPECT_EQ(c->attr<double>("min"), 0.0);
  EXPECT_EQ(c->attr<double>("max"), 6.0);

  ModelBuilder b(13);
  b.input("x", {4}).floats("lo", {}, {-1.0f});
  b.node("Clip", {"x", "lo"}, {"y"});
  b.output("y");
  Graph g_d = import(b);
  Node* d = result_source(g_d);
  ASSERT_EQ(d->type(), "Clamp");
  EXPECT_EQ(d->attr<double>("min"), -1.0);
  EXPECT_TRUE(std::isinf(d->attr<double>("max")));
}

TEST(OnnxImportShape, ReshapeAllowZeroTurnsOffSpecialZero) {
  for (int64_t allow : {0, 1}) {
    ModelBuilder b(14);
    b.input("x", {2, 3}).ints("s", {2}, {0, 3});
    test::set_int(b.node("Reshape", {"x", "s"}, {"y"}), "allowzero", allow);
    b.output("y");
    if (allow) {
      EXPECT_ANY_THROW(import(b));  // a real 0 dim cannot hold 6 elements
      continue;
    }
    Graph g_r = import(b);
    Node* r = result_source(g_r);
    EXPECT_TRUE(r->attr<bool>("special_zero"));
    EXPECT_EQ(r->outputs[0].shape, PartialShape(Shape{2, 3}));
  }
}

TEST(OnnxImportShape, PadAttributesBefore11InputsSince) {
  ModelBuilder a(2);
  a.input("x", {2, 2});
  auto& n = a.node("Pad", {"x"}, {"y"});
  test::set_ints(n, "pads", {0, 1, 2, 3});
  test::set_string(n, "mode", "reflect");
  a.output("y");
  Graph g_p = import(a);
  Node* p = result_source(g_p);
  ASSERT_EQ(p->type(), "Pad");
  EXPECT_EQ(p->attr<std::string>("pad_mode"), "reflect");
  EXPECT_EQ(to_ints(p->input(1).node->value), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(to_ints(p->input(2).node->value), (std::vector<int64_t>{2, 3}));

  ModelBuilder b(13);
  b.input("x", {2, 2}).ints("pads", {4}, {1, 1, 1, 1}).floats("v", {}, {7.0f});
  b.node("Pad", {"x", "pads", "v"}, {"y"});
  b.output("y");
  Graph g_q = import(b);
  Node* q = result_source(g_q);
  EXPECT_EQ(q->outputs[0].shape, PartialShape(Shape{4, 4}));
  EXPECT_EQ(to_floats(q->input(3).node->value), (std::vector<float>{7.0f}));
}

TEST(OnnxImportShape, SliceAttributesBefore10BecomeStridedSlice) {
  ModelBuilder a(9);
  a.input("x", {4, 6});
  auto& n = a.node("Slice", {"x"}, {"y"});
  test::set_ints(n, "starts", {1});
  test::set_ints(n, "ends", {-1});
  test::set_ints(n, "axes", {1});
  a.output("y");
  Graph g_s = import(a);
  Node* s = result_source(g_s);
  ASSERT_EQ(s->type(), "StridedSlice");
  EXPECT_EQ(s->attr<std::vector<int64_t>>("begin_mask"), (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(s->outputs[0].shape, PartialShape(Shape{4, 4}));
}

TEST(OnnxImportShape, GatherNormalizesConstantNegativeIndices) {
  ModelBuilder b(13);
  b.input("x", {5, 2}).ints("i", {2}, {-1, 1});
  b.node("Gather", {"x", "i"}, {"y"});
  b.output("y");
  Graph g_gather = import(b);
  Node* gather = result_source(g_gather);
  ASSERT_EQ(gather->type(), "Gather");
  EXPECT_EQ(gather->version(), "opset1");
  EXPECT_EQ(to_ints(gather->input(1).node->value), (std::vector<int64_t>{4, 1}));

  ModelBuilder c(13);
  c.input("x", {5, 2}).input("i", {2}, onnx::TensorProto::INT64);
  c.node("Gather", {"x", "i"}, {"y"});
  c.output("y");
  Graph gc = import(c);
  EXPECT_EQ(result_source(gc)->version(), "opset8");  // negative values handled at run time
}

TEST(OnnxImportReduce, ArgMaxIsTopKWithSqueezeAndLastIndex) {
  ModelBuilder b(12);
  b.input("x", {3, 4});
  auto& n = b.node("ArgMax", {"x"}, {"y"});
  test::set_int(n, "axis", 1);
  test::set_int(n, "keepdims", 0);
  test::set_int(n, "select_last_index", 1);
  b.output("y");
  Graph g = import(b);
  Node* topk = nodes_of(g, "TopK").at(0);
  EXPECT_EQ(topk->attr<std::string>("mode"), "max");
  EXPECT_EQ(topk->input(0).node->type(), "Reverse");
  Node* sq = result_source(g);
  ASSERT_EQ(sq->type(), "Squeeze");
  EXPECT_EQ(sq->outputs[0].type, ElementType::kI64);
  EXPECT_EQ(sq->outputs[0].shape, PartialShape(Shape{3}));
}

TEST(OnnxImportResize, SizesAndModesMapToInterpolate4) {
  ModelBuilder b(13);
  b.input("x", {1, 1, 2, 2}).ints("sizes", {4}, {1, 1, 4, 6});
  auto& n = b.node("Resize", {"x", "", "", "sizes"}, {"y"});
  test::set_string(n, "mode", "cubic");
  test::set_string(n, "coordinate_transformation_mode", "align_corners");
  test::set_float(n, "cubic_coeff_a", -0.5f);
  b.output("y");
  Graph g_r = import(b);
  Node* r = result_source(g_r);
  ASSERT_EQ(r->type(), "Interpolate");
  EXPECT_EQ(r->version(), "opset4");
  EXPECT_EQ(r->attr<std::string>("shape_calculation_mode"), "sizes");
  EXPECT_EQ(r->attr<std::string>("coordinate_transformation_mode"), "align_corners");
  EXPECT_EQ(r->attr<double>("cube_coeff"), -0.5);
  EXPECT_EQ(r->outputs[0].shape, PartialShape(Shape{1, 1, 4, 6}));
}

}  // namespace
}  // namespace q8
