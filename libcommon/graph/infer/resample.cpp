// Interpolate-1/4 (resize some axes to given sizes or by scales) and ExtractImagePatches.
#include <cmath>

#include "base/error.h"
#include "graph/infer/infer.h"
#include "graph/infer/infer_util.h"

namespace q8::infer {

namespace {

// Interpolate-1: input 1 holds the new sizes of the `axes` attribute's dims.
std::vector<PortInfo> interpolate1(const Node& n, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  if (s.rank_dynamic) return one(type_of(in, 0), s);
  auto axes = normalize_axes(n.attr<std::vector<int64_t>>("axes"), static_cast<int64_t>(s.rank()), "axis");
  auto sizes = const_ints(in, 1);
  if (sizes && sizes->size() != axes.size())
    throw_bad_input("target spatial shape has " + std::to_string(sizes->size()) + " values for " +
                    std::to_string(axes.size()) + " axes");
  PartialShape out = s;
  for (size_t i = 0; i < axes.size(); ++i)
    out.dims[static_cast<size_t>(axes[i])] = sizes ? Dim::fixed((*sizes)[i]) : Dim::dynamic();
  return one(type_of(in, 0), out);
}

// The data shape after Interpolate-4's pads_begin/pads_end (shorter pad lists mean zeros).
PartialShape padded(const Node& n, const PartialShape& s) {
  PartialShape out = s;
  const auto &pb = n.attr<std::vector<int64_t>>("pads_begin"), &pe = n.attr<std::vector<int64_t>>("pads_end");
  for (size_t i = 0; i < s.rank(); ++i) {
    int64_t p = (i < pb.size() ? pb[i] : 0) + (i < pe.size() ? pe[i] : 0);
    if (p == 0) continue;
    out.dims[i] = s.dims[i].is_static() ? Dim::fixed(s.dims[i].min + p) : Dim::dynamic();
    if (out.dims[i].is_static() && out.dims[i].min < 0) throw_bad_input("pads make a dim negative");
  }
  return out;
}

// Interpolate-4: (data, sizes, scales[, axes]); shape_calculation_mode picks sizes or scales.
std::vector<PortInfo> interpolate4(const Node& n, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  if (s.rank_dynamic) return one(type_of(in, 0), s);
  PartialShape out = padded(n, s);
  std::vector<int64_t> axes;
  if (has_input(in, 3)) {
    auto a = const_ints(in, 3);
    if (!a) return one(type_of(in, 0), dynamic_shape(s.rank()));
    axes = normalize_axes(*a, static_cast<int64_t>(s.rank()), "axis");
  } else {
    for (size_t i = 0; i < s.rank(); ++i) axes.push_back(static_cast<int64_t>(i));
  }
  bool by_sizes = n.attr<std::string>("shape_calculation_mode") == "sizes";
  auto sizes = const_ints(in, 1);
  auto scales = const_floats(in, 2);
  size_t given = by_sizes ? (sizes ? sizes->size() : axes.size()) : (scales ? scales->size() : axes.size());
  if (given != axes.size())
    throw_bad_input(std::string(by_sizes ? "sizes" : "scales") + " has " + std::to_string(given) +
                    " values for " + std::to_string(axes.size()) + " axes");
  for (size_t i = 0; i < axes.size(); ++i) {
    Dim& d = out.dims[static_cast<size_t>(axes[i])];
    if (by_sizes) {
      d = sizes ? Dim::fixed((*sizes)[i]) : Dim::dynamic();
    } else if (!scales || !d.is_static()) {
      d = Dim::dynamic();
    } else {
      // A small epsilon keeps e.g. 3 * (5/3.0) from flooring to 4.
      d = Dim::fixed(static_cast<int64_t>(std::floor(static_cast<double>(d.min) * (*scales)[i] + 1e-5)));
    }
  }
  return one(type_of(in, 0), out);
}

// ExtractImagePatches: [N, C, H, W] -> [N, C * size_r * size_c, patches along H, patches along W].
std::vector<PortInfo> extract_image_patches(const Node& n, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  require_rank(s, {4}, "ExtractImagePatches input");
  const auto &sizes = n.attr<std::vector<int64_t>>("sizes"),
             &strides = n.attr<std::vector<int64_t>>("strides"),
             &rates = n.attr<std::vector<int64_t>>("rates");
  if (sizes.size() != 2 || strides.size() != 2 || rates.size() != 2)
    throw_bad_input("sizes, strides and rates must have two values each");
  if (s.rank_dynamic) return one(type_of(in, 0), dynamic_shape(4));
  bool valid = n.attr<std::string>("auto_pad") == "valid";
  PartialShape out;
  out.dims = {s.dims[0], dim_mul(s.dims[1], Dim::fixed(sizes[0] * sizes[1]))};
  for (size_t i = 0; i < 2; ++i) {
    const Dim& d = s.dims[i + 2];
    if (strides[i] <= 0 || rates[i] <= 0 || sizes[i] <= 0)
      throw_bad_input("sizes, strides, rates must be positive");
    if (!d.is_static()) {
      out.dims.push_back(Dim::dynamic());
      continue;
    }
    int64_t dk = (sizes[i] - 1) * rates[i] + 1;
    int64_t v =
        valid ? (d.min < dk ? 0 : (d.min - dk) / strides[i] + 1) : (d.min + strides[i] - 1) / strides[i];
    out.dims.push_back(Dim::fixed(v));
  }
  return one(type_of(in, 0), out);
}

}  // namespace

void register_resample(OpRegistry& r) {
  r.set_infer("Interpolate", interpolate1, 1);
  r.set_infer("Interpolate", interpolate4, 4);
  r.set_infer("ExtractImagePatches", extract_image_patches);
}

}  // namespace q8::infer
