// Interpolate-1 and -4. Every mode is separable (nearest, linear_onnx, linear with its
// triangle filter, cubic), so the input is zero-padded and then resampled along one
// axis at a time with per-output-index (source index, weight) taps.
#include <cmath>

#include "runtime/ref/families.h"
#include "runtime/ref/util.h"

namespace q8::ref {
namespace {

struct Settings {
  std::string mode, transform, nearest;
  bool antialias = false;
  double cube_coeff = -0.75;
};

struct Tap {
  int64_t index;
  double weight;
};

double source_coord(const std::string& transform, double x, double scale, int64_t in, int64_t out) {
  if (transform == "half_pixel") return (x + 0.5) / scale - 0.5;
  if (transform == "pytorch_half_pixel") return out > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
  if (transform == "asymmetric") return x / scale;
  if (transform == "tf_half_pixel_for_nn") return (x + 0.5) / scale;
  if (transform == "align_corners")
    return out == 1 ? 0.0 : x * static_cast<double>(in - 1) / static_cast<double>(out - 1);
  throw_bad_input("unknown coordinate_transformation_mode " + transform);
}

int64_t nearest_index(const std::string& mode, double x, double scale) {
  double f = std::floor(x);
  if (mode == "round_prefer_floor") return static_cast<int64_t>(x == f + 0.5 ? f : std::round(x));
  if (mode == "round_prefer_ceil") return static_cast<int64_t>(std::round(x));  // ties go up for x >= 0
  if (mode == "floor") return static_cast<int64_t>(f);
  if (mode == "ceil") return static_cast<int64_t>(std::ceil(x));
  if (mode == "simple") return static_cast<int64_t>(scale < 1.0 ? std::ceil(x) : x);
  throw_bad_input("unknown nearest_mode " + mode);
}

std::array<double, 4> cubic_weights(double t, double a) {
  auto far = [a](double d) { return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a; };  // 1 <= |d| < 2
  auto near = [a](double d) { return ((a + 2) * d - (a + 3)) * d * d + 1; };       // |d| < 1
  return {far(t + 1), near(t), near(1 - t), far(2 - t)};
}

std::vector<Tap> taps_for(const Settings& st, int64_t o, double scale, int64_t in, int64_t out) {
  double x = source_coord(st.transform, static_cast<double>(o), scale, in, out);
  auto clampi = [in](int64_t i) { return std::clamp<int64_t>(i, 0, in - 1); };
  if (st.mode == "nearest") return {{clampi(nearest_index(st.nearest, x, scale)), 1.0}};
  if (st.mode == "linear_onnx") {
    x = std::clamp(x, 0.0, static_cast<double>(in - 1));
    int64_t i0 = clampi(static_cast<int64_t>(std::floor(x))), i1 = clampi(i0 + 1);
    double l = x - static_cast<double>(i0);
    return {{i0, 1 - l}, {i1, l}};
  }
  if (st.mode == "cubic") {
    int64_t i = static_cast<int64_t>(std::floor(x));
    auto w = cubic_weights(x - static_cast<double>(i), st.cube_coeff);
    return {{clampi(i - 1), w[0]}, {clampi(i), w[1]}, {clampi(i + 1), w[2]}, {clampi(i + 2), w[3]}};
  }
  // linear: a triangle filter, widened by 1/scale when antialiasing a downscale.
  double a = st.antialias && scale < 1.0 ? scale : 1.0;
  int64_t r = a < 1.0 ? static_cast<int64_t>(std::ceil(2.0 / a)) : 2;
  int64_t center = static_cast<int64_t>(std::round(x));
  std::vector<Tap> taps;
  double total = 0;
  for (int64_t i = center - r; i <= center + r; ++i) {
    double w = a * std::max(0.0, 1.0 - std::fabs(a * (x - static_cast<double>(i))));
    if (i < 0 || i >= in || w == 0) continue;
    taps.push_back({i, w});
    total += w;
  }
  for (auto& t : taps) t.weight = total > 0 ? t.weight / total : 0;
  return taps;
}

// Resamples `x` (shape s) along `axis` to `out` elements.
std::vector<float> resample_axis(const std::vector<float>& x, Shape& s, size_t axis, int64_t out,
                                 double scale, const Settings& st) {
  int64_t outer = product(s, 0, axis), in = s[axis], inner = product(s, axis + 1, s.size());
  std::vector<float> y(static_cast<size_t>(outer * out * inner));
  for (int64_t o = 0; o < out; ++o) {
    std::vector<Tap> taps = taps_for(st, o, scale, in, out);
    for (int64_t p = 0; p < outer; ++p)
      for (int64_t i = 0; i < inner; ++i) {
        double sum = 0;
        for (const Tap& t : taps) sum += t.weight * x[(p * in + t.index) * inner + i];
        y[(p * out + o) * inner + i] = static_cast<float>(sum);
      }
  }
  s[axis] = out;
  return y;
}

std::vector<int64_t> pads_attr(const Node& n, const char* name, size_t rank) {
  std::vector<int64_t> p = n.attr<std::vector<int64_t>>(name);
  p.resize(rank, 0);
  return p;
}

// Zero-pads, then resamples each of `axes` to `sizes` with the given scales.
Tensor interpolate(const Node& n, const Tensor& data, const std::vector<int64_t>& axes,
                   const std::vector<int64_t>& sizes, const std::vector<double>& scales, const Settings& st) {
  Shape s = data.shape();
  auto pb = pads_attr(n, "pads_begin", s.size()), pe = pads_attr(n, "pads_end", s.size());
  Shape padded = s;
  for (size_t d = 0; d < s.size(); ++d) padded[d] += pb[d] + pe[d];
  std::vector<float> x(static_cast<size_t>(num_elements(padded)));
  std::vector<float> src = to_floats(data);
  Shape pst = strides_of(padded);
  for_each_index(s, [&](const Shape& idx, int64_t o) {
    int64_t to = 0;
    for (size_t d = 0; d < s.size(); ++d) to += (idx[d] + pb[d]) * pst[d];
    x[to] = src[o];
  });
  for (size_t i = 0; i < axes.size(); ++i) {
    auto a = static_cast<size_t>(axes[i]);
    if (sizes[i] <= 0 || padded[a] <= 0) throw_bad_input("Interpolate output dims must be positive");
    x = resample_axis(x, padded, a, sizes[i], scales[i], st);
  }
  return floats_to_type(padded, x, data.type());
}

std::vector<Tensor> interpolate4(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 3);
  const Shape& s = in[0].shape();
  auto rank = static_cast<int64_t>(s.size());
  std::vector<int64_t> axes;
  if (in.size() > 3)
    axes = normalize_axes(to_ints(in[3]), rank);
  else
    for (int64_t a = 0; a < rank; ++a) axes.push_back(a);
  Settings st{n.attr<std::string>("mode"), n.attr<std::string>("coordinate_transformation_mode"),
              n.attr<std::string>("nearest_mode"), n.attr<bool>("antialias"), n.attr<double>("cube_coeff")};
  auto pb = pads_attr(n, "pads_begin", s.size()), pe = pads_attr(n, "pads_end", s.size());
  bool by_sizes = n.attr<std::string>("shape_calculation_mode") == "sizes";
  std::vector<int64_t> sizes = to_ints(in[1]);
  std::vector<float> given_scales = to_floats(in[2]);
  if ((by_sizes ? sizes.size() : given_scales.size()) != axes.size())
    throw_bad_input("Interpolate needs one size or scale per axis");
  std::vector<double> scales(axes.size());
  sizes.resize(axes.size());
  for (size_t i = 0; i < axes.size(); ++i) {
    auto a = static_cast<size_t>(axes[i]);
    double padded = static_cast<double>(s[a] + pb[a] + pe[a]);
    if (by_sizes) {
      scales[i] = static_cast<double>(sizes[i]) / padded;
    } else {
      scales[i] = given_scales[i];
      sizes[i] = static_cast<int64_t>(std::floor(padded * scales[i] + 1e-5));
    }
  }
  return {interpolate(n, in[0], axes, sizes, scales, st)};
}

// Interpolate-1 follows the opset1 -> opset4 conversion: align_corners picks that
// transform, otherwise nearest is asymmetric/simple and the others half_pixel.
std::vector<Tensor> interpolate1(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  const Shape& s = in[0].shape();
  auto axes = normalize_axes(n.attr<std::vector<int64_t>>("axes"), static_cast<int64_t>(s.size()));
  std::string mode = n.attr<std::string>("mode");
  if (mode == "linear") mode = n.attr<bool>("antialias") ? "linear" : "linear_onnx";
  if (mode != "nearest" && mode != "linear" && mode != "linear_onnx" && mode != "cubic")
    throw_bad_input("Interpolate-1 mode " + mode + " is not supported");
  Settings st{mode, mode == "nearest" ? "asymmetric" : "half_pixel", "simple", n.attr<bool>("antialias"),
              -0.75};
  if (n.attr<bool>("align_corners")) st.transform = "align_corners";
  std::vector<int64_t> sizes = to_ints(in[1]);
  if (sizes.size() != axes.size()) throw_bad_input("Interpolate-1 needs one size per axis");
  auto pb = pads_attr(n, "pads_begin", s.size()), pe = pads_attr(n, "pads_end", s.size());
  std::vector<double> scales(axes.size());
  for (size_t i = 0; i < axes.size(); ++i) {
    auto a = static_cast<size_t>(axes[i]);
    scales[i] = static_cast<double>(sizes[i]) / static_cast<double>(s[a] + pb[a] + pe[a]);
  }
  return {interpolate(n, in[0], axes, sizes, scales, st)};
}

std::vector<Tensor> interpolate_kernel(const Node& n, const std::vector<Tensor>& in) {
  return n.def().opset >= 4 ? interpolate4(n, in) : interpolate1(n, in);
}

}  // namespace

void register_resize(KernelTable& t) {
  t.add("Interpolate", interpolate_kernel);
}

}  // namespace q8::ref
