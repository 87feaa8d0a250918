// The import driver: names, Results, pass-through ops, input overrides, output cuts, QDQ, the
// errors (unsupported ops listed together, unknown names listing what exists), and the SSD fixtures.
#include <gtest/gtest.h>

#include "base/error.h"
#include "model_builder.h"
#include "onnx/frontend.h"
#include "onnx/onnx_io.h"
#include "tensor/convert.h"
#include "test_support.h"

namespace q8 {
namespace {

using test::ModelBuilder;
using test::nodes_of;
using test::result_source;

std::string import_error(const onnx::ModelProto& m, const onnxfe::ImportOptions& opts = {}) {
  try {
    onnxfe::import_model(m, opts, "m");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kBadInput);
    return e.describe();
  }
  return "";
}

TEST(OnnxImportDriver, UnsupportedOpsAreListedTogether) {
  ModelBuilder b(13);
  b.input("x", {2});
  b.node("Relu", {"x"}, {"a"});
  b.node("Hardmax", {"a"}, {"h"}, "hard");
  b.node("Loop", {"h"}, {"y"}, "loop1");
  b.output("y");
  std::string err = import_error(b.model());
  EXPECT_NE(err.find("2 unsupported ONNX nodes"), std::string::npos) << err;
  EXPECT_NE(err.find("node 'hard' (op Hardmax, opset 13)"), std::string::npos) << err;
  EXPECT_NE(err.find("node 'loop1' (op Loop, opset 13)"), std::string::npos) << err;
}

TEST(OnnxImportDriver, OtherDomainsAreUnsupported) {
  ModelBuilder b(13);
  b.input("x", {2});
  b.node("Relu", {"x"}, {"y"}, "r").set_domain("com.microsoft");
  b.output("y");
  EXPECT_NE(import_error(b.model()).find("(op com.microsoft.Relu, opset 13)"), std::string::npos);
}

TEST(OnnxImportDriver, UnknownInputOrOutputNamesWhatExists) {
  ModelBuilder b(13);
  b.input("image", {1, 3}).input("mask", {1, 3});
  b.node("Add", {"image", "mask"}, {"sum"});
  b.node("Relu", {"sum"}, {"y"});
  b.output("y");
  onnxfe::ImportOptions in;
  in.inputs.push_back({"img", std::nullopt, std::nullopt});
  std::string err = import_error(b.model(), in);
  EXPECT_NE(err.find("no input 'img' (inputs: 'image', 'mask')"), std::string::npos) << err;
  onnxfe::ImportOptions out;
  out.outputs = {"summ"};
  err = import_error(b.model(), out);
  EXPECT_NE(err.find("no tensor 'summ'"), std::string::npos) << err;
  EXPECT_NE(err.find("'sum', 'y'"), std::string::npos) << err;
}

TEST(OnnxImportDriver, OutputCutImportsOnlyWhatItNeeds) {
  ModelBuilder b(13);
  b.input("x", {2});
  b.node("Relu", {"x"}, {"a"}, "relu");
  b.node("Hardmax", {"a"}, {"y"});  // unsupported, but beyond the cut
  b.output("y");
  onnxfe::ImportOptions opts;
  opts.outputs = {"a"};
  Graph g = onnxfe::import_model(b.model(), opts, "m");
  auto results = g.results();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0]->name(), "a/sink_port_0");
  EXPECT_EQ(results[0]->input(0).node->name(), "relu");
}

TEST(OnnxImportDriver, InputOverridesReplaceShapeAndType) {
  ModelBuilder b(13);
  b.input("x", {-1, 3, -1, -1}).input("k", {2});
  b.node("Relu", {"x"}, {"y"});
  b.node("Relu", {"k"}, {"z"});
  b.output("y").output("z");
  onnxfe::ImportOptions opts;
  opts.inputs.push_back({"x", PartialShape(Shape{1, 3, 8, 8}), std::nullopt});
  Graph g = onnxfe::import_model(b.model(), opts, "m");
  auto params = g.parameters();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0]->outputs[0].shape, PartialShape(Shape{1, 3, 8, 8}));
  EXPECT_EQ(params[1]->outputs[0].shape, PartialShape(Shape{2}));  // untouched
  EXPECT_EQ(g.results()[0]->input(0).node->outputs[0].shape, PartialShape(Shape{1, 3, 8, 8}));
}

