#include "convert/mo_options.h"

#include "base/error.h"
#include "base/strings.h"

namespace q8::tools {
namespace {

// Splits at commas outside brackets/braces: "a[1,2],b" -> "a[1,2]", "b".
std::vector<std::string> split_top_level(const std::string& text) {
  std::vector<std::string> parts;
  std::string cur;
  int depth = 0;
  for (char c : text) {
    if (c == '[' || c == '(' || c == '{') ++depth;
    if (c == ']' || c == ')' || c == '}') --depth;
    if (c == ',' && depth == 0) {
      parts.push_back(std::string(trim(cur)));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!trim(cur).empty()) parts.push_back(std::string(trim(cur)));
  return parts;
}

// Items of "[a,b c]" / "(a, b)": separators are commas and spaces.
std::vector<std::string> bracket_items(std::string_view body) {
  std::vector<std::string> items;
  std::string cur;
  for (char c : body) {
    if (c == ',' || c == ' ') {
      if (!cur.empty()) items.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) items.push_back(cur);
  return items;
}

PartialShape shape_from(std::string_view body, const std::string& whole) {
  PartialShape s;
  for (const auto& item : bracket_items(body)) {
    auto d = parse_dim(item);
    if (!d) throw_usage("cannot read shape '" + whole + "': '" + item + "' is not a dimension");
    s.dims.push_back(*d);
  }
  return s;
}

}  // namespace

std::vector<InputSpec> parse_inputs(const std::string& text) {
  std::vector<InputSpec> specs;
  for (const auto& part : split_top_level(text)) {
    InputSpec spec;
    size_t cut = part.find_first_of("[{");
    spec.name = std::string(trim(part.substr(0, cut)));
    if (spec.name.empty()) throw_usage("--input '" + text + "': an input has no name");
    while (cut != std::string::npos && cut < part.size()) {
      char open = part[cut], close = open == '[' ? ']' : '}';
      size_t end = part.find(close, cut);
      if (end == std::string::npos)
        throw_usage("--input '" + part + "': missing '" + std::string(1, close) + "'");
      std::string body = part.substr(cut + 1, end - cut - 1);
      if (open == '[') {
        spec.shape = shape_from(body, part);
      } else {
        auto t = element_type_from_ir(std::string(trim(body)));
        if (!t) throw_usage("--input '" + part + "': unknown element type '" + body + "'");
        spec.type = *t;
      }
      cut = part.find_first_of("[{", end);
    }
    specs.push_back(spec);
  }
  return specs;
}

std::vector<PartialShape> parse_shapes(const std::string& text) {
  std::vector<PartialShape> shapes;
  for (const auto& part : split_top_level(text)) {
    if (part.size() < 2 ||
        !((part.front() == '[' && part.back() == ']') || (part.front() == '(' && part.back() == ')')))
      throw_usage("--input_shape '" + text + "': expected [d0,d1,...] or (d0,d1,...)");
    shapes.push_back(shape_from(std::string_view(part).substr(1, part.size() - 2), part));
  }
  return shapes;
}

std::vector<std::pair<std::string, std::vector<double>>> parse_named_values(const std::string& text,
                                                                            const std::string& flag) {
  std::vector<std::pair<std::string, std::vector<double>>> out;
  for (const auto& part : split_top_level(text)) {
    size_t open = part.find_first_of("[(");
    size_t close = part.find_last_of("])");
    if (open == std::string::npos || close == std::string::npos || close < open)
      throw_usage(flag + " '" + text + "': expected [v0,v1,...] or name[v0,v1,...]");
    std::vector<double> values;
    for (const auto& item : bracket_items(std::string_view(part).substr(open + 1, close - open - 1))) {
      auto v = parse_double(item);
      if (!v) throw_usage(flag + " '" + text + "': '" + item + "' is not a number");
      values.push_back(*v);
    }
    if (values.empty()) throw_usage(flag + " '" + text + "': no values");
    out.emplace_back(std::string(trim(part.substr(0, open))), values);
  }
  return out;
}

bool is_fp16(const std::string& data_type) {
  if (data_type == "FP16" || data_type == "half") return true;
  if (data_type == "FP32" || data_type == "float") return false;
  throw_usage("--data_type '" + data_type + "': expected FP16, FP32, half or float");
}

}  // namespace q8::tools
