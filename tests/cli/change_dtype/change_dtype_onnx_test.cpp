// change-dtype on ONNX: a Cast after the node's graph output, output name kept.
#include <gtest/gtest.h>

#include "onnx/onnx_io.h"
#include "onnx/retype.h"
#include "test_support.h"

namespace q8 {
namespace {

const std::string kFixture = test::fixture("onnx/argmax_classifier.onnx");

const onnx::NodeProto* producer_of(const onnx::GraphProto& g, const std::string& tensor) {
  for (const auto& n : g.node())
    for (const auto& o : n.output())
      if (o == tensor) return &n;
  return nullptr;
}

int32_t output_type(const onnx::GraphProto& g, const std::string& name) {
  for (const auto& o : g.output())
    if (o.name() == name) return o.type().tensor_type().elem_type();
  return -1;
}

TEST(ChangeDtypeOnnx, ArgMaxGetsACastAndKeepsTheOutputName) {
  test::TempDir dir;
  auto r = test::run_tool("change-dtype",
                          {kFixture, "-o", dir.file("out.onnx"), "--op", "ArgMax", "--to", "float32"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  onnx::ModelProto m = onnxio::load_model(dir.file("out.onnx"));
  const auto& g = m.graph();
  ASSERT_EQ(g.output_size(), 3);
  EXPECT_EQ(g.output(1).name(), "label");
  EXPECT_EQ(output_type(g, "label"), onnx::TensorProto::FLOAT);
  const auto* cast = producer_of(g, "label");
  ASSERT_NE(cast, nullptr);
  EXPECT_EQ(cast->op_type(), "Cast");
  EXPECT_EQ(cast->attribute(0).i(), onnx::TensorProto::FLOAT);
  const auto* argmax = producer_of(g, cast->input(0));
  ASSERT_NE(argmax, nullptr);
  EXPECT_EQ(argmax->op_type(), "ArgMax");
  // The internal reader (Unsqueeze -> GatherElements indices) still gets the int64 tensor.
  for (const auto& n : g.node()) {
    if (n.op_type() != "Unsqueeze") continue;
    EXPECT_EQ(n.input(0), cast->input(0));
  }
  EXPECT_EQ(g.node_size(), onnxio::load_model(kFixture).graph().node_size() + 1);
  onnxio::check_model(m, "out");
  onnxio::infer_shapes(m, "out");
}

TEST(ChangeDtypeOnnx, ByNodeNameToFloat16) {
  test::TempDir dir;
  auto r = test::run_tool("change-dtype",
                          {kFixture, "-o", dir.file("out.onnx"), "--node", "/ArgMax", "--to", "f16"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(output_type(onnxio::load_model(dir.file("out.onnx")).graph(), "label"),
            onnx::TensorProto::FLOAT16);
}

TEST(ChangeDtypeOnnx, OutputAlsoReadInsideTheGraph) {
  // 'probabilities' is a graph output AND read by ArgMax/GatherElements: those keep float32.
  test::TempDir dir;
  auto r = test::run_tool("change-dtype",
                          {kFixture, "-o", dir.file("out.onnx"), "--op", "Softmax", "--to", "float16"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  onnx::ModelProto m = onnxio::load_model(dir.file("out.onnx"));
  EXPECT_EQ(output_type(m.graph(), "probabilities"), onnx::TensorProto::FLOAT16);
  EXPECT_EQ(output_type(m.graph(), "confidence"), onnx::TensorProto::FLOAT);
  for (const auto& n : m.graph().node()) {
    if (n.op_type() != "ArgMax" && n.op_type() != "GatherElements") continue;
    EXPECT_EQ(n.input(0), "probabilities_float32");
  }
  onnxio::infer_shapes(m, "out");
}

TEST(ChangeDtypeOnnx, SameInputAndFlagsGiveIdenticalBytes) {
  test::TempDir dir;
  for (const char* name : {"a.onnx", "b.onnx"}) {
    auto r =
        test::run_tool("change-dtype", {kFixture, "-o", dir.file(name), "--op", "ArgMax", "--to", "float32"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_TRUE(test::read(dir.file("a.onnx")) == test::read(dir.file("b.onnx")));
}

TEST(OnnxRetype, FreshNamesAvoidCollisions) {
  onnx::ModelProto m = onnxio::load_model(kFixture);
  auto* vi = m.mutable_graph()->add_value_info();  // occupy the natural fresh name
  vi->set_name("label_int64");
  vi->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::INT64);
  auto changes = onnxio::retype_outputs(m, {"ArgMax", "", onnx::TensorProto::FLOAT}, "m");
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].output, "label");
  EXPECT_EQ(changes[0].renamed_to, "label_int64_1");
  EXPECT_EQ(changes[0].from, onnx::TensorProto::INT64);
}

TEST(OnnxRetype, AlreadyAtTargetChangesNothing) {
  const std::string bytes = test::read(kFixture);
  onnx::ModelProto m = onnxio::parse_model(bytes, "m");
  EXPECT_TRUE(onnxio::retype_outputs(m, {"", "/ArgMax", onnx::TensorProto::INT64}, "m").empty());
  EXPECT_EQ(onnxio::serialize_model(m), onnxio::serialize_model(onnxio::parse_model(bytes, "m")));
}

TEST(OnnxRetype, OldOpsetCastTakesTheTypeAsString) {
  onnx::ModelProto m = onnxio::load_model(kFixture);
  m.mutable_opset_import(0)->set_version(5);
  onnxio::retype_outputs(m, {"ArgMax", "", onnx::TensorProto::FLOAT}, "m");
  int casts = 0;
  for (const auto& n : m.graph().node()) {
    if (n.op_type() != "Cast") continue;
    ++casts;
    EXPECT_EQ(n.attribute(0).type(), onnx::AttributeProto::STRING);
    EXPECT_EQ(n.attribute(0).s(), "FLOAT");
  }
  EXPECT_EQ(casts, 1);
}

TEST(OnnxRetype, SniffsOnnxContent) {
  EXPECT_TRUE(onnxio::looks_like_onnx(test::read(kFixture)));
  EXPECT_FALSE(onnxio::looks_like_onnx(test::read(test::fixture("tf/argmax_classifier.pb"))));
  EXPECT_FALSE(onnxio::looks_like_onnx(""));
}

}  // namespace
}  // namespace q8
