#include "base/log.h"
#include "fuzz.h"
#include "image/image.h"
#include "image/preprocess.h"
#include "tensor/tensor.h"

namespace q8::fuzz {

void init() {
  static const bool done = [] {
    log::set_level(log::Level::kQuiet);
    set_max_tensor_bytes(size_t{64} << 20);
    image::set_max_image_pixels(int64_t{1} << 22);
    return true;
  }();
  (void)done;
}

bool& last_accepted() {
  thread_local bool accepted = false;
  return accepted;
}

void decode_and_preprocess(std::string_view bytes, const char* name) {
  image::Image img = image::decode(std::string(bytes), name);
  image::PreprocessOptions rgb;
  rgb.resize_short = 10;
  image::Preprocess::for_input(Shape{1, 3, 8, 8}, rgb, "x").apply(img);
  image::PreprocessOptions gray;
  gray.fit = image::Fit::kStretch;
  gray.interp = image::Interp::kArea;
  gray.mean = {127};
  gray.scale = {64};
  image::Preprocess::for_input(Shape{1, 5, 7, 1}, gray, "y").apply(img);
}

}  // namespace q8::fuzz
