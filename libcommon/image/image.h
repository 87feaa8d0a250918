#pragma once
// Images: decoding JPEG/PNG to 8-bit RGB, resizing and cropping, and turning them into the
// tensor a model's input expects.
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace q8::image {

struct Image {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;  // height * width * 3, row-major, interleaved R, G, B
};

// JPEG or PNG (told apart by their magic bytes). Grayscale/palette/alpha become RGB.
// Truncated, corrupt or other formats -> bad-input error naming `name`.
Image decode(const std::string& bytes, const std::string& name);
Image read(const std::string& path);

// Bilinear resize (pixel centres aligned, like OpenCV's INTER_LINEAR without antialiasing).
Image resize(const Image& img, int width, int height);
// Scales so the shorter side is `size`, keeping the aspect ratio.
Image resize_short_side(const Image& img, int size);
Image center_crop(const Image& img, int width, int height);

struct ToTensor {
  bool nchw = true;                // else NHWC
  bool bgr = false;                // channel order of the model
  std::vector<float> mean, scale;  // per channel (model order); empty: none. value = (x - mean) / scale
};
// A [1,3,H,W] (or [1,H,W,3]) f32 tensor with values 0..255 before mean/scale.
Tensor to_tensor(const Image& img, const ToTensor& how);

}  // namespace q8::image
