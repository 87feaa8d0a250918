// IR files written by OpenVINO itself (../shared/material): every one reads, validates,
// and survives read -> write -> read unchanged; our writer is deterministic.
#include <gtest/gtest.h>

#include <filesystem>

#include "ir/ir.h"
#include "ir/summary.h"
#include "test_support.h"

namespace q8 {
namespace {

std::vector<std::string> material_irs() {
  std::vector<std::string> out;
  std::string root = test::material("openvino-ir");
  if (root.empty()) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root))
    if (e.path().extension() == ".xml") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

class MaterialIr : public ::testing::TestWithParam<std::string> {};

TEST_P(MaterialIr, ReadsWritesAndReadsBackLosslessly) {
  auto first = ir::read(GetParam());
  EXPECT_GT(first.graph.size(), 10u);
  auto bytes = ir::serialize(first.graph);
  auto second = ir::parse(bytes.xml, bytes.bin, "written.xml", "written.bin");
  EXPECT_EQ(second.version, 10);
  std::string why;
  EXPECT_TRUE(graphs_equal(first.graph, second.graph, &why)) << why;
  auto again = ir::serialize(second.graph);
  EXPECT_EQ(again.xml, bytes.xml);
  EXPECT_EQ(again.bin, bytes.bin);
}

INSTANTIATE_TEST_SUITE_P(OpenVino, MaterialIr, ::testing::ValuesIn(material_irs()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name =
                               std::to_string(info.index) + "_" +
                               std::filesystem::path(info.param).parent_path().filename().string();
                           for (char& c : name)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(MaterialIr);

TEST(MaterialIrContent, PotInt8ModelKeepsFakeQuantizeAndConfig) {
  std::string path = test::material(
      "openvino-ir/ir10-2020/landmarks-regression-retail-0009/FP16-INT8/"
      "landmarks-regression-retail-0009.xml");
  if (path.empty()) GTEST_SKIP() << "no ../shared/material";
  auto m = ir::read(path);
  auto s = ir::summarize(m.graph, m.version);
  EXPECT_EQ(s.fake_quantize, 14);
  EXPECT_EQ(s.inputs.size(), 1u);
  EXPECT_EQ(s.inputs[0].shape, "[1,3,48,48]");
  bool has_quant_params = false;
  for (const auto& e : m.graph.meta) has_quant_params |= e.name == "quantization_parameters";
  EXPECT_TRUE(has_quant_params);
  auto written = ir::serialize(m.graph);
  EXPECT_NE(written.xml.find("<quantization_parameters>"), std::string::npos);
  EXPECT_NE(written.xml.find("'name': 'AccuracyAwareQuantization'"), std::string::npos);
}

TEST(MaterialIrContent, V11CompressedWeightsAreF16ConstPlusConvert) {
  std::string path = test::material(
      "openvino-ir/ir11-2022.1/landmarks-regression-retail-0009/FP16/landmarks-regression-retail-0009.xml");
  if (path.empty()) GTEST_SKIP() << "no ../shared/material";
  auto m = ir::read(path);
  EXPECT_EQ(m.version, 11);
  int f16_consts = 0, decompress = 0;
  for (const auto& n : m.graph.nodes()) {
    if (n->type() == "Const" && n->value.type() == ElementType::kF16) ++f16_consts;
    if (n->type() == "Convert" && n->inputs[0].node->type() == "Const") ++decompress;
  }
  EXPECT_GT(f16_consts, 10);
  EXPECT_EQ(f16_consts, decompress);
  // Port names (IR v11 `names`) survive into our v10 output.
  EXPECT_FALSE(m.graph.parameters().at(0)->outputs[0].names.empty());
}

TEST(MaterialIrContent, SqueezeNetWeightsMatchTheBinByteForByte) {
  std::string path = test::material("openvino-ir/ir10-2020.2/squeezenet1.1/FP16/squeezenet1.1.xml");
  if (path.empty()) GTEST_SKIP() << "no ../shared/material";
  auto m = ir::read(path);
  auto written = ir::serialize(m.graph);
  EXPECT_EQ(written.bin.size(), test::read(ir::bin_path_for(path)).size());
}

}  // namespace
}  // namespace q8
