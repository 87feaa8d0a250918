// The TF frontend on small hand-built GraphDefs: constant encodings, layouts and padding,
// ArgMax types, cut points, and the errors users see.
#include <gtest/gtest.h>

#include "base/error.h"
#include "graph_def_builder.h"
#include "runtime/reference.h"
#include "tf/frontend.h"
#include "tf_test_util.h"

namespace q8 {
namespace {

using namespace tftest;

Graph import(const tf::GraphDef& def, tffe::ImportOptions opts = {}) {
  return tffe::import_graph_def(def, opts, "test");
}

// The value a Result reads, when it is a constant.
Tensor result_const(const Graph& g, size_t i) {
  const Node* src = g.results().at(i)->inputs[0].node;
  EXPECT_EQ(src->type(), "Const");
  return src->value;
}

std::string error_of(const tf::GraphDef& def, tffe::ImportOptions opts = {}) {
  try {
    import(def, opts);
  } catch (const Error& e) {
    return e.describe();
  }
  return "";
}

TEST(TfImport, ConstEncodings) {
  GraphDefBuilder b;
  b.const_f32("content", make_f32({2, 2}, {1, 2, 3, 4}));
  b.const_i32("int_broadcast", {4}, {7});  // one value fills the shape
  b.const_proto("float_broadcast", tf::DT_FLOAT, {2, 3}).add_float_val(0.5f);
  tf::TensorProto& last = b.const_proto("int64_repeat_last", tf::DT_INT64, {4});
  last.add_int64_val(-3);
  last.add_int64_val(9);
  b.const_proto("zeros", tf::DT_FLOAT, {3});
  b.const_proto("half", tf::DT_HALF, {2}).add_half_val(0x3C00);  // 1.0 in fp16
  b.const_proto("bools", tf::DT_BOOL, {2}).add_bool_val(true);
  tffe::ImportOptions o;
  o.outputs = {"content", "int_broadcast", "float_broadcast", "int64_repeat_last", "zeros", "half", "bools"};
  Graph g = import(b.def, o);
  EXPECT_EQ(to_floats(result_const(g, 0)), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(result_const(g, 1).type(), ElementType::kI32);
  EXPECT_EQ(to_ints(result_const(g, 1)), (std::vector<int64_t>{7, 7, 7, 7}));
  EXPECT_EQ(to_floats(result_const(g, 2)), std::vector<float>(6, 0.5f));
  EXPECT_EQ(to_ints(result_const(g, 3)), (std::vector<int64_t>{-3, 9, 9, 9}));
  EXPECT_EQ(to_floats(result_const(g, 4)), std::vector<float>(3, 0.0f));
  EXPECT_EQ(result_const(g, 5).type(), ElementType::kF16);
  EXPECT_EQ(to_floats(result_const(g, 5)), (std::vector<float>{1, 1}));
  EXPECT_EQ(to_ints(result_const(g, 6)), (std::vector<int64_t>{1, 1}));
}

TEST(TfImport, BadTensorContentSizeNamesTheNode) {
  GraphDefBuilder b;
  b.const_proto("w", tf::DT_FLOAT, {4}).set_tensor_content(std::string(12, '\0'));
  tffe::ImportOptions o;
  o.outputs = {"w"};
  std::string e = error_of(b.def, o);
  EXPECT_NE(e.find("'w'"), std::string::npos) << e;
  EXPECT_NE(e.find("needs 16"), std::string::npos) << e;
}

// x [1,2,2,2] NHWC, filter [1,1,2,3] HWIO: out[h,w,o] = sum_i x[h,w,i] * f[i,o].
GraphDefBuilder conv_1x1(const std::string& op, const Tensor& filter) {
  GraphDefBuilder b;
  b.placeholder("x", {1, 2, 2, 2});
  b.const_f32("f", filter);
  tf::NodeDef& c = b.node("conv", op, {"x", "f"});
  b.set_type(c, "T", tf::DT_FLOAT);
  b.set_s(c, "padding", "VALID");
  b.set_ints(c, "strides", {1, 1, 1, 1});
  return b;
}

Tensor run_nhwc(const Graph& g, const Tensor& x_nhwc) {
  Tensor out = runtime::run_reference(g, {{"x", nhwc_to_nchw(x_nhwc)}}).at(0).value;
  return out;
}

TEST(TfImport, Conv2DWeightsAreHwio) {
  Tensor x = random_f32({1, 2, 2, 2}, 1), f = random_f32({1, 1, 2, 3}, 2);
  Graph g = import(conv_1x1("Conv2D", f).def);
  EXPECT_EQ(g.parameters()[0]->outputs[0].shape.to_string(), "[1,2,2,2]");
  Tensor y = run_nhwc(g, x);
  ASSERT_EQ(y.shape(), (Shape{1, 2, 2, 3}));
  auto xv = to_floats(x), fv = to_floats(f), yv = to_floats(y);
  for (int p = 0; p < 4; ++p)
    for (int o = 0; o < 3; ++o)
      EXPECT_NEAR(yv[p * 3 + o], xv[p * 2] * fv[o] + xv[p * 2 + 1] * fv[3 + o], 1e-5);
}

// Filter [1,1,C=2,M=2]: output channel c*M+m = x[c] * f[c,m].
TEST(TfImport, DepthwiseChannelMultiplier) {
  Tensor x = random_f32({1, 2, 2, 2}, 3), f = random_f32({1, 1, 2, 2}, 4);
  Graph g = import(conv_1x1("DepthwiseConv2dNative", f).def);
  EXPECT_EQ(count_ops(g, "GroupConvolution"), 1u);
  Tensor y = run_nhwc(g, x);
  ASSERT_EQ(y.shape(), (Shape{1, 2, 2, 4}));
  auto xv = to_floats(x), fv = to_floats(f), yv = to_floats(y);
  for (int p = 0; p < 4; ++p)
    for (int c = 0; c < 2; ++c)
      for (int m = 0; m < 2; ++m) EXPECT_NEAR(yv[p * 4 + c * 2 + m], xv[p * 2 + c] * fv[c * 2 + m], 1e-5);
}

// One strided 3x3 conv written three ways: SAME (the odd pad after), EXPLICIT with the same pads,
// and NCHW data_format after a Transpose; all three agree.
Tensor strided_conv(const std::string& padding, const std::string& format) {
  GraphDefBuilder b;
  b.placeholder("x", {1, 6, 6, 2});
  b.const_f32("f", random_f32({3, 3, 2, 4}, 5));
  std::string in = "x";
  bool nchw = format == "NCHW";
  if (nchw) {
    b.const_i32("perm", {4}, {0, 3, 1, 2});
    b.unary("to_nchw", "Transpose", "x").add_input("perm");
    in = "to_nchw";
  }
  tf::NodeDef& c = b.node("conv", "Conv2D", {in, "f"});
  b.set_s(c, "padding", padding);
  b.set_s(c, "data_format", format);
  b.set_ints(c, "strides", nchw ? std::vector<int64_t>{1, 1, 2, 2} : std::vector<int64_t>{1, 2, 2, 1});
  if (padding == "EXPLICIT")
    b.set_ints(
        c, "explicit_paddings",
        nchw ? std::vector<int64_t>{0, 0, 0, 0, 0, 1, 0, 1} : std::vector<int64_t>{0, 0, 0, 1, 0, 1, 0, 0});
  Graph g = import(b.def);
  return run_nhwc(g, random_f32({1, 6, 6, 2}, 6));
}

TEST(TfImport, SamePaddingPutsTheOddPixelAfter) {
  Tensor same = strided_conv("SAME", "NHWC");
  EXPECT_EQ(same.shape(), (Shape{1, 3, 3, 4}));
  EXPECT_LE(max_abs_diff(same, strided_conv("EXPLICIT", "NHWC")), 1e-6);
  Tensor nchw = strided_conv("EXPLICIT", "NCHW");
  EXPECT_EQ(nchw.shape(), (Shape{1, 4, 3, 3}));
  EXPECT_LE(max_abs_diff(
                same, runtime::run_reference(
                          [&] {
                            Graph t;  // NCHW result back to NHWC for the comparison
                            Output p = t.add_parameter("x", ElementType::kF32, Shape{1, 4, 3, 3})->output();
                            t.add_result("y", transpose(t, "t", p, {0, 2, 3, 1}));
                            return t;
                          }(),
                          {{"x", nchw}})
                          .at(0)
                          .value),
            1e-6);
}

TEST(TfImport, ArgMaxOutputTypeMayBeFloat) {
  for (auto [type, expected] :
       {std::pair{tf::DT_INT64, ElementType::kI64}, std::pair{tf::DT_FLOAT, ElementType::kF32},
        std::pair{tf::DT_INT32, ElementType::kI32}}) {
    GraphDefBuilder b;
    b.placeholder("x", {2, 5});
    b.const_i32("dim", {}, {1});
    tf::NodeDef& a = b.node("argmax", "ArgMax", {"x", "dim"});
    b.set_type(a, "output_type", type);
    Graph g = import(b.def);
    Tensor x = make_f32({2, 5}, {0, 3, 1, 2, -1, 9, 0, 0, 8, 1});
    Tensor y = runtime::run_reference(g, {{"x", x}}).at(0).value;
    EXPECT_EQ(y.type(), expected);
    EXPECT_EQ(to_ints(y), (std::vector<int64_t>{1, 0}));
  }
}

TEST(TfImport, PlaceholderBecomesNchwParameter) {
  GraphDefBuilder b;
  b.placeholder("image", {-1, 224, 224, 3});
  b.unary("relu", "Relu", "image");
  Graph dynamic = import(b.def);
  EXPECT_EQ(dynamic.parameters()[0]->outputs[0].shape.to_string(), "[?,3,224,224]");
  tffe::ImportOptions o;
  o.inputs = {{"image", PartialShape(Shape{1, 32, 16, 3}), std::nullopt}};
  Graph g = import(b.def, o);
  ASSERT_EQ(g.parameters().size(), 1u);
  EXPECT_EQ(g.parameters()[0]->name(), "image");
  EXPECT_EQ(g.parameters()[0]->outputs[0].shape.to_string(), "[1,3,32,16]");
  EXPECT_EQ(g.results()[0]->inputs[0].node->outputs[0].shape.to_string(), "[1,32,16,3]");
}

// The KWS case: cutting at a node in the middle drops everything before it (even ops the
// frontend does not know) and needs a shape.
TEST(TfImport, CutAtAnInnerNode) {
  GraphDefBuilder b;
  b.node("wav", "Placeholder");
  b.node("mfcc", "Mfcc", {"wav"});
  b.const_i32("shape", {2}, {1, 6});
  b.unary("flat", "Reshape", "mfcc").add_input("shape");
  b.unary("relu", "Relu", "flat");
  tffe::ImportOptions o;
  o.inputs = {{"mfcc", PartialShape(Shape{2, 3}), std::nullopt}};
  Graph g = import(b.def, o);
  ASSERT_EQ(g.parameters().size(), 1u);
  EXPECT_EQ(g.parameters()[0]->name(), "mfcc");
  Tensor y = runtime::run_reference(g, {{"mfcc", make_f32({2, 3}, {-1, 2, -3, 4, -5, 6})}}).at(0).value;
  EXPECT_EQ(to_floats(y), (std::vector<float>{0, 2, 0, 4, 0, 6}));
  o.inputs[0].shape.reset();
  EXPECT_NE(error_of(b.def, o).find("needs the input's shape"), std::string::npos);
}

TEST(TfImport, UnsupportedOpsAreReportedTogether) {
  GraphDefBuilder b;
  b.placeholder("x", {1, 4});
  b.unary("a", "Erfinv", "x");
  b.unary("b", "Relu", "a");
  b.unary("c", "Lgamma", "b");
  std::string e = error_of(b.def);
  EXPECT_NE(e.find("2 unsupported TensorFlow nodes"), std::string::npos) << e;
  EXPECT_NE(e.find("node 'a' (op Erfinv)"), std::string::npos) << e;
  EXPECT_NE(e.find("node 'c' (op Lgamma)"), std::string::npos) << e;
}

TEST(TfImport, UnknownInputAndOutputNamesListWhatExists) {
  GraphDefBuilder b;
  b.placeholder("image", {1, 4});
  b.unary("relu", "Relu", "image");
  tffe::ImportOptions in;
  in.inputs = {{"imag", std::nullopt, std::nullopt}};
  std::string e = error_of(b.def, in);
  EXPECT_NE(e.find("no node 'imag'"), std::string::npos) << e;
  EXPECT_NE(e.find("Placeholders: 'image'"), std::string::npos) << e;
  tffe::ImportOptions out;
  out.outputs = {"relu:0", "rel"};
  e = error_of(b.def, out);
  EXPECT_NE(e.find("no node 'rel'"), std::string::npos) << e;
  EXPECT_NE(e.find("'relu'"), std::string::npos) << e;
}

TEST(TfImport, IdentityAndIndexedOutputs) {
  GraphDefBuilder b;
  b.placeholder("x", {3});
  b.unary("id", "Identity", "x");
  b.unary("stop", "StopGradient", "id:0");
  b.unary("tanh", "Tanh", "stop").add_input("^id");  // a control input is not data
  Graph g = import(b.def);
  EXPECT_EQ(g.size(), 3u);  // Parameter, Tanh, Result
  Tensor y = runtime::run_reference(g, {{"x", make_f32({3}, {0, 1, -1})}}).at(0).value;
  EXPECT_NEAR(to_floats(y)[1], std::tanh(1.0f), 1e-6);
}

// A shape sub-graph as TF writes flatten-with-batch: Shape -> StridedSlice -> Pack -> Reshape,
// plus ConcatV2 with a negative axis, ExpandDims and Cast.
TEST(TfImport, ShapeSubGraphOps) {
  GraphDefBuilder b;
  b.placeholder("x", {2, 3});
  tf::NodeDef& shape = b.node("shape", "Shape", {"x"});
  b.set_type(shape, "out_type", tf::DT_INT32);
  b.const_i32("begin", {1}, {0});
  b.const_i32("end", {1}, {1});
  b.const_i32("step", {1}, {1});
  b.set_i(b.node("batch", "StridedSlice", {"shape", "begin", "end", "step"}), "shrink_axis_mask", 1);
  b.const_i32("minus1", {}, {-1});
  b.node("packed", "Pack", {"batch", "minus1"});
  b.const_i32("axis", {}, {-1});
  b.node("cat", "ConcatV2", {"x", "x", "axis"});
  b.node("flat", "Reshape", {"cat", "packed"});
  b.const_i32("dim", {}, {0});
  b.node("expanded", "ExpandDims", {"flat", "dim"});
  b.set_type(b.node("cast", "Cast", {"expanded"}), "DstT", tf::DT_INT32);
  Graph g = import(b.def);
  Tensor y = runtime::run_reference(g, {{"x", make_f32({2, 3}, {1.5f, -2.5f, 3, 4, 5, 6.9f})}}).at(0).value;
  EXPECT_EQ(y.type(), ElementType::kI32);
  EXPECT_EQ(y.shape(), (Shape{1, 2, 6}));
  EXPECT_EQ(to_ints(y), (std::vector<int64_t>{1, -2, 3, 1, -2, 3, 4, 5, 6, 4, 5, 6}));
}

TEST(TfImport, SupportedOpsCoverResNetAndKws) {
  auto ops = tffe::supported_ops();
  for (const char* op : {"Conv2D",
                         "DepthwiseConv2dNative",
                         "FusedBatchNorm",
                         "FusedBatchNormV3",
                         "BiasAdd",
                         "Relu6",
                         "MaxPool",
                         "AvgPool",
                         "Mean",
                         "MatMul",
                         "Softmax",
                         "ArgMax",
                         "Pad",
                         "Reshape",
                         "Squeeze",
                         "ConcatV2",
                         "StridedSlice",
                         "Pack",
                         "Shape",
                         "Cast",
                         "ExpandDims",
                         "Rsqrt"})
    EXPECT_TRUE(std::binary_search(ops.begin(), ops.end(), op)) << op;
}

}  // namespace
}  // namespace q8
