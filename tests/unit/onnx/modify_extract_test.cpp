#include <gtest/gtest.h>

#include "modify_test_util.h"
#include "onnx/modify.h"
#include "onnx/modify_graph.h"

namespace q8::test {
namespace {

TEST(OnnxModifyExtract, BoxDecodeSubgraph) {
  const auto m = load_ssd(13);
  const auto sub = onnxmod::extract(m, {"/Reshape_output_0"}, {"/Concat_output_0"});
  validated(sub);
  ASSERT_EQ(sub.graph().input_size(), 1);
  EXPECT_EQ(sub.graph().input(0).type().tensor_type().elem_type(), onnx::TensorProto::FLOAT);
  EXPECT_EQ(dims_of(sub.graph().input(0)), (std::vector<int64_t>{1, 128, 4}));
  ASSERT_EQ(sub.graph().output_size(), 1);
  EXPECT_EQ(dims_of(sub.graph().output(0)), (std::vector<int64_t>{1, 128, 4}));
  // Only the anchor tensors are needed, not the conv weights.
  const auto inits = onnxmod::initializer_names(sub.graph());
  EXPECT_EQ(inits, (onnxmod::NameSet{"onnx::Add_87", "onnx::Mul_88"}));
  EXPECT_EQ(count_ops(sub, "Conv"), 0);
  EXPECT_EQ(count_ops(sub, "Exp"), 1);
  EXPECT_EQ(sub.opset_import(0).version(), 13);
}

TEST(OnnxModifyExtract, SeveralOutputsFromTheImage) {
  const auto m = load_ssd(11);
  const auto sub = onnxmod::extract(m, {"image"}, {"/Softmax_output_0", "/Reshape_output_0"});
  validated(sub);
  EXPECT_EQ(count_ops(sub, "Conv"), 5);
  EXPECT_EQ(count_ops(sub, "TopK"), 0);
  EXPECT_EQ(dims_of(sub.graph().output(0)), (std::vector<int64_t>{1, 128, 5}));
}

TEST(OnnxModifyExtract, OutputNotComputableNamesTheMissingTensor) {
  const auto m = load_ssd(11);
  expect_error([&] { onnxmod::extract(m, {"/Reshape_output_0"}, {"bboxes"}); }, ErrorKind::kBadInput,
               {"'bboxes'", "'image'"});
}

TEST(OnnxModifyExtract, UnknownTensorsAreRejected) {
  const auto m = load_ssd(11);
  expect_error([&] { onnxmod::extract(m, {"nope"}, {"bboxes"}); }, ErrorKind::kBadInput,
               {"--inputs", "'nope'"});
  expect_error([&] { onnxmod::extract(m, {"image"}, {"nope"}); }, ErrorKind::kBadInput,
               {"--outputs", "'nope'"});
  expect_error([&] { onnxmod::extract(m, {}, {"bboxes"}); }, ErrorKind::kUsage, {"--inputs"});
}

TEST(OnnxModifyExtract, InputWrittenByANeededNodeIsRejected) {
  // TopK writes both `scores` and the indices that `labels` needs.
  const auto m = load_ssd(11);
  expect_error(
      [&] {
        onnxmod::extract(m, {"scores", "/ReduceMax_output_0", "/ArgMax_output_0"}, {"labels"});
      },
      ErrorKind::kBadInput, {"'scores'", "/TopK"});
}

TEST(OnnxModifyExtract, RealEyeModelMiddleCut) {
  const auto path = eye_model_path();
  if (path.empty()) GTEST_SKIP() << "material folder absent";
  const auto m = onnxio::load_model(path);
  const auto sub = onnxmod::extract(m, {"10"}, {"19"});
  validated(sub);
  EXPECT_EQ(sub.graph().input(0).name(), "10");
  EXPECT_EQ(dims_of(sub.graph().input(0)), (std::vector<int64_t>{1, 10, 15, 15}));
  EXPECT_EQ(count_ops(sub, "Conv"), 3);
  // conv2, conv3 (weight + bias), conv4 (weight only); not conv1's.
  EXPECT_EQ(sub.graph().initializer_size(), 5);
  EXPECT_EQ(sub.graph().input_size(), 1);
  EXPECT_EQ(dims_of(sub.graph().output(0)), (std::vector<int64_t>{1, 2, 1, 1}));
}

TEST(OnnxModifyExtract, IsDeterministic) {
  const auto m = load_ssd(13);
  EXPECT_EQ(onnxio::serialize_model(onnxmod::extract(m, {"image"}, {"scores"})),
            onnxio::serialize_model(onnxmod::extract(m, {"image"}, {"scores"})));
}

}  // namespace
}  // namespace q8::test
