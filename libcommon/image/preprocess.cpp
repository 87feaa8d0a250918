#include "image/preprocess.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/error.h"
#include "base/strings.h"

namespace q8::image {
namespace {

Image blank(int width, int height, int channels) {
  Image out;
  out.width = width;
  out.height = height;
  out.channels = channels;
  out.pixels.resize(static_cast<size_t>(width) * height * channels);
  return out;
}

// One axis of a separable resize: for each output index, the source indices and weights.
struct Taps {
  std::vector<int> first;      // first source index per output index
  std::vector<int> count;      // number of taps per output index
  std::vector<double> weight;  // count[i] weights per output index, concatenated
  std::vector<size_t> offset;  // start of output i's weights in `weight`
};

Taps bilinear_taps(int src, int dst) {
  Taps t;
  double s = static_cast<double>(src) / dst;
  for (int i = 0; i < dst; ++i) {
    double f = std::clamp((i + 0.5) * s - 0.5, 0.0, src - 1.0);
    int i0 = static_cast<int>(f);
    double w = f - i0;
    t.first.push_back(i0);
    t.offset.push_back(t.weight.size());
    if (i0 + 1 < src) {
      t.count.push_back(2);
      t.weight.push_back(1 - w);
      t.weight.push_back(w);
    } else {
      t.count.push_back(1);
      t.weight.push_back(1);
    }
  }
  return t;
}

// Box filter: output i covers source [i*s, (i+1)*s); each source pixel weighs its overlap.
Taps area_taps(int src, int dst) {
  Taps t;
  double s = static_cast<double>(src) / dst;
  for (int i = 0; i < dst; ++i) {
    double lo = i * s, hi = std::min<double>((i + 1) * s, src);
    int a = static_cast<int>(std::floor(lo));
    int b = std::min(src, static_cast<int>(std::ceil(hi)));
    t.first.push_back(a);
    t.offset.push_back(t.weight.size());
    t.count.push_back(b - a);
    for (int k = a; k < b; ++k)
      t.weight.push_back((std::min<double>(k + 1, hi) - std::max<double>(k, lo)) / (hi - lo));
  }
  return t;
}

}  // namespace

Image resize(const Image& img, int width, int height, Interp interp) {
  if (width <= 0 || height <= 0)
    throw_usage("resize to " + std::to_string(width) + "x" + std::to_string(height));
  if (img.width <= 0 || img.height <= 0) throw_usage("resize of an empty image");
  if (width == img.width && height == img.height) return img;
  auto taps = interp == Interp::kArea ? area_taps : bilinear_taps;
  Taps tx = taps(img.width, width), ty = taps(img.height, height);
  const int ch = img.channels;
  Image out = blank(width, height, ch);
  // Horizontal pass into doubles for the rows, then vertical.
  std::vector<double> rows(static_cast<size_t>(img.height) * width * ch);
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < ch; ++c) {
        double v = 0;
        for (int k = 0; k < tx.count[x]; ++k)
          v += tx.weight[tx.offset[x] + k] *
               img.pixels[(static_cast<size_t>(y) * img.width + tx.first[x] + k) * ch + c];
        rows[(static_cast<size_t>(y) * width + x) * ch + c] = v;
      }
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < ch; ++c) {
        double v = 0;
        for (int k = 0; k < ty.count[y]; ++k)
          v +=
              ty.weight[ty.offset[y] + k] * rows[(static_cast<size_t>(ty.first[y] + k) * width + x) * ch + c];
        out.pixels[(static_cast<size_t>(y) * width + x) * ch + c] =
            static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L));
      }
  return out;
}

Image resize_short_side(const Image& img, int size, Interp interp) {
  if (img.width <= img.height)
    return resize(img, size,
                  static_cast<int>(std::lround(static_cast<double>(img.height) * size / img.width)), interp);
  return resize(img, static_cast<int>(std::lround(static_cast<double>(img.width) * size / img.height)), size,
                interp);
}

Image center_crop(const Image& img, int width, int height) {
  if (width > img.width || height > img.height)
    throw_usage("cannot crop " + std::to_string(width) + "x" + std::to_string(height) + " from a " +
                std::to_string(img.width) + "x" + std::to_string(img.height) + " image");
  int left = (img.width - width) / 2, top = (img.height - height) / 2;
  const size_t ch = static_cast<size_t>(img.channels);
  Image out = blank(width, height, img.channels);
  for (int y = 0; y < height; ++y)
    std::copy_n(
        img.pixels.begin() + static_cast<long>((static_cast<size_t>(y + top) * img.width + left) * ch),
        width * ch, out.pixels.begin() + static_cast<long>(static_cast<size_t>(y) * width * ch));
  return out;
}

Image to_channels(const Image& img, int channels) {
  if (channels == img.channels) return img;
  if ((channels != 1 && channels != 3) || (img.channels != 1 && img.channels != 3))
    throw_usage("cannot convert a " + std::to_string(img.channels) + "-channel image to " +
                std::to_string(channels) + " channels");
  Image out = blank(img.width, img.height, channels);
  size_t n = static_cast<size_t>(img.width) * img.height;
  for (size_t p = 0; p < n; ++p) {
    if (channels == 3) {
      std::fill_n(out.pixels.begin() + static_cast<long>(p * 3), 3, img.pixels[p]);
    } else {
      const uint8_t* s = &img.pixels[p * 3];
      out.pixels[p] = static_cast<uint8_t>(std::lround(0.299 * s[0] + 0.587 * s[1] + 0.114 * s[2]));
    }
  }
  return out;
}

