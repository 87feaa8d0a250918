#pragma once
// Static shapes (std::vector<int64_t>) for tensors with data, and partial shapes for
// ports of a model, whose dims may be dynamic or bounded ("?", "1..10" in IR v11).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace q8 {

using Shape = std::vector<int64_t>;

int64_t num_elements(const Shape& s);   // 1 for a scalar; error on negative dims
std::string to_string(const Shape& s);  // "[1,3,224,224]"
// NumPy-style broadcast of two static shapes; nullopt when incompatible.
std::optional<Shape> broadcast_shapes(const Shape& a, const Shape& b);

// One dimension: static when min == max; max == -1 means unbounded.
struct Dim {
  int64_t min = 0;
  int64_t max = -1;

  static Dim fixed(int64_t v) { return {v, v}; }
  static Dim dynamic() { return {0, -1}; }
  bool is_static() const { return min == max && min >= 0; }
  bool operator==(const Dim&) const = default;
  // "5", "?" (IR v10 writes dynamic dims as -1), "1..10", "2.."
  std::string to_string() const;
};

// Dims compatible: equal, or either dynamic/bounded with overlapping range.
bool compatible(const Dim& a, const Dim& b);

struct PartialShape {
  bool rank_dynamic = false;
  std::vector<Dim> dims;

  PartialShape() = default;
  PartialShape(const Shape& s);  // NOLINT: a static shape is a partial shape
  static PartialShape dynamic_rank() {
    PartialShape p;
    p.rank_dynamic = true;
    return p;
  }
  bool is_static() const;
  Shape to_shape() const;  // error unless is_static()
  size_t rank() const { return dims.size(); }
  bool operator==(const PartialShape&) const = default;
  std::string to_string() const;  // "[1,?,224,224]" or "[...]"
};

bool compatible(const PartialShape& a, const PartialShape& b);

// Parses one IR dim: "5", "-1", "?", "1..10", "..10", "2..". nullopt when malformed.
std::optional<Dim> parse_dim(std::string_view s);
// Parses a comma-separated IR shape attribute ("1,3,224,224", "" for a scalar, "..." dynamic rank).
std::optional<PartialShape> parse_partial_shape(std::string_view s);

}  // namespace q8
