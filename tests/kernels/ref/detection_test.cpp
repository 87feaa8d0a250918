#include <cmath>

#include "ref_test_util.h"

namespace q8::test {
namespace {

TEST(RefTopK, TiesKeepTheLowerIndexFirst) {
  Tensor x = make_f32({5}, {3, 1, 3, 2, 3});
  OpRun op("TopK", 3);
  op.set("axis", int64_t{0}).set("mode", str("max")).set("sort", str("value"));
  auto out = op.run({x, scalar_i64(2)});
  expect_floats(out[0], {2}, {3, 3});
  expect_ints(out[1], {2}, {0, 2});
  EXPECT_EQ(out[1].type(), ElementType::kI32);
  op.set("mode", str("min")).set("sort", str("index"));
  auto mins = op.run({x, scalar_i64(3)});
  expect_ints(mins[1], {3}, {0, 1, 3});
  expect_floats(mins[0], {3}, {3, 1, 2});
}

// Boxes 0 and 1 overlap with IoU 0.9 / 1.1 ~ 0.82; box 2 is apart.
Tensor boxes() {
  return make_f32({1, 3, 4}, {0, 0, 1, 1, 0, 0.1f, 1, 1.1f, 0, 2, 1, 3});
}

TEST(RefNms, Version4PadsWithMinusOne) {
  OpRun op("NonMaxSuppression", 4);
  Tensor scores = make_f32({1, 1, 3}, {0.9f, 0.8f, 0.7f});
  Tensor y = op.run1({boxes(), scores, scalar_i64(3), scalar_f32(0.5f), scalar_f32(0.f)});
  expect_ints(y, {3, 3}, {0, 0, 0, 0, 0, 2, -1, -1, -1});
}

TEST(RefNms, Version5TrimsAndReportsScores) {
  OpRun op("NonMaxSuppression", 5);
  op.set("output_type", ElementType::kI32);
  Tensor scores = make_f32({1, 2, 3}, {0.9f, 0.8f, 0.7f, 0.1f, 0.95f, 0.2f});
  auto out = op.run({boxes(), scores, scalar_i64(2), scalar_f32(0.5f), scalar_f32(0.15f), scalar_f32(0.f)});
  expect_ints(out[0], {4, 3}, {0, 1, 1, 0, 0, 0, 0, 0, 2, 0, 1, 2});
  expect_floats(out[1], {4, 3}, {0, 1, 0.95f, 0, 0, 0.9f, 0, 0, 0.7f, 0, 1, 0.2f});
  expect_ints(out[2], {1}, {4});
  EXPECT_EQ(out[0].type(), ElementType::kI32);
}

TEST(RefNms, SoftNmsDecaysInsteadOfDropping) {
  OpRun op("NonMaxSuppression", 9);
  op.set("sort_result_descending", false);
  Tensor scores = make_f32({1, 1, 3}, {0.9f, 0.8f, 0.7f});
  auto out = op.run({boxes(), scores, scalar_i64(3), scalar_f32(0.5f), scalar_f32(0.f), scalar_f32(0.5f)});
  expect_ints(out[0], {3, 3}, {0, 0, 0, 0, 0, 2, 0, 0, 1});
  float iou = 0.9f / 1.1f;
  EXPECT_NEAR(to_floats(out[1])[8], 0.8f * std::exp(-0.5f * iou * iou / 0.5f), 1e-5f);
}

TEST(RefPriors, PriorBoxClusteredByHand) {
  OpRun op("PriorBoxClustered", 1);
  op.set("width", std::vector<double>{2})
      .set("height", std::vector<double>{4})
      .set("offset", 0.5)
      .set("clip", false);
  op.set("variance", std::vector<double>{0.1, 0.2, 0.3, 0.4});
  Tensor y = op.run1({make_i64({2}, {1, 2}), make_i64({2}, {4, 8})});
  // step 4 on both axes; centers (2, 2) and (6, 2) in an 8x4 (w x h) image.
  expect_floats(y, {2, 8},
                {0.125f, 0, 0.375f, 1, 0.625f, 0, 0.875f, 1, 0.1f, 0.2f, 0.3f, 0.4f, 0.1f, 0.2f, 0.3f, 0.4f});
}

TEST(RefPriors, PriorBoxMinMaxAndRatios) {
  OpRun op("PriorBox", 1);
  op.set("min_size", std::vector<double>{2})
      .set("max_size", std::vector<double>{8})
      .set("aspect_ratio", std::vector<double>{4});
  op.set("offset", 0.5).set("step", 4.0);
  Tensor y = op.run1({make_i64({2}, {1, 1}), make_i64({2}, {4, 4})});
  // center (2, 2): min box 2x2, sqrt(2*8)=4 box, ratio 4 box 4x1.
  expect_floats(y, {2, 12}, {0.25f, 0.25f, 0.75f, 0.75f, 0,    0,    1,    1,    0,    0.375f, 1,    0.625f,
                             0.1f,  0.1f,  0.1f,  0.1f,  0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f,   0.1f, 0.1f});
}

TEST(RefRoi, AlignAndPoolOnARamp) {
  // f(y, x) = x on a 4x4 map: averages of bilinear samples equal the mean x of each bin.
  std::vector<float> ramp(16);
  for (int i = 0; i < 16; ++i) ramp[i] = static_cast<float>(i % 4);
  Tensor f = make_f32({1, 1, 4, 4}, ramp);
  OpRun align("ROIAlign", 3);
  align.set("pooled_h", int64_t{1}).set("pooled_w", int64_t{2}).set("sampling_ratio", int64_t{2});
  align.set("spatial_scale", 1.0).set("mode", str("avg"));
  Tensor y = align.run1({f, make_f32({1, 4}, {0, 0, 2, 2}), make_i64({1}, {0})});
  expect_floats(y, {1, 1, 1, 2}, {0.5f, 1.5f});
  EXPECT_THROW(align.run1({f, make_f32({1, 4}, {0, 0, 2, 2}), make_i64({1}, {1})}), Error);
  OpRun pool("ROIPooling", 1);
  pool.set("output_size", ints({1, 2})).set("spatial_scale", 1.0);
  expect_floats(pool.run1({f, make_f32({1, 5}, {0, 0, 0, 3, 3})}), {1, 1, 1, 2}, {1, 3});
}

}  // namespace
}  // namespace q8::test
