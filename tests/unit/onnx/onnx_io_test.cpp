#include <gtest/gtest.h>

#include "base/error.h"
#include "onnx/onnx_io.h"
#include "test_support.h"

namespace q8 {
namespace {

std::string ssd_path() {
  return test::fixture("onnx/ssd_tiny_opset11.onnx");
}

std::string bad_input_message(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kBadInput);
    return e.describe();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(OnnxIo, LoadsFixtureAndRealModel) {
  auto m = onnxio::load_model(ssd_path());
  EXPECT_EQ(onnxio::default_opset(m), 11);
  EXPECT_EQ(m.graph().output_size(), 3);
  EXPECT_NO_THROW(onnxio::check_model(m, "ssd"));
  std::string real = test::material("openvino-ir/ir11-2022.2/open-closed-eye-0001/open-closed-eye.onnx");
  if (!real.empty()) {
    auto r = onnxio::load_model(real);
    EXPECT_NO_THROW(onnxio::check_model(r, real));
    EXPECT_NO_THROW(onnxio::infer_shapes(r, real));
    EXPECT_GT(r.graph().value_info_size(), 0);
  }
}

TEST(OnnxIo, SerializationIsDeterministicAndLossless) {
  auto m = onnxio::load_model(ssd_path());
  std::string a = onnxio::serialize_model(m), b = onnxio::serialize_model(onnxio::parse_model(a, "a"));
  EXPECT_EQ(a, b);
}

TEST(OnnxIo, EmptyTruncatedAndGarbageAreNamed) {
  std::string bytes = test::read(ssd_path());
  EXPECT_NE(bad_input_message([] { onnxio::parse_model("", "e.onnx"); }).find("e.onnx: empty file"),
            std::string::npos);
  EXPECT_NE(bad_input_message([&] {
              onnxio::parse_model(bytes.substr(0, bytes.size() / 2), "t.onnx");
            }).find("t.onnx: not a valid ONNX model"),
            std::string::npos);
  EXPECT_NE(bad_input_message([] {
              onnxio::parse_model("garbage that is no protobuf \xff\xff\xff", "g.onnx");
            }).find("g.onnx"),
            std::string::npos);
  EXPECT_NE(bad_input_message([] { onnxio::load_model("/nonexistent/x.onnx"); }).find("/nonexistent/x.onnx"),
            std::string::npos);
}

TEST(OnnxIo, CheckerAndInferenceFailuresAreOneLine) {
  auto m = onnxio::load_model(ssd_path());
  m.mutable_graph()->mutable_node(0)->set_op_type("NoSuchOp");
  std::string msg = bad_input_message([&] { onnxio::check_model(m, "m.onnx"); });
  EXPECT_NE(msg.find("m.onnx: ONNX checker"), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
}

TEST(OnnxIo, TypeNames) {
  EXPECT_EQ(onnxio::elem_type_name(onnx::TensorProto::INT64), "int64");
  EXPECT_EQ(onnxio::elem_type_from_name("float32"), onnx::TensorProto::FLOAT);
  EXPECT_EQ(onnxio::elem_type_from_name("fp16"), onnx::TensorProto::FLOAT16);
  EXPECT_THROW(onnxio::elem_type_from_name("float33"), Error);
}

}  // namespace
}  // namespace q8