Preprocess Preprocess::for_input(const PartialShape& shape, const PreprocessOptions& o,
                                 const std::string& input_name) {
  auto fail = [&](const std::string& why) -> void {
    throw_usage("input '" + input_name + "' " + shape.to_string() + ": " + why);
  };
  if (shape.rank_dynamic || shape.rank() != 4) fail("an image input needs rank 4 ([N,C,H,W] or [N,H,W,C])");
  auto dim = [&](int i) -> int64_t { return shape.dims[i].is_static() ? shape.dims[i].min : -1; };
  auto is_c = [&](int i) { return dim(i) == 1 || dim(i) == 3; };
  Preprocess p;
  if (o.layout == "NCHW" || o.layout == "NHWC")
    p.nchw = o.layout == "NCHW";
  else if (!o.layout.empty())
    fail("layout '" + o.layout + "' is not NCHW or NHWC");
  else if (is_c(1))
    p.nchw = true;
  else if (is_c(3))
    p.nchw = false;
  else
    fail("no channel axis of size 1 or 3; give the layout");
  int64_t c = dim(p.nchw ? 1 : 3), h = dim(p.nchw ? 2 : 1), w = dim(p.nchw ? 3 : 2);
  if (c != 1 && c != 3)
    fail(std::string("the channel axis (") + (p.nchw ? "NCHW" : "NHWC") + ") is not 1 or 3");
  if (h <= 0 || w <= 0) fail("height and width must be static");
  p.channels = static_cast<int>(c);
  p.height = static_cast<int>(h);
  p.width = static_cast<int>(w);
  p.bgr = o.bgr;
  p.fit = o.fit;
  p.interp = o.interp;
  p.resize_short = std::max(o.resize_short, 0);
  if (p.fit == Fit::kCrop && p.resize_short > 0 && p.resize_short < std::max(p.width, p.height))
    fail("resize to short side " + std::to_string(p.resize_short) + " is smaller than the " +
         std::to_string(p.width) + "x" + std::to_string(p.height) + " crop");
  auto expand = [&](const std::vector<float>& v, const char* what) {
    if (v.empty()) return v;
    if (v.size() != 1 && v.size() != static_cast<size_t>(c))
      fail(std::string(what) + " has " + std::to_string(v.size()) + " values for " + std::to_string(c) +
           " channels");
    if (std::string(what) == "scale")
      for (float s : v)
        if (!(s != 0) || !std::isfinite(s)) fail("scale values must be finite and non-zero");
    return v.size() == 1 ? std::vector<float>(static_cast<size_t>(c), v[0]) : v;
  };
  p.mean = expand(o.mean, "mean");
  p.scale = expand(o.scale, "scale");
  return p;
}

Shape Preprocess::sample_shape() const {
  return nchw ? Shape{1, channels, height, width} : Shape{1, height, width, channels};
}

void Preprocess::apply(const Image& src, float* dst) const {
  Image img = to_channels(src, channels);
  if (fit == Fit::kStretch)
    img = resize(img, width, height, interp);
  else if (resize_short > 0)
    img = center_crop(resize_short_side(img, resize_short, interp), width, height);
  else if (img.width != width || img.height != height) {
    // Cover: the smallest scale at which the image covers H x W, then crop the excess.
    double s = std::max(static_cast<double>(width) / img.width, static_cast<double>(height) / img.height);
    int w = std::max(width, static_cast<int>(std::lround(img.width * s)));
    int h = std::max(height, static_cast<int>(std::lround(img.height * s)));
    img = center_crop(resize(img, w, h, interp), width, height);
  }
  const size_t plane = static_cast<size_t>(width) * height, ch = static_cast<size_t>(channels);
  for (size_t p = 0; p < plane; ++p)
    for (size_t c = 0; c < ch; ++c) {
      size_t from = bgr && ch == 3 ? 2 - c : c;
      float v = img.pixels[p * ch + from];
      if (!mean.empty()) v -= mean[c];
      if (!scale.empty()) v /= scale[c];
      dst[nchw ? c * plane + p : p * ch + c] = v;
    }
}

Tensor Preprocess::apply(const Image& img) const {
  Tensor t(ElementType::kF32, sample_shape());
  apply(img, t.mutable_data<float>());
  return t;
}

std::string Preprocess::describe() const {
  auto list = [](const std::vector<float>& v) {
    std::string s;
    char buf[32];
    for (float x : v) {
      std::snprintf(buf, sizeof buf, "%s%g", s.empty() ? "" : ",", static_cast<double>(x));
      s += buf;
    }
    return "[" + s + "]";
  };
  std::string s = std::to_string(width) + "x" + std::to_string(height) + "x" + std::to_string(channels) +
                  (nchw ? " NCHW " : " NHWC ") +
                  (channels == 1 ? "gray"
                   : bgr         ? "BGR"
                                 : "RGB");
  s += fit == Fit::kStretch ? ", resize to " + std::to_string(width) + "x" + std::to_string(height)
       : resize_short > 0   ? ", resize short side " + std::to_string(resize_short) + " + center crop"
                            : ", resize to cover + center crop";
  s += interp == Interp::kArea ? " (area)" : " (bilinear)";
  if (!mean.empty()) s += ", mean " + list(mean);
  if (!scale.empty()) s += ", scale " + list(scale);
  return s;
}

}  // namespace q8::image
