#include <gtest/gtest.h>

#include "base/error.h"
#include "image/image.h"
#include "image/preprocess.h"
#include "test_support.h"

namespace q8::image {
namespace {

Image gradient(int w, int h) {
  Image img{w, h, 3, std::vector<uint8_t>(static_cast<size_t>(w) * h * 3)};
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c)
        img.pixels[(static_cast<size_t>(y) * w + x) * 3 + c] = static_cast<uint8_t>(x * 10 + c);
  return img;
}

template <typename Fn>
void expect_error(Fn&& fn, ErrorKind kind, const std::vector<std::string>& parts) {
  try {
    fn();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.describe();
    for (const auto& p : parts) EXPECT_NE(e.describe().find(p), std::string::npos) << e.describe();
  }
}

TEST(Image, DecodesRealJpegs) {
  std::string path = test::material("imagenet-sample-100/n01440764_tench.JPEG");
  if (path.empty()) GTEST_SKIP() << "no ../shared/material";
  Image img = read(path);
  EXPECT_GT(img.width, 100);
  EXPECT_GT(img.height, 100);
  EXPECT_EQ(img.channels, 3);
  EXPECT_EQ(img.pixels.size(), static_cast<size_t>(img.width) * img.height * 3);
}

// tests/fixtures/images/gen_images.py: every variant holds pixel (x, y) = R 10x+60y, G R+1, B R+2
// (gray variants: R). 16-bit samples v*257 scale back to exactly v.
TEST(Image, DecodesEveryPngVariant) {
  for (std::string name : {"rgb8", "rgb16", "rgba8", "palette8", "gray8", "gray16", "gray_alpha8"}) {
    SCOPED_TRACE(name);
    Image img = read(test::fixture("images/" + name + ".png"));
    ASSERT_EQ(img.width, 4);
    ASSERT_EQ(img.height, 3);
    ASSERT_EQ(img.channels, 3);
    bool gray = name.rfind("gray", 0) == 0;
    for (int y = 0; y < 3; ++y)
      for (int x = 0; x < 4; ++x)
        for (int c = 0; c < 3; ++c)
          EXPECT_EQ(img.pixels[(static_cast<size_t>(y) * 4 + x) * 3 + c], 10 * x + 60 * y + (gray ? 0 : c))
              << x << "," << y << "," << c;
  }
}

TEST(Image, TruncatedCorruptAndUnknownFilesAreNamed) {
  std::string path = test::material("imagenet-sample-100/n01440764_tench.JPEG");
  if (path.empty()) GTEST_SKIP() << "no ../shared/material";
  std::string bytes = test::read(path);
  std::string png = test::read(test::fixture("images/rgb8.png"));
  for (const auto& [bad, what] : std::vector<std::pair<std::string, std::string>>{
           {bytes.substr(0, bytes.size() / 2), "truncated"},
           {bytes.substr(0, 20), "JPEG"},
           {"GIF89a....", "not a JPEG or PNG"},
           {"", "not a JPEG or PNG"},
           {png.substr(0, png.size() - 30), "PNG"},
           {std::string("\x89PNG\r\n\x1a\n", 8) + "broken", "PNG"}}) {
    SCOPED_TRACE(what);
    expect_error([&] { decode(bad, "x.img"); }, ErrorKind::kBadInput, {"x.img", what});
  }
  expect_error([] { read("/nonexistent/y.png"); }, ErrorKind::kBadInput, {"/nonexistent/y.png"});
}

TEST(Image, ResizeCropAndChannels) {
  Image img = gradient(8, 4);
  Image same = resize(img, 8, 4);
  EXPECT_EQ(same.pixels, img.pixels);
  Image half = resize(img, 4, 2);
  EXPECT_EQ(half.pixels[0], 5);  // between x=0 (0) and x=1 (10)
  Image s = resize_short_side(img, 2);
  EXPECT_EQ(s.width, 4);
  EXPECT_EQ(s.height, 2);
  Image c = center_crop(img, 4, 2);
  EXPECT_EQ(c.pixels[0], 20);  // x starts at 2
  EXPECT_THROW(center_crop(img, 9, 2), Error);
  Image g = to_channels(img, 1);
  EXPECT_EQ(g.channels, 1);
  // R 10, G 11, B 12 at x = 1: 0.299*10 + 0.587*11 + 0.114*12 = 10.815
  EXPECT_EQ(g.pixels[1], 11);
  Image back = to_channels(g, 3);
  EXPECT_EQ(back.pixels[3], 11);
  EXPECT_EQ(back.pixels[5], 11);
}

TEST(Image, AreaResizeAveragesTheCoveredSourcePixels) {
  Image img = gradient(8, 4);  // R = 10x
  Image a = resize(img, 4, 2, Interp::kArea);
  // Output x covers source 2x and 2x+1: R = (20x + 20x + 10) / 2 = 20x + 5.
  for (int x = 0; x < 4; ++x) EXPECT_EQ(a.pixels[static_cast<size_t>(x) * 3], 20 * x + 5);
  // 8 -> 3: output 0 covers [0, 2.667): (0 + 10 + 0.667 * 20) / 2.667 = 8.75 -> 9
  Image b = resize(img, 3, 4, Interp::kArea);
  EXPECT_EQ(b.pixels[0], 9);
  // Enlarging: a box overlaps at most two source pixels, so the result stays in range.
  Image up = resize(img, 16, 8, Interp::kArea);
  EXPECT_EQ(up.pixels[0], 0);
  EXPECT_EQ(up.pixels[(16 - 1) * 3], 70);
}

TEST(Preprocess, ResolvesAgainstTheModelInput) {
  PreprocessOptions o;
  Preprocess p = Preprocess::for_input(Shape{1, 3, 2, 4}, o, "data");
  EXPECT_TRUE(p.nchw);
  EXPECT_EQ(p.channels, 3);
  EXPECT_EQ(p.resize_short, 0);
  Preprocess q = Preprocess::for_input(Shape{1, 224, 224, 3}, o, "data");
  EXPECT_FALSE(q.nchw);
  Preprocess g = Preprocess::for_input(Shape{1, 1, 28, 28}, o, "x");
  EXPECT_EQ(g.channels, 1);

  Image img = gradient(8, 4);
  o.mean = {1};
  o.scale = {2};
  o.bgr = true;
  Tensor t = Preprocess::for_input(Shape{1, 3, 2, 4}, o, "data").apply(img);
  EXPECT_EQ(t.shape(), (Shape{1, 3, 2, 4}));
  // 8x4 covers 4x2 at scale 1/2: output x = 0 blends source x = 0 and 1, B = (2 + 12) / 2; B first
  EXPECT_EQ(t.data<float>()[0], (7.f - 1) / 2);
  o.resize_short = 4;  // keep 8x4, crop 4x2 from x = 2, y = 1
  Tensor cropped = Preprocess::for_input(Shape{1, 3, 2, 4}, o, "data").apply(img);
  EXPECT_EQ(cropped.data<float>()[0], (22.f - 1) / 2);
  o.resize_short = 0;
  o.layout = "NHWC";
  o.fit = Fit::kStretch;
  o.bgr = false;
  Tensor u = Preprocess::for_input(Shape{1, 4, 8, 3}, o, "data").apply(img);
  EXPECT_EQ(u.shape(), (Shape{1, 4, 8, 3}));
  EXPECT_EQ(u.data<float>()[3 * 3 + 1], (31.f - 1) / 2);  // x = 3, G
  Tensor gray = Preprocess::for_input(Shape{1, 1, 4, 8}, {}, "x").apply(img);
  EXPECT_EQ(gray.data<float>()[1], 11.f);
}

TEST(Preprocess, RejectsWhatCannotFit) {
  PreprocessOptions o;
  expect_error(
      [&] {
        Preprocess::for_input(Shape{1, 3, 224}, o, "data");
      },
      ErrorKind::kUsage, {"data", "rank 4"});
  expect_error(
      [&] {
        Preprocess::for_input(Shape{1, 5, 7, 9}, o, "data");
      },
      ErrorKind::kUsage, {"data", "[1,5,7,9]", "channel"});
  o.layout = "NCWH";
  expect_error([&] { Preprocess::for_input(Shape{1, 3, 8, 8}, o, "data"); }, ErrorKind::kUsage, {"NCWH"});
  o.layout = "";
  o.mean = {1, 2};
  expect_error(
      [&] {
        Preprocess::for_input(Shape{1, 3, 8, 8}, o, "data");
      },
      ErrorKind::kUsage, {"mean", "2 values", "3 channels"});
  o.mean = {};
  o.scale = {0};
  expect_error([&] { Preprocess::for_input(Shape{1, 3, 8, 8}, o, "data"); }, ErrorKind::kUsage, {"scale"});
  o.scale = {};
  o.resize_short = 100;
  expect_error(
      [&] {
        Preprocess::for_input(Shape{1, 3, 224, 224}, o, "data");
      },
      ErrorKind::kUsage, {"short side 100", "224x224"});
  PartialShape dyn = Shape{1, 3, 8, 8};
  dyn.dims[2] = Dim::dynamic();
  expect_error([&] { Preprocess::for_input(dyn, {}, "data"); }, ErrorKind::kUsage, {"static"});
}

}  // namespace
}  // namespace q8::image
