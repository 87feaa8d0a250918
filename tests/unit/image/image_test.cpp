#include <gtest/gtest.h>

#include "base/error.h"
#include "image/image.h"
#include "test_support.h"

namespace q8::image {
namespace {

Image gradient(int w, int h) {
  Image img{w, h, std::vector<uint8_t>(static_cast<size_t>(w) * h * 3)};
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c)
        img.rgb[(static_cast<size_t>(y) * w + x) * 3 + c] = static_cast<uint8_t>(x * 10 + c);
  return img;
}

TEST(Image, DecodesRealJpegs) {
  std::string path = test::material("imagenet-sample-100/n01440764_tench.JPEG");
  if (path.empty()) GTEST_SKIP() << "no ../shared/material";
  Image img = read(path);
  EXPECT_GT(img.width, 100);
  EXPECT_GT(img.height, 100);
  EXPECT_EQ(img.rgb.size(), static_cast<size_t>(img.width) * img.height * 3);
}

TEST(Image, TruncatedCorruptAndUnknownFilesAreNamed) {
  std::string path = test::material("imagenet-sample-100/n01440764_tench.JPEG");
  if (path.empty()) GTEST_SKIP() << "no ../shared/material";
  std::string bytes = test::read(path);
  for (const auto& [bad, what] : std::vector<std::pair<std::string, std::string>>{
           {bytes.substr(0, bytes.size() / 2), "truncated"},
           {bytes.substr(0, 20), "JPEG"},
           {"GIF89a....", "not a JPEG or PNG"},
           {std::string("\x89PNG\r\n\x1a\n", 8) + "broken", "PNG"}}) {
    try {
      decode(bad, "x.img");
      FAIL() << what;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kBadInput);
      EXPECT_NE(e.describe().find("x.img"), std::string::npos) << e.describe();
      EXPECT_NE(e.describe().find(what), std::string::npos) << e.describe();
    }
  }
}

TEST(Image, ResizeCropAndLayout) {
  Image img = gradient(8, 4);
  Image same = resize(img, 8, 4);
  EXPECT_EQ(same.rgb, img.rgb);
  Image half = resize(img, 4, 2);
  EXPECT_EQ(half.rgb[0], 5);  // between x=0 (0) and x=1 (10)
  Image s = resize_short_side(img, 2);
  EXPECT_EQ(s.width, 4);
  EXPECT_EQ(s.height, 2);
  Image c = center_crop(img, 4, 2);
  EXPECT_EQ(c.rgb[0], 20);  // x starts at 2
  EXPECT_THROW(center_crop(img, 9, 2), Error);
  Tensor nchw = to_tensor(c, {true, false, {}, {}});
  EXPECT_EQ(nchw.shape(), (Shape{1, 3, 2, 4}));
  EXPECT_EQ(nchw.data<float>()[8], 21.f);  // channel 1 (G), first pixel
  Tensor bgr = to_tensor(c, {false, true, {1, 1, 1}, {2, 2, 2}});
  EXPECT_EQ(bgr.shape(), (Shape{1, 2, 4, 3}));
  EXPECT_EQ(bgr.data<float>()[0], (22.f - 1) / 2);  // B first
}

}  // namespace
}  // namespace q8::image
