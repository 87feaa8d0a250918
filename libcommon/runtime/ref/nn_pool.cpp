// MaxPool-1/-8, AvgPool, AdaptiveAvgPool and AdaptiveMaxPool over 1-3 spatial dims
// (padded to 3 with size-1 dims so one loop nest serves every rank).
#include <cmath>
#include <limits>

#include "runtime/ref/families.h"
#include "runtime/ref/util.h"

namespace q8::ref {
namespace {

struct PoolGeometry {
  int64_t planes = 1;  // batch * channels
  Dims3 in{1, 1, 1}, out{1, 1, 1}, kernel{1, 1, 1}, stride{1, 1, 1}, dilation{1, 1, 1};
  Dims3 pad_begin{0, 0, 0}, pad_end{0, 0, 0};
  int64_t in_size() const { return in[0] * in[1] * in[2]; }
  int64_t out_size() const { return out[0] * out[1] * out[2]; }
};

std::vector<int64_t> list_attr(const Node& n, const std::string& name, size_t rank, int64_t def) {
  std::vector<int64_t> v;
  if (n.has_attr(name) || (n.def().attr(name) && n.def().attr(name)->default_value))
    v = n.attr<std::vector<int64_t>>(name);
  if (v.empty() || (name == "dilations" && v.size() != rank && v == std::vector<int64_t>{1, 1}))
    v.assign(rank, def);
  if (v.size() != rank)
    throw_bad_input("attribute " + name + " has " + std::to_string(v.size()) + " values, expected " +
                    std::to_string(rank));
  return v;
}

int64_t pooled_size(int64_t padded_span, int64_t stride, bool ceil_mode, int64_t in, int64_t pad_begin) {
  int64_t out = (ceil_mode ? (padded_span + stride - 1) / stride : padded_span / stride) + 1;
  // A last window that would start inside the end padding is dropped.
  if (ceil_mode && (out - 1) * stride >= in + pad_begin) --out;
  return out;
}

PoolGeometry pool_geometry(const Node& n, const Shape& x) {
  size_t rank = x.size() < 2 ? 0 : x.size() - 2;
  if (rank < 1 || rank > kDims) throw_bad_input("pooling needs 1 to 3 spatial dims, got " + to_string(x));
  auto kernel = list_attr(n, "kernel", rank, 1), stride = list_attr(n, "strides", rank, 1);
  auto dil = list_attr(n, "dilations", rank, 1);
  auto begin = list_attr(n, "pads_begin", rank, 0), end = list_attr(n, "pads_end", rank, 0);
  std::string mode = n.attr<std::string>("auto_pad");
  bool ceil_mode = n.attr<std::string>("rounding_type") == "ceil";
  PoolGeometry g;
  g.planes = x[0] * x[1];
  for (size_t d = 0; d < rank; ++d) {
    size_t s = kDims - rank + d;
    int64_t in = x[2 + d], k_eff = (kernel[d] - 1) * dil[d] + 1;
    if (mode == "valid") begin[d] = end[d] = 0;
    if (mode == "same_upper" || mode == "same_lower") {
      int64_t out = (in + stride[d] - 1) / stride[d];
      int64_t total = std::max<int64_t>((out - 1) * stride[d] + k_eff - in, 0);
      begin[d] = mode == "same_upper" ? total / 2 : total - total / 2;
      end[d] = total - begin[d];
    }
    int64_t span = in + begin[d] + end[d] - k_eff;
    if (span < 0) throw_bad_input("the pooling window is larger than the padded input " + to_string(x));
    g.in[s] = in;
    g.kernel[s] = kernel[d];
    g.stride[s] = stride[d];
    g.dilation[s] = dil[d];
    g.pad_begin[s] = begin[d];
    g.pad_end[s] = end[d];
    g.out[s] = pooled_size(span, stride[d], ceil_mode, in, begin[d]);
  }
  return g;
}

Shape pooled_shape(const Shape& x, const Dims3& out) {
  Shape s{x[0], x[1]};
  for (size_t d = kDims - (x.size() - 2); d < kDims; ++d) s.push_back(out[d]);
  return s;
}

// Calls fn(out_offset, window positions) for each output element of one plane; positions
// outside the input are skipped, `padded` counts those inside input + padding.
template <typename Fn>
void for_each_window(const PoolGeometry& g, Fn&& fn) {
  std::vector<int64_t> pos;
  for (int64_t od = 0; od < g.out[0]; ++od)
    for (int64_t oh = 0; oh < g.out[1]; ++oh)
      for (int64_t ow = 0; ow < g.out[2]; ++ow) {
        pos.clear();
        int64_t padded = 0;
        Dims3 o{od, oh, ow};
        for (int64_t kd = 0; kd < g.kernel[0]; ++kd)
          for (int64_t kh = 0; kh < g.kernel[1]; ++kh)
            for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
              Dims3 k{kd, kh, kw}, i{};
              bool inside = true, in_pad = true;
              for (size_t d = 0; d < kDims; ++d) {
                i[d] = o[d] * g.stride[d] - g.pad_begin[d] + k[d] * g.dilation[d];
                inside &= i[d] >= 0 && i[d] < g.in[d];
                in_pad &= i[d] >= -g.pad_begin[d] && i[d] < g.in[d] + g.pad_end[d];
              }
              padded += in_pad ? 1 : 0;
              if (inside) pos.push_back((i[0] * g.in[1] + i[1]) * g.in[2] + i[2]);
            }
        fn((od * g.out[1] + oh) * g.out[2] + ow, pos, padded);
      }
}

std::vector<Tensor> max_pool(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  const Shape& xs = in[0].shape();
  PoolGeometry g = pool_geometry(n, xs);
  std::vector<float> x = to_floats(in[0]);
  Shape ys = pooled_shape(xs, g.out);
  std::vector<float> y(static_cast<size_t>(num_elements(ys)));
  std::vector<int64_t> idx(y.size());
  for (int64_t p = 0; p < g.planes; ++p)
    for_each_window(g, [&](int64_t o, const std::vector<int64_t>& pos, int64_t) {
      float best = std::numeric_limits<float>::lowest();
      int64_t best_at = pos.empty() ? 0 : pos[0];
      for (int64_t i : pos)
        if (x[p * g.in_size() + i] > best) best = x[p * g.in_size() + i], best_at = i;
      y[p * g.out_size() + o] = best;
      idx[p * g.out_size() + o] = p * g.in_size() + best_at;
    });
  std::vector<Tensor> outs{floats_to_type(ys, y, in[0].type())};
  if (n.def().opset >= 8) {
    // Indices are flat over the dims from `axis` on: reduce the full flat index modulo that size.
    int64_t axis = normalize_axis(n.attr<int64_t>("axis"), static_cast<int64_t>(xs.size()));
    int64_t span = product(xs, static_cast<size_t>(axis), xs.size());
    for (auto& i : idx) i %= span;
    outs.push_back(convert(make_i64(ys, idx), n.attr<ElementType>("index_element_type")));
  }
  return outs;
}

std::vector<Tensor> avg_pool(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  const Shape& xs = in[0].shape();
  PoolGeometry g = pool_geometry(n, xs);
  bool exclude_pad = n.attr<bool>("exclude-pad");
  std::vector<float> x = to_floats(in[0]);
  Shape ys = pooled_shape(xs, g.out);
  std::vector<float> y(static_cast<size_t>(num_elements(ys)));
  for (int64_t p = 0; p < g.planes; ++p)
    for_each_window(g, [&](int64_t o, const std::vector<int64_t>& pos, int64_t padded) {
      double sum = 0;
      for (int64_t i : pos) sum += x[p * g.in_size() + i];
      int64_t count = exclude_pad ? static_cast<int64_t>(pos.size()) : padded;
      y[p * g.out_size() + o] = count > 0 ? static_cast<float>(sum / count) : 0.f;
    });
  return {floats_to_type(ys, y, in[0].type())};
}

// Adaptive pooling: bin i of `out` covers [floor(i*in/out), ceil((i+1)*in/out)).
PoolGeometry adaptive_geometry(const std::vector<Tensor>& in, Shape& ys) {
  expect_inputs(in, 2);
  const Shape& xs = in[0].shape();
  std::vector<int64_t> sizes = to_ints(in[1]);
  size_t rank = xs.size() < 2 ? 0 : xs.size() - 2;
  if (rank < 1 || rank > kDims || sizes.size() != rank)
    throw_bad_input("adaptive pooling of " + to_string(xs) + " to " + to_string(in[1].shape()) + " values");
  PoolGeometry g;
  g.planes = xs[0] * xs[1];
  for (size_t d = 0; d < rank; ++d) {
    if (sizes[d] <= 0) throw_bad_input("adaptive pooling output size must be positive");
    g.in[kDims - rank + d] = xs[2 + d];
    g.out[kDims - rank + d] = sizes[d];
  }
  ys = pooled_shape(xs, g.out);
  return g;
}

template <typename Fn>
void for_each_bin(const PoolGeometry& g, Fn&& fn) {
  auto lo = [&](size_t d, int64_t i) { return i * g.in[d] / g.out[d]; };
  auto hi = [&](size_t d, int64_t i) { return ((i + 1) * g.in[d] + g.out[d] - 1) / g.out[d]; };
  std::vector<int64_t> pos;
  for (int64_t od = 0; od < g.out[0]; ++od)
    for (int64_t oh = 0; oh < g.out[1]; ++oh)
      for (int64_t ow = 0; ow < g.out[2]; ++ow) {
        pos.clear();
        for (int64_t d0 = lo(0, od); d0 < hi(0, od); ++d0)
          for (int64_t d1 = lo(1, oh); d1 < hi(1, oh); ++d1)
            for (int64_t d2 = lo(2, ow); d2 < hi(2, ow); ++d2)
              pos.push_back((d0 * g.in[1] + d1) * g.in[2] + d2);
        fn((od * g.out[1] + oh) * g.out[2] + ow, pos);
      }
}

std::vector<Tensor> adaptive_avg_pool(const Node&, const std::vector<Tensor>& in) {
  Shape ys;
  PoolGeometry g = adaptive_geometry(in, ys);
  std::vector<float> x = to_floats(in[0]), y(static_cast<size_t>(num_elements(ys)));
  for (int64_t p = 0; p < g.planes; ++p)
    for_each_bin(g, [&](int64_t o, const std::vector<int64_t>& pos) {
      double sum = 0;
      for (int64_t i : pos) sum += x[p * g.in_size() + i];
      y[p * g.out_size() + o] = static_cast<float>(sum / static_cast<double>(pos.size()));
    });
  return {floats_to_type(ys, y, in[0].type())};
}

// Indices are flat within each spatial plane.
std::vector<Tensor> adaptive_max_pool(const Node& n, const std::vector<Tensor>& in) {
  Shape ys;
  PoolGeometry g = adaptive_geometry(in, ys);
  std::vector<float> x = to_floats(in[0]), y(static_cast<size_t>(num_elements(ys)));
  std::vector<int64_t> idx(y.size());
  for (int64_t p = 0; p < g.planes; ++p)
    for_each_bin(g, [&](int64_t o, const std::vector<int64_t>& pos) {
      int64_t best = pos[0];
      for (int64_t i : pos)
        if (x[p * g.in_size() + i] > x[p * g.in_size() + best]) best = i;
      y[p * g.out_size() + o] = x[p * g.in_size() + best];
      idx[p * g.out_size() + o] = best;
    });
  return {floats_to_type(ys, y, in[0].type()),
          convert(make_i64(ys, idx), n.attr<ElementType>("index_element_type"))};
}

}  // namespace

void register_pool(KernelTable& t) {
  t.add("MaxPool", max_pool);
  t.add("AvgPool", avg_pool);
  t.add("AdaptiveAvgPool", adaptive_avg_pool);
  t.add("AdaptiveMaxPool", adaptive_max_pool);
}

}  // namespace q8::ref
