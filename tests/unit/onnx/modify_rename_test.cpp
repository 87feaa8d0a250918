#include <gtest/gtest.h>

#include "modify_test_util.h"
#include "onnx/modify.h"
#include "onnx/modify_graph.h"

namespace q8::test {
namespace {

TEST(OnnxModifyRename, TensorsAreRenamedEverywhere) {
  auto m = load_ssd(13);
  onnxmod::rename(m,
                  {{"image", "pixels"},
                   {"scores", "confidence"},
                   {"conf.weight", "cls_w"},
                   {"/Reshape_output_0", "loc_flat"}},
                  {});
  validated(m);
  const auto names = onnxmod::tensor_names(m.graph());
  for (const char* gone : {"image", "scores", "conf.weight", "/Reshape_output_0"})
    EXPECT_FALSE(names.count(gone));
  EXPECT_EQ(m.graph().input(0).name(), "pixels");
  EXPECT_EQ(m.graph().output(2).name(), "confidence");
  EXPECT_EQ(m.graph().node(0).input(0), "pixels");
  int readers = 0;  // both Slices read the Reshape output
  for (const auto& node : m.graph().node())
    for (const auto& in : node.input()) readers += in == "loc_flat";
  EXPECT_EQ(readers, 2);
}

TEST(OnnxModifyRename, ValueInfoIsRenamedToo) {
  auto m = load_ssd(11);
  onnxio::infer_shapes(m, "ssd");
  onnxmod::rename(m, {{"/Softmax_output_0", "probs"}}, {});
  EXPECT_NE(find_value(m.graph().value_info(), "probs"), nullptr);
  EXPECT_EQ(find_value(m.graph().value_info(), "/Softmax_output_0"), nullptr);
  validated(m);
}

TEST(OnnxModifyRename, NodesByName) {
  auto m = load_ssd(11);
  onnxmod::rename(m, {}, {{"/TopK", "select_top"}});
  const auto nodes = onnxmod::node_names(m.graph());
  EXPECT_TRUE(nodes.count("select_top"));
  EXPECT_FALSE(nodes.count("/TopK"));
  validated(m);
}

TEST(OnnxModifyRename, MissingOldOrUsedNewIsRejected) {
  auto m = load_ssd(11);
  expect_error([&] { onnxmod::rename(m, {{"nope", "x"}}, {}); }, ErrorKind::kBadInput, {"tensor 'nope'"});
  expect_error(
      [&] {
        onnxmod::rename(m, {{"labels", "scores"}}, {});
      },
      ErrorKind::kBadInput, {"'labels'", "'scores'", "already used"});
  expect_error([&] { onnxmod::rename(m, {}, {{"/Nope", "x"}}); }, ErrorKind::kBadInput, {"node '/Nope'"});
  expect_error([&] { onnxmod::rename(m, {}, {{"/Exp", "/Div"}}); }, ErrorKind::kBadInput, {"'/Div'"});
  expect_error(
      [&] {
        onnxmod::rename(m, {{"labels", "a"}, {"scores", "a"}}, {});
      },
      ErrorKind::kUsage, {"'a'"});
  expect_error([&] { onnxmod::rename(m, {}, {}); }, ErrorKind::kUsage, {"nothing to rename"});
}

TEST(OnnxModifyRename, FailedRenameLeavesTheModelUntouched) {
  auto m = load_ssd(11);
  const auto before = onnxio::serialize_model(m);
  expect_error(
      [&] {
        onnxmod::rename(m, {{"labels", "l2"}, {"nope", "x"}}, {});
      },
      ErrorKind::kBadInput, {"'nope'"});
  EXPECT_EQ(onnxio::serialize_model(m), before);
}

TEST(OnnxModifyRename, ParseRename) {
  EXPECT_EQ(onnxmod::parse_rename("a=b"), (std::pair<std::string, std::string>{"a", "b"}));
  EXPECT_EQ(onnxmod::parse_rename("a=b=c"), (std::pair<std::string, std::string>{"a", "b=c"}));
  for (const char* bad : {"ab", "=b", "a=", ""})
    expect_error([&] { onnxmod::parse_rename(bad); }, ErrorKind::kUsage, {"OLD=NEW"});
}

TEST(OnnxModifyRename, RealEyeModel) {
  const auto path = eye_model_path();
  if (path.empty()) GTEST_SKIP() << "material folder absent";
  auto m = onnxio::load_model(path);
  onnxmod::rename(m, {{"input.1", "image"}, {"19", "probabilities"}, {"conv1.weight", "w1"}}, {});
  validated(m);
  EXPECT_EQ(m.graph().input(0).name(), "image");
  EXPECT_EQ(m.graph().output(0).name(), "probabilities");
}

}  // namespace
}  // namespace q8::test
