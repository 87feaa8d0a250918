#include <gtest/gtest.h>

#include "modify_test_util.h"
#include "onnx/modify.h"

namespace q8::test {
namespace {

onnxmod::ConcatOutputsOptions ssd_options() {
  return {{"bboxes", "labels", "scores", "scores"}, 2, "output"};
}

class OnnxModifyConcatSsd : public ::testing::TestWithParam<int> {};

TEST_P(OnnxModifyConcatSsd, ProducesFloatN7OutputThatValidates) {
  auto m = load_ssd(GetParam());
  const int casts = count_ops(m, "Cast"), unsqueezes = count_ops(m, "Unsqueeze");
  onnxmod::concat_outputs(m, ssd_options());
  const auto inferred = validated(m);
  const auto* out = find_value(m.graph().output(), "output");
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(out->type().tensor_type().elem_type(), onnx::TensorProto::FLOAT);
  EXPECT_EQ(dims_of(*out), (std::vector<int64_t>{1, 10, 7}));
  const auto* again = find_value(inferred.graph().output(), "output");
  EXPECT_EQ(dims_of(*again), (std::vector<int64_t>{1, 10, 7}));
  // The originals stay; only labels needs a Cast; labels and scores need one Unsqueeze each.
  for (const char* name : {"bboxes", "labels", "scores"})
    EXPECT_NE(find_value(m.graph().output(), name), nullptr);
  EXPECT_EQ(m.graph().output_size(), 4);
  EXPECT_EQ(count_ops(m, "Cast"), casts + 1);
  EXPECT_EQ(count_ops(m, "Unsqueeze"), unsqueezes + 2);
  EXPECT_EQ(count_ops(m, "Concat"), 2);  // the fixture's box decode has one
}

TEST_P(OnnxModifyConcatSsd, UnsqueezeAxesFollowTheOpset) {
  auto m = load_ssd(GetParam());
  const int before = m.graph().node_size();
  onnxmod::concat_outputs(m, ssd_options());
  int checked = 0;
  for (int i = before; i < m.graph().node_size(); ++i) {
    const auto& node = m.graph().node(i);
    if (node.op_type() != "Unsqueeze") continue;
    ++checked;
    if (GetParam() < 13) {
      ASSERT_EQ(node.input_size(), 1);
      ASSERT_EQ(node.attribute_size(), 1);
      EXPECT_EQ(node.attribute(0).name(), "axes");
      EXPECT_EQ(node.attribute(0).ints(0), 2);
    } else {
      ASSERT_EQ(node.input_size(), 2);
      EXPECT_EQ(node.attribute_size(), 0);
      bool found = false;
      for (const auto& t : m.graph().initializer())
        if (t.name() == node.input(1)) {
          found = true;
          EXPECT_EQ(t.data_type(), onnx::TensorProto::INT64);
          ASSERT_EQ(t.int64_data_size(), 1);
          EXPECT_EQ(t.int64_data(0), 2);
        }
      EXPECT_TRUE(found) << "axes initializer " << node.input(1);
    }
  }
  EXPECT_EQ(checked, 2);
}

TEST_P(OnnxModifyConcatSsd, IsDeterministic) {
  auto a = load_ssd(GetParam()), b = load_ssd(GetParam());
  onnxmod::concat_outputs(a, ssd_options());
  onnxmod::concat_outputs(b, ssd_options());
  EXPECT_EQ(onnxio::serialize_model(a), onnxio::serialize_model(b));
}

INSTANTIATE_TEST_SUITE_P(Opsets, OnnxModifyConcatSsd, ::testing::Values(11, 13));

TEST(OnnxModifyConcatOutputs, NegativeAxisCountsFromTheEnd) {
  auto m = load_ssd(13);
  onnxmod::concat_outputs(m, {{"bboxes", "scores"}, -1, "out"});
  validated(m);
  EXPECT_EQ(dims_of(*find_value(m.graph().output(), "out")), (std::vector<int64_t>{1, 10, 5}));
}

TEST(OnnxModifyConcatOutputs, CastsToTheFirstOutputsType) {
  auto m = load_ssd(11);
  onnxmod::concat_outputs(m, {{"labels", "scores"}, 1, "ids"});
  const auto* out = find_value(m.graph().output(), "ids");
  EXPECT_EQ(out->type().tensor_type().elem_type(), onnx::TensorProto::INT64);
  EXPECT_EQ(dims_of(*out), (std::vector<int64_t>{1, 20}));
  validated(m);
}

TEST(OnnxModifyConcatOutputs, NewNamesNeverCollide) {
  auto m = load_ssd(13);
  // Occupy the names concat-outputs would pick first.
  onnxmod::rename(
      m, {{"/Add_output_0", "output/labels/Cast_output"}, {"/Sub_output_0", "output/scores/Unsqueeze_axes"}},
      {{"/Add", "output/labels/Cast"}, {"/Sub", "output/Concat"}});
  onnxmod::concat_outputs(m, ssd_options());
  validated(m);
  EXPECT_EQ(dims_of(*find_value(m.graph().output(), "output")), (std::vector<int64_t>{1, 10, 7}));
}

TEST(OnnxModifyConcatOutputs, WorksOnTheRealEyeModel) {
  const auto path = eye_model_path();
  if (path.empty()) GTEST_SKIP() << "material folder absent";
  auto m = onnxio::load_model(path);
  ASSERT_EQ(onnxio::default_opset(m), 9);  // exercises the attribute form on an old IR
  onnxmod::concat_outputs(m, {{"19", "19"}, 1, "both"});
  validated(m);
  EXPECT_EQ(dims_of(*find_value(m.graph().output(), "both")), (std::vector<int64_t>{1, 4, 1, 1}));
}

TEST(OnnxModifyConcatOutputs, UnknownOutputNamesTheExistingOnes) {
  auto m = load_ssd(11);
  expect_error(
      [&] {
        onnxmod::concat_outputs(m, {{"bboxes", "boxes"}, 2, "output"});
      },
      ErrorKind::kBadInput, {"'boxes'", "'bboxes', 'labels', 'scores'"});
}

TEST(OnnxModifyConcatOutputs, NameCollidingWithATensorIsRejected) {
  auto m = load_ssd(11);
  expect_error(
      [&] {
        onnxmod::concat_outputs(m, {{"bboxes", "scores"}, 2, "scores"});
      },
      ErrorKind::kBadInput, {"'scores'", "already"});
  expect_error(
      [&] {
        onnxmod::concat_outputs(m, {{"bboxes", "scores"}, 2, "/Concat_output_0"});
      },
      ErrorKind::kBadInput, {"'/Concat_output_0'"});
}

TEST(OnnxModifyConcatOutputs, AxisOutOfRangeIsRejected) {
  auto m = load_ssd(11);
  for (int64_t axis : {3, -4, 100})
    expect_error(
        [&] {
          onnxmod::concat_outputs(m, {{"bboxes", "scores"}, axis, "o"});
        },
        ErrorKind::kBadInput, {"--axis " + std::to_string(axis), "'bboxes'", "rank 3"});
}

TEST(OnnxModifyConcatOutputs, IncompatibleShapesAreRejected) {
  auto m = load_ssd(11);
  // On axis 1, dim 2 differs: bboxes has 4, unsqueezed scores has 1.
  expect_error(
      [&] {
        onnxmod::concat_outputs(m, {{"bboxes", "scores"}, 1, "o"});
      },
      ErrorKind::kBadInput, {"'scores'", "'bboxes'", "dim 2"});
  // A higher-rank output cannot be unsqueezed down to the first one's rank.
  expect_error(
      [&] {
        onnxmod::concat_outputs(m, {{"scores", "bboxes"}, 1, "o"});
      },
      ErrorKind::kBadInput, {"'bboxes'", "rank 3"});
}

TEST(OnnxModifyConcatOutputs, EmptyOptionsAreUsageErrors) {
  auto m = load_ssd(11);
  expect_error([&] { onnxmod::concat_outputs(m, {{}, 0, "o"}); }, ErrorKind::kUsage, {"--outputs"});
  expect_error([&] { onnxmod::concat_outputs(m, {{"scores"}, 0, ""}); }, ErrorKind::kUsage, {"--name"});
}

}  // namespace
}  // namespace q8::test
