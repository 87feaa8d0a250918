// Convolutions (plain, grouped, transposed, binary, deformable) and pooling. Spatial output
// sizes follow the window arithmetic of the OpenVINO specs: explicit pads, auto_pad
// same_upper/same_lower (output = ceil(in / stride)), valid (no pads), dilations, ceil rounding.
#include <algorithm>

#include "base/error.h"
#include "graph/infer/infer.h"
#include "graph/infer/infer_util.h"

namespace q8::infer {

namespace {

struct Window {
  std::vector<int64_t> kernel, strides, dilations, pads_begin, pads_end;
  std::string auto_pad;
  bool ceil = false;
};

// A list attribute, or `size` copies of `fill` when the node does not set it (optional
// attributes such as MaxPool-1 dilations, or an empty output_padding).
std::vector<int64_t> ints_or(const Node& n, const std::string& name, size_t size, int64_t fill) {
  if (n.has_attr(name) && !n.attr<std::vector<int64_t>>(name).empty())
    return n.attr<std::vector<int64_t>>(name);
  return std::vector<int64_t>(size, fill);
}

// Reads the window attributes for `spatial` dims and checks their lengths.
Window read_window(const Node& n, size_t spatial) {
  Window w;
  w.strides = ints_or(n, "strides", spatial, 1);
  w.dilations = ints_or(n, "dilations", spatial, 1);
  w.pads_begin = ints_or(n, "pads_begin", spatial, 0);
  w.pads_end = ints_or(n, "pads_end", spatial, 0);
  w.auto_pad = n.attr<std::string>("auto_pad");
  if (n.def().attr("rounding_type")) w.ceil = n.attr<std::string>("rounding_type") == "ceil";
  for (const auto* v : {&w.strides, &w.dilations, &w.pads_begin, &w.pads_end})
    if (v->size() != spatial)
      throw_bad_input("strides, dilations and pads must have one value per spatial dim (" +
                      std::to_string(spatial) + ")");
  for (size_t i = 0; i < spatial; ++i)
    if (w.strides[i] <= 0 || w.dilations[i] <= 0) throw_bad_input("strides and dilations must be positive");
  if (w.auto_pad == "valid") std::fill(w.pads_begin.begin(), w.pads_begin.end(), 0);
  if (w.auto_pad == "valid") std::fill(w.pads_end.begin(), w.pads_end.end(), 0);
  return w;
}

bool same_pad(const Window& w) {
  return w.auto_pad == "same_upper" || w.auto_pad == "same_lower";
}

// Output size of a sliding window over one spatial dim of size d.
Dim window_dim(const Window& w, size_t i, const Dim& d, const Dim& kernel) {
  if (!d.is_static() || !kernel.is_static()) return Dim::dynamic();
  int64_t dk = (kernel.min - 1) * w.dilations[i] + 1, s = w.strides[i];
  int64_t pb = w.pads_begin[i], pe = w.pads_end[i];
  if (same_pad(w)) {
    int64_t total = std::max<int64_t>(0, ((d.min + s - 1) / s - 1) * s + dk - d.min);
    pb = w.auto_pad == "same_upper" ? total / 2 : total - total / 2;
    pe = total - pb;
  }
  int64_t out = window_out(d.min, pb + pe, dk, s, w.ceil);
  // Ceil rounding never starts a window in the end padding.
  if (w.ceil && (out - 1) * s >= d.min + pb) --out;
  return Dim::fixed(out);
}

// [N, C_out, spatial...] from the data and the kernel dims (the filters' last `spatial` dims).
PartialShape windowed(const Window& w, const PartialShape& data, Dim c_out, const std::vector<Dim>& kernel) {
  PartialShape out;
  out.dims = {data.dims[0], c_out};
  for (size_t i = 0; i < kernel.size(); ++i)
    out.dims.push_back(window_dim(w, i, data.dims[i + 2], kernel[i]));
  return out;
}

// Where the filters keep the group count and the per-group input / output channels:
// Convolution [C_out, C_in, k...], GroupConvolution [G, C_out/G, C_in/G, k...],
// ConvolutionBackpropData [C_in, C_out, k...], GroupConvolutionBackpropData [G, C_in/G, C_out/G, k...].
struct FilterLayout {
  bool group;
  size_t in_dim, out_dim;
};

FilterLayout layout_of(const Node& n) {
  const std::string& t = n.def().type;
  if (t == "GroupConvolution") return {true, 2, 1};
  if (t == "ConvolutionBackpropData") return {false, 0, 1};
  if (t == "GroupConvolutionBackpropData") return {true, 1, 2};
  return {false, 1, 0};
}

// Checks the data channels against the filters; returns C_out.
Dim channels(const Node& n, const FilterLayout& l, const PartialShape& data, const PartialShape& f) {
  // DeformableConvolution's filters hold C_in / group like a grouped convolution's.
  Dim g = l.group ? f.dims[0]
                  : Dim::fixed(n.def().type == "DeformableConvolution" ? n.attr<int64_t>("group") : 1);
  Dim c_in = dim_mul(g, f.dims[l.in_dim]);
  if (data.dims[1].is_static() && c_in.is_static() && data.dims[1].min != c_in.min)
    throw_bad_input("input channels " + std::to_string(data.dims[1].min) + " of " + data.to_string() +
                    " do not match the filters " + f.to_string() + " (expect " + std::to_string(c_in.min) +
                    ")");
  return l.group ? dim_mul(g, f.dims[l.out_dim]) : f.dims[l.out_dim];
}

// Common checks and the number of spatial dims; nullopt when the ranks are unknown.
std::optional<size_t> conv_spatial(const FilterLayout& l, const PartialShape& data, const PartialShape& f) {
  if (data.rank_dynamic || f.rank_dynamic) return std::nullopt;
  if (data.rank() < 3) throw_bad_input("data must have rank >= 3, got " + data.to_string());
  if (f.rank() != data.rank() + (l.group ? 1 : 0))
    throw_bad_input("filters " + f.to_string() + " do not match the rank of data " + data.to_string());
  return data.rank() - 2;
}

std::vector<Dim> kernel_dims(const PartialShape& f, size_t spatial) {
  return std::vector<Dim>(f.dims.end() - static_cast<long>(spatial), f.dims.end());
}

std::vector<PortInfo> convolution(const Node& n, const InferInputs& in) {
  // DeformableConvolution takes (data, offsets, filters[, mask]); the others (data, filters).
  size_t fi = n.def().type == "DeformableConvolution" ? 2 : 1;
  const PartialShape &data = shape_of(in, 0), &f = shape_of(in, fi);
  FilterLayout l = layout_of(n);
  auto spatial = conv_spatial(l, data, f);
  if (!spatial) {
    size_t rank = n.attr<std::vector<int64_t>>("strides").size() + 2;
    return one(type_of(in, 0), data.rank_dynamic ? dynamic_shape(rank) : dynamic_shape(data.rank()));
  }
  Window w = read_window(n, *spatial);
  return one(type_of(in, 0), windowed(w, data, channels(n, l, data, f), kernel_dims(f, *spatial)));
}

// Transposed convolution: out = stride * (in - 1) + dilated kernel - pads + output_padding,
// or the spatial sizes given by the optional output_shape input (pads then come from auto_pad).
std::vector<PortInfo> backprop(const Node& n, const InferInputs& in) {
  const PartialShape &data = shape_of(in, 0), &f = shape_of(in, 1);
  FilterLayout l = layout_of(n);
  auto spatial = conv_spatial(l, data, f);
  if (!spatial) return one(type_of(in, 0), data.rank_dynamic ? data : dynamic_shape(data.rank()));
  Window w = read_window(n, *spatial);
  auto out_pad = ints_or(n, "output_padding", *spatial, 0);
  if (out_pad.size() != *spatial) throw_bad_input("output_padding must have one value per spatial dim");
  PartialShape out;
  out.dims = {data.dims[0], channels(n, l, data, f)};
  if (has_input(in, 2)) {
    auto sizes = const_ints(in, 2);
    if (sizes && sizes->size() != *spatial)
      throw_bad_input("output_shape has " + std::to_string(sizes->size()) + " values for " +
                      std::to_string(*spatial) + " spatial dims");
    for (size_t i = 0; i < *spatial; ++i)
      out.dims.push_back(sizes ? Dim::fixed((*sizes)[i]) : Dim::dynamic());
    return one(type_of(in, 0), out);
  }
  auto kernel = kernel_dims(f, *spatial);
  for (size_t i = 0; i < *spatial; ++i) {
    const Dim& d = data.dims[i + 2];
    if (!d.is_static() || !kernel[i].is_static()) {
      out.dims.push_back(Dim::dynamic());
      continue;
    }
    // Without output_shape, same_* pads are zero (OpenVINO's reading of the spec).
    int64_t pads = same_pad(w) ? 0 : w.pads_begin[i] + w.pads_end[i];
    int64_t v = w.strides[i] * (d.min - 1) + (kernel[i].min - 1) * w.dilations[i] + 1 - pads + out_pad[i];
    if (v < 0) throw_bad_input("transposed convolution output dim " + std::to_string(i) + " is negative");
    out.dims.push_back(Dim::fixed(v));
  }
  return one(type_of(in, 0), out);
}

std::vector<PortInfo> pooling(const Node& n, const InferInputs& in) {
  const PartialShape& data = shape_of(in, 0);
  const auto& kernel = n.attr<std::vector<int64_t>>("kernel");
  require_rank(data, {3, 4, 5}, "pooling input");
  if (!data.rank_dynamic && kernel.size() != data.rank() - 2)
    throw_bad_input("kernel has " + std::to_string(kernel.size()) + " values for input " + data.to_string());
  PartialShape out = dynamic_shape(kernel.size() + 2);
  if (!data.rank_dynamic) {
    Window w = read_window(n, kernel.size());
    std::vector<Dim> k;
    for (int64_t v : kernel) {
      if (v <= 0) throw_bad_input("kernel must be positive");
      k.push_back(Dim::fixed(v));
    }
    out = windowed(w, data, data.dims[1], k);
  }
  if (n.def().outputs == 2) {
    ElementType it = n.attr<ElementType>("index_element_type");
    return {PortInfo{type_of(in, 0), out, {}}, PortInfo{it, out, {}}};
  }
  return one(type_of(in, 0), out);
}

std::vector<PortInfo> adaptive_pool(const Node& n, const InferInputs& in) {
  const PartialShape& data = shape_of(in, 0);
  require_rank(data, {3, 4, 5}, "adaptive pooling input");
  require_rank(shape_of(in, 1), {1}, "output_shape");
  PartialShape out = data;
  if (!data.rank_dynamic) {
    auto sizes = const_ints(in, 1);
    if (sizes && sizes->size() != data.rank() - 2)
      throw_bad_input("output_shape has " + std::to_string(sizes->size()) + " values for input " +
                      data.to_string());
    for (size_t i = 2; i < data.rank(); ++i)
      out.dims[i] = sizes ? Dim::fixed((*sizes)[i - 2]) : Dim::dynamic();
  }
  if (n.def().outputs == 2)
    return {PortInfo{type_of(in, 0), out, {}}, PortInfo{n.attr<ElementType>("index_element_type"), out, {}}};
  return one(type_of(in, 0), out);
}

}  // namespace

void register_conv(OpRegistry& r) {
  for (const char* t : {"Convolution", "GroupConvolution", "BinaryConvolution", "DeformableConvolution"})
    r.set_infer(t, convolution);
  for (const char* t : {"ConvolutionBackpropData", "GroupConvolutionBackpropData"}) r.set_infer(t, backprop);
  for (const char* t : {"MaxPool", "AvgPool"}) r.set_infer(t, pooling);
  for (const char* t : {"AdaptiveAvgPool", "AdaptiveMaxPool"}) r.set_infer(t, adaptive_pool);
}

}  // namespace q8::infer
