#include <nlohmann/json.hpp>

#include "cli_util.h"

namespace q8::test {
namespace {

TEST(OnnxModifyCliInfo, TextOnStdout) {
  const auto r = modify({"info", ssd(11)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("opset: ai.onnx 11\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  labels  int64  [1,10]\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  TopK 1\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(OnnxModifyCliInfo, JsonParsesAndIsStable) {
  const auto a = modify({"info", ssd(13), "--json"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const auto j = nlohmann::json::parse(a.out);
  EXPECT_EQ(j["opsets"][0]["version"], 13);
  EXPECT_EQ(j["outputs"].size(), 3u);
  EXPECT_EQ(modify({"info", ssd(13), "--json"}).out, a.out);
}

TEST(OnnxModifyCliInfo, RealEyeModel) {
  const auto path = material("openvino-ir/ir11-2022.2/open-closed-eye-0001/open-closed-eye.onnx");
  if (path.empty()) GTEST_SKIP() << "material folder absent";
  const auto r = modify({"info", path, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["op_types"]["MaxPool"], 3);
}

TEST(OnnxModifyCliInfo, BrokenFilesAreBadInput) {
  TempDir dir;
  const std::string model = read(ssd(13));
  write(dir.file("half.onnx"), model.substr(0, model.size() / 2));
  write(dir.file("empty.onnx"), "");
  for (const char* name : {"half.onnx", "empty.onnx", "absent.onnx"}) {
    const auto r = modify({"info", dir.file(name)});
    EXPECT_EQ(r.exit_code, 2) << name;
    EXPECT_EQ(r.out, "") << name;
    EXPECT_EQ(error_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(name), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace q8::test
