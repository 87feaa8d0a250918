#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "modify_test_util.h"
#include "onnx/modify.h"

namespace q8::test {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST(OnnxModifyInfo, TextListsTheSsdFixture) {
  const auto text = onnxmod::info_text(load_ssd(13), "ssd.onnx");
  EXPECT_TRUE(has_line(text, "file: ssd.onnx")) << text;
  EXPECT_TRUE(has_line(text, "ir_version: 7")) << text;
  EXPECT_TRUE(has_line(text, "opset: ai.onnx 13")) << text;
  EXPECT_TRUE(has_line(text, "  image  float32  [1,3,64,64]")) << text;
  EXPECT_TRUE(has_line(text, "  bboxes  float32  [1,10,4]")) << text;
  EXPECT_TRUE(has_line(text, "  labels  int64  [1,10]")) << text;
  EXPECT_TRUE(has_line(text, "  Conv 5")) << text;
  EXPECT_TRUE(has_line(text, "  TopK 1")) << text;
  // The histogram is sorted by op type.
  EXPECT_LT(text.find("  ArgMax 1"), text.find("  Conv 5"));
  EXPECT_LT(text.find("  Conv 5"), text.find("  Where 1"));
}

TEST(OnnxModifyInfo, JsonCountsMatchTheModel) {
  const auto m = load_ssd(11);
  const auto j = nlohmann::json::parse(onnxmod::info_json(m, "ssd.onnx"));
  EXPECT_EQ(j["ir_version"], 6);
  EXPECT_EQ(j["opsets"][0]["domain"], "ai.onnx");
  EXPECT_EQ(j["opsets"][0]["version"], 11);
  EXPECT_EQ(j["nodes"], m.graph().node_size());
  EXPECT_EQ(j["initializers"]["count"], m.graph().initializer_size());
  int64_t bytes = 0;
  for (const auto& t : m.graph().initializer()) bytes += static_cast<int64_t>(t.raw_data().size());
  EXPECT_EQ(j["initializers"]["bytes"], bytes);  // torch stores every initializer as raw_data
  EXPECT_EQ(j["outputs"][2]["name"], "scores");
  EXPECT_EQ(j["outputs"][2]["shape"], nlohmann::json::parse("[1,10]"));
  int total = 0;
  for (const auto& [op, n] : j["op_types"].items()) total += n.get<int>();
  EXPECT_EQ(total, m.graph().node_size());
}

TEST(OnnxModifyInfo, SymbolicDimsShownByName) {
  auto m = load_ssd(13);
  auto* shape = m.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
  shape->mutable_dim(0)->set_dim_param("N");
  shape->mutable_dim(2)->clear_dim_value();  // neither value nor name: unknown
  const auto text = onnxmod::info_text(m, "x");
  EXPECT_TRUE(has_line(text, "  image  float32  [N,3,?,64]")) << text;
  const auto j = nlohmann::json::parse(onnxmod::info_json(m, "x"));
  EXPECT_EQ(j["inputs"][0]["shape"], nlohmann::json::parse(R"(["N",3,null,64])"));
}

TEST(OnnxModifyInfo, RealEyeModelExcludesInitializersFromInputs) {
  const auto path = eye_model_path();
  if (path.empty()) GTEST_SKIP() << "material folder absent";
  const auto j = nlohmann::json::parse(onnxmod::info_json(onnxio::load_model(path), path));
  ASSERT_EQ(j["inputs"].size(), 1u);
  EXPECT_EQ(j["inputs"][0]["name"], "input.1");
  EXPECT_EQ(j["opsets"][0]["version"], 9);
  EXPECT_EQ(j["op_types"]["Conv"], 4);
  EXPECT_EQ(j["initializers"]["count"], 7);
  EXPECT_GT(j["initializers"]["bytes"].get<int64_t>(), 0);
}

TEST(OnnxModifyInfo, IsDeterministic) {
  const auto m = load_ssd(13);
  EXPECT_EQ(onnxmod::info_json(m, "a"), onnxmod::info_json(m, "a"));
  EXPECT_EQ(onnxmod::info_text(m, "a"), onnxmod::info_text(m, "a"));
}

}  // namespace
}  // namespace q8::test
