#pragma once
// Images: decoding JPEG/PNG to 8-bit pixels, resizing and cropping. The preprocessing contract
// that turns them into a model's input tensor is in image/preprocess.h.
#include <cstdint>
#include <string>
#include <vector>

namespace q8::image {

struct Image {
  int width = 0, height = 0;
  int channels = 3;             // 3: interleaved R, G, B; 1: gray
  std::vector<uint8_t> pixels;  // height * width * channels, row-major
};

// JPEG or PNG (told apart by their magic bytes) as RGB: grayscale, palette, 16-bit and alpha
// PNGs are converted (16-bit scaled to 8, alpha composited onto black, as libpng does).
// Truncated, corrupt or other formats -> bad-input error naming `name`.
// A header claiming more than max_image_pixels() (width x height) is a bad-input error before any
// allocation.
Image decode(const std::string& bytes, const std::string& name);
// Default 2^28 pixels (16384 x 16384); tests and the fuzz targets lower it.
int64_t max_image_pixels();
void set_max_image_pixels(int64_t pixels);
Image read(const std::string& path);

// 3 -> 1 channel with the ITU-R BT.601 luma weights (as libjpeg's grayscale output); 1 -> 3 repeats.
Image to_channels(const Image& img, int channels);

enum class Interp {
  kBilinear,  // pixel centres aligned, like OpenCV's INTER_LINEAR without antialiasing
  kArea,      // box filter: each output pixel averages the source area it covers (OpenCV INTER_AREA
              // when shrinking; when enlarging it blends the at most two source pixels a box overlaps)
};
Image resize(const Image& img, int width, int height, Interp interp = Interp::kBilinear);
// Scales so the shorter side is `size`, keeping the aspect ratio.
Image resize_short_side(const Image& img, int size, Interp interp = Interp::kBilinear);
Image center_crop(const Image& img, int width, int height);

}  // namespace q8::image
