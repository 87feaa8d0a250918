#pragma once
// Shared by the get-annotations tests: fixture paths, runs, and reading the output back.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <simdjson.h>

#include "test_support.h"

namespace q8::test::ann {

inline const std::string kInstances = fixture("coco/instances_small.json");
inline const std::string kPretty = fixture("coco/instances_small_pretty.json");
inline const std::string kValMap = fixture("coco/val_map.txt");
inline const std::string kCalList = fixture("coco/cal_image_list.txt");
inline const std::string kCocoList = fixture("coco/cali.txt");
constexpr int kUsage = 1, kBadInput = 2;

inline RunResult run(const std::vector<std::string>& args) {
  return run_tool("get-annotations", args);
}

// A list file with one name per line.
inline std::string write_list(const TempDir& dir, const std::string& name,
                              const std::vector<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += n + "\n";
  write(dir.file(name), text);
  return dir.file(name);
}

// The ids of the objects of array `key` in a COCO json, in order.
inline std::vector<int64_t> ids(const std::string& json, const char* key, const char* field = "id") {
  simdjson::dom::parser p;
  std::vector<int64_t> out;
  for (auto e : p.parse(json).get_object()[key].get_array()) out.push_back(e[field].get_int64().value());
  return out;
}

// Top-level keys in order.
inline std::vector<std::string> keys(const std::string& json) {
  simdjson::dom::parser p;
  std::vector<std::string> out;
  for (auto f : p.parse(json).get_object()) out.emplace_back(f.key);
  return out;
}

// Compact text of a top-level value.
inline std::string value_text(const std::string& json, const char* key) {
  simdjson::dom::parser p;
  return simdjson::minify(p.parse(json).get_object()[key].value());
}

// No output file and no temporary left beside it.
inline void expect_nothing_written(const TempDir& dir, const std::string& out) {
  EXPECT_FALSE(exists(out));
  for (const auto& f : list_dir(dir.path())) EXPECT_EQ(f.find(".tmp"), std::string::npos) << f;
}

// Runs, expects exit `code`, stderr containing each of `parts`, no output file.
inline std::string expect_failure(const TempDir& dir, const std::string& out,
                                  const std::vector<std::string>& args, int code,
                                  const std::vector<std::string>& parts) {
  auto r = run(args);
  EXPECT_EQ(r.exit_code, code) << r.err;
  for (const auto& p : parts)
    EXPECT_NE(r.err.find(p), std::string::npos) << "missing '" << p << "' in: " << r.err;
  expect_nothing_written(dir, out);
  return r.err;
}

}  // namespace q8::test::ann
