#pragma once
// Small builders shared by the metrics tests.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/error.h"
#include "dataset/coco.h"

namespace q8::metrics::test_util {

template <typename Fn>
void expect_error(Fn&& fn, ErrorKind kind, const std::vector<std::string>& parts) {
  try {
    fn();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.describe();
    for (const auto& p : parts) EXPECT_NE(e.describe().find(p), std::string::npos) << e.describe();
  }
}

// A ground truth under construction: images and categories by id, boxes in xywh with the area
// defaulting to w*h (pass `area` to set the json's "area" field apart from the box).
struct GtBuilder {
  dataset::CocoGroundTruth gt;
  int64_t next_id = 1;

  GtBuilder& images(std::initializer_list<int64_t> ids) {
    for (int64_t id : ids) gt.images.push_back({id, "img" + std::to_string(id) + ".jpg", 640, 480});
    return *this;
  }
  GtBuilder& categories(std::initializer_list<int64_t> ids) {
    for (int64_t id : ids) gt.categories.push_back({id, "cat" + std::to_string(id)});
    return *this;
  }
  GtBuilder& box(int64_t image, int64_t category, std::array<double, 4> b, double area = -1,
                 bool crowd = false, bool ignore = false) {
    dataset::CocoAnnotation a;
    a.id = next_id++;
    a.image_id = image;
    a.category_id = category;
    a.bbox = b;
    a.area = area < 0 ? b[2] * b[3] : area;
    a.iscrowd = crowd;
    a.ignore = ignore;
    gt.annotations.push_back(a);
    return *this;
  }
};

inline dataset::Detection det(int64_t image, int64_t category, std::array<double, 4> b, double score) {
  return dataset::Detection{image, category, b, score};
}

}  // namespace q8::metrics::test_util
