// DetectionOutput and PriorBox fixed_size/density on tiny cases worked out by hand.
#include <cmath>

#include "ref_test_util.h"

namespace q8::test {
namespace {

OpRun detection_output_op(int64_t classes, const char* code, std::vector<int64_t> keep_top_k) {
  OpRun op("DetectionOutput", 1);
  op.set("num_classes", classes)
      .set("background_label_id", int64_t{0})
      .set("top_k", int64_t{-1})
      .set("keep_top_k", ints(std::move(keep_top_k)))
      .set("code_type", str(code))
      .set("share_location", true)
      .set("nms_threshold", 0.5)
      .set("confidence_threshold", 0.01)
      .set("normalized", true);
  return op;
}

// Two priors, classes {background, face}, variances (0.1, 0.1, 0.2, 0.2).
//  prior 0 (0.2, 0.2, 0.6, 0.6): center (0.4, 0.4), size 0.4 x 0.4; offsets (1, -1, 0, 0):
//    cx = 0.1 * 1 * 0.4 + 0.4 = 0.44, cy = 0.1 * -1 * 0.4 + 0.4 = 0.36, w = h = e^0 * 0.4
//    -> (0.24, 0.16, 0.64, 0.56)
//  prior 1 (0.5, 0.5, 0.7, 0.9): center (0.6, 0.7), size 0.2 x 0.4; offsets (0, 0, 5 ln 2, 0):
//    w = e^(0.2 * 5 ln 2) * 0.2 = 0.4, h = 0.4 -> (0.4, 0.5, 0.8, 0.9)
//  IoU = (0.24 * 0.06) / (0.16 + 0.16 - 0.0144) ~ 0.047: both kept, best first. Background
//  scores (0.3, 0.1) are above the threshold but never reported. No keep_top_k: 2 priors x
//  2 classes = 4 rows, the third starts with image id -1 and the rest is 0.
TEST(RefDetectionOutput, CenterSizeWithVarianceSkipsBackground) {
  OpRun op = detection_output_op(2, "caffe.PriorBoxParameter.CENTER_SIZE", {-1});
  Tensor loc = make_f32({1, 8}, {1, -1, 0, 0, 0, 0, 5 * std::log(2.f), 0});
  Tensor conf = make_f32({1, 4}, {0.3f, 0.7f, 0.1f, 0.9f});
  Tensor priors = make_f32({1, 2, 8}, {0.2f, 0.2f, 0.6f, 0.6f, 0.5f, 0.5f, 0.7f, 0.9f,  //
                                       0.1f, 0.1f, 0.2f, 0.2f, 0.1f, 0.1f, 0.2f, 0.2f});
  expect_floats(op.run1({loc, conf, priors}), {1, 1, 4, 7}, {0,  1, 0.9f, 0.4f,  0.5f,  0.8f,  0.9f,   //
                                                             0,  1, 0.7f, 0.24f, 0.16f, 0.64f, 0.56f,  //
                                                             -1, 0, 0,    0,     0,     0,     0,      //
                                                             0,  0, 0,    0,     0,     0,     0});
}

// CORNER code with variances in the target (priors hold no variance row): box = prior + offset.
//  A = prior 0 (0, 0, 0.5, 0.5); B = prior 0 shifted down 0.05 = (0, 0.05, 0.5, 0.55);
//  C = (0.5, 0.5, 1, 1). IoU(A, B) = 0.225 / 0.275 ~ 0.82 > 0.5; C touches B only at a corner.
//  Scores (bg, c1, c2): p0 (.1 .8 .1), p1 (.1 .7 .6), p2 (.2 .3 .5); threshold 0.2.
//  class 1: A .8 kept, B .7 suppressed by A, C .3 kept. class 2: B .6, C .5 kept.
struct CornerCase {
  Tensor loc = make_f32({1, 12}, {0, 0, 0, 0, 0, 0.05f, 0, 0.05f, 0, 0, 0, 0});
  Tensor conf = make_f32({1, 9}, {0.1f, 0.8f, 0.1f, 0.1f, 0.7f, 0.6f, 0.2f, 0.3f, 0.5f});
  Tensor priors = make_f32({1, 1, 12}, {0, 0, 0.5f, 0.5f, 0, 0, 0.5f, 0.5f, 0.5f, 0.5f, 1, 1});
  OpRun op(std::vector<int64_t> keep) const {
    OpRun o = detection_output_op(3, "caffe.PriorBoxParameter.CORNER", std::move(keep));
    o.set("variance_encoded_in_target", true).set("confidence_threshold", 0.2);
    return o;
  }
};

TEST(RefDetectionOutput, NmsSuppressesAndPadsWithMinusOne) {
  CornerCase c;
  // 4 detections fit in keep_top_k = 5: grouped by label, best first; row 4 ends the list.
  expect_floats(c.op({5}).run1({c.loc, c.conf, c.priors}), {1, 1, 5, 7},
                {0,  1, 0.8f, 0,    0,     0.5f, 0.5f,   //
                 0,  1, 0.3f, 0.5f, 0.5f,  1,    1,      //
                 0,  2, 0.6f, 0,    0.05f, 0.5f, 0.55f,  //
                 0,  2, 0.5f, 0.5f, 0.5f,  1,    1,      //
                 -1, 0, 0,    0,    0,     0,    0});
}

TEST(RefDetectionOutput, KeepTopKKeepsTheBestAcrossClasses) {
  CornerCase c;
  // keep_top_k = 3 of (.8 c1 A), (.6 c2 B), (.5 c2 C), (.3 c1 C): the c1 C row goes; the output
  // is full, so no -1 row.
  expect_floats(c.op({3}).run1({c.loc, c.conf, c.priors}), {1, 1, 3, 7},
                {0, 1, 0.8f, 0,    0,     0.5f, 0.5f,   //
                 0, 2, 0.6f, 0,    0.05f, 0.5f, 0.55f,  //
                 0, 2, 0.5f, 0.5f, 0.5f,  1,    1});
}

TEST(RefDetectionOutput, DecreaseLabelIdKeepsOnlyEachPriorsBestClass) {
  CornerCase c;
  // MXNet style: p0 -> c1 .8, p1 -> c1 .7, p2 -> c2 .5; NMS per class drops p1 (under A);
  // labels shift down by one.
  OpRun op = c.op({5});
  op.set("decrease_label_id", true);
  expect_floats(op.run1({c.loc, c.conf, c.priors}), {1, 1, 5, 7}, {0,  0, 0.8f, 0,    0,    0.5f, 0.5f,  //
                                                                   0,  1, 0.5f, 0.5f, 0.5f, 1,    1,     //
                                                                   -1, 0, 0,    0,    0,    0,    0,     //
                                                                   0,  0, 0,    0,    0,    0,    0,     //
                                                                   0,  0, 0,    0,    0,    0,    0});
}

TEST(RefDetectionOutput, MismatchedInputsAreBadInput) {
  CornerCase c;
  EXPECT_THROW(c.op({5}).run1({c.loc, make_f32({1, 8}, std::vector<float>(8, 0.1f)), c.priors}), Error);
}

// 1x1 map in an 8x8 image, step 8: cell center (4, 4). fixed_size 6, density 2: shift = 6 / 2 = 3,
// sub-centers 4 - 6/2 + 3/2 + 3c = 2.5 and 5.5. Square boxes (half 3), then aspect ratio 4
// (half width 3 * 2 = 6, half height 3 / 2 = 1.5), all clipped to [0, 1]:
//   square (2.5, 2.5): (-0.5, -0.5, 5.5, 5.5) / 8 -> (0, 0, 0.6875, 0.6875), ...
//   ratio (2.5, 2.5): (-3.5, 1, 8.5, 4) / 8 -> (0, 0.125, 1, 0.5), ...
TEST(RefPriors, PriorBoxFixedSizeWithDensity) {
  OpRun op("PriorBox", 1);
  op.set("min_size", std::vector<double>{})
      .set("fixed_size", std::vector<double>{6})
      .set("density", std::vector<double>{2})
      .set("aspect_ratio", std::vector<double>{4})
      .set("offset", 0.5)
      .set("step", 8.0);
  Tensor y = op.run1({make_i64({2}, {1, 1}), make_i64({2}, {8, 8})});
  std::vector<float> want = {0, 0,       0.6875f, 0.6875f, 0.3125f, 0,       1, 0.6875f,  //
                             0, 0.3125f, 0.6875f, 1,       0.3125f, 0.3125f, 1, 1,        //
                             0, 0.125f,  1,       0.5f,    0,       0.125f,  1, 0.5f,     //
                             0, 0.5f,    1,       0.875f,  0,       0.5f,    1, 0.875f};
  want.resize(64, 0.1f);
  expect_floats(y, {2, 32}, want);
  op.set("density", std::vector<double>{});
  EXPECT_THROW(op.run1({make_i64({2}, {1, 1}), make_i64({2}, {8, 8})}), Error);
}

}  // namespace
}  // namespace q8::test
