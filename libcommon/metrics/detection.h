#pragma once
// Detector outputs -> COCO detections (pixel xywh boxes with category ids), for the layouts the
// SSD-style models of this project produce.
#include <cstdint>
#include <vector>

#include "dataset/coco.h"
#include "tensor/tensor.h"

namespace q8::metrics {

struct DetectionDecode {
  double score_threshold = 0.0;            // keep detections with score > threshold (0: all with score > 0)
  std::vector<int64_t> label_to_category;  // model label L -> category id (-1: none); empty: category = label
};

// Contiguous label map as MLPerf SSD-ResNet34 uses it: labels first_label.. -> the gt categories
// sorted by id (label 0 is the background for SSD, whose map gives -1 there). first_label: the
// label of the first category (1 for SSD, 0 for models without a background class).
std::vector<int64_t> contiguous_label_map(const dataset::CocoGroundTruth& gt, int first_label = 1);

// outputs: the model's output tensors in output order. Recognised layouts (else a bad-input error
// listing the shapes):
//  (a) OpenVINO DetectionOutput: one [1,1,N,7] = (image_id, label, conf, xmin, ymin, xmax, ymax),
//      boxes normalised to [0,1]; a row with image_id == -1 ends the list.
//  (b) the seed's concatenated SSD output: one [1,N,7] = (xmin, ymin, xmax, ymax, label, score, score).
//  (c) MLPerf SSD's three outputs: boxes [1,N,4] (xmin, ymin, xmax, ymax normalised), labels [1,N]
//      and scores [1,N]. The [1,N,4] one is the boxes; of the two [1,N] ones, an integer-typed one
//      is the labels, else the first of them in output order.
// Boxes are scaled by the image's width/height into pixel xywh. A label that is not a whole number,
// or not in the map -> bad-input error.
std::vector<dataset::Detection> decode_detections(const std::vector<Tensor>& outputs, int64_t image_id,
                                                  double width, double height, const DetectionDecode& how);

}  // namespace q8::metrics
