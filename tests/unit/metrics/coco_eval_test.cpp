// Hand-computed COCOeval cases; each one's numbers are derived in CASES.md beside this file.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "metrics/coco_eval.h"
#include "metrics_test_util.h"

namespace q8::metrics {
namespace {

using test_util::det;
using test_util::expect_error;
using test_util::GtBuilder;
using Stats = std::array<double, 12>;

// "1" below is 1 / (1 + eps): pycocotools' precision tp / (tp + fp + np.spacing(1)) is never exactly 1.
void expect_stats(const CocoEvalResult& r, const Stats& want, double tol = 1e-12) {
  for (size_t j = 0; j < 12; ++j)
    EXPECT_NEAR(r.stats[j], want[j], tol) << "stats[" << j << "]\n" << r.summary();
}

TEST(MetricsCocoEvalParams, ThresholdsAreNumpyLinspace) {
  CocoEvalParams p;
  ASSERT_EQ(p.iou_thresholds.size(), 10u);
  ASSERT_EQ(p.recall_thresholds.size(), 101u);
  // np.linspace(.5, 0.95, 10) gives these doubles: .6 and .75 exactly (summarize() looks .75 up
  // with ==), but 0.8999999999999999 rather than 0.9.
  EXPECT_EQ(p.iou_thresholds[0], 0.5);
  EXPECT_EQ(p.iou_thresholds[2], 0.6);
  EXPECT_EQ(p.iou_thresholds[5], 0.75);
  EXPECT_EQ(p.iou_thresholds[8], 0.8999999999999999);
  EXPECT_NE(p.iou_thresholds[8], 0.9);
  EXPECT_EQ(p.iou_thresholds[9], 0.95);
  EXPECT_EQ(p.recall_thresholds[50], 0.5);
  EXPECT_NEAR(p.recall_thresholds[100], 1.0, 1e-12);
}

// Case 1: every gt found exactly, all three area ranges populated.
TEST(MetricsCocoEval, PerfectDetectionAllSizes) {
  GtBuilder g;
  g.images({1}).categories({1});
  g.box(1, 1, {0, 0, 10, 10});        // area 100: small
  g.box(1, 1, {50, 50, 50, 50});      // 2500: medium
  g.box(1, 1, {200, 200, 120, 120});  // 14400: large
  std::vector<dataset::Detection> d = {det(1, 1, {0, 0, 10, 10}, 0.9), det(1, 1, {50, 50, 50, 50}, 0.8),
                                       det(1, 1, {200, 200, 120, 120}, 0.7)};
  expect_stats(evaluate_bbox(g.gt, d), {1, 1, 1, 1, 1, 1, 1.0 / 3, 1, 1, 1, 1, 1});
}

// Case 2: one medium gt found exactly; small and large have no gt -> -1. Also pins the summary text.
TEST(MetricsCocoEval, PerfectDetectionMediumOnlyAndSummary) {
  GtBuilder g;
  g.images({1}).categories({1});
  g.box(1, 1, {50, 50, 50, 50});
  const auto r = evaluate_bbox(g.gt, {det(1, 1, {50, 50, 50, 50}, 0.9)});
  expect_stats(r, {1, 1, 1, -1, 1, -1, 1, 1, 1, -1, 1, -1});
  EXPECT_NEAR(r.map(), 1.0, 1e-12);
  EXPECT_NEAR(r.map50(), 1.0, 1e-12);
  const std::string want =
      " Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 1.000\n"
      " Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 1.000\n"
      " Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ] = 1.000\n"
      " Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = -1.000\n"
      " Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 1.000\n"
      " Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = -1.000\n"
      " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 1.000\n"
      " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ] = 1.000\n"
      " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 1.000\n"
      " Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = -1.000\n"
      " Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 1.000\n"
      " Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = -1.000\n";
  EXPECT_EQ(r.summary(), want);
}

// Case 3: IoU exactly 0.6 (6000 / 10000) matches at .50, .55 and .60 (IoU >= t), not above.
TEST(MetricsCocoEval, IouExactlyAtThresholdMatches) {
  GtBuilder g;
  g.images({1}).categories({1});
  g.box(1, 1, {0, 0, 100, 100});  // area 10000: large
  const auto r = evaluate_bbox(g.gt, {det(1, 1, {0, 0, 60, 100}, 0.9)});
  expect_stats(r, {0.3, 1, 0, -1, -1, 0.3, 0.3, 0.3, 0.3, -1, -1, 0.3});
  // A hair under 0.6 loses the .60 threshold.
  const auto r2 = evaluate_bbox(g.gt, {det(1, 1, {0, 0, 59.9999, 100}, 0.9)});
  EXPECT_NEAR(r2.map(), 0.2, 1e-12);
}

// Case 4: two gts, one found: recall 0.5, precision 1 up to recall threshold 0.50 -> 51 of 101.
TEST(MetricsCocoEval, OneOfTwoFound) {
  GtBuilder g;
  g.images({1}).categories({1});
  g.box(1, 1, {0, 0, 50, 50});
  g.box(1, 1, {100, 100, 50, 50});
  const double ap = 51.0 / 101;  // 0.50495...
  expect_stats(evaluate_bbox(g.gt, {det(1, 1, {0, 0, 50, 50}, 0.9)}),
               {ap, ap, ap, -1, ap, -1, 0.5, 0.5, 0.5, -1, 0.5, -1});
}

// Case 5: a false positive ranked above the true positive: interpolated precision 0.5 everywhere.
TEST(MetricsCocoEval, FalsePositiveAboveTruePositive) {
  GtBuilder g;
  g.images({1}).categories({1});
  g.box(1, 1, {0, 0, 50, 50});
  const auto fp = det(1, 1, {200, 200, 50, 50}, 0.9);
  const auto tp = det(1, 1, {0, 0, 50, 50}, 0.8);
  EXPECT_NEAR(evaluate_bbox(g.gt, {fp, tp}).map(), 0.5, 1e-12);
  auto tp_first = tp;
  tp_first.score = 0.95;
  EXPECT_NEAR(evaluate_bbox(g.gt, {fp, tp_first}).map(), 1.0,
              1e-12);  // the FP after full recall costs nothing
  // AR at maxDets=1 sees only the FP.
  EXPECT_EQ(evaluate_bbox(g.gt, {fp, tp}).stats[6], 0.0);
}

// Case 6: TP, FP, TP over two gts: precision [1, .5, .667] made monotone -> [1, .667, .667];
// recall thresholds 0..0.50 read 1, 0.51..1 read 2/3: (51 + 50 * 2/3) / 101.
TEST(MetricsCocoEval, PrecisionInterpolation) {
  GtBuilder g;
  g.images({1}).categories({1});
  g.box(1, 1, {0, 0, 50, 50});
  g.box(1, 1, {100, 100, 50, 50});
  const auto r = evaluate_bbox(g.gt, {det(1, 1, {0, 0, 50, 50}, 0.9), det(1, 1, {300, 300, 50, 50}, 0.8),
                                      det(1, 1, {100, 100, 50, 50}, 0.7)});
  EXPECT_NEAR(r.map(), (51 + 50 * 2.0 / 3) / 101, 1e-12);
  EXPECT_NEAR(r.map50(), (51 + 50 * 2.0 / 3) / 101, 1e-12);
}

// Case 7: detections inside a crowd region are ignored (not FP), and several match the same crowd.
TEST(MetricsCocoEval, CrowdRegionSwallowsDetections) {
  GtBuilder g;
  g.images({1}).categories({1});
  g.box(1, 1, {0, 0, 50, 50});
  g.box(1, 1, {100, 0, 100, 100}, -1, /*crowd=*/true);
  std::vector<dataset::Detection> d = {det(1, 1, {110, 10, 30, 30}, 0.95), det(1, 1, {150, 50, 40, 40}, 0.92),
                                       det(1, 1, {0, 0, 50, 50}, 0.9)};
  // AR@1 is 0: the best-scored detection is one on the crowd, ignored.
  expect_stats(evaluate_bbox(g.gt, d), {1, 1, 1, -1, 1, -1, 0, 1, 1, -1, 1, -1});
  // The same region as an ordinary gt: it is a second gt, never found (recall 0.5), and both
  // crowd detections become FPs above the TP (IoU 900/10000 and 1600/10000) -> precision 1/3 up to
  // recall 0.5: 51/101 * 1/3 = 17/101.
  g.gt.annotations[1].iscrowd = false;
  EXPECT_NEAR(evaluate_bbox(g.gt, d).map(), 17.0 / 101, 1e-12);
}

// Case 8: pycocotools overwrites "ignore" with "iscrowd"; honor_ignore_field opts into it.
TEST(MetricsCocoEval, IgnoreFieldLikePycocotools) {
  GtBuilder g;
  g.images({1}).categories({1});
  g.box(1, 1, {0, 0, 50, 50});
  g.box(1, 1, {100, 100, 50, 50}, -1, false, /*ignore=*/true);
  const std::vector<dataset::Detection> d = {det(1, 1, {0, 0, 50, 50}, 0.9)};
  EXPECT_NEAR(evaluate_bbox(g.gt, d).map(), 51.0 / 101, 1e-12);  // the ignored gt still counts as missed
  CocoEvalParams p;
  p.honor_ignore_field = true;
  EXPECT_NEAR(evaluate_bbox(g.gt, d, p).map(), 1.0, 1e-12);
}

// Case 9: area ranges use the gt's "area" field (5000: medium) though its box is 10x10 (small);
// an unmatched detection outside the range is ignored there.
TEST(MetricsCocoEval, AreaRangesUseGtAreaField) {
  GtBuilder g;
  g.images({1}).categories({1});
  g.box(1, 1, {0, 0, 10, 10}, /*area=*/5000);
  std::vector<dataset::Detection> d = {det(1, 1, {300, 300, 100, 100}, 0.95),  // FP, area 10000 (large)
                                       det(1, 1, {0, 0, 10, 10}, 0.9)};
  expect_stats(evaluate_bbox(g.gt, d), {0.5, 0.5, 0.5, -1, 1, -1, 0, 1, 1, -1, 1, -1});
}

// Case 10: maxDets cuts by score, per image: 11 gts found by 11 detections listed lowest score first,
// plus a low-scored FP listed first.
TEST(MetricsCocoEval, MaxDetsTruncateByScore) {
  GtBuilder g;
  g.images({1}).categories({1});
  std::vector<dataset::Detection> d = {det(1, 1, {0, 500, 20, 20}, 0.05)};
  for (int j = 0; j < 11; ++j) {
    const double x = 40.0 * j;
    g.box(1, 1, {x, 0, 30, 30});
    d.push_back(det(1, 1, {x, 0, 30, 30}, 0.5 + 0.01 * j));
  }
  const auto r = evaluate_bbox(g.gt, d);
  EXPECT_NEAR(r.map(), 1.0, 1e-12);
  EXPECT_NEAR(r.stats[6], 1.0 / 11, 1e-12);   // AR@1
  EXPECT_NEAR(r.stats[7], 10.0 / 11, 1e-12);  // AR@10
  EXPECT_NEAR(r.stats[8], 1.0, 1e-12);        // AR@100
}

// Case 11: evaluateImg keeps at most 100 detections per image: a TP scored below 100 FPs is cut.
TEST(MetricsCocoEval, HundredDetectionsPerImage) {
  GtBuilder g;
  g.images({1}).categories({1});
  g.box(1, 1, {0, 0, 30, 30});
  std::vector<dataset::Detection> d = {det(1, 1, {0, 0, 30, 30}, 0.1)};
  for (int j = 0; j < 100; ++j) d.push_back(det(1, 1, {500, 500, 10, 10}, 0.9));
  const auto r = evaluate_bbox(g.gt, d);
  EXPECT_EQ(r.map(), 0.0);
  EXPECT_EQ(r.stats[8], 0.0);
  d.pop_back();  // 99 FPs: the TP is the 100th
  EXPECT_NEAR(evaluate_bbox(g.gt, d).stats[8], 1.0, 1e-12);
}

// Case 12: equal scores keep their order: within an image the results' order, across images the
// sorted image ids (not the gt's image order).
TEST(MetricsCocoEval, TiesAreStable) {
  GtBuilder g;
  g.images({1}).categories({1});
  g.box(1, 1, {0, 0, 50, 50});
  const auto fp = det(1, 1, {200, 200, 50, 50}, 0.5);
  const auto tp = det(1, 1, {0, 0, 50, 50}, 0.5);
  EXPECT_NEAR(evaluate_bbox(g.gt, {fp, tp}).map(), 0.5, 1e-12);
  EXPECT_NEAR(evaluate_bbox(g.gt, {tp, fp}).map(), 1.0, 1e-12);

  GtBuilder g2;
  g2.images({5, 3}).categories({1});
  g2.box(5, 1, {0, 0, 50, 50});
  EXPECT_NEAR(evaluate_bbox(g2.gt, {det(5, 1, {0, 0, 50, 50}, 0.5), det(3, 1, {0, 0, 50, 50}, 0.5)}).map(),
              0.5, 1e-12);
}

// Case 13: categories without gt are -1 and left out of the mean; the mean is per category.
TEST(MetricsCocoEval, CategoryMean) {
  GtBuilder g;
  g.images({1, 2}).categories({3, 1, 2});
  g.box(1, 1, {0, 0, 50, 50});
  g.box(2, 2, {0, 0, 50, 50});
  std::vector<dataset::Detection> d = {
      det(1, 1, {0, 0, 50, 50}, 0.9),                                      // category 1: AP 1
      det(2, 2, {200, 200, 50, 50}, 0.9), det(2, 2, {0, 0, 50, 50}, 0.8),  // category 2: FP then TP, AP 0.5
      det(1, 3, {0, 0, 50, 50}, 0.9),                                      // category 3: no gt -> -1
      det(1, 7, {0, 0, 50, 50}, 0.99),  // category 7 is not in the gt: dropped
  };
  const auto r = evaluate_bbox(g.gt, d);
  EXPECT_NEAR(r.map(), 0.75, 1e-12);
  EXPECT_NEAR(r.map50(), 0.75, 1e-12);
  ASSERT_EQ(r.category_ids, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_NEAR(r.category_ap[0], 1.0, 1e-12);
  EXPECT_NEAR(r.category_ap[1], 0.5, 1e-12);
  EXPECT_EQ(r.category_ap[2], -1.0);
  // Without categories, everything is one class: the category-3 and -7 boxes still land on the
  // image-1 gt (one TP, the rest FP or unmatched).
  CocoEvalParams p;
  p.use_categories = false;
  EXPECT_TRUE(evaluate_bbox(g.gt, d, p).category_ids.empty());
}

// Case 14: without categories, a detection of the wrong class still matches.
TEST(MetricsCocoEval, WithoutCategoriesClassIsIgnored) {
  GtBuilder g;
  g.images({1}).categories({1, 2});
  g.box(1, 1, {0, 0, 50, 50});
  const std::vector<dataset::Detection> d = {det(1, 2, {0, 0, 50, 50}, 0.9)};
  EXPECT_EQ(evaluate_bbox(g.gt, d).map(), 0.0);
  CocoEvalParams p;
  p.use_categories = false;
  EXPECT_NEAR(evaluate_bbox(g.gt, d, p).map(), 1.0, 1e-12);
}

// Case 15: pycocotools tests a match as "gt id != 0", so a gt with annotation id 0 never counts
// as found. Reproduced so the numbers agree with the reference on such files.
TEST(MetricsCocoEval, GtIdZeroQuirk) {
  GtBuilder g;
  g.images({1}).categories({1});
  g.next_id = 0;
  g.box(1, 1, {0, 0, 50, 50});
  EXPECT_EQ(evaluate_bbox(g.gt, {det(1, 1, {0, 0, 50, 50}, 0.9)}).map(), 0.0);
}

TEST(MetricsCocoEval, DetectionOnUnknownImageIsAnError) {
  GtBuilder g;
  g.images({1, 2}).categories({1});
  expect_error(
      [&] {
        evaluate_bbox(g.gt, {det(1, 1, {0, 0, 5, 5}, 0.5), det(9, 1, {0, 0, 5, 5}, 0.5)});
      },
      ErrorKind::kBadInput, {"detection 1", "image id 9"});
}

TEST(MetricsCocoEval, NoDetectionsAndNoGt) {
  GtBuilder g;
  g.images({1}).categories({1});
  expect_stats(evaluate_bbox(g.gt, {}), {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1});
  g.box(1, 1, {0, 0, 50, 50});
  expect_stats(evaluate_bbox(g.gt, {}), {0, 0, 0, -1, 0, -1, 0, 0, 0, -1, 0, -1});
}

// Cross-check with numbers pycocotools printed for a published input: torchmetrics' MeanAveragePrecision
// test (tests/unittests/detection/test_map.py, `_inputs4` and `_compare_fn`, Lightning-AI/torchmetrics):
// four COCO val2014 images with boxes given as xyxy, labels used as category ids 0..5, gt areas = box
// areas. Expected values as published (3 decimals) -- see CASES.md.
TEST(MetricsCocoEval, MatchesPublishedPycocotoolsNumbers) {
  struct Img {
    int64_t id;
    std::vector<std::array<double, 4>> gt_boxes;
    std::vector<int64_t> gt_labels;
    std::vector<std::array<double, 4>> dt_boxes;
    std::vector<double> dt_scores;
    std::vector<int64_t> dt_labels;
  };
  const std::vector<Img> imgs = {
      {42, {{214.15, 41.29, 562.41, 285.07}}, {4}, {{258.15, 41.29, 606.41, 285.07}}, {0.236}, {4}},
      {73,
       {{13.00, 22.75, 548.98, 632.42}, {1.66, 3.32, 270.26, 275.23}},
       {2, 2},
       {{61.00, 22.75, 565.00, 632.42}, {12.66, 3.32, 281.26, 275.23}},
       {0.318, 0.726},
       {3, 2}},
      {74,
       {{61.87, 276.25, 358.29, 379.43},
        {2.75, 3.66, 162.15, 316.06},
        {295.55, 93.96, 313.97, 152.79},
        {326.94, 97.05, 340.49, 122.98},
        {356.62, 95.47, 372.33, 147.55},
        {462.08, 105.09, 493.74, 146.99},
        {277.11, 103.84, 292.44, 150.72}},
       {4, 1, 0, 0, 0, 0, 0},
       {{87.87, 276.25, 384.29, 379.43},
        {0.00, 3.66, 142.15, 316.06},
        {296.55, 93.96, 314.97, 152.79},
        {328.94, 97.05, 342.49, 122.98},
        {356.62, 95.47, 372.33, 147.55},
        {464.08, 105.09, 495.74, 146.99},
        {276.11, 103.84, 291.44, 150.72}},
       {0.546, 0.3, 0.407, 0.611, 0.335, 0.805, 0.953},
       {4, 1, 0, 0, 0, 0, 0}},
      {133, {{13.99, 2.87, 640.00, 421.52}}, {5}, {{0.00, 2.87, 601.00, 421.52}}, {0.423}, {5}},
  };
  auto xywh = [](const std::array<double, 4>& b) {
    return std::array<double, 4>{b[0], b[1], b[2] - b[0], b[3] - b[1]};
  };
  GtBuilder g;
  g.categories({0, 1, 2, 3, 4, 5});
  std::vector<dataset::Detection> d;
  for (const Img& im : imgs) {
    g.images({im.id});
    for (size_t j = 0; j < im.gt_boxes.size(); ++j) g.box(im.id, im.gt_labels[j], xywh(im.gt_boxes[j]));
    for (size_t j = 0; j < im.dt_boxes.size(); ++j) {
      d.push_back(det(im.id, im.dt_labels[j], xywh(im.dt_boxes[j]), im.dt_scores[j]));
    }
  }
  const auto r = evaluate_bbox(g.gt, d);
  // The 12 lines pycocotools printed for this input, as published.
  const std::string published =
      " Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.706\n"
      " Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 0.901\n"
      " Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ] = 0.846\n"
      " Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = 0.689\n"
      " Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.800\n"
      " Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = 0.701\n"
      " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 0.592\n"
      " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ] = 0.716\n"
      " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.716\n"
      " Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = 0.767\n"
      " Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.800\n"
      " Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = 0.700\n";
  EXPECT_EQ(r.summary(), published);
  // Per class (COCOeval with params.catIds = [k]), published to 3 decimals.
  const std::vector<std::string> per_class = {"0.725", "0.800", "0.454", "-1.000", "0.650", "0.900"};
  ASSERT_EQ(r.category_ap.size(), per_class.size());
  char buf[32];
  for (size_t k = 0; k < per_class.size(); ++k) {
    std::snprintf(buf, sizeof buf, "%.3f", r.category_ap[k]);
    EXPECT_EQ(buf, per_class[k]) << "category " << k;
  }
  // Full precision from pycocotools' cocoeval.py run on the same input (see CASES.md).
  const Stats full = {0.7060198019801981,
                      0.900990099009901,
                      0.8455445544554455,
                      0.6887788778877887,
                      0.8,
                      0.7012376237623762,
                      0.5920000000000001,
                      0.716,
                      0.716,
                      0.7666666666666666,
                      0.8,
                      0.7};
  for (size_t j = 0; j < 12; ++j) EXPECT_DOUBLE_EQ(r.stats[j], full[j]) << "stats[" << j << "]";
}

// 500 images x 100 detections x 80 categories: the index by (category, image) keeps this fast.
// Not timed; checks that a COCO-sized run completes with sane numbers.
TEST(MetricsCocoEval, SyntheticLargeRun) {
  GtBuilder g;
  std::vector<dataset::Detection> d;
  uint32_t rng = 12345;
  auto next = [&]() {
    rng = rng * 1664525u + 1013904223u;
    return static_cast<double>(rng >> 8) / 16777216.0;
  };
  for (int64_t c = 1; c <= 80; ++c) g.categories({c});
  for (int64_t i = 1; i <= 500; ++i) {
    g.images({i});
    for (int j = 0; j < 7; ++j) {
      const std::array<double, 4> b = {next() * 500, next() * 400, 5 + next() * 200, 5 + next() * 200};
      const auto c = static_cast<int64_t>(1 + next() * 80);
      g.box(i, c, b);
      d.push_back(det(i, c, {b[0] + 2, b[1] - 2, b[2], b[3]}, next()));
    }
    while (d.size() < static_cast<size_t>(i) * 100) {
      d.push_back(det(i, static_cast<int64_t>(1 + next() * 80),
                      {next() * 500, next() * 400, 5 + next() * 200, 5 + next() * 200}, next() * 0.5));
    }
  }
  const auto r = evaluate_bbox(g.gt, d);
  for (double s : r.stats) {
    EXPECT_GE(s, 0.0);
    EXPECT_LE(s, 1.0);
  }
  EXPECT_GT(r.map50(), r.map());
}

}  // namespace
}  // namespace q8::metrics
