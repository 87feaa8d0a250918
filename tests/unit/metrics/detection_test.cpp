#include <gtest/gtest.h>

#include <vector>

#include "metrics/detection.h"
#include "metrics_test_util.h"
#include "tensor/convert.h"

namespace q8::metrics {
namespace {

using test_util::expect_error;
using test_util::GtBuilder;

// Box fractions that are exact in binary, so pixel boxes compare exactly.
void expect_box(const dataset::Detection& d, int64_t category, double score, std::array<double, 4> xywh) {
  EXPECT_EQ(d.category_id, category);
  EXPECT_FLOAT_EQ(d.score, score);
  for (size_t j = 0; j < 4; ++j) EXPECT_DOUBLE_EQ(d.bbox[j], xywh[j]) << j;
}

TEST(MetricsLabelMap, SortedGtCategoriesAfterBackground) {
  GtBuilder g;
  g.categories({5, 1, 3});
  EXPECT_EQ(contiguous_label_map(g.gt), (std::vector<int64_t>{-1, 1, 3, 5}));
  EXPECT_EQ(contiguous_label_map(g.gt, 0), (std::vector<int64_t>{1, 3, 5}));
}

TEST(MetricsDecode, DetectionOutputStopsAtMinusOne) {
  const Tensor t =
      make_f32({1, 1, 4, 7}, {
                                 0,  1, 0.75f, 0.25f, 0.5f, 0.75f, 1.0f,  // kept
                                 0,  2, 0.0f,  0.0f,  0.0f, 0.5f,  0.5f,  // score 0: dropped
                                 -1, 0, 0,     0,     0,    0,     0,     // end of list
                                 0,  3, 0.9f,  0.0f,  0.0f, 0.5f,  0.5f,  // after the end: ignored
                             });
  const auto d = decode_detections({t}, 42, 200, 100, {});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].image_id, 42);
  expect_box(d[0], 1, 0.75, {50, 50, 100, 50});
}

TEST(MetricsDecode, ConcatenatedSsdOutput) {
  const Tensor t = make_f32({1, 2, 7}, {
                                           0.5f,
                                           0.25f,
                                           1.0f,
                                           0.75f,
                                           3,
                                           0.5f,
                                           0.5f,
                                           0.0f,
                                           0.0f,
                                           0.125f,
                                           0.5f,
                                           7,
                                           0.25f,
                                           0.25f,
                                       });
  const auto d = decode_detections({t}, 7, 400, 200, {});
  ASSERT_EQ(d.size(), 2u);
  expect_box(d[0], 3, 0.5, {200, 50, 200, 100});
  expect_box(d[1], 7, 0.25, {0, 0, 50, 100});
}

TEST(MetricsDecode, ThreeOutputsFoundByShapeAndType) {
  const Tensor boxes = make_f32({1, 2, 4}, {0.0f, 0.0f, 0.5f, 0.5f, 0.25f, 0.25f, 1.0f, 1.0f});
  const Tensor scores = make_f32({1, 2}, {0.9f, 0.125f});
  const Tensor labels = make_i64({1, 2}, {1, 3});
  GtBuilder g;
  g.categories({1, 2, 3, 4});
  DetectionDecode how;
  how.label_to_category = contiguous_label_map(g.gt);
  // Integer labels are recognised whatever their position.
  const auto d = decode_detections({scores, boxes, labels}, 1, 100, 100, how);
  ASSERT_EQ(d.size(), 2u);
  expect_box(d[0], 1, 0.9, {0, 0, 50, 50});
  expect_box(d[1], 3, 0.125, {25, 25, 75, 75});
  // All float: the first [1,N] one is the labels.
  const Tensor flabels = make_f32({1, 2}, {1, 3});
  const auto f = decode_detections({boxes, flabels, scores}, 1, 100, 100, how);
  ASSERT_EQ(f.size(), 2u);
  expect_box(f[1], 3, 0.125, {25, 25, 75, 75});
  // i32 labels too.
  const auto i = decode_detections({boxes, make_i32({1, 2}, {2, 4}), scores}, 1, 100, 100, how);
  ASSERT_EQ(i.size(), 2u);
  EXPECT_EQ(i[0].category_id, 2);
  EXPECT_EQ(i[1].category_id, 4);
}