TEST(OnnxImportDriver, IdentityAndDropoutAddNoNodes) {
  ModelBuilder b(13);
  b.input("x", {2});
  b.node("Identity", {"x"}, {"a"});
  b.node("Dropout", {"a"}, {"b"});
  b.node("Relu", {"b"}, {"y"});
  b.output("y");
  Graph g = onnxfe::import_model(b.model(), {}, "m");
  EXPECT_EQ(g.size(), 3u);  // Parameter, ReLU, Result
  Node* relu = result_source(g);
  EXPECT_EQ(relu->input(0).node->type(), "Parameter");
  EXPECT_EQ(relu->input(0).node->outputs[0].names, (std::vector<std::string>{"x", "a", "b"}));
}

TEST(OnnxImportDriver, NamesComeFromOnnxAndUnusedInitializersGo) {
  ModelBuilder b(13);
  b.input("x", {2}).floats("unused", {1}, {1.0f}).floats("w", {2}, {1.0f, 2.0f});
  b.node("Mul", {"x", "w"}, {"m"});  // unnamed: named after its output
  b.node("Relu", {"m"}, {"y"}, "act");
  b.output("y");
  Graph g = onnxfe::import_model(b.model(), {}, "m");
  EXPECT_EQ(g.find_by_name("unused"), nullptr);
  ASSERT_NE(g.find_by_name("w"), nullptr);
  EXPECT_EQ(g.find_by_name("m")->type(), "Multiply");
  EXPECT_EQ(g.find_by_name("act")->outputs[0].names, (std::vector<std::string>{"y"}));
  EXPECT_EQ(g.results()[0]->name(), "y/sink_port_0");
}

TEST(OnnxImportQuant, QuantizeDequantizeIsOneFakeQuantize) {
  for (int32_t zp_type : {onnx::TensorProto::UINT8, onnx::TensorProto::INT8}) {
    ModelBuilder b(13);
    b.input("x", {1, 4})
        .floats("s", {}, {0.5f})
        .ints("z", {}, {zp_type == onnx::TensorProto::UINT8 ? 10 : 0}, zp_type);
    b.node("QuantizeLinear", {"x", "s", "z"}, {"q"});
    b.node("DequantizeLinear", {"q", "s", "z"}, {"y"});
    b.output("y");
    Graph g = onnxfe::import_model(b.model(), {}, "m");
    Node* fq = result_source(g);
    ASSERT_EQ(fq->type(), "FakeQuantize");
    EXPECT_EQ(fq->attr<int64_t>("levels"), 256);
    std::vector<float> lo = to_floats(fq->input(1).node->value), hi = to_floats(fq->input(2).node->value);
    if (zp_type == onnx::TensorProto::UINT8) {
      EXPECT_EQ(lo, (std::vector<float>{-5.0f}));   // (0 - 10) * 0.5
      EXPECT_EQ(hi, (std::vector<float>{122.5f}));  // (255 - 10) * 0.5
    } else {
      EXPECT_EQ(lo, (std::vector<float>{-64.0f}));  // -128 * 0.5
      EXPECT_EQ(hi, (std::vector<float>{63.5f}));   // 127 * 0.5
    }
    EXPECT_EQ(fq->input(3).node, fq->input(1).node);
    EXPECT_TRUE(nodes_of(g, "Convert").empty());  // the integer round trip was pruned
  }
}

TEST(OnnxImportDriver, SsdFixturesImport) {
  for (int opset : {11, 13}) {
    auto m = onnxio::load_model(test::fixture("onnx/ssd_tiny_opset" + std::to_string(opset) + ".onnx"));
    Graph g = onnxfe::import_model(m, {}, "ssd");
    ASSERT_EQ(static_cast<int>(g.results().size()), m.graph().output_size()) << opset;
    for (int i = 0; i < m.graph().output_size(); ++i)
      EXPECT_EQ(g.results()[static_cast<size_t>(i)]->name(), m.graph().output(i).name() + "/sink_port_0");
  }
}

}  // namespace
}  // namespace q8
