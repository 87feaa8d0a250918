#pragma once
// COCO annotations (instances_*.json) as the metrics and the datasets need them: images,
// box annotations and categories. Segmentations are not kept (skipped while parsing).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace q8::dataset {

struct CocoImage {
  int64_t id = 0;
  std::string file_name;
  int64_t width = 0, height = 0;
};

struct CocoAnnotation {
  int64_t id = 0;
  int64_t image_id = 0;
  int64_t category_id = 0;
  std::array<double, 4> bbox{};  // x, y, width, height (pixels)
  double area = 0;               // the json's "area" (segment area); cocoeval ranges use it
  bool iscrowd = false;
  bool ignore =
      false;  // the optional "ignore" field (pycocotools overwrites it with iscrowd; see CocoEvalParams)
};

struct CocoCategory {
  int64_t id = 0;
  std::string name;
};

struct CocoGroundTruth {
  std::vector<CocoImage> images;            // json order
  std::vector<CocoAnnotation> annotations;  // json order
  std::vector<CocoCategory> categories;     // json order
};

// A detection in COCO results form.
struct Detection {
  int64_t image_id = 0;
  int64_t category_id = 0;
  std::array<double, 4> bbox{};  // x, y, width, height (pixels)
  double score = 0;
};

// Reads images/annotations/categories (other keys ignored). Wrong schema (missing "images",
// an image without "id", a bbox that is not 4 numbers, ...) -> bad-input error naming the file,
// the array and the element index; truncated or invalid json -> error naming the file.
CocoGroundTruth read_coco(const std::string& path);
// Same from memory; `name` is used in messages.
CocoGroundTruth parse_coco(std::string_view json, const std::string& name);

// Reads a COCO results file: a json array of {"image_id", "category_id", "bbox", "score"}.
std::vector<Detection> read_coco_results(const std::string& path);
// Writes detections as a COCO results json array (deterministic, %.17g-free short form).
std::string coco_results_json(const std::vector<Detection>& dets);

}  // namespace q8::dataset
