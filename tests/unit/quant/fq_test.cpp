#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <vector>

#include "base/error.h"
#include "graph/graph.h"
#include "quant/range.h"
#include "runtime/reference.h"
#include "tensor/convert.h"

namespace q8::quant {
namespace {

float fq(float x, const FqParams& p, size_t c = 0) {
  return fake_quantize(x, p.in_lo[c], p.in_hi[c], p.out_lo[c], p.out_hi[c], p.levels);
}

// The level index of x in a FakeQuantize range (0 .. levels - 1), from the formula.
double level_of(float x, float lo, float hi, int levels) {
  return (double{x} - lo) / (double{hi} - lo) * (levels - 1);
}

TEST(ActivationFq, UnsignedRangeStartsAtZero) {
  FqParams p = activation_fq({0.f, 6.f}, 256, true, true);
  EXPECT_EQ(p.levels, 256);
  ASSERT_EQ(p.in_lo.size(), 1u);
  EXPECT_EQ(p.in_lo[0], 0.f);
  EXPECT_EQ(p.in_hi[0], 6.f);
  EXPECT_EQ(p.out_lo, p.in_lo);
  EXPECT_EQ(p.out_hi, p.in_hi);
  EXPECT_EQ(fq(0.f, p), 0.f);
  EXPECT_EQ(fq(-1.f, p), 0.f);
  EXPECT_EQ(fq(7.f, p), 6.f);
}

TEST(ActivationFq, SignedSymmetricIsTheInt8GridWithScaleMOver127) {
  // POT: min = -max * levels / (levels - 2): the grid -128 .. 127 times m / 127.
  const float m = 2.54f;
  FqParams p = activation_fq({-m, m}, 256, true, false);
  EXPECT_EQ(p.in_hi[0], m);
  EXPECT_NEAR(p.in_lo[0], -m * 128 / 127, 1e-6);
  EXPECT_EQ(p.out_lo, p.in_lo);
  EXPECT_EQ(p.out_hi, p.in_hi);
  EXPECT_EQ(fq(0.f, p), 0.f);
  EXPECT_NEAR(level_of(0.f, p.in_lo[0], p.in_hi[0], 256), 128.0, 1e-4);
  // Every output is k * m / 127 for an integer k in [-128, 127].
  std::set<float> outputs;
  for (int i = -3000; i <= 3000; ++i) {
    float y = fq(static_cast<float>(i) * 0.001f, p);
    outputs.insert(y);
    double k = y / (m / 127.0);
    EXPECT_NEAR(k, std::nearbyint(k), 1e-3);
    EXPECT_GE(k, -128.001);
    EXPECT_LE(k, 127.001);
  }
  EXPECT_EQ(outputs.size(), 256u);
  // The estimate's sign and side do not matter, only the magnitude.
  FqParams q = activation_fq({-m, 1.f}, 256, true, false);
  EXPECT_EQ(q.in_hi[0], m);
  // Odd levels: [-m, m], 0 is the middle level.
  FqParams odd = activation_fq({-m, m}, 255, true, false);
  EXPECT_EQ(odd.in_lo[0], -m);
  EXPECT_EQ(odd.in_hi[0], m);
  EXPECT_EQ(fq(0.f, odd), 0.f);
}

TEST(ActivationFq, AsymmetricMovesOneBorderOutSoZeroIsALevel) {
  // [-1, 3], 255 steps: 0 sits at 63.75 -> level 64 (rounded up): lo moves down to
  // 64 * 3 / (64 - 255) and hi stays.
  FqParams p = activation_fq({-1.f, 3.f}, 256, false, false);
  EXPECT_EQ(p.in_hi[0], 3.f);
  EXPECT_NEAR(p.in_lo[0], 64.0 * 3 / (64 - 255), 1e-6);
  EXPECT_EQ(fq(0.f, p), 0.f);
  // [-1.1, 3]: 0 at 68.41 -> level 68 (rounded down): hi moves up to (68 - 255) * -1.1 / 68.
  FqParams d = activation_fq({-1.1f, 3.f}, 256, false, false);
  EXPECT_EQ(d.in_lo[0], -1.1f);
  EXPECT_NEAR(d.in_hi[0], (68.0 - 255) * -1.1 / 68, 1e-5);
  EXPECT_EQ(fq(0.f, d), 0.f);
  // Already on a level: unchanged ([-1, 2]: 0 at 85).
  FqParams same = activation_fq({-1.f, 2.f}, 256, false, false);
  EXPECT_EQ(same.in_lo[0], -1.f);
  EXPECT_EQ(same.in_hi[0], 2.f);
  // 0 within half a step of lo: POT would leave it between levels; it goes to level 1 instead.
  FqParams edge = activation_fq({-0.001f, 1.f}, 256, false, false);
  EXPECT_EQ(edge.in_hi[0], 1.f);
  EXPECT_NEAR(edge.in_lo[0], -1.0 / 254, 1e-7);
  EXPECT_EQ(fq(0.f, edge), 0.f);
  // And within half a step of hi: level 254.
  FqParams top = activation_fq({-1.f, 0.001f}, 256, false, false);
  EXPECT_EQ(top.in_lo[0], -1.f);
  EXPECT_NEAR(top.in_hi[0], 1.0 / 254, 1e-7);
  EXPECT_EQ(fq(0.f, top), 0.f);
}

TEST(ActivationFq, ZeroQuantizesToExactlyZeroForManyRanges) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> mag(-6.f, 4.f);  // 10^-6 .. 10^4
  for (int levels : {3, 16, 255, 256}) {
    for (int i = 0; i < 3000; ++i) {
      float lo = -std::pow(10.f, mag(rng)), hi = std::pow(10.f, mag(rng));
      for (bool symmetric : {false, true}) {
        FqParams p = activation_fq({lo, hi}, levels, symmetric, false);
        float flo = p.in_lo[0], fhi = p.in_hi[0];
        ASSERT_EQ(fq(0.f, p), 0.f) << levels << " [" << lo << ", " << hi << "] -> [" << flo << ", " << fhi
                                   << "]";
        double z = level_of(0.f, flo, fhi, levels);
        EXPECT_NEAR(z, std::nearbyint(z), 1e-3);
        if (!symmetric) {
          // Only ever widened (up to float rounding of the moved border).
          EXPECT_LE(flo, lo * (1 - 1e-6f));
          EXPECT_GE(fhi, hi * (1 - 1e-6f));
        }
      }
    }
  }
}

TEST(WeightFq, PerChannelSymmetricWithAZeroChannel) {
  // [3, 2]: channel maxima 1, 0, 2. The zero channel gets POT's floor max(8e-5, 1% of 2).
  Tensor w = make_f32({3, 2}, {0.5f, -1.f, 0.f, 0.f, 2.f, 0.1f});
  FqParams p = weight_fq(w, 255, true);
  EXPECT_EQ(p.levels, 255);
  EXPECT_EQ(p.in_hi, (std::vector<float>{1.f, 0.02f, 2.f}));
  EXPECT_EQ(p.in_lo, (std::vector<float>{-1.f, -0.02f, -2.f}));
  EXPECT_EQ(p.out_lo, p.in_lo);
  EXPECT_EQ(p.out_hi, p.in_hi);
  // 255 levels: grid -127 .. 127 times m / 127, 0 exact, extremes exact.
  for (size_t c = 0; c < 3; ++c) {
    EXPECT_EQ(fq(0.f, p, c), 0.f);
    EXPECT_EQ(fq(p.in_hi[c], p, c), p.in_hi[c]);
    EXPECT_EQ(fq(p.in_lo[c], p, c), p.in_lo[c]);
  }
  EXPECT_NEAR(fq(0.3f, p, 0), 38.0 / 127, 1e-6);  // 0.3 * 127 = 38.1

  FqParams t = weight_fq(w, 255, false);
  EXPECT_EQ(t.in_hi, (std::vector<float>{2.f}));
  EXPECT_EQ(t.in_lo, (std::vector<float>{-2.f}));
}

TEST(WeightFq, FloorsTinyChannelsAndAllZeroWeights) {
  Tensor w = make_f32({2, 1, 1, 2}, {4.f, -0.001f, 0.01f, 0.f});
  FqParams p = weight_fq(w, 255, true);
  EXPECT_EQ(p.in_hi, (std::vector<float>{4.f, 0.04f}));
  Tensor zeros = make_f32({2, 3}, {0, 0, 0, 0, 0, 0});
  FqParams z = weight_fq(zeros, 255, true);
  EXPECT_EQ(z.in_hi, (std::vector<float>{8e-5f, 8e-5f}));
  EXPECT_EQ(fq(0.f, z, 1), 0.f);
  // 256 levels (POT writes [-m, m] for weights whatever the level count).
  FqParams even = weight_fq(w, 256, true);
  EXPECT_EQ(even.in_lo, (std::vector<float>{-4.f, -0.04f}));
  EXPECT_THROW(weight_fq(make_f32({1, 2}, {1.f, NAN}), 255, true), Error);
  EXPECT_THROW(weight_fq(Tensor(), 255, true), Error);
}

// Runs the reference kernel on one FakeQuantize node.
std::vector<float> kernel_fq(const Tensor& x, const Tensor& il, const Tensor& ih, const Tensor& ol,
                             const Tensor& oh, int levels) {
  Graph g;
  Node* n = g.add("FakeQuantize", "fq");
  n->set_attr("levels", int64_t{levels});
  return to_floats(runtime::evaluate(*n, {x, il, ih, ol, oh}).at(0));
}

void expect_bit_equal(const std::vector<float>& want, const std::vector<float>& got,
                      const std::string& what) {
  ASSERT_EQ(want.size(), got.size());
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_EQ(std::bit_cast<uint32_t>(want[i]), std::bit_cast<uint32_t>(got[i]))
        << what << " at " << i << ": kernel " << want[i] << " ours " << got[i];
}

TEST(FakeQuantize, BitIdenticalToTheReferenceKernelOnEdges) {
  struct Case {
    float il, ih, ol, oh;
  };
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<Case> cases = {
      {0.f, 1.f, 0.f, 1.f},           {-1.f, 1.f, -1.f, 1.f},         {-1.0078740f, 1.f, -1.0078740f, 1.f},
      {-0.37f, 2.91f, -0.37f, 2.91f}, {0.f, 6.f, -3.f, 3.f},          {2.f, -1.f, 2.f, -1.f},
      {1.f, 1.f, 0.f, 1.f},           {-1e-5f, 3e-5f, -1e-5f, 3e-5f}, {-300.f, 1e4f, -300.f, 1e4f}};
  std::mt19937 rng(9);
  for (int levels : {2, 16, 255, 256}) {
    for (const Case& c : cases) {
      std::vector<float> xs = {0.f, -0.f, c.il, c.ih, c.ol, c.oh, -inf, inf, 1e30f, -1e30f};
      for (float b : {c.il, c.ih}) {
        xs.push_back(std::nextafter(b, inf));
        xs.push_back(std::nextafter(b, -inf));
      }
      // Values on and half way between grid points, and random ones around the range.
      float lo = std::min(c.il, c.ih), hi = std::max(c.il, c.ih);
      for (int k = 0; k <= 2 * (levels - 1); ++k)
        xs.push_back(lo + (hi - lo) * static_cast<float>(k) / (2 * (levels - 1)));
      std::uniform_real_distribution<float> u(lo - (hi - lo) * 0.1f - 1, hi + (hi - lo) * 0.1f + 1);
      for (int k = 0; k < 500; ++k) xs.push_back(u(rng));
      std::vector<float> ours;
      for (float x : xs) ours.push_back(fake_quantize(x, c.il, c.ih, c.ol, c.oh, levels));
      Tensor x = make_f32({static_cast<int64_t>(xs.size())}, xs);
      auto scalar = [](float v) { return make_f32({}, {v}); };
      expect_bit_equal(kernel_fq(x, scalar(c.il), scalar(c.ih), scalar(c.ol), scalar(c.oh), levels), ours,
                       "levels " + std::to_string(levels) + " [" + std::to_string(c.il) + ", " +
                           std::to_string(c.ih) + "]");
    }
  }
}

TEST(FakeQuantize, BitIdenticalPerChannelBroadcast) {
  // [1, C, H, W] data with [1, C, 1, 1] ranges, as pot writes per-channel FakeQuantize.
  const int64_t C = 3, H = 4, W = 5;
  std::vector<float> lo = {-1.f, 0.f, -0.5f}, hi = {1.f, 6.f, 0.25f};
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(-2.f, 7.f);
  std::vector<float> xs(C * H * W);
  for (float& v : xs) v = u(rng);
  xs[0] = lo[0], xs[1] = hi[0], xs[H * W] = lo[1], xs[H * W + 1] = hi[1];
  for (int levels : {2, 16, 255, 256}) {
    std::vector<float> ours(xs.size());
    for (int64_t c = 0; c < C; ++c)
      for (int64_t i = 0; i < H * W; ++i)
        ours[c * H * W + i] = fake_quantize(xs[c * H * W + i], lo[c], hi[c], lo[c], hi[c], levels);
    Tensor r_lo = make_f32({1, C, 1, 1}, lo), r_hi = make_f32({1, C, 1, 1}, hi);
    expect_bit_equal(kernel_fq(make_f32({1, C, H, W}, xs), r_lo, r_hi, r_lo, r_hi, levels), ours,
                     "levels " + std::to_string(levels));
  }
}

TEST(FakeQuantize, ProducedRangesRoundTripThroughTheKernel) {
  // Activation ranges from activation_fq: the kernel agrees bit for bit, and maps 0 to 0.
  for (bool symmetric : {false, true}) {
    FqParams p = activation_fq({-0.731f, 2.113f}, 256, symmetric, false);
    std::vector<float> xs = {0.f, -0.731f, 2.113f, 0.5f, -0.2f, 1e-9f, -1e-9f};
    std::vector<float> ours;
    for (float x : xs) ours.push_back(fq(x, p));
    auto t = [](const std::vector<float>& v) { return make_f32({}, v); };
    std::vector<float> k = kernel_fq(make_f32({static_cast<int64_t>(xs.size())}, xs), t(p.in_lo), t(p.in_hi),
                                     t(p.out_lo), t(p.out_hi), 256);
    expect_bit_equal(k, ours, symmetric ? "symmetric" : "asymmetric");
    EXPECT_EQ(k[0], 0.f);
  }
}

TEST(ErrorStats, KnownVectors) {
  ErrorStats e;
  std::vector<float> ref = {1.f, 2.f, 3.f}, q = {1.f, 2.f, 2.f};
  e.add(ref, q);
  EXPECT_EQ(e.count(), 3u);
  EXPECT_NEAR(e.sqnr_db(), 10 * std::log10(14.0), 1e-12);
  EXPECT_NEAR(e.mse(), 1.0 / 3, 1e-12);
  EXPECT_NEAR(e.cosine(), 11.0 / (std::sqrt(14.0) * 3), 1e-12);
  // Accumulates over samples: a second identical sample leaves the ratios as they are.
  e.add(ref, q);
  EXPECT_NEAR(e.sqnr_db(), 10 * std::log10(14.0), 1e-12);
  EXPECT_NEAR(e.mse(), 1.0 / 3, 1e-12);

  ErrorStats same;
  same.add(ref, ref);
  EXPECT_EQ(same.sqnr_db(), std::numeric_limits<double>::infinity());
  EXPECT_NEAR(same.cosine(), 1.0, 1e-12);
  EXPECT_EQ(same.mse(), 0.0);

  ErrorStats opposite;
  std::vector<float> neg = {-1.f, -2.f, -3.f};
  opposite.add(ref, neg);
  EXPECT_NEAR(opposite.cosine(), -1.0, 1e-12);
  EXPECT_NEAR(opposite.sqnr_db(), 10 * std::log10(14.0 / 56.0), 1e-12);

  ErrorStats empty;
  EXPECT_EQ(empty.mse(), 0.0);
  EXPECT_EQ(empty.cosine(), 1.0);
  std::vector<float> zero = {0.f, 0.f, 0.f};
  ErrorStats zeros;
  zeros.add(zero, ref);
  EXPECT_EQ(zeros.cosine(), 0.0);
  EXPECT_THROW(e.add(ref, std::vector<float>{1.f}), Error);
}

}  // namespace
}  // namespace q8::quant
