#include <random>

#include "ref_test_util.h"

namespace q8::test {
namespace {

std::vector<float> random_values(size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(gen);
  return v;
}

TEST(RefConv, ThreeByThreeOnesWithPadOneByHand) {
  std::vector<float> x(16);
  for (int i = 0; i < 16; ++i) x[i] = static_cast<float>(i + 1);
  Tensor y = OpRun("Convolution", 1)
                 .set("strides", ints({1, 1}))
                 .set("dilations", ints({1, 1}))
                 .set("pads_begin", ints({1, 1}))
                 .set("pads_end", ints({1, 1}))
                 .run1({make_f32({1, 1, 4, 4}, x), make_f32({1, 1, 3, 3}, std::vector<float>(9, 1.f))});
  expect_floats(y, {1, 1, 4, 4}, {14, 24, 30, 22, 33, 54, 63, 45, 57, 90, 99, 69, 46, 72, 78, 54});
}

struct ConvCase {
  int64_t n, groups, cin_g, cout_g, h, w, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr;
};

// Direct loops: the definition of a grouped 2-D convolution.
std::vector<float> naive_conv(const ConvCase& c, const std::vector<float>& x, const std::vector<float>& w,
                              int64_t& oh, int64_t& ow) {
  oh = (c.h + c.pt + c.pb - (c.kh - 1) * c.dh - 1) / c.sh + 1;
  ow = (c.w + c.pl + c.pr - (c.kw - 1) * c.dw - 1) / c.sw + 1;
  int64_t cin = c.groups * c.cin_g, cout = c.groups * c.cout_g;
  std::vector<float> y(static_cast<size_t>(c.n * cout * oh * ow));
  for (int64_t b = 0; b < c.n; ++b)
    for (int64_t co = 0; co < cout; ++co)
      for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
          double sum = 0;
          int64_t g = co / c.cout_g;
          for (int64_t ci = 0; ci < c.cin_g; ++ci)
            for (int64_t ki = 0; ki < c.kh; ++ki)
              for (int64_t kj = 0; kj < c.kw; ++kj) {
                int64_t yy = i * c.sh - c.pt + ki * c.dh, xx = j * c.sw - c.pl + kj * c.dw;
                if (yy < 0 || yy >= c.h || xx < 0 || xx >= c.w) continue;
                sum += x[((b * cin + g * c.cin_g + ci) * c.h + yy) * c.w + xx] *
                       w[((co * c.cin_g + ci) * c.kh + ki) * c.kw + kj];
              }
          y[((b * cout + co) * oh + i) * ow + j] = static_cast<float>(sum);
        }
  return y;
}

TEST(RefConv, MatchesDirectLoopsOnOddShapes) {
  const ConvCase cases[] = {
      {1, 1, 3, 5, 7, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},   // plain
      {2, 3, 2, 3, 11, 6, 3, 2, 2, 1, 1, 2, 0, 1, 2, 0},  // groups, stride, dilation, asymmetric pads
      {1, 4, 1, 1, 9, 9, 3, 3, 2, 2, 2, 2, 2, 2, 1, 1},   // depthwise, dilated
      {1, 1, 5, 2, 5, 13, 1, 5, 1, 3, 1, 1, 0, 2, 0, 3},  // 1xK kernel
  };
  uint32_t seed = 1;
  for (const ConvCase& c : cases) {
    int64_t cin = c.groups * c.cin_g;
    auto x = random_values(static_cast<size_t>(c.n * cin * c.h * c.w), seed++);
    auto w = random_values(static_cast<size_t>(c.groups * c.cout_g * c.cin_g * c.kh * c.kw), seed++);
    int64_t oh, ow;
    auto want = naive_conv(c, x, w, oh, ow);
    bool grouped = c.groups > 1;
    Shape ws =
        grouped ? Shape{c.groups, c.cout_g, c.cin_g, c.kh, c.kw} : Shape{c.cout_g, c.cin_g, c.kh, c.kw};
    Tensor y = OpRun(grouped ? "GroupConvolution" : "Convolution", 1)
                   .set("strides", ints({c.sh, c.sw}))
                   .set("dilations", ints({c.dh, c.dw}))
                   .set("pads_begin", ints({c.pt, c.pl}))
                   .set("pads_end", ints({c.pb, c.pr}))
                   .run1({make_f32({c.n, cin, c.h, c.w}, x), make_f32(ws, w)});
    expect_floats(y, {c.n, c.groups * c.cout_g, oh, ow}, want, 1e-4f);
  }
}

TEST(RefConv, SameUpperPadsPutTheExtraAtTheEnd) {
  // 1-D: input 4, kernel 2, stride 1 -> total pad 1, all at the end for same_upper.
  Tensor x = make_f32({1, 1, 4}, {1, 2, 3, 4});
  Tensor w = make_f32({1, 1, 2}, {1, 10});
  auto conv = [&](const char* mode) {
    return OpRun("Convolution", 1)
        .set("strides", ints({1}))
        .set("dilations", ints({1}))
        .set("pads_begin", ints({0}))
        .set("pads_end", ints({0}))
        .set("auto_pad", str(mode))
        .run1({x, w});
  };
  expect_floats(conv("same_upper"), {1, 1, 4}, {21, 32, 43, 4});
  expect_floats(conv("same_lower"), {1, 1, 4}, {10, 21, 32, 43});
  expect_floats(conv("valid"), {1, 1, 3}, {21, 32, 43});
}

TEST(RefConv, ChannelMismatchIsBadInput) {
  Tensor x = make_f32({1, 2, 3, 3}, std::vector<float>(18, 1.f));
  Tensor w = make_f32({1, 3, 1, 1}, {1, 1, 1});
  OpRun op("Convolution", 1);
  op.set("strides", ints({1, 1}))
      .set("dilations", ints({1, 1}))
      .set("pads_begin", ints({0, 0}))
      .set("pads_end", ints({0, 0}));
  EXPECT_THROW(op.run1({x, w}), Error);
}

TEST(RefConvBackprop, StrideTwoByHand) {
  // 1-D transposed conv: x = [1, 2], w = [1, 1, 1], stride 2 -> [1, 1, 1+2, 2, 2].
  Tensor x = make_f32({1, 1, 2}, {1, 2});
  Tensor w = make_f32({1, 1, 3}, {1, 1, 1});
  OpRun op("ConvolutionBackpropData", 1);
  op.set("strides", ints({2}))
      .set("dilations", ints({1}))
      .set("pads_begin", ints({0}))
      .set("pads_end", ints({0}));
  expect_floats(op.run1({x, w}), {1, 1, 5}, {1, 1, 3, 2, 2});
  op.set("pads_begin", ints({1})).set("pads_end", ints({1})).set("output_padding", ints({1}));
  expect_floats(op.run1({x, w}), {1, 1, 4}, {1, 3, 2, 2});
}

// The transposed convolution is the adjoint of the forward one: <conv(x), y> == <x, convT(y)>.
TEST(RefConvBackprop, IsTheAdjointOfConvolution) {
  auto x = random_values(2 * 4 * 7 * 6, 11), w = random_values(2 * 3 * 2 * 3 * 2, 12);
  auto attrs = [](OpRun& op) {
    op.set("strides", ints({2, 1}))
        .set("dilations", ints({1, 2}))
        .set("pads_begin", ints({1, 0}))
        .set("pads_end", ints({0, 1}));
  };
  OpRun fwd("GroupConvolution", 1);
  attrs(fwd);
  Tensor y = fwd.run1({make_f32({2, 4, 7, 6}, x), make_f32({2, 3, 2, 3, 2}, w)});
  auto r = random_values(static_cast<size_t>(y.size()), 13);
  OpRun bwd("GroupConvolutionBackpropData", 1);
  attrs(bwd);
  // Backprop weights are [G, C_in, C_out, k]: the same numbers read with in/out swapped.
  Tensor back = bwd.run1({make_f32(y.shape(), r), make_f32({2, 3, 2, 3, 2}, w), make_i64({2}, {7, 6})});
  ASSERT_EQ(back.shape(), (Shape{2, 4, 7, 6}));
  double lhs = 0, rhs = 0;
  auto yv = to_floats(y), bv = to_floats(back);
  for (size_t i = 0; i < yv.size(); ++i) lhs += double(yv[i]) * r[i];
  for (size_t i = 0; i < x.size(); ++i) rhs += double(x[i]) * bv[i];
  EXPECT_NEAR(lhs, rhs, 1e-3);
}

TEST(RefMatMul, TransposeBatchBroadcastAndVectors) {
  Tensor a = make_f32({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor b = make_f32({3, 2}, {1, 0, 0, 1, 1, 1});
  expect_floats(OpRun("MatMul", 1).run1({a, b}), {2, 2}, {4, 5, 10, 11});
  expect_floats(OpRun("MatMul", 1).set("transpose_a", true).set("transpose_b", true).run1({b, a}), {2, 2},
                {4, 10, 5, 11});
  Tensor batch = make_f32({2, 1, 3}, {1, 1, 1, 2, 0, 0});
  expect_floats(OpRun("MatMul", 1).run1({batch, b}), {2, 1, 2}, {2, 2, 2, 0});
  expect_floats(OpRun("MatMul", 1).run1({make_f32({3}, {1, 2, 3}), b}), {2}, {4, 5});
  expect_floats(OpRun("MatMul", 1).run1({a, make_f32({3}, {1, 0, -1})}), {2}, {-2, -2});
  EXPECT_THROW(OpRun("MatMul", 1).run1({a, a}), Error);
}

}  // namespace
}  // namespace q8::test
