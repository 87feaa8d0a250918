#include "graph/attribute.h"

#include <cmath>

#include "base/strings.h"

namespace q8 {

const char* kind_name(AttrKind kind) {
  switch (kind) {
    case AttrKind::kBool:
      return "bool";
    case AttrKind::kInt:
      return "int";
    case AttrKind::kFloat:
      return "float";
    case AttrKind::kString:
      return "string";
    case AttrKind::kInts:
      return "int list";
    case AttrKind::kFloats:
      return "float list";
    case AttrKind::kStrings:
      return "string list";
    case AttrKind::kElementType:
      return "element type";
    case AttrKind::kShape:
      return "shape";
  }
  return "?";
}

namespace {
struct ToText {
  std::string operator()(bool b) const { return b ? "true" : "false"; }
  std::string operator()(int64_t i) const { return std::to_string(i); }
  std::string operator()(double d) const { return format_double(d); }
  std::string operator()(const std::string& s) const { return s; }
  std::string operator()(const std::vector<int64_t>& v) const { return join_numbers(v); }
  std::string operator()(const std::vector<double>& v) const {
    std::vector<std::string> parts;
    for (double d : v) parts.push_back(format_double(d));
    return join(parts, ",");
  }
  std::string operator()(const std::vector<std::string>& v) const { return join(v, ","); }
  std::string operator()(ElementType t) const { return to_string(t); }
  std::string operator()(const PartialShape& p) const {
    if (p.rank_dynamic) return "...";
    std::vector<std::string> parts;
    for (const auto& d : p.dims) parts.push_back(d.to_string());
    return join(parts, ",");
  }
};

std::vector<std::string> list_items(std::string_view text) {
  std::vector<std::string> items;
  if (trim(text).empty()) return items;
  for (auto& s : split(text, ',')) items.emplace_back(trim(s));
  return items;
}
}  // namespace

std::string attr_to_text(const AttrValue& v) {
  return std::visit(ToText{}, v);
}

std::optional<AttrValue> attr_from_text(AttrKind kind, std::string_view text) {
  std::string_view t = trim(text);
  switch (kind) {
    case AttrKind::kBool:
      if (t == "true" || t == "True" || t == "1") return AttrValue(true);
      if (t == "false" || t == "False" || t == "0") return AttrValue(false);
      return std::nullopt;
    case AttrKind::kInt: {
      auto v = parse_int(t);
      if (!v) return std::nullopt;
      return AttrValue(*v);
    }
    case AttrKind::kFloat: {
      auto v = parse_double(t);
      if (!v) return std::nullopt;
      return AttrValue(*v);
    }
    case AttrKind::kString:
      return AttrValue(std::string(text));
    case AttrKind::kInts: {
      std::vector<int64_t> out;
      for (const auto& s : list_items(t)) {
        auto v = parse_int(s);
        if (!v) {  // some IR writers print integer lists as "1.0,1.0"
          auto d = parse_double(s);
          // Whole numbers within int64 only (nan, inf and 1e300 cannot be converted: found by fuzzing).
          if (!d || !(std::fabs(*d) < 9.2e18) || *d != std::trunc(*d)) return std::nullopt;
          v = static_cast<int64_t>(*d);
        }
        out.push_back(*v);
      }
      return AttrValue(std::move(out));
    }
    case AttrKind::kFloats: {
      std::vector<double> out;
      for (const auto& s : list_items(t)) {
        auto v = parse_double(s);
        if (!v) return std::nullopt;
        out.push_back(*v);
      }
      return AttrValue(std::move(out));
    }
    case AttrKind::kStrings:
      return AttrValue(list_items(t));
    case AttrKind::kElementType: {
      auto e = element_type_from_ir(t);
      if (!e) return std::nullopt;
      return AttrValue(*e);
    }
    case AttrKind::kShape: {
      auto p = parse_partial_shape(t);
      if (!p) return std::nullopt;
      return AttrValue(std::move(*p));
    }
  }
  return std::nullopt;
}

}  // namespace q8
