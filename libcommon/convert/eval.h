#pragma once
// int8-run eval: a model's accuracy on a dataset (top-1 / top-5 for classifiers, COCO mAP for
// detectors), running every sample through the same executor as `infer`.
#include <string>

#include "graph/graph.h"
#include "image/preprocess.h"
#include "runtime/reference.h"

namespace q8::tools {

struct EvalOptions {
  std::string model;            // IR .xml or .onnx, one input
  std::string dataset;          // see dataset/dataset.h for the accepted sources
  std::string annotations;      // list / val_map / COCO json / labels (optional for idx with labels beside)
  std::string metric = "top1";  // top1 | top5 | coco_map
  size_t limit = 0;             // first N samples only (0: all)
  image::PreprocessOptions image;
  bool resize_given = false;       // coco_map stretches to the input size unless a resize was asked for
  int64_t label_offset = 0;        // added to dataset labels (1001-class TF models with background: 1)
  std::string label_map = "auto";  // coco_map: auto | coco80 (contiguous 1..80 -> category ids) | identity
  double score_threshold = 0.0;    // coco_map: detections at or below are dropped
  std::string detections_out;      // coco_map: also write the detections as a COCO results json
  std::string progress_label;      // pot: its own progress label (and no "model on dataset" line)
  runtime::NodeObserver observer;  // pot: sees every node's outputs while evaluating (reference executor)
  bool reference = false;          // run on the reference executor instead of the fast runtime
  int threads = 0;                 // fast runtime threads (0 = all cores)
};

struct EvalResult {
  double score = 0;  // the metric in percent
  std::string text;  // what run_eval prints
};
// Evaluates an in-memory model (pot scores its candidates with it).
EvalResult evaluate_graph(const Graph& g, const EvalOptions& o);

// Runs the evaluation with progress on stderr; returns the text for stdout, whose last line is
// "<metric>: <percent>" (e.g. "top1: 90.92", "coco_map: 23.10").
std::string run_eval(const EvalOptions& o);

}  // namespace q8::tools
