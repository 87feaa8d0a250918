// mo as users type it (the seed's flags), and every way it refuses bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "ir/ir.h"
#include "test_support.h"

namespace q8 {
namespace {

std::string model(const std::string& name) {
  return test::fixture("models/" + name + ".onnx");
}

TEST(MoCli, SeedStyleFlagsProduceIrMappingAndHonestMetaData) {
  test::TempDir dir;
  auto r = test::run_tool(
      "mo", {"--input_model", model("resnet_basic"), "--output_dir", dir.file("FP16"), "--data_type", "FP16",
             "--model_name", "resnet_fp16", "--input", "input", "--mean_values", "[123.675,116.28,103.53]",
             "--scale_values", "[58.395,57.12,57.375]", "--input_shape", "[1,3,64,64]", "--keep_shape_ops"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::list_dir(dir.file("FP16")),
            (std::vector<std::string>{"resnet_fp16.bin", "resnet_fp16.mapping", "resnet_fp16.xml"}));
  std::string xml = test::read(dir.file("FP16/resnet_fp16.xml"));
  EXPECT_NE(xml.find("<data_type value=\"FP16\"/>"), std::string::npos);
  EXPECT_EQ(xml.find("value=\"DIR\"/>\n\t\t\t<data_type"), std::string::npos);
  EXPECT_NE(xml.find("<mean_values value=\"[123.675,116.28,103.53]\"/>"), std::string::npos);
  EXPECT_NE(xml.find("element_type=\"f16\""), std::string::npos);
  auto ir = ir::read(dir.file("FP16/resnet_fp16.xml"));
  EXPECT_EQ(ir.graph.parameters().at(0)->outputs[0].shape.to_string(), "[1,3,64,64]");
  EXPECT_NE(test::read(dir.file("FP16/resnet_fp16.mapping")).find("<framework name=\"logits\""),
            std::string::npos);
  EXPECT_NE(r.out.find("resnet_fp16.xml"), std::string::npos);
}

TEST(MoCli, SameInputsSameBytes) {
  test::TempDir dir;
  for (const char* sub : {"a", "b"})
    ASSERT_EQ(test::run_tool("mo", {"-m", model("mobilenet_v2"), "-o", dir.file(sub), "--data_type", "FP32"})
                  .exit_code,
              0);
  EXPECT_EQ(test::read(dir.file("a/mobilenet_v2.xml")), test::read(dir.file("b/mobilenet_v2.xml")));
  EXPECT_EQ(test::read(dir.file("a/mobilenet_v2.bin")), test::read(dir.file("b/mobilenet_v2.bin")));
}

TEST(MoCli, Fp16HalvesTheWeights) {
  test::TempDir dir;
  ASSERT_EQ(test::run_tool("mo", {"-m", model("vgg"), "-o", dir.path(), "-n", "f32"}).exit_code, 0);
  ASSERT_EQ(test::run_tool("mo", {"-m", model("vgg"), "-o", dir.path(), "-n", "f16", "--data_type", "half"})
                .exit_code,
            0);
  auto f32 = test::read(dir.file("f32.bin")).size(), f16 = test::read(dir.file("f16.bin")).size();
  EXPECT_NEAR(static_cast<double>(f16) / static_cast<double>(f32), 0.5, 0.01);
}

void expect_failure(const std::vector<std::string>& args, int code, const std::vector<std::string>& fragments,
                    const test::TempDir& dir) {
  auto r = test::run_tool("mo", args);
  EXPECT_EQ(r.exit_code, code) << r.err;
  for (const auto& f : fragments)
    EXPECT_NE(r.err.find(f), std::string::npos) << "'" << f << "' not in: " << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), code == 1 ? 2 : 1) << r.err;
  EXPECT_TRUE(test::list_dir(dir.path()).empty()) << "mo left files behind";
}

TEST(MoCli, BadInputsAreNamedAndLeaveNoFiles) {
  test::TempDir dir, out;
  test::write(dir.file("garbage.onnx"), "this is not a model");
  expect_failure({"-m", dir.file("garbage.onnx"), "-o", out.path()}, 2, {"garbage.onnx"}, out);
  std::string half = test::read(model("densenet"));
  test::write(dir.file("half.onnx"), half.substr(0, half.size() / 2));
  expect_failure({"-m", dir.file("half.onnx"), "-o", out.path()}, 2, {"half.onnx"}, out);
  expect_failure({"-m", dir.file("missing.onnx"), "-o", out.path()}, 2, {"missing.onnx"}, out);
  // A name the model does not have is bad input for that model (exit 2), and the message lists what exists.
  expect_failure({"-m", model("densenet"), "-o", out.path(), "--input", "image"}, 2, {"image", "input"}, out);
  expect_failure({"-m", model("densenet"), "-o", out.path(), "--output", "nope"}, 2, {"nope"}, out);
  expect_failure({"-m", model("densenet"), "-o", out.path(), "--data_type", "DIR"}, 1, {"DIR"}, out);
  expect_failure({"-m", model("densenet"), "-o", out.path(), "--mean_values", "[1,2]"}, 1,
                 {"2 values", "3 channels"}, out);
  expect_failure({"-m", model("densenet"), "-o", out.path(), "--input_shape", "[1,3,x]"}, 1, {"x"}, out);
}

TEST(MoCli, UnsupportedOpNamesNodeTypeAndOpset) {
  test::TempDir dir;
  // A model whose op no importer knows: take a fixture and rename one node's op type.
  std::string bytes = test::read(model("densenet"));
  const std::string op_type_conv(
      "\x22\x04"
      "Conv");  // NodeProto field 4 (op_type), length 4
  auto pos = bytes.find(op_type_conv);
  ASSERT_NE(pos, std::string::npos);
  bytes.replace(pos + 2, 4, "Cnvx");
  test::write(dir.file("odd.onnx"), bytes);
  auto r = test::run_tool("mo", {"-m", dir.file("odd.onnx"), "-o", dir.file("out")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("Cnvx"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("opset 13"), std::string::npos) << r.err;
  EXPECT_FALSE(test::exists(dir.file("out/odd.xml")));
}

TEST(MoCli, ConcurrentRunsIntoOneDirectoryLeaveAMatchingPair) {
  // Two different models converted at the same time under one --model_name into one directory: the
  // .xml and .bin that remain come from the same run (AtomicOutputs commits under a directory lock).
  test::TempDir dir, solo;
  const char* models[] = {"resnet_basic", "mobilenet_v2"};
  std::vector<std::pair<std::string, std::string>> pairs;  // what each model's run writes alone
  for (const char* m : models) {
    const std::string out = solo.file(m);
    std::filesystem::create_directory(out);
    ASSERT_EQ(test::run_tool("mo", {"--input_model", test::fixture(std::string("models/") + m + ".onnx"),
                                    "--output_dir", out, "--model_name", "m"})
                  .exit_code,
              0);
    pairs.emplace_back(test::read(out + "/m.xml"), test::read(out + "/m.bin"));
  }
  for (int round = 0; round < 3; ++round) {
    std::vector<std::thread> runs;
    std::vector<int> codes(2, -1);
    for (int i = 0; i < 2; ++i) {
      runs.emplace_back([&, i] {
        codes[static_cast<size_t>(i)] =
            test::run_tool("mo",
                           {"--input_model", test::fixture(std::string("models/") + models[i] + ".onnx"),
                            "--output_dir", dir.path(), "--model_name", "m"})
                .exit_code;
      });
    }
    for (auto& r : runs) r.join();
    EXPECT_EQ(codes, (std::vector<int>{0, 0}));
    // Paths are written as DIR in <meta_data>: a run's files are the same bytes in any directory.
    const auto pair = std::make_pair(test::read(dir.file("m.xml")), test::read(dir.file("m.bin")));
    const bool matches = pair == pairs[0] || pair == pairs[1];
    EXPECT_TRUE(matches) << "round " << round << ": the .xml and .bin come from different runs";
    EXPECT_EQ(test::list_dir(dir.path()), (std::vector<std::string>{"m.bin", "m.mapping", "m.xml"}));
  }
}

}  // namespace
}  // namespace q8
