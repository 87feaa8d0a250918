#pragma once
// Strict text helpers shared by parsers: a number that does not parse completely is an error.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace q8 {

std::vector<std::string> split(std::string_view s, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
std::string_view trim(std::string_view s);
bool starts_with(std::string_view s, std::string_view prefix);

std::optional<int64_t> parse_int(std::string_view s);
std::optional<double> parse_double(std::string_view s);

// Shortest decimal text that reads back to the same value (deterministic, lossless).
std::string format_double(double v);
std::string format_float(float v);

template <typename T>
std::string join_numbers(const std::vector<T>& v, std::string_view sep = ",") {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += std::to_string(v[i]);
  }
  return out;
}

}  // namespace q8
