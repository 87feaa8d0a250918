// Convolution, GroupConvolution and their backprop-data (transposed) forms, for 1-3
// spatial dims. Forward: im2col + one Eigen GEMM per (batch, group). Transposed: one
// GEMM per (batch, group) into columns, then col2im accumulation. Spatial dims are
// padded to 3 (size 1, stride 1) so one loop nest serves every rank.
#include <Eigen/Core>

#include "runtime/ref/families.h"
#include "runtime/ref/util.h"

namespace q8::ref {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMatrix>;
using MutableMap = Eigen::Map<RowMatrix>;

// Geometry of one convolution, spatial dims right-aligned into 3 (leading ones are 1).
struct Geometry {
  int64_t batch = 1, groups = 1, in_c = 0, out_c = 0;  // channels per group
  Dims3 in{1, 1, 1}, out{1, 1, 1}, kernel{1, 1, 1}, stride{1, 1, 1}, dilation{1, 1, 1}, pad{0, 0, 0};
  int64_t in_size() const { return in[0] * in[1] * in[2]; }
  int64_t out_size() const { return out[0] * out[1] * out[2]; }
  int64_t kernel_size() const { return kernel[0] * kernel[1] * kernel[2]; }
};

std::vector<int64_t> spatial_attr(const Node& n, const std::string& name, size_t rank, int64_t def) {
  std::vector<int64_t> v = n.has_attr(name) || (n.def().attr(name) && n.def().attr(name)->default_value)
                               ? n.attr<std::vector<int64_t>>(name)
                               : std::vector<int64_t>{};
  if (v.empty()) v.assign(rank, def);
  if (v.size() != rank)
    throw_bad_input("attribute " + name + " has " + std::to_string(v.size()) + " values, expected " +
                    std::to_string(rank));
  return v;
}

std::string auto_pad_of(const Node& n) {
  std::string a = n.attr<std::string>("auto_pad");
  return a == "notset" ? "explicit" : a;
}

// Forward pads: explicit from attributes, "same_*" so that out = ceil(in / stride).
void forward_pads(const Node& n, const std::vector<int64_t>& in, const std::vector<int64_t>& k_eff,
                  const std::vector<int64_t>& stride, std::vector<int64_t>& begin,
                  std::vector<int64_t>& end) {
  size_t rank = in.size();
  std::string mode = auto_pad_of(n);
  begin = spatial_attr(n, "pads_begin", rank, 0);
  end = spatial_attr(n, "pads_end", rank, 0);
  if (mode == "valid") begin = end = std::vector<int64_t>(rank, 0);
  if (mode != "same_upper" && mode != "same_lower") return;
  for (size_t d = 0; d < rank; ++d) {
    int64_t out = (in[d] + stride[d] - 1) / stride[d];
    int64_t total = std::max<int64_t>((out - 1) * stride[d] + k_eff[d] - in[d], 0);
    begin[d] = mode == "same_upper" ? total / 2 : total - total / 2;
    end[d] = total - begin[d];
  }
}

// Fills the spatial part of g from data [N, C, spatial...] and kernel spatial dims.
Geometry forward_geometry(const Node& n, const Shape& x, const Shape& kernel_spatial) {
  size_t rank = x.size() - 2;
  if (rank < 1 || rank > kDims) throw_bad_input("convolution needs 1 to 3 spatial dims, got " + to_string(x));
  auto stride = spatial_attr(n, "strides", rank, 1), dil = spatial_attr(n, "dilations", rank, 1);
  std::vector<int64_t> in(x.begin() + 2, x.end()), k_eff(rank), begin, end;
  for (size_t d = 0; d < rank; ++d) k_eff[d] = (kernel_spatial[d] - 1) * dil[d] + 1;
  forward_pads(n, in, k_eff, stride, begin, end);
  Geometry g;
  g.batch = x[0];
  for (size_t d = 0; d < rank; ++d) {
    size_t s = kDims - rank + d;
    int64_t span = in[d] + begin[d] + end[d] - k_eff[d];
    if (span < 0) throw_bad_input("the kernel is larger than the padded input " + to_string(x));
    g.in[s] = in[d];
    g.kernel[s] = kernel_spatial[d];
    g.stride[s] = stride[d];
    g.dilation[s] = dil[d];
    g.pad[s] = begin[d];
    g.out[s] = span / stride[d] + 1;
  }
  return g;
}

// col [in_c * K, out_size] for the in_c channels starting at x.
void im2col(const Geometry& g, const float* x, float* col) {
  for (int64_t c = 0; c < g.in_c; ++c)
    for (int64_t kd = 0; kd < g.kernel[0]; ++kd)
      for (int64_t kh = 0; kh < g.kernel[1]; ++kh)
        for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
          const float* plane = x + c * g.in_size();
          for (int64_t od = 0; od < g.out[0]; ++od) {
            int64_t id = od * g.stride[0] - g.pad[0] + kd * g.dilation[0];
            for (int64_t oh = 0; oh < g.out[1]; ++oh, col += g.out[2]) {
              int64_t ih = oh * g.stride[1] - g.pad[1] + kh * g.dilation[1];
              bool row_inside = id >= 0 && id < g.in[0] && ih >= 0 && ih < g.in[1];
              for (int64_t ow = 0; ow < g.out[2]; ++ow) {
                int64_t iw = ow * g.stride[2] - g.pad[2] + kw * g.dilation[2];
                col[ow] =
                    row_inside && iw >= 0 && iw < g.in[2] ? plane[(id * g.in[1] + ih) * g.in[2] + iw] : 0.f;
              }
            }
          }
        }
}

