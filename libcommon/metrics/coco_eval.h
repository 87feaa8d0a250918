#pragma once
// COCO box mAP as pycocotools' COCOeval (iouType 'bbox') computes it: evaluate(), accumulate()
// and summarize() reproduced step by step, including its tie-breaking, its greedy matching, its
// crowd handling and its -1 for undefined entries, so that the 12 numbers agree with the reference.
#include <array>
#include <string>
#include <vector>

#include "dataset/coco.h"

namespace q8::metrics {

struct CocoEvalParams {                   // pycocotools defaults
  std::vector<double> iou_thresholds;     // 0.50:0.05:0.95 (10), as np.linspace(.5, 0.95, 10) computes them
  std::vector<double> recall_thresholds;  // 0:0.01:1 (101), as np.linspace(0, 1, 101)
  std::array<int, 3> max_dets{1, 10, 100};
  // Area ranges (inclusive): all [0, 1e10], small [0, 32^2], medium [32^2, 96^2], large [96^2, 1e10].
  std::array<std::array<double, 2>, 4> area_ranges{
      {{0, 1e10}, {0, 32 * 32}, {32 * 32, 96 * 96}, {96 * 96, 1e10}}};
  bool use_categories = true;
  // pycocotools overwrites a gt's "ignore" with "iscrowd" (so the field has no effect); true makes
  // an annotation with "ignore" set count as ignored too (ignore := ignore || iscrowd), as some
  // datasets (CrowdHuman-style) intend.
  bool honor_ignore_field = false;

  CocoEvalParams();
};

struct CocoEvalResult {
  // The 12 numbers COCOeval.summarize() prints, in its order; -1 where pycocotools gives -1.
  std::array<double, 12> stats{};
  // Per-category AP@[.5:.95] (area all, maxDets 100) in sorted category id order; -1 for
  // categories without (non-ignored) ground truth.
  std::vector<int64_t> category_ids;
  std::vector<double> category_ap;

  // The 12 summary lines formatted like pycocotools (each ending in '\n'), e.g.
  // " Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.378"
  std::string summary() const;
  double map() const { return stats[0]; }    // mAP@[.5:.95]
  double map50() const { return stats[1]; }  // mAP@.5

  // For summary(): the thresholds and max_dets the numbers were computed with.
  double iou_first = 0.5, iou_last = 0.95;
  std::array<int, 3> max_dets{1, 10, 100};
};

// Evaluates images = all gt image ids, categories = all gt category ids (detections in other
// categories are dropped, as pycocotools does). A detection on an image id not in the gt ->
// bad-input error.
CocoEvalResult evaluate_bbox(const dataset::CocoGroundTruth& gt, const std::vector<dataset::Detection>& dets,
                             const CocoEvalParams& p = {});

// np.linspace(start, stop, num) bit for bit: i * step + start, the last element exactly `stop`.
std::vector<double> linspace(double start, double stop, int num);

}  // namespace q8::metrics