TEST(MetricsDecode, ConcatOutputsModelUsesItsSevenColumnOutput) {
  // onnx-modify concat-outputs keeps bboxes/labels/scores beside the new [1,N,7] output; the labels
  // in the original outputs differ on purpose: the 7-column one must be the one decoded.
  const Tensor boxes = make_f32({1, 1, 4}, {0.0f, 0.0f, 0.5f, 0.5f});
  const Tensor labels = make_i64({1, 1}, {9});
  const Tensor scores = make_f32({1, 1}, {0.9f});
  const Tensor seven = make_f32({1, 1, 7}, {0.0f, 0.0f, 0.5f, 0.5f, 2.0f, 0.75f, 0.75f});
  const auto d = decode_detections({boxes, labels, scores, seven}, 3, 100, 100, {});
  ASSERT_EQ(d.size(), 1u);
  expect_box(d[0], 2, 0.75, {0, 0, 50, 50});
  // Two 7-column outputs are ambiguous.
  EXPECT_THROW(decode_detections({seven, seven}, 3, 100, 100, {}), Error);
}

TEST(MetricsDecode, ScoreThreshold) {
  const Tensor t = make_f32({1, 1, 3, 7}, {0, 1, 0.5f, 0, 0, 1, 1,  //
                                           0, 1, 0.6f, 0, 0, 1, 1,  //
                                           0, 1, 0.2f, 0, 0, 1, 1});
  DetectionDecode how;
  how.score_threshold = 0.5;
  const auto d = decode_detections({t}, 1, 10, 10, how);
  ASSERT_EQ(d.size(), 1u);  // strictly above the threshold
  EXPECT_FLOAT_EQ(d[0].score, 0.6);
}

TEST(MetricsDecode, LabelsOutsideTheMap) {
  GtBuilder g;
  g.categories({1, 2});
  DetectionDecode how;
  how.label_to_category = contiguous_label_map(g.gt);
  auto one = [](float label) { return make_f32({1, 1, 1, 7}, {0, label, 0.9f, 0, 0, 1, 1}); };
  expect_error([&] { decode_detections({one(3)}, 5, 10, 10, how); }, ErrorKind::kBadInput,
               {"image id 5", "label 3", "label map"});
  expect_error([&] { decode_detections({one(0)}, 5, 10, 10, how); }, ErrorKind::kBadInput, {"label 0"});
  expect_error([&] { decode_detections({one(1.5f)}, 5, 10, 10, how); }, ErrorKind::kBadInput,
               {"not a whole number"});
  EXPECT_EQ(decode_detections({one(2)}, 5, 10, 10, how)[0].category_id, 2);
}

TEST(MetricsDecode, UnknownLayoutsListTheShapes) {
  expect_error(
      [&] {
        decode_detections({make_f32({1, 5}, {0, 0, 0, 0, 0})}, 3, 10, 10, {});
      },
      ErrorKind::kBadInput, {"image id 3", "[1,5] f32"});
  expect_error([&] { decode_detections({}, 3, 10, 10, {}); }, ErrorKind::kBadInput, {"none"});
  const Tensor boxes = make_f32({1, 2, 4}, std::vector<float>(8, 0));
  const Tensor two = make_f32({1, 2}, {0, 0});
  const Tensor three = make_f32({1, 3}, {0, 0, 0});
  expect_error(
      [&] {
        decode_detections({boxes, two, three}, 3, 10, 10, {});
      },
      ErrorKind::kBadInput, {"[1,2,4] f32, [1,2] f32, [1,3] f32"});
  expect_error(
      [&] {
        decode_detections({boxes, two}, 3, 10, 10, {});
      },
      ErrorKind::kBadInput, {"[1,2,4] f32"});
}

}  // namespace
}  // namespace q8::metrics