// Accumulates col [out_c * K, in_size] (the transposed conv's columns) into y [out_c, out spatial].
void col2im(const Geometry& g, const float* col, float* y) {
  for (int64_t c = 0; c < g.out_c; ++c)
    for (int64_t kd = 0; kd < g.kernel[0]; ++kd)
      for (int64_t kh = 0; kh < g.kernel[1]; ++kh)
        for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
          float* plane = y + c * g.out_size();
          for (int64_t id = 0; id < g.in[0]; ++id) {
            int64_t od = id * g.stride[0] - g.pad[0] + kd * g.dilation[0];
            for (int64_t ih = 0; ih < g.in[1]; ++ih, col += g.in[2]) {
              int64_t oh = ih * g.stride[1] - g.pad[1] + kh * g.dilation[1];
              if (od < 0 || od >= g.out[0] || oh < 0 || oh >= g.out[1]) continue;
              for (int64_t iw = 0; iw < g.in[2]; ++iw) {
                int64_t ow = iw * g.stride[2] - g.pad[2] + kw * g.dilation[2];
                if (ow >= 0 && ow < g.out[2]) plane[(od * g.out[1] + oh) * g.out[2] + ow] += col[iw];
              }
            }
          }
        }
}

Shape output_dims(const Geometry& g, int64_t channels, size_t rank) {
  Shape s{g.batch, channels};
  for (size_t d = kDims - rank; d < kDims; ++d) s.push_back(g.out[d]);
  return s;
}

// Checks data/weights ranks and returns the weights' spatial dims; `lead` is the number of
// leading (group/channel) weight dims.
Shape weight_spatial(const Shape& xs, const Shape& ws, bool grouped) {
  size_t lead = grouped ? 3 : 2;
  if (xs.size() < 3 || ws.size() != xs.size() + (grouped ? 1 : 0))
    throw_bad_input("data " + to_string(xs) + " and weights " + to_string(ws) + " ranks do not match");
  return Shape(ws.begin() + static_cast<int64_t>(lead), ws.end());
}

// Fills groups and channel counts from the weights ([G,] first, second, k...) and checks the
// data's channels; forward weights are [out, in], backprop-data weights [in, out].
void set_channels(Geometry& g, const Shape& xs, const Shape& ws, bool grouped, bool out_first) {
  size_t lead = grouped ? 3 : 2;
  g.groups = grouped ? ws[0] : 1;
  g.out_c = ws[out_first ? lead - 2 : lead - 1];
  g.in_c = ws[out_first ? lead - 1 : lead - 2];
  if (g.in_c * g.groups != xs[1])
    throw_bad_input("weights " + to_string(ws) + " expect " + std::to_string(g.in_c * g.groups) +
                    " input channels, data has " + to_string(xs));
}

// Weights as [groups, out_c, in_c, k...] for both Convolution ([O, I, k...]) and GroupConvolution.
std::vector<Tensor> convolution(const Node& n, const std::vector<Tensor>& in, bool grouped) {
  expect_inputs(in, 2);
  const Shape& xs = in[0].shape();
  const Shape& ws = in[1].shape();
  Geometry g = forward_geometry(n, xs, weight_spatial(xs, ws, grouped));
  set_channels(g, xs, ws, grouped, /*out_first=*/true);
  std::vector<float> x = to_floats(in[0]), w = to_floats(in[1]);
  const int64_t rows = g.in_c * g.kernel_size(), cols = g.out_size();
  Shape out_shape = output_dims(g, g.out_c * g.groups, xs.size() - 2);
  Tensor out(ElementType::kF32, out_shape);
  std::vector<float> col(static_cast<size_t>(rows * cols));
  for (int64_t b = 0; b < g.batch; ++b)
    for (int64_t gr = 0; gr < g.groups; ++gr) {
      im2col(g, x.data() + (b * g.groups + gr) * g.in_c * g.in_size(), col.data());
      ConstMap wm(w.data() + gr * g.out_c * rows, g.out_c, rows);
      ConstMap cm(col.data(), rows, cols);
      MutableMap ym(out.mutable_data<float>() + (b * g.groups + gr) * g.out_c * cols, g.out_c, cols);
      ym.noalias() = wm * cm;
    }
  return {in[0].type() == ElementType::kF32 ? out : convert(out, in[0].type())};
}

