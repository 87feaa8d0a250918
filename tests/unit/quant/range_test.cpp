#include "quant/range.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>
#include <vector>

#include "base/error.h"

namespace q8::quant {
namespace {

RangeEstimator est(RangeType t, double outlier_prob = 1e-4) {
  return RangeEstimator{t, outlier_prob};
}

// Deterministic data: evenly spaced values over [lo, hi] (inclusive), in shuffled order.
std::vector<float> uniform(int n, float lo, float hi, uint32_t seed = 1) {
  std::vector<float> v(n);
  for (int i = 0; i < n; ++i) v[i] = lo + (hi - lo) * static_cast<float>(i) / static_cast<float>(n - 1);
  std::mt19937 rng(seed);
  std::shuffle(v.begin(), v.end(), rng);
  return v;
}

// Laplace-distributed values (scale b): a heavy-ish tailed bulk like real activations.
std::vector<float> laplace(int n, float b, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<float> v(n);
  for (float& x : v) {
    double u = (static_cast<double>(rng()) + 0.5) / 4294967296.0;
    x = static_cast<float>(u < 0.5 ? b * std::log(2 * u) : -b * std::log(2 * (1 - u)));
  }
  return v;
}

// A narrow Laplace bulk (scale 0.05) with 1 in 2000 values from a wide one (scale 1): a tail
// with enough mass to matter but too little to pay for the grid resolution covering it costs.
std::vector<float> heavy_tailed(int n, uint32_t seed) {
  std::vector<float> narrow = laplace(n, 0.05f, seed), wide = laplace(n / 2000, 1.f, seed + 1);
  for (size_t i = 0; i < wide.size(); ++i) narrow[i * 2000] = wide[i];
  return narrow;
}

TEST(TensorStats, MinMaxAndPerSampleMeans) {
  TensorStats s;
  std::vector<float> a = {-1.f, 2.f, 0.5f}, b = {-3.f, 1.f};
  s.add(a);
  s.add(b);
  s.add(std::span<const float>());  // empty samples are not samples
  EXPECT_EQ(s.samples(), 2u);
  EXPECT_EQ(s.min(), -3.f);
  EXPECT_EQ(s.max(), 2.f);
  EXPECT_FLOAT_EQ(s.mean_min(), -2.f);
  EXPECT_FLOAT_EQ(s.mean_max(), 1.5f);
  EXPECT_FALSE(s.non_negative());

  Range mm = s.estimate(est(RangeType::kMinMax), 256, false, false);
  EXPECT_EQ(mm.lo, -3.f);
  EXPECT_EQ(mm.hi, 2.f);
  Range sym = s.estimate(est(RangeType::kMinMax), 256, true, false);
  EXPECT_EQ(sym.lo, -3.f);
  EXPECT_EQ(sym.hi, 3.f);
  Range mean = s.estimate(est(RangeType::kMeanMinMax), 256, false, false);
  EXPECT_FLOAT_EQ(mean.lo, -2.f);
  EXPECT_FLOAT_EQ(mean.hi, 1.5f);
  Range mean_sym = s.estimate(est(RangeType::kMeanMinMax), 256, true, false);
  EXPECT_FLOAT_EQ(mean_sym.lo, -2.f);
  EXPECT_FLOAT_EQ(mean_sym.hi, 2.f);
}

TEST(TensorStats, MeanMinMaxIsTheMeanOfPerSampleExtremes) {
  // POT's default: one bright image does not set the range for all of them.
  TensorStats s;
  s.add(uniform(100, 0.f, 1.f));
  s.add(uniform(100, 0.f, 3.f));
  s.add(uniform(100, 0.f, 2.f));
  EXPECT_TRUE(s.non_negative());
  Range r = s.estimate(est(RangeType::kMeanMinMax), 256, true, true);
  EXPECT_EQ(r.lo, 0.f);
  EXPECT_FLOAT_EQ(r.hi, 2.f);
  EXPECT_EQ(s.estimate(est(RangeType::kMinMax), 256, true, true).hi, 3.f);
}

TEST(TensorStats, AsymmetricRangesIncludeZero) {
  TensorStats s;
  s.add(uniform(50, 1.f, 5.f));
  Range r = s.estimate(est(RangeType::kMinMax), 256, false, false);
  EXPECT_EQ(r.lo, 0.f);
  EXPECT_EQ(r.hi, 5.f);
  TensorStats n;
  n.add(uniform(50, -4.f, -2.f));
  r = n.estimate(est(RangeType::kMinMax), 256, false, false);
  EXPECT_EQ(r.lo, -4.f);
  EXPECT_EQ(r.hi, 0.f);
}

TEST(TensorStats, NonNegativeDetection) {
  TensorStats none;
  EXPECT_FALSE(none.non_negative());
  TensorStats relu;
  relu.add(std::vector<float>{0.f, 0.f, 3.f});
  relu.add(std::vector<float>{0.5f, 0.f});
  EXPECT_TRUE(relu.non_negative());
  relu.add(std::vector<float>{1.f, -1e-7f});
  EXPECT_FALSE(relu.non_negative());
}

TEST(TensorStats, QuantilesOfUniformDataWithinABin) {
  TensorStats s(2048);
  s.add(uniform(100001, -1.f, 1.f));
  const double bin = 2.0 / 2048;
  EXPECT_NEAR(s.quantile(0.1), -0.8, bin);
  EXPECT_NEAR(s.quantile(0.5), 0.0, bin);
  EXPECT_NEAR(s.quantile(0.75), 0.5, bin);
  EXPECT_EQ(s.quantile(0), -1.f);
  EXPECT_EQ(s.quantile(1), 1.f);
  Range q = s.estimate(est(RangeType::kQuantile, 0.01), 256, false, false);
  EXPECT_NEAR(q.lo, -0.98, bin);
  EXPECT_NEAR(q.hi, 0.98, bin);
}

TEST(TensorStats, OutliersAreClippedByQuantileAndKlNotByMinMax) {
  std::vector<float> v = laplace(200000, 0.5f, 7);
  v[1000] = 40.f;  // a handful of outliers far from the bulk (|x| of the bulk < ~7)
  v[2000] = -35.f;
  v[3000] = 38.f;
  TensorStats s;
  s.add(v);
  Range mm = s.estimate(est(RangeType::kMinMax), 256, true, false);
  EXPECT_EQ(mm.hi, 40.f);
  for (RangeType t : {RangeType::kQuantile, RangeType::kKL}) {
    Range r = s.estimate(est(t), 256, true, false);
    EXPECT_LT(r.hi, 8.f) << static_cast<int>(t);
    EXPECT_GT(r.hi, 2.f) << static_cast<int>(t);
    EXPECT_EQ(r.lo, -r.hi);
  }
  // The quantile at 1e-3 sits in the Laplace tail: b * ln(1 / (2 p)) = 0.5 * ln(500).
  Range q = s.estimate(est(RangeType::kQuantile, 1e-3), 256, false, false);
  EXPECT_NEAR(q.hi, 0.5 * std::log(500.0), 0.2);
  EXPECT_NEAR(q.lo, -0.5 * std::log(500.0), 0.2);
  // Three isolated outliers in 200000 values cost more clipped than the coarser grid costs
  // everybody else, so the MSE criterion (rightly) keeps most of the range.
  Range m = s.estimate(est(RangeType::kMSE), 256, true, false);
  EXPECT_GT(m.hi, 0.5f * 40.f);
  EXPECT_LE(s.quantization_mse(fq_range(m, 256, true, false), 256),
            s.quantization_mse(fq_range(mm, 256, true, false), 256));
}

TEST(TensorStats, HeavyTailsAreClippedByEveryClippingEstimator) {
  TensorStats s;
  s.add(heavy_tailed(200000, 13));
  const float m = std::max(-s.min(), s.max());
  Range mm = s.estimate(est(RangeType::kMinMax), 256, true, false);
  EXPECT_EQ(mm.hi, m);
  auto mse = [&](Range r) { return s.quantization_mse(fq_range(r, 256, true, false), 256); };
  // Quantile and KL look at the distribution's shape: they cut the sparse tail off.
  for (RangeType t : {RangeType::kQuantile, RangeType::kKL}) {
    Range r = s.estimate(est(t), 256, true, false);
    EXPECT_LT(r.hi, 0.2f * m) << static_cast<int>(t);
    EXPECT_GT(r.hi, 0.3f) << static_cast<int>(t);  // beyond the bulk (scale 0.05)
  }
  // MSE trades the tail's clipping error against everybody's rounding error: for 8 bits the
  // optimum clips less, but it is the best range by that measure.
  Range r = s.estimate(est(RangeType::kMSE), 256, true, false);
  EXPECT_LT(r.hi, 0.8f * m);
  EXPECT_LT(mse(r), 0.7 * mse(mm));
  for (RangeType t : {RangeType::kMeanMinMax, RangeType::kQuantile, RangeType::kKL})
    EXPECT_LE(mse(r), mse(s.estimate(est(t), 256, true, false))) << static_cast<int>(t);
}

TEST(TensorStats, KlKeepsTheRangeOfOutlierFreeData) {
  TensorStats s;
  s.add(uniform(50000, 0.f, 4.f));
  Range r = s.estimate(est(RangeType::kKL), 256, false, true);
  EXPECT_EQ(r.lo, 0.f);
  EXPECT_GT(r.hi, 0.95f * 4.f);
  EXPECT_LE(r.hi, 4.f);
  Range sym = s.estimate(est(RangeType::kKL), 256, true, false);
  EXPECT_GT(sym.hi, 0.95f * 4.f);
}

TEST(TensorStats, MseOfUniformDataMatchesTheRoundingNoise) {
  TensorStats s;
  s.add(uniform(200001, -1.f, 1.f));
  const double step = 2.0 / 255;
  EXPECT_NEAR(s.quantization_mse({-1.f, 1.f}, 256), step * step / 12, 0.02 * step * step / 12);
  // Clipping to [-0.5, 0.5]: each tail of mass 1/4 over [0.5, 1] adds mean (x - 0.5)^2 = 1/12.
  double clip = 2 * 0.25 * (0.25 / 3), rounding = 0.5 * (step / 2) * (step / 2) / 12;
  EXPECT_NEAR(s.quantization_mse({-0.5f, 0.5f}, 256), clip + rounding, 0.01 * clip);
  EXPECT_THROW(s.quantization_mse({1.f, 1.f}, 256), Error);
}

TEST(TensorStats, MseEstimatorBarelyClipsUniformData) {
  TensorStats s;
  s.add(uniform(100000, -2.f, 2.f));
  Range r = s.estimate(est(RangeType::kMSE), 256, true, false);
  EXPECT_GT(r.hi, 0.97f * 2.f);
  EXPECT_LE(r.hi, 2.f);
  Range a = s.estimate(est(RangeType::kMSE), 256, false, false);
  EXPECT_GT(a.hi, 0.97f * 2.f);
  EXPECT_LT(a.lo, -0.97f * 2.f);
}

TEST(TensorStats, AsymmetricMseClipsEachSideOnItsOwn) {
  // The long tail only above 0: below, values stop at -0.4.
  std::vector<float> v = heavy_tailed(200000, 21);
  for (float& x : v) x = std::max(x, -0.4f);
  TensorStats s;
  s.add(v);
  Range r = s.estimate(est(RangeType::kMSE), 256, false, false);
  EXPECT_LT(r.hi, 0.8f * s.max());
  EXPECT_LT(r.lo, 0.9f * -0.4f);
  EXPECT_GE(r.lo, -0.4f);
}

TEST(TensorStats, StreamingMatchesOneShot) {
  std::vector<float> all = laplace(60000, 1.f, 3);
  TensorStats once, chunked;
  once.add(all);
  double sum_min = 0, sum_max = 0;
  size_t chunks = 0;
  for (size_t off = 0, len = 7; off < all.size(); off += len, len = len * 3 % 5000 + 1) {
    std::span<const float> part(all.data() + off, std::min(len, all.size() - off));
    chunked.add(part);
    sum_min += *std::min_element(part.begin(), part.end());
    sum_max += *std::max_element(part.begin(), part.end());
    ++chunks;
  }
  EXPECT_EQ(chunked.samples(), chunks);
  EXPECT_EQ(chunked.min(), once.min());
  EXPECT_EQ(chunked.max(), once.max());
  EXPECT_FLOAT_EQ(chunked.mean_min(), static_cast<float>(sum_min / chunks));
  EXPECT_FLOAT_EQ(chunked.mean_max(), static_cast<float>(sum_max / chunks));
  // Histograms differ in layout (the chunked one grew), but agree to within a bin of either.
  const double bin = 2.0 * (once.max() - once.min()) / 2048;
  for (double p : {1e-4, 0.01, 0.3, 0.5, 0.9, 0.9999})
    EXPECT_NEAR(chunked.quantile(p), once.quantile(p), 2 * bin);
  Range a = once.estimate(est(RangeType::kQuantile), 256, false, false);
  Range b = chunked.estimate(est(RangeType::kQuantile), 256, false, false);
  EXPECT_NEAR(a.lo, b.lo, 2 * bin);
  EXPECT_NEAR(a.hi, b.hi, 2 * bin);
  EXPECT_NEAR(once.quantization_mse({-3.f, 3.f}, 256), chunked.quantization_mse({-3.f, 3.f}, 256),
              0.05 * once.quantization_mse({-3.f, 3.f}, 256));
}

TEST(TensorStats, HistogramGrowthMergesBinsExactly) {
  // 4 bins over [0, 4] (width 1): 0 -> bin 0, 4 -> bin 3. Then -4 grows the range downwards:
  // width 2 over [-4, 4], old pairs (0,1) and (2,3) become bins 2 and 3: counts {1, 0, 1, 1}.
  TensorStats s(4);
  s.add(std::vector<float>{0.f, 4.f});
  s.add(std::vector<float>{-4.f});
  EXPECT_FLOAT_EQ(s.quantile(1.0 / 3), -2.f);  // the whole first bin [-4, -2]
  EXPECT_FLOAT_EQ(s.quantile(0.5), 1.f);       // half of bin [0, 2]
  EXPECT_FLOAT_EQ(s.quantile(2.0 / 3), 2.f);
  // 1000 doubles the width 7 more times upwards: [-4, 1020], width 256, counts {3, 0, 0, 1}.
  s.add(std::vector<float>{1000.f});
  EXPECT_FLOAT_EQ(s.quantile(0.75), 252.f);
  EXPECT_FLOAT_EQ(s.quantile(0.5), -4.f + 256.f * 2 / 3);
  EXPECT_EQ(s.quantile(1), 1000.f);
  EXPECT_EQ(s.quantile(0), -4.f);
}

TEST(TensorStats, ConstantSamplesThenSpreadStartTheHistogram) {
  TensorStats s(8);
  s.add(std::vector<float>{2.f, 2.f, 2.f});
  EXPECT_EQ(s.quantile(0.5), 2.f);
  s.add(std::vector<float>{2.f});
  s.add(std::vector<float>{0.f, 8.f});
  // Bins of width 1 over [0, 8]: 2 holds four values, 0 and 8 one each.
  EXPECT_FLOAT_EQ(s.quantile(0.5), 2.5f);
  EXPECT_EQ(s.quantile(1), 8.f);
}

TEST(TensorStats, DegenerateRangesGetAWidth) {
  TensorStats zero;
  zero.add(std::vector<float>(100, 0.f));
  zero.add(std::vector<float>(100, 0.f));
  for (RangeType t : {RangeType::kMinMax, RangeType::kMeanMinMax, RangeType::kQuantile, RangeType::kKL,
                      RangeType::kMSE, RangeType::kAuto}) {
    Range u = zero.estimate(est(t), 256, true, true);
    EXPECT_EQ(u.lo, 0.f);
    EXPECT_GT(u.hi, 0.f);
    Range sym = zero.estimate(est(t), 256, true, false);
    EXPECT_GT(sym.hi, 0.f);
    EXPECT_EQ(sym.lo, -sym.hi);
    Range asym = zero.estimate(est(t), 256, false, false);
    EXPECT_LT(asym.lo, 0.f);
    EXPECT_GT(asym.hi, 0.f);
    FqParams fq = activation_fq(asym, 256, false, false);
    EXPECT_EQ(fake_quantize(0.f, fq.in_lo[0], fq.in_hi[0], fq.out_lo[0], fq.out_hi[0], 256), 0.f);
  }
  TensorStats constant;
  constant.add(std::vector<float>(10, 3.f));
  Range r = constant.estimate(est(RangeType::kMSE), 256, false, true);
  EXPECT_EQ(r.lo, 0.f);
  EXPECT_GE(r.hi, 0.3f * 3.f);
}

TEST(TensorStats, DeterministicAndCopiesAreIndependent) {
  auto feed = [](TensorStats& s) {
    for (uint32_t i = 0; i < 20; ++i) s.add(laplace(3000 + 17 * i, 0.2f + 0.1f * i, i));
  };
  TensorStats a, b;
  feed(a);
  feed(b);
  for (RangeType t : {RangeType::kMinMax, RangeType::kMeanMinMax, RangeType::kQuantile, RangeType::kKL,
                      RangeType::kMSE, RangeType::kAuto}) {
    for (bool sym : {false, true}) {
      Range ra = a.estimate(est(t), 256, sym, false), rb = b.estimate(est(t), 256, sym, false);
      EXPECT_EQ(ra.lo, rb.lo);
      EXPECT_EQ(ra.hi, rb.hi);
    }
  }
  EXPECT_EQ(a.auto_choice(), b.auto_choice());
  EXPECT_EQ(a.quantization_mse({-1.f, 1.f}, 256), b.quantization_mse({-1.f, 1.f}, 256));

  TensorStats copy = a;
  copy.add(std::vector<float>{100.f});
  EXPECT_EQ(copy.max(), 100.f);
  EXPECT_LT(a.max(), 100.f);
  EXPECT_EQ(a.samples() + 1, copy.samples());
}

TEST(TensorStats, AutoPicksClippingOnHeavyTailsAndMinMaxOnUniformData) {
  TensorStats h;
  h.add(heavy_tailed(200000, 11));
  EXPECT_EQ(h.auto_choice(), RangeType::kAuto);  // nothing chosen yet
  Range r = h.estimate(est(RangeType::kAuto), 256, true, false);
  RangeType chosen = h.auto_choice();
  EXPECT_TRUE(chosen == RangeType::kQuantile || chosen == RangeType::kKL || chosen == RangeType::kMSE)
      << static_cast<int>(chosen);
  EXPECT_LT(r.hi, 0.8f * std::max(-h.min(), h.max()));
  // The chosen range is the best of the candidates by the estimated error.
  double best = h.quantization_mse(fq_range(r, 256, true, false), 256);
  for (RangeType t :
       {RangeType::kMeanMinMax, RangeType::kMinMax, RangeType::kQuantile, RangeType::kKL, RangeType::kMSE}) {
    Range c = h.estimate(est(t), 256, true, false);
    EXPECT_LE(best, h.quantization_mse(fq_range(c, 256, true, false), 256));
  }

  TensorStats u;
  for (uint32_t i = 0; i < 4; ++i) u.add(uniform(20000, -1.f, 1.f, i));
  Range ru = u.estimate(est(RangeType::kAuto), 256, true, false);
  EXPECT_GT(ru.hi, 0.97f);
  EXPECT_LE(ru.hi, 1.f);
}

TEST(TensorStats, Errors) {
  EXPECT_THROW(TensorStats(7), Error);
  EXPECT_THROW(TensorStats(0), Error);
  TensorStats s;
  EXPECT_THROW(s.estimate(est(RangeType::kMinMax), 256, false, false), Error);
  EXPECT_THROW(s.min(), Error);
  std::vector<float> bad = {1.f, NAN};
  try {
    s.add(bad);
    FAIL() << "NaN accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kBadInput);
  }
  s.add(std::vector<float>{1.f, 2.f});
  EXPECT_THROW(s.estimate(est(RangeType::kQuantile, 0.7), 256, false, false), Error);
  EXPECT_THROW(s.estimate(est(RangeType::kMinMax), 1, false, false), Error);
}

}  // namespace
}  // namespace q8::quant
