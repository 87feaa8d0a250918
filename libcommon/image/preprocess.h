#pragma once
// The preprocessing contract: how an image becomes a model input, resolved once against the
// input's shape and validated there (so a mismatch is reported before any image is read), then
// applied the same way by int8-run (infer, eval) and pot.
//
//   image -> [channels: RGB->gray or gray->RGB if the model wants it]
//         -> resize: short side to `resize_short` (0: just enough to cover H x W), then center
//                    crop to H x W                                             (fit = kCrop)
//                    or straight to H x W, ignoring the aspect ratio           (fit = kStretch)
//         -> channel order RGB or BGR -> layout NCHW or NHWC -> (x - mean) / scale, as f32.
#include <string>
#include <vector>

#include "image/image.h"
#include "tensor/shape.h"
#include "tensor/tensor.h"

namespace q8::image {

enum class Fit { kCrop, kStretch };

// What the user asks for (CLI flags, POT config); empty/zero fields mean "from the model".
struct PreprocessOptions {
  std::string layout;  // "NCHW" | "NHWC" | "" (the axis of size 1 or 3 decides; NCHW if both)
  bool bgr = false;    // model expects BGR
  Fit fit = Fit::kCrop;
  int resize_short = 0;  // kCrop: short side before the crop; 0: the smallest size that covers H x W
  Interp interp = Interp::kBilinear;
  std::vector<float> mean, scale;  // 1 or C values, model channel order
};

struct Preprocess {
  int width = 0, height = 0, channels = 3;
  bool nchw = true, bgr = false;
  Fit fit = Fit::kCrop;
  int resize_short = 0;
  Interp interp = Interp::kBilinear;
  std::vector<float> mean, scale;  // expanded to `channels` values (or empty)

  // Resolves `o` against a model input of shape [N, C, H, W] or [N, H, W, C] (static C, H, W;
  // C 1 or 3). Errors (usage) name `input_name` and say what does not fit.
  static Preprocess for_input(const PartialShape& shape, const PreprocessOptions& o,
                              const std::string& input_name);

  Shape sample_shape() const;  // [1, C, H, W] or [1, H, W, C]
  int64_t sample_size() const { return static_cast<int64_t>(width) * height * channels; }
  // Writes one sample's sample_size() floats to dst.
  void apply(const Image& img, float* dst) const;
  Tensor apply(const Image& img) const;
  // One line for logs: "224x224x3 NCHW RGB, resize short side 256 (bilinear) + center crop, mean [..] scale
  // [..]".
  std::string describe() const;
};

}  // namespace q8::image