std::vector<Tensor> conv(const Node& n, const std::vector<Tensor>& in) {
  return convolution(n, in, false);
}
std::vector<Tensor> group_conv(const Node& n, const std::vector<Tensor>& in) {
  return convolution(n, in, true);
}

// Transposed geometry: `in` is the data's spatial size, `out` the result's.
Geometry backprop_geometry(const Node& n, const std::vector<Tensor>& in, const Shape& kernel_spatial) {
  const Shape& xs = in[0].shape();
  size_t rank = xs.size() - 2;
  if (rank < 1 || rank > kDims)
    throw_bad_input("convolution needs 1 to 3 spatial dims, got " + to_string(xs));
  auto stride = spatial_attr(n, "strides", rank, 1), dil = spatial_attr(n, "dilations", rank, 1);
  auto begin = spatial_attr(n, "pads_begin", rank, 0), end = spatial_attr(n, "pads_end", rank, 0);
  auto out_pad = spatial_attr(n, "output_padding", rank, 0);
  std::string mode = auto_pad_of(n);
  std::vector<int64_t> given = in.size() > 2 ? to_ints(in[2]) : std::vector<int64_t>{};
  if (in.size() > 2 && given.size() != rank)
    throw_bad_input("output_shape must have " + std::to_string(rank) + " values, got " +
                    to_string(in[2].shape()));
  Geometry g;
  g.batch = xs[0];
  for (size_t d = 0; d < rank; ++d) {
    size_t s = kDims - rank + d;
    int64_t full = stride[d] * (xs[2 + d] - 1) + (kernel_spatial[d] - 1) * dil[d] + 1 + out_pad[d];
    if (mode != "explicit") begin[d] = end[d] = 0;
    if (!given.empty() && (mode == "same_upper" || mode == "same_lower")) {
      int64_t total = std::max<int64_t>(full - given[d], 0);
      end[d] = mode == "same_upper" ? total / 2 : total - total / 2;
      begin[d] = total - end[d];
    }
    g.in[s] = xs[2 + d];
    g.kernel[s] = kernel_spatial[d];
    g.stride[s] = stride[d];
    g.dilation[s] = dil[d];
    g.pad[s] = begin[d];
    g.out[s] = given.empty() ? full - begin[d] - end[d] : given[d];
    if (g.out[s] <= 0) throw_bad_input("transposed convolution output would be empty");
  }
  return g;
}

// Weights as [groups, in_c, out_c, k...] for ConvolutionBackpropData ([I, O, k...]) and the group form.
std::vector<Tensor> backprop(const Node& n, const std::vector<Tensor>& in, bool grouped) {
  expect_inputs(in, 2);
  const Shape& xs = in[0].shape();
  const Shape& ws = in[1].shape();
  Geometry g = backprop_geometry(n, in, weight_spatial(xs, ws, grouped));
  set_channels(g, xs, ws, grouped, /*out_first=*/false);
  std::vector<float> x = to_floats(in[0]), w = to_floats(in[1]);
  const int64_t rows = g.out_c * g.kernel_size(), cols = g.in_size();
  Tensor out(ElementType::kF32, output_dims(g, g.out_c * g.groups, xs.size() - 2));
  RowMatrix col(rows, cols);
  for (int64_t b = 0; b < g.batch; ++b)
    for (int64_t gr = 0; gr < g.groups; ++gr) {
      ConstMap wm(w.data() + gr * g.in_c * rows, g.in_c, rows);
      ConstMap xm(x.data() + (b * g.groups + gr) * g.in_c * cols, g.in_c, cols);
      col.noalias() = wm.transpose() * xm;
      col2im(g, col.data(), out.mutable_data<float>() + (b * g.groups + gr) * g.out_c * g.out_size());
    }
  return {in[0].type() == ElementType::kF32 ? out : convert(out, in[0].type())};
}

std::vector<Tensor> conv_backprop(const Node& n, const std::vector<Tensor>& in) {
  return backprop(n, in, false);
}
std::vector<Tensor> group_conv_backprop(const Node& n, const std::vector<Tensor>& in) {
  return backprop(n, in, true);
}

}  // namespace

void register_conv(KernelTable& t) {
  t.add("Convolution", conv);
  t.add("GroupConvolution", group_conv);
  t.add("ConvolutionBackpropData", conv_backprop);
  t.add("GroupConvolutionBackpropData", group_conv_backprop);
}

}  // namespace q8::ref
