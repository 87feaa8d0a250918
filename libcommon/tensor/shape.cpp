#include "tensor/shape.h"

#include "base/error.h"
#include "base/strings.h"

namespace q8 {

int64_t num_elements(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) {
    if (d < 0) throw_internal("num_elements of a shape with a negative dim " + to_string(s));
    if (__builtin_mul_overflow(n, d, &n))
      throw_bad_input("shape " + to_string(s) + " has more elements than a 64-bit count holds");
  }
  return n;
}

std::string to_string(const Shape& s) {
  return "[" + join_numbers(s) + "]";
}

std::optional<Shape> broadcast_shapes(const Shape& a, const Shape& b) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) return std::nullopt;
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::string Dim::to_string() const {
  if (is_static()) return std::to_string(min);
  if (min == 0 && max == -1) return "?";
  return (min > 0 ? std::to_string(min) : "") + ".." + (max >= 0 ? std::to_string(max) : "");
}

bool compatible(const Dim& a, const Dim& b) {
  int64_t lo = std::max(a.min, b.min);
  int64_t ahi = a.max < 0 ? INT64_MAX : a.max, bhi = b.max < 0 ? INT64_MAX : b.max;
  return lo <= std::min(ahi, bhi);
}

PartialShape::PartialShape(const Shape& s) {
  for (int64_t d : s) dims.push_back(Dim::fixed(d));
}

bool PartialShape::is_static() const {
  if (rank_dynamic) return false;
  for (const auto& d : dims)
    if (!d.is_static()) return false;
  return true;
}

Shape PartialShape::to_shape() const {
  if (!is_static()) throw_internal("shape " + to_string() + " is not static");
  Shape s;
  for (const auto& d : dims) s.push_back(d.min);
  return s;
}

std::string PartialShape::to_string() const {
  if (rank_dynamic) return "[...]";
  std::vector<std::string> parts;
  for (const auto& d : dims) parts.push_back(d.to_string());
  return "[" + join(parts, ",") + "]";
}

bool compatible(const PartialShape& a, const PartialShape& b) {
  if (a.rank_dynamic || b.rank_dynamic) return true;
  if (a.rank() != b.rank()) return false;
  for (size_t i = 0; i < a.rank(); ++i)
    if (!compatible(a.dims[i], b.dims[i])) return false;
  return true;
}

std::optional<Dim> parse_dim(std::string_view s) {
  s = trim(s);
  if (s == "?" || s == "-1") return Dim::dynamic();
  size_t dots = s.find("..");
  if (dots == std::string_view::npos) {
    auto v = parse_int(s);
    if (!v || *v < 0) return std::nullopt;
    return Dim::fixed(*v);
  }
  Dim d;
  std::string_view lo = s.substr(0, dots), hi = s.substr(dots + 2);
  if (!lo.empty()) {
    auto v = parse_int(lo);
    if (!v || *v < 0) return std::nullopt;
    d.min = *v;
  }
  if (!hi.empty()) {
    auto v = parse_int(hi);
    if (!v || *v < d.min) return std::nullopt;
    d.max = *v;
  }
  return d;
}

std::optional<PartialShape> parse_partial_shape(std::string_view s) {
  s = trim(s);
  if (s == "...") return PartialShape::dynamic_rank();
  PartialShape p;
  if (s.empty()) return p;
  for (const auto& part : split(s, ',')) {
    auto d = parse_dim(part);
    if (!d) return std::nullopt;
    p.dims.push_back(*d);
  }
  return p;
}

}  // namespace q8
