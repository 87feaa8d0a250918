#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "image/image.h"

namespace q8::image {

Image resize(const Image& img, int width, int height) {
  if (width <= 0 || height <= 0)
    throw_usage("resize to " + std::to_string(width) + "x" + std::to_string(height));
  Image out;
  out.width = width;
  out.height = height;
  out.rgb.resize(static_cast<size_t>(width) * height * 3);
  double sx = static_cast<double>(img.width) / width, sy = static_cast<double>(img.height) / height;
  for (int y = 0; y < height; ++y) {
    double fy = std::clamp((y + 0.5) * sy - 0.5, 0.0, img.height - 1.0);
    int y0 = static_cast<int>(fy), y1 = std::min(y0 + 1, img.height - 1);
    double wy = fy - y0;
    for (int x = 0; x < width; ++x) {
      double fx = std::clamp((x + 0.5) * sx - 0.5, 0.0, img.width - 1.0);
      int x0 = static_cast<int>(fx), x1 = std::min(x0 + 1, img.width - 1);
      double wx = fx - x0;
      for (int c = 0; c < 3; ++c) {
        auto at = [&](int yy, int xx) { return img.rgb[(static_cast<size_t>(yy) * img.width + xx) * 3 + c]; };
        double v = (1 - wy) * ((1 - wx) * at(y0, x0) + wx * at(y0, x1)) +
                   wy * ((1 - wx) * at(y1, x0) + wx * at(y1, x1));
        out.rgb[(static_cast<size_t>(y) * width + x) * 3 + c] = static_cast<uint8_t>(std::lround(v));
      }
    }
  }
  return out;
}

Image resize_short_side(const Image& img, int size) {
  if (img.width <= img.height)
    return resize(img, size,
                  static_cast<int>(std::lround(static_cast<double>(img.height) * size / img.width)));
  return resize(img, static_cast<int>(std::lround(static_cast<double>(img.width) * size / img.height)), size);
}

Image center_crop(const Image& img, int width, int height) {
  if (width > img.width || height > img.height)
    throw_usage("cannot crop " + std::to_string(width) + "x" + std::to_string(height) + " from a " +
                std::to_string(img.width) + "x" + std::to_string(img.height) + " image");
  int left = (img.width - width) / 2, top = (img.height - height) / 2;
  Image out;
  out.width = width;
  out.height = height;
  out.rgb.resize(static_cast<size_t>(width) * height * 3);
  for (int y = 0; y < height; ++y)
    std::copy_n(img.rgb.begin() + (static_cast<size_t>(y + top) * img.width + left) * 3, width * 3,
                out.rgb.begin() + static_cast<size_t>(y) * width * 3);
  return out;
}

Tensor to_tensor(const Image& img, const ToTensor& how) {
  Shape shape = how.nchw ? Shape{1, 3, img.height, img.width} : Shape{1, img.height, img.width, 3};
  Tensor t(ElementType::kF32, shape);
  float* d = t.mutable_data<float>();
  size_t plane = static_cast<size_t>(img.width) * img.height;
  for (size_t p = 0; p < plane; ++p)
    for (size_t c = 0; c < 3; ++c) {
      size_t src = how.bgr ? 2 - c : c;
      float v = img.rgb[p * 3 + src];
      if (!how.mean.empty()) v -= how.mean[how.mean.size() == 1 ? 0 : c];
      if (!how.scale.empty()) v /= how.scale[how.scale.size() == 1 ? 0 : c];
      d[how.nchw ? c * plane + p : p * 3 + c] = v;
    }
  return t;
}

}  // namespace q8::image
