#include "metrics/detection.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "tensor/convert.h"
#include "tensor/element_type.h"

namespace q8::metrics {

std::vector<int64_t> contiguous_label_map(const dataset::CocoGroundTruth& gt, int first_label) {
  if (first_label < 0) throw_usage("contiguous label map: the first label must be >= 0");
  std::vector<int64_t> ids;
  for (const auto& c : gt.categories) ids.push_back(c.id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<int64_t> map(static_cast<size_t>(first_label), -1);
  map.insert(map.end(), ids.begin(), ids.end());
  return map;
}

namespace {

std::string describe_outputs(const std::vector<Tensor>& outputs) {
  std::string s;
  for (const auto& t : outputs) {
    if (!s.empty()) s += ", ";
    s += to_string(t.shape()) + " " + to_string(t.type());
  }
  return s.empty() ? "none" : s;
}

bool is_integer_type(ElementType t) {
  return !type_info(t).is_float && t != ElementType::kBoolean;
}

[[noreturn]] void throw_bad_layout(const std::vector<Tensor>& outputs, int64_t image_id) {
  throw_bad_input("image id " + std::to_string(image_id) + ": detector outputs " + describe_outputs(outputs) +
                  " are none of DetectionOutput [1,1,N,7], SSD [1,N,7], or boxes [1,N,4] + labels [1,N] + "
                  "scores [1,N]");
}

struct Decoder {
  int64_t image_id;
  double width, height;
  const DetectionDecode& how;
  std::vector<dataset::Detection> out;

  void add(double label, double score, double xmin, double ymin, double xmax, double ymax) {
    if (!(score > how.score_threshold)) return;
    if (label != std::floor(label) || !std::isfinite(label)) {
      throw_bad_input("image id " + std::to_string(image_id) + ": detection label " + std::to_string(label) +
                      " is not a whole number");
    }
    const auto l = static_cast<int64_t>(label);
    int64_t category = l;
    if (!how.label_to_category.empty()) {
      const bool known = l >= 0 && l < static_cast<int64_t>(how.label_to_category.size()) &&
                         how.label_to_category[static_cast<size_t>(l)] >= 0;
      if (!known) {
        throw_bad_input("image id " + std::to_string(image_id) + ": detection label " + std::to_string(l) +
                        " is not in the label map (" + std::to_string(how.label_to_category.size()) +
                        " labels)");
      }
      category = how.label_to_category[static_cast<size_t>(l)];
    }
    dataset::Detection d;
    d.image_id = image_id;
    d.category_id = category;
    const double x1 = xmin * width, y1 = ymin * height, x2 = xmax * width, y2 = ymax * height;
    d.bbox = {x1, y1, x2 - x1, y2 - y1};
    d.score = score;
    out.push_back(d);
  }
};

}  // namespace

std::vector<dataset::Detection> decode_detections(const std::vector<Tensor>& outputs, int64_t image_id,
                                                  double width, double height, const DetectionDecode& how) {
  Decoder dec{image_id, width, height, how, {}};
  auto bad_layout = [&]() { throw_bad_layout(outputs, image_id); };
  for (const auto& t : outputs) {
    if (t.empty() && t.size() != 0) bad_layout();
  }

  if (outputs.size() > 1) {
    // A model edited by onnx-modify concat-outputs (seed 001) keeps its original outputs beside the
    // new [1,N,7] one: exactly one 7-column output is the detections.
    auto seven_columns = [](const Shape& s) {
      return (s.size() == 4 && s[0] == 1 && s[1] == 1 && s[3] == 7) || (s.size() == 3 && s[0] == 1 && s[2] == 7);
    };
    const auto n7 = std::count_if(outputs.begin(), outputs.end(),
                                  [&](const Tensor& t) { return seven_columns(t.shape()); });
    if (n7 == 1) {
      auto it = std::find_if(outputs.begin(), outputs.end(), [&](const Tensor& t) { return seven_columns(t.shape()); });
      return decode_detections({*it}, image_id, width, height, how);
    }
  }

  if (outputs.size() == 1) {
    const Shape& s = outputs[0].shape();
    const std::vector<float> v = to_floats(outputs[0]);
    if (s.size() == 4 && s[0] == 1 && s[1] == 1 && s[3] == 7) {
      // (a) DetectionOutput; its first column is the batch index, -1 after the last detection.
      for (int64_t n = 0; n < s[2]; ++n) {
        const float* r = v.data() + n * 7;
        if (r[0] == -1) break;
        dec.add(r[1], r[2], r[3], r[4], r[5], r[6]);
      }
      return std::move(dec.out);
    }
    if (s.size() == 3 && s[0] == 1 && s[2] == 7) {
      // (b) boxes, label, score (the score is repeated in the last column).
      for (int64_t n = 0; n < s[1]; ++n) {
        const float* r = v.data() + n * 7;
        dec.add(r[4], r[5], r[0], r[1], r[2], r[3]);
      }
      return std::move(dec.out);
    }
    bad_layout();
  }

  if (outputs.size() == 3) {
    // (c) find the boxes by shape; the other two must be [1,N] with the same N.
    int boxes = -1;
    std::vector<int> flat;
    for (int j = 0; j < 3; ++j) {
      const Shape& s = outputs[static_cast<size_t>(j)].shape();
      if (s.size() == 3 && s[0] == 1 && s[2] == 4 && boxes < 0) {
        boxes = j;
      } else if (s.size() == 2 && s[0] == 1) {
        flat.push_back(j);
      }
    }
    if (boxes < 0 || flat.size() != 2) bad_layout();
    const int64_t n = outputs[static_cast<size_t>(boxes)].shape()[1];
    for (int j : flat) {
      if (outputs[static_cast<size_t>(j)].shape()[1] != n) bad_layout();
    }
    const bool int0 = is_integer_type(outputs[static_cast<size_t>(flat[0])].type());
    const bool int1 = is_integer_type(outputs[static_cast<size_t>(flat[1])].type());
    const int labels = (int1 && !int0) ? flat[1] : flat[0];
    const int scores = labels == flat[0] ? flat[1] : flat[0];
    const std::vector<float> b = to_floats(outputs[static_cast<size_t>(boxes)]);
    const std::vector<int64_t> l = is_integer_type(outputs[static_cast<size_t>(labels)].type())
                                       ? to_ints(outputs[static_cast<size_t>(labels)])
                                       : std::vector<int64_t>{};
    const std::vector<float> lf =
        l.empty() ? to_floats(outputs[static_cast<size_t>(labels)]) : std::vector<float>{};
    const std::vector<float> sc = to_floats(outputs[static_cast<size_t>(scores)]);
    for (int64_t i = 0; i < n; ++i) {
      const double label = l.empty() ? static_cast<double>(lf[static_cast<size_t>(i)])
                                     : static_cast<double>(l[static_cast<size_t>(i)]);
      const float* r = b.data() + i * 4;
      dec.add(label, sc[static_cast<size_t>(i)], r[0], r[1], r[2], r[3]);
    }
    return std::move(dec.out);
  }
  throw_bad_layout(outputs, image_id);
}

}  // namespace q8::metrics
