#include "dataset/coco.h"

#include <charconv>
#include <cmath>

#include "base/error.h"
#include "dataset/json.h"

namespace q8::dataset {
namespace {
namespace od = simdjson::ondemand;

// Parsing state for error messages: which array element we are in.
struct Where {
  const std::string& path;
  std::string element = "the top level";
  [[noreturn]] void fail(const std::string& what) const {
    throw_bad_input(path + ": " + element + ": " + what);
  }
};

int64_t as_int(od::value v, const Where& w, const char* key) {
  int64_t i = 0;
  if (v.get_int64().get(i) == simdjson::SUCCESS) return i;
  // Some writers emit integral ids as 42.0.
  double d = 0;
  // (in range first: converting 2e40 to int64 is undefined)
  if (v.get_double().get(d) == simdjson::SUCCESS && d >= -0x1p63 && d < 0x1p63 && d == std::trunc(d))
    return static_cast<int64_t>(d);
  w.fail(std::string("\"") + key + "\" is not an integer");
}

double as_double(od::value v, const Where& w, const char* key) {
  double d = 0;
  if (v.get_double().get(d) != simdjson::SUCCESS) w.fail(std::string("\"") + key + "\" is not a number");
  return d;
}

bool as_flag(od::value v, const Where& w, const char* key) {
  bool b = false;
  if (v.get_bool().get(b) == simdjson::SUCCESS) return b;
  return as_int(v, w, key) != 0;
}

std::array<double, 4> as_box(od::value v, const Where& w) {
  std::array<double, 4> box{};
  od::array a;
  if (v.get_array().get(a) != simdjson::SUCCESS) w.fail("\"bbox\" is not an array");
  size_t n = 0;
  for (auto x : a) {
    if (n >= 4) w.fail("\"bbox\" has more than 4 numbers");
    double d = 0;
    if (x.get_double().get(d) != simdjson::SUCCESS) w.fail("\"bbox\" holds a non-number");
    box[n++] = d;
  }
  if (n != 4) w.fail("\"bbox\" has " + std::to_string(n) + " numbers, not 4");
  return box;
}

od::object as_object(od::value v, const Where& w) {
  od::object o;
  if (v.get_object().get(o) != simdjson::SUCCESS) w.fail("not an object");
  return o;
}

template <typename Fn>
void for_each_element(od::value v, const std::string& path, const std::string& name, Fn&& fn) {
  od::array a;
  if (v.get_array().get(a) != simdjson::SUCCESS) throw_bad_input(path + ": \"" + name + "\" is not an array");
  size_t i = 0;
  for (auto element : a) {
    Where w{path, name + "[" + std::to_string(i) + "]"};
    od::value value;
    if (element.get(value) != simdjson::SUCCESS) w.fail("malformed json");
    fn(as_object(value, w), w);
    ++i;
  }
}

void parse_image(od::object o, const Where& w, CocoGroundTruth& gt) {
  CocoImage im;
  bool id = false, name = false;
  for (auto f : o) {
    std::string_view key = f.unescaped_key();
    if (key == "id") {
      im.id = as_int(f.value(), w, "id");
      id = true;
    } else if (key == "file_name") {
      std::string_view s;
      if (f.value().get_string().get(s) != simdjson::SUCCESS) w.fail("\"file_name\" is not a string");
      im.file_name = std::string(s);
      name = true;
    } else if (key == "width") {
      im.width = as_int(f.value(), w, "width");
    } else if (key == "height") {
      im.height = as_int(f.value(), w, "height");
    }
  }
  if (!id) w.fail("no \"id\"");
  if (!name) w.fail("no \"file_name\"");
  gt.images.push_back(std::move(im));
}

void parse_annotation(od::object o, const Where& w, CocoGroundTruth& gt) {
  CocoAnnotation a;
  bool image = false, category = false, box = false, area = false;
  for (auto f : o) {
    std::string_view key = f.unescaped_key();
    if (key == "id") {
      a.id = as_int(f.value(), w, "id");
    } else if (key == "image_id") {
      a.image_id = as_int(f.value(), w, "image_id");
      image = true;
    } else if (key == "category_id") {
      a.category_id = as_int(f.value(), w, "category_id");
      category = true;
    } else if (key == "bbox") {
      a.bbox = as_box(f.value(), w);
      box = true;
    } else if (key == "area") {
      a.area = as_double(f.value(), w, "area");
      area = true;
    } else if (key == "iscrowd") {
      a.iscrowd = as_flag(f.value(), w, "iscrowd");
    } else if (key == "ignore") {
      a.ignore = as_flag(f.value(), w, "ignore");
    }
  }
  if (!image) w.fail("no \"image_id\"");
  if (!category) w.fail("no \"category_id\"");
  if (!box) w.fail("no \"bbox\"");
  if (!area) a.area = a.bbox[2] * a.bbox[3];
  gt.annotations.push_back(a);
}

void parse_category(od::object o, const Where& w, CocoGroundTruth& gt) {
  CocoCategory c;
  bool id = false;
  for (auto f : o) {
    std::string_view key = f.unescaped_key();
    if (key == "id") {
      c.id = as_int(f.value(), w, "id");
      id = true;
    } else if (key == "name") {
      std::string_view s;
      if (f.value().get_string().get(s) != simdjson::SUCCESS) w.fail("\"name\" is not a string");
      c.name = std::string(s);
    }
  }
  if (!id) w.fail("no \"id\"");
  gt.categories.push_back(std::move(c));
}

// simdjson reports structural problems (truncation, bad literals) as exceptions from the
// iteration; they become bad-input errors naming the file.
template <typename Fn>
auto guarded(const std::string& path, Fn&& fn) {
  try {
    return fn();
  } catch (const simdjson::simdjson_error& e) {
    throw_json_error(path, "invalid json", e.error());
  }
}

CocoGroundTruth parse_coco_json(simdjson::padded_string_view json, const std::string& path) {
  od::parser parser;
  return guarded(path, [&] {
    od::document doc = parser.iterate(json);
    od::object top;
    if (doc.get_object().get(top) != simdjson::SUCCESS)
      throw_bad_input(path + ": not a json object (COCO annotations)");
    CocoGroundTruth gt;
    bool images = false, annotations = false, categories = false;
    for (auto f : top) {
      std::string_view key = f.unescaped_key();
      if (key == "images") {
        for_each_element(f.value(), path, "images",
                         [&](od::object o, const Where& w) { parse_image(o, w, gt); });
        images = true;
      } else if (key == "annotations") {
        for_each_element(f.value(), path, "annotations",
                         [&](od::object o, const Where& w) { parse_annotation(o, w, gt); });
        annotations = true;
      } else if (key == "categories") {
        for_each_element(f.value(), path, "categories",
                         [&](od::object o, const Where& w) { parse_category(o, w, gt); });
        categories = true;
      }
    }
    if (!images) throw_bad_input(path + ": no \"images\" array (not COCO annotations?)");
    if (!annotations) throw_bad_input(path + ": no \"annotations\" array");
    if (!categories) throw_bad_input(path + ": no \"categories\" array");
    return gt;
  });
}

}  // namespace

CocoGroundTruth read_coco(const std::string& path) {
  JsonFile file(path);
  return parse_coco_json(file.view(), path);
}

CocoGroundTruth parse_coco(std::string_view json, const std::string& name) {
  simdjson::padded_string copy(json);
  return parse_coco_json(copy, name);
}

std::vector<Detection> read_coco_results(const std::string& path) {
  JsonFile file(path);
  od::parser parser;
  return guarded(path, [&] {
    od::document doc = parser.iterate(file.view());
    od::array top;
    if (doc.get_array().get(top) != simdjson::SUCCESS)
      throw_bad_input(path + ": not a json array (COCO detection results)");
    std::vector<Detection> dets;
    size_t i = 0;
    for (auto element : top) {
      Where w{path, "[" + std::to_string(i++) + "]"};
      od::value v;
      if (element.get(v) != simdjson::SUCCESS) w.fail("malformed json");
      Detection d;
      bool image = false, category = false, box = false, score = false;
      for (auto f : as_object(v, w)) {
        std::string_view key = f.unescaped_key();
        if (key == "image_id") {
          d.image_id = as_int(f.value(), w, "image_id");
          image = true;
        } else if (key == "category_id") {
          d.category_id = as_int(f.value(), w, "category_id");
          category = true;
        } else if (key == "bbox") {
          d.bbox = as_box(f.value(), w);
          box = true;
        } else if (key == "score") {
          d.score = as_double(f.value(), w, "score");
          score = true;
        }
      }
      if (!image || !category || !box || !score)
        w.fail("needs \"image_id\", \"category_id\", \"bbox\" and \"score\"");
      dets.push_back(d);
    }
    return dets;
  });
}

namespace {
// Shortest text that reads back as the same double: deterministic and lossless.
void append_number(std::string& out, double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}
}  // namespace

std::string coco_results_json(const std::vector<Detection>& dets) {
  std::string out = "[";
  for (size_t i = 0; i < dets.size(); ++i) {
    const Detection& d = dets[i];
    out += i ? ",\n" : "\n";
    out += "{\"image_id\":" + std::to_string(d.image_id) +
           ",\"category_id\":" + std::to_string(d.category_id) + ",\"bbox\":[";
    for (int k = 0; k < 4; ++k) {
      if (k) out += ',';
      append_number(out, d.bbox[k]);
    }
    out += "],\"score\":";
    append_number(out, d.score);
    out += '}';
  }
  out += dets.empty() ? "]\n" : "\n]\n";
  return out;
}

}  // namespace q8::dataset
