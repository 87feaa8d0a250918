// StridedSlice-1 (with its five masks) and Slice-8. Bounds follow Python slicing: negative
// indices count from the end, out-of-range bounds are clamped, the step may be negative.
#include <algorithm>
#include <optional>

#include "base/error.h"
#include "graph/infer/infer.h"
#include "graph/infer/infer_util.h"

namespace q8::infer {

namespace {

// A bound of one slice; nullopt when it is ignored (mask bit set) and the full range applies.
using Bound = std::optional<int64_t>;

// Length of data[begin:end:step] along a dim of size d.
int64_t slice_length(int64_t d, Bound begin, Bound end, int64_t step) {
  if (step == 0) throw_bad_input("slice step must not be zero");
  auto resolve = [d](int64_t v, int64_t lo, int64_t hi) { return std::clamp(v < 0 ? v + d : v, lo, hi); };
  if (step > 0) {
    int64_t b = begin ? resolve(*begin, 0, d) : 0;
    int64_t e = end ? resolve(*end, 0, d) : d;
    return e > b ? (e - b + step - 1) / step : 0;
  }
  int64_t b = begin ? resolve(*begin, -1, d - 1) : d - 1;
  int64_t e = end ? resolve(*end, -1, d - 1) : -1;
  return b > e ? (b - e - step - 1) / -step : 0;
}

Dim slice_dim(const Dim& d, Bound begin, Bound end, int64_t step) {
  if (!d.is_static()) return Dim::dynamic();
  return Dim::fixed(slice_length(d.min, begin, end, step));
}

bool bit(const std::vector<int64_t>& mask, size_t i) {
  return i < mask.size() && mask[i] != 0;
}

struct Spec {  // StridedSlice's per-entry inputs, when Const
  std::optional<std::vector<int64_t>> begin, end, stride;
  std::vector<int64_t> begin_mask, end_mask, new_axis, shrink, ellipsis;
};

// The output dim of entry i that slices input dim d.
Dim strided_dim(const Spec& sp, size_t i, const Dim& d) {
  if (!sp.begin || !sp.end || !sp.stride) return Dim::dynamic();
  Bound b = bit(sp.begin_mask, i) ? Bound{} : Bound{(*sp.begin)[i]};
  Bound e = bit(sp.end_mask, i) ? Bound{} : Bound{(*sp.end)[i]};
  return slice_dim(d, b, e, (*sp.stride)[i]);
}

PartialShape strided_shape(const Spec& sp, const PartialShape& s, size_t entries) {
  PartialShape out;
  size_t axis = 0;
  bool seen_ellipsis = false;
  for (size_t i = 0; i < entries; ++i) {
    if (bit(sp.ellipsis, i) && !seen_ellipsis) {
      // The ellipsis stands for the input dims the entries after it do not consume.
      seen_ellipsis = true;
      size_t after = 0;
      for (size_t j = i + 1; j < entries; ++j) after += bit(sp.new_axis, j) ? 0 : 1;
      while (axis + after < s.rank()) out.dims.push_back(s.dims[axis++]);
    } else if (bit(sp.new_axis, i)) {
      out.dims.push_back(Dim::fixed(1));
    } else {
      if (axis >= s.rank())
        throw_bad_input("StridedSlice has more entries than the " + std::to_string(s.rank()) + " input dims");
      const Dim& d = s.dims[axis++];
      if (!bit(sp.shrink, i)) out.dims.push_back(strided_dim(sp, i, d));
    }
  }
  while (axis < s.rank()) out.dims.push_back(s.dims[axis++]);
  return out;
}

std::vector<PortInfo> strided_slice(const Node& n, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  Spec sp{const_ints(in, 1),
          const_ints(in, 2),
          has_input(in, 3) ? const_ints(in, 3) : std::nullopt,
          n.attr<std::vector<int64_t>>("begin_mask"),
          n.attr<std::vector<int64_t>>("end_mask"),
          n.attr<std::vector<int64_t>>("new_axis_mask"),
          n.attr<std::vector<int64_t>>("shrink_axis_mask"),
          n.attr<std::vector<int64_t>>("ellipsis_mask")};
  std::optional<size_t> entries =
      sp.begin ? std::optional<size_t>(sp.begin->size()) : length_of_1d(in, 1, "begin");
  if (!has_input(in, 3) && entries) sp.stride = std::vector<int64_t>(*entries, 1);
  for (const auto* v : {&sp.end, &sp.stride})
    if (*v && entries && (*v)->size() != *entries)
      throw_bad_input("begin, end and stride must have the same length");
  if (s.rank_dynamic || !entries) return one(type_of(in, 0), PartialShape::dynamic_rank());
  return one(type_of(in, 0), strided_shape(sp, s, *entries));
}

std::vector<PortInfo> slice(const Node&, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  for (size_t i = 1; i < in.ports.size(); ++i)
    require_rank(shape_of(in, i), {1}, "Slice input " + std::to_string(i));
  if (s.rank_dynamic) return one(type_of(in, 0), s);
  auto start = const_ints(in, 1), stop = const_ints(in, 2), step = const_ints(in, 3);
  std::optional<std::vector<int64_t>> axes;
  if (has_input(in, 4)) {
    axes = const_ints(in, 4);
    if (!axes) return one(type_of(in, 0), dynamic_shape(s.rank()));
  } else if (start) {
    axes = std::vector<int64_t>(start->size());
    for (size_t i = 0; i < axes->size(); ++i) (*axes)[i] = static_cast<int64_t>(i);
  }
  PartialShape out = s;
  if (!axes) return one(type_of(in, 0), dynamic_shape(s.rank()));
  auto norm = normalize_axes(*axes, static_cast<int64_t>(s.rank()), "axis");
  for (const auto* v : {&start, &stop, &step})
    if (*v && (*v)->size() != norm.size())
      throw_bad_input("start, stop, step and axes must have the same length");
  for (size_t i = 0; i < norm.size(); ++i) {
    auto a = static_cast<size_t>(norm[i]);
    out.dims[a] =
        start && stop && step ? slice_dim(s.dims[a], (*start)[i], (*stop)[i], (*step)[i]) : Dim::dynamic();
  }
  return one(type_of(in, 0), out);
}

}  // namespace

void register_slice(OpRegistry& r) {
  r.set_infer("StridedSlice", strided_slice);
  r.set_infer("Slice", slice);
}

}  // namespace q8::infer
