// Prior generation (PriorBox-1/-8, PriorBoxClustered) and ROI pooling (ROIPooling, ROIAlign-3).
#include <algorithm>
#include <cmath>

#include "runtime/ref/families.h"
#include "runtime/ref/util.h"

namespace q8::ref {
namespace {

std::vector<float> floats_attr(const Node& n, const char* name) {
  auto v = n.attr<std::vector<double>>(name);
  return std::vector<float>(v.begin(), v.end());
}

// Output [2, 4 * boxes]: normalized corners, then each box's 4 variances.
Tensor priors_tensor(std::vector<float> boxes, const std::vector<float>& variance, bool clip) {
  if (clip)
    for (float& v : boxes) v = std::clamp(v, 0.f, 1.f);
  if (!variance.empty() && variance.size() != 1 && variance.size() != 4)
    throw_bad_input("prior variance must have 1 or 4 values");
  auto count = static_cast<int64_t>(boxes.size());
  boxes.resize(boxes.size() * 2);
  for (int64_t i = 0; i < count; ++i)
    boxes[static_cast<size_t>(count + i)] = variance.empty()       ? 0.1f
                                            : variance.size() == 1 ? variance[0]
                                                                   : variance[static_cast<size_t>(i % 4)];
  return make_f32({2, count}, boxes);
}

void layer_and_image(const std::vector<Tensor>& in, int64_t& h, int64_t& w, double& ih, double& iw) {
  expect_inputs(in, 2);
  auto layer = to_ints(in[0]), image = to_ints(in[1]);
  if (layer.size() != 2 || image.size() != 2) throw_bad_input("prior sizes must have 2 values each");
  h = layer[0], w = layer[1], ih = static_cast<double>(image[0]), iw = static_cast<double>(image[1]);
}

// The fixed_size priors of PriorBox: each fixed size s is tiled density[s] x density[s]
// times over its cell (shift = size / density, integer as in the spec), once square and
// once per aspect ratio != 1 (or once per fixed_ratio when given). These boxes are always
// clipped to the image.
struct FixedPriors {
  std::vector<float> sizes, ratios_fixed, density, ratios;
};

void push_fixed_priors(const FixedPriors& f, double cx, double cy, double iw, double ih,
                       std::vector<float>& boxes) {
  auto push = [&](double x, double y, double half_w, double half_h) {
    boxes.push_back(static_cast<float>(std::max((x - half_w) / iw, 0.0)));
    boxes.push_back(static_cast<float>(std::max((y - half_h) / ih, 0.0)));
    boxes.push_back(static_cast<float>(std::min((x + half_w) / iw, 1.0)));
    boxes.push_back(static_cast<float>(std::min((y + half_h) / ih, 1.0)));
  };
  for (size_t s = 0; s < f.sizes.size(); ++s) {
    auto size = static_cast<int64_t>(f.sizes[s]), density = static_cast<int64_t>(f.density[s]);
    if (density <= 0) throw_bad_input("PriorBox density must be positive");
    auto shift = static_cast<int64_t>(f.sizes[s] / static_cast<float>(density));
    auto tile = [&](double half_w, double half_h) {
      for (int64_t r = 0; r < density; ++r)
        for (int64_t c = 0; c < density; ++c)
          push(cx - double(size / 2) + shift / 2.0 + double(c * shift),
               cy - double(size / 2) + shift / 2.0 + double(r * shift), half_w, half_h);
    };
    const std::vector<float>& shapes = f.ratios_fixed.empty() ? f.ratios : f.ratios_fixed;
    if (f.ratios_fixed.empty()) tile(double(size) / 2, double(size) / 2);
    for (float r : shapes) {
      if (f.ratios_fixed.empty() && std::fabs(r - 1.f) < 1e-6f) continue;
      double root = std::sqrt(double(r));
      tile(f.sizes[s] / 2 * root, f.sizes[s] / 2 / root);
    }
  }
}

std::vector<Tensor> prior_box(const Node& n, const std::vector<Tensor>& in) {
  int64_t h, w;
  double ih, iw;
  layer_and_image(in, h, w, ih, iw);
  auto min_sizes = floats_attr(n, "min_size"), max_sizes = floats_attr(n, "max_size");
  std::vector<float> ratios{1.f};
  for (float r : floats_attr(n, "aspect_ratio")) {
    if (std::any_of(ratios.begin(), ratios.end(), [r](float e) { return std::fabs(e - r) < 1e-6f; }))
      continue;
    ratios.push_back(r);
    if (n.attr<bool>("flip")) ratios.push_back(1.f / r);
  }
  bool scale_all = n.attr<bool>("scale_all_sizes");
  bool min_max_first = n.def().opset < 8 || n.attr<bool>("min_max_aspect_ratios_order");
  double step = n.attr<double>("step"), offset = n.attr<double>("offset");
  double step_x = step == 0 ? iw / static_cast<double>(w) : step,
         step_y = step == 0 ? ih / static_cast<double>(h) : step;
  std::vector<float> boxes;
  auto push = [&](double cx, double cy, double bw, double bh) {
    for (double v : {(cx - bw / 2) / iw, (cy - bh / 2) / ih, (cx + bw / 2) / iw, (cy + bh / 2) / ih})
      boxes.push_back(static_cast<float>(v));
  };
  FixedPriors fixed{floats_attr(n, "fixed_size"), floats_attr(n, "fixed_ratio"), floats_attr(n, "density"),
                    ratios};
  if (!fixed.sizes.empty() && fixed.density.size() != fixed.sizes.size())
    throw_bad_input("PriorBox fixed_size needs one density per size");
  for (int64_t y = 0; y < h; ++y)
    for (int64_t x = 0; x < w; ++x) {
      double cx = (static_cast<double>(x) + offset) * step_x, cy = (static_cast<double>(y) + offset) * step_y;
      push_fixed_priors(fixed, cx, cy, iw, ih, boxes);
      for (size_t m = 0; m < min_sizes.size(); ++m) {
        double size = min_sizes[m];
        push(cx, cy, size, size);
        bool with_max = scale_all && m < max_sizes.size();
        double big = with_max ? std::sqrt(size * max_sizes[m]) : 0;
        if (with_max && min_max_first) push(cx, cy, big, big);
        if (scale_all || m == 0)
          for (float r : ratios)
            if (std::fabs(r - 1.f) >= 1e-6f) push(cx, cy, size * std::sqrt(r), size / std::sqrt(r));
        if (with_max && !min_max_first) push(cx, cy, big, big);
      }
    }
  return {priors_tensor(boxes, floats_attr(n, "variance"), n.attr<bool>("clip"))};
}

std::vector<Tensor> prior_box_clustered(const Node& n, const std::vector<Tensor>& in) {
  int64_t h, w;
  double ih, iw;
  layer_and_image(in, h, w, ih, iw);
  auto widths = floats_attr(n, "width"), heights = floats_attr(n, "height");
  if (widths.size() != heights.size())
    throw_bad_input("PriorBoxClustered widths and heights differ in count");
  double step = n.attr<double>("step"), offset = n.attr<double>("offset");
  double step_w = n.attr<double>("step_w"), step_h = n.attr<double>("step_h");
  if (step_w == 0) step_w = step;
  if (step_h == 0) step_h = step;
  if (step_w == 0) step_w = iw / static_cast<double>(w);
  if (step_h == 0) step_h = ih / static_cast<double>(h);
  std::vector<float> boxes;
  for (int64_t y = 0; y < h; ++y)
    for (int64_t x = 0; x < w; ++x) {
      double cx = (static_cast<double>(x) + offset) * step_w, cy = (static_cast<double>(y) + offset) * step_h;
      for (size_t k = 0; k < widths.size(); ++k)
        for (double v : {(cx - widths[k] / 2.0) / iw, (cy - heights[k] / 2.0) / ih,
                         (cx + widths[k] / 2.0) / iw, (cy + heights[k] / 2.0) / ih})
          boxes.push_back(static_cast<float>(v));
    }
  return {priors_tensor(boxes, floats_attr(n, "variance"), n.attr<bool>("clip"))};
}

// Bilinear sample of plane [H, W] at (y, x) already inside [0, H-1] x [0, W-1].
double bilinear(const float* plane, int64_t H, int64_t W, double y, double x) {
  int64_t y0 = static_cast<int64_t>(std::floor(y)), x0 = static_cast<int64_t>(std::floor(x));
  int64_t y1 = std::min(y0 + 1, H - 1), x1 = std::min(x0 + 1, W - 1);
  double ly = y - static_cast<double>(y0), lx = x - static_cast<double>(x0);
  return (1 - ly) * ((1 - lx) * plane[y0 * W + x0] + lx * plane[y0 * W + x1]) +
         ly * ((1 - lx) * plane[y1 * W + x0] + lx * plane[y1 * W + x1]);
}

void check_rois(const Shape& fs, const Shape& rs, int64_t width) {
  if (fs.size() != 4 || rs.size() != 2 || rs[1] != width)
    throw_bad_input("ROI pooling of " + to_string(fs) + " with rois " + to_string(rs));
}

double roi_pool_bin(const float* plane, int64_t H, int64_t W, const float* roi, int64_t py, int64_t px,
                    int64_t ph, int64_t pw, double scale, bool max_mode) {
  if (max_mode) {  // Caffe: integer ROI corners, bins floor/ceil-clipped to the map
    double x1 = std::round(roi[1] * scale), y1 = std::round(roi[2] * scale);
    double rw = std::max(std::round(roi[3] * scale) - x1 + 1, 1.0),
           rh = std::max(std::round(roi[4] * scale) - y1 + 1, 1.0);
    auto lo = [](double i, double bin, double start, int64_t lim) {
      return std::clamp<int64_t>(static_cast<int64_t>(std::floor(i * bin) + start), 0, lim);
    };
    auto hi = [](double i, double bin, double start, int64_t lim) {
      return std::clamp<int64_t>(static_cast<int64_t>(std::ceil((i + 1) * bin) + start), 0, lim);
    };
    double bh = rh / static_cast<double>(ph), bw = rw / static_cast<double>(pw);
    int64_t ys = lo(double(py), bh, y1, H), ye = hi(double(py), bh, y1, H);
    int64_t xs = lo(double(px), bw, x1, W), xe = hi(double(px), bw, x1, W);
    if (ye <= ys || xe <= xs) return 0;
    double best = -INFINITY;
    for (int64_t y = ys; y < ye; ++y)
      for (int64_t x = xs; x < xe; ++x) best = std::max(best, double(plane[y * W + x]));
    return best;
  }
  // bilinear: ROI corners are normalized to [0, 1] of the map.
  double x1 = roi[1] * double(W - 1), y1 = roi[2] * double(H - 1), x2 = roi[3] * double(W - 1),
         y2 = roi[4] * double(H - 1);
  double y = ph > 1 ? y1 + double(py) * (y2 - y1) / double(ph - 1) : 0.5 * (y1 + y2);
  double x = pw > 1 ? x1 + double(px) * (x2 - x1) / double(pw - 1) : 0.5 * (x1 + x2);
  if (y < 0 || y > double(H - 1) || x < 0 || x > double(W - 1)) return 0;
  return bilinear(plane, H, W, y, x);
}

std::vector<Tensor> roi_pooling(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  const Shape& fs = in[0].shape();
  check_rois(fs, in[1].shape(), 5);
  auto size = n.attr<std::vector<int64_t>>("output_size");
  if (size.size() != 2 || size[0] <= 0 || size[1] <= 0)
    throw_bad_input("ROIPooling output_size must be 2 positive values");
  double scale = n.attr<double>("spatial_scale");
  bool max_mode = n.attr<std::string>("method") == "max";
  std::vector<float> f = to_floats(in[0]), rois = to_floats(in[1]);
  int64_t R = in[1].shape()[0], C = fs[1], H = fs[2], W = fs[3];
  std::vector<float> y(static_cast<size_t>(R * C * size[0] * size[1]));
  size_t o = 0;
  for (int64_t r = 0; r < R; ++r) {
    const float* roi = rois.data() + r * 5;
    int64_t b = static_cast<int64_t>(roi[0]);
    if (b < 0 || b >= fs[0])
      throw_bad_input("ROIPooling batch index " + std::to_string(b) + " is out of range");
    for (int64_t c = 0; c < C; ++c)
      for (int64_t py = 0; py < size[0]; ++py)
        for (int64_t px = 0; px < size[1]; ++px)
          y[o++] = static_cast<float>(roi_pool_bin(f.data() + (b * C + c) * H * W, H, W, roi, py, px, size[0],
                                                   size[1], scale, max_mode));
  }
  return {floats_to_type({R, C, size[0], size[1]}, y, in[0].type())};
}

// One ROIAlign bin: a grid of samples, each bilinear; samples beyond one pixel outside count as 0.
double roi_align_bin(const float* plane, int64_t H, int64_t W, double y0, double x0, double bh, double bw,
                     int64_t sh, int64_t sw, bool max_mode) {
  double acc = max_mode ? -INFINITY : 0;
  for (int64_t iy = 0; iy < sh; ++iy)
    for (int64_t ix = 0; ix < sw; ++ix) {
      double y = y0 + (double(iy) + 0.5) * bh / double(sh), x = x0 + (double(ix) + 0.5) * bw / double(sw);
      double v = 0;
      if (!(y < -1.0 || y > double(H) || x < -1.0 || x > double(W))) {
        y = std::min(std::max(y, 0.0), double(H - 1));
        x = std::min(std::max(x, 0.0), double(W - 1));
        v = bilinear(plane, H, W, y, x);
      }
      acc = max_mode ? std::max(acc, v) : acc + v;
    }
  return max_mode ? acc : acc / double(sh * sw);
}

std::vector<Tensor> roi_align(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 3);
  const Shape& fs = in[0].shape();
  check_rois(fs, in[1].shape(), 4);
  int64_t ph = n.attr<int64_t>("pooled_h"), pw = n.attr<int64_t>("pooled_w"),
          ratio = n.attr<int64_t>("sampling_ratio");
  double scale = n.attr<double>("spatial_scale");
  bool max_mode = n.attr<std::string>("mode") == "max";
  std::vector<float> f = to_floats(in[0]), rois = to_floats(in[1]);
  std::vector<int64_t> batch = to_ints(in[2]);
  int64_t R = in[1].shape()[0], C = fs[1], H = fs[2], W = fs[3];
  if (static_cast<int64_t>(batch.size()) != R) throw_bad_input("ROIAlign needs one batch index per ROI");
  std::vector<float> y(static_cast<size_t>(R * C * ph * pw));
  size_t o = 0;
  for (int64_t r = 0; r < R; ++r) {
    if (batch[r] < 0 || batch[r] >= fs[0]) throw_bad_input("ROIAlign batch index is out of range");
    const float* roi = rois.data() + r * 4;
    double x1 = roi[0] * scale, y1 = roi[1] * scale;
    double rw = std::max(roi[2] * scale - x1, 1.0), rh = std::max(roi[3] * scale - y1, 1.0);
    double bh = rh / double(ph), bw = rw / double(pw);
    int64_t sh = ratio > 0 ? ratio : static_cast<int64_t>(std::ceil(bh)),
            sw = ratio > 0 ? ratio : static_cast<int64_t>(std::ceil(bw));
    for (int64_t c = 0; c < C; ++c)
      for (int64_t py = 0; py < ph; ++py)
        for (int64_t px = 0; px < pw; ++px)
          y[o++] = static_cast<float>(roi_align_bin(f.data() + (batch[r] * C + c) * H * W, H, W,
                                                    y1 + double(py) * bh, x1 + double(px) * bw, bh, bw, sh,
                                                    sw, max_mode));
  }
  return {floats_to_type({R, C, ph, pw}, y, in[0].type())};
}

}  // namespace

void register_priors(KernelTable& t) {
  t.add("PriorBox", prior_box);
  t.add("PriorBoxClustered", prior_box_clustered);
  t.add("ROIPooling", roi_pooling);
  t.add("ROIAlign", roi_align);
}

}  // namespace q8::ref
