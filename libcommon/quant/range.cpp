#include "quant/range.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "base/error.h"
#include "tensor/convert.h"

// Conventions (POT's, from its fake_quantize.py: symmetric_range / asymmetric_range / tune_range /
// fix_zero_filters_*; stated as formulas here, the code is ours):
// - Signed symmetric activations with even `levels` L use the integer grid -L/2 .. L/2-1 with
//   scale m / (L/2 - 1): FakeQuantize range [-m * L / (L - 2), m], i.e. [-128/127 m, m] and
//   scale m/127 for 256 levels. POT writes exactly this (min = -max * levels / (levels - 2)); it
//   keeps the positive side exact at m and gives the extra negative level to the int8 range.
//   Odd L uses [-m, m] (the grid -(L-1)/2 .. (L-1)/2).
// - Unsigned activations: [0, hi].
// - Asymmetric activations (preset "mixed"): [lo, hi] with lo <= 0 <= hi, then one border moves
//   outwards so that 0 falls on an integer level (POT's tune_range: the level nearest to 0's
//   position decides which border moves; it never clips more than the estimate did).
// - Weights: symmetric [-m, m] per output channel for any `levels` (POT writes -max for Const
//   inputs whatever the level count; with 255 levels the grid is -127..127, scale m/127).
// - Degenerate ranges: POT's floors. Symmetric / unsigned: m >= max(8e-5, 1% of the largest
//   channel's m). Asymmetric: a range narrower than 8e-4 widens by 8e-4 on both sides.
// On top of POT, the float borders of activation ranges are nudged by a few ulps so that 0.0f
// goes through the FakeQuantize formula to exactly 0.0f (padding and ReLU zeros stay zero).

namespace q8::quant {
namespace {

constexpr double kSymmetricFloor = 8e-5;     // POT fix_zero_filters_symmetric
constexpr double kAsymmetricFloor = 8e-4;    // POT fix_zero_filters_asymmetric (8 * 10e-5)
constexpr double kChannelFloorRatio = 0.01;  // POT: weights channels >= 1% of the largest

void check_levels(int levels) {
  if (levels < 2) throw_usage("FakeQuantize levels must be >= 2, got " + std::to_string(levels));
}

// A histogram over [lo, lo + bins * width] whose range grows by doubling `width`: adjacent bin
// pairs merge exactly into one new bin and the freed half of the bins extends the range on the
// side that needs it (downwards unless anchored at 0). Old bin edges stay edges of the new
// bins, so counts are never split or estimated, and a value's bin depends only on the values
// seen before it: adding the same data in the same order always gives the same counts.
// Until two different values have been seen there is no width to start from; the values then
// are all one constant, kept as a count.
class Histogram {
 public:
  Histogram(int bins, bool magnitudes) : bins_(bins), magnitudes_(magnitudes) {}

  // `smin` / `smax`: the min and max of the sample's (transformed) values.
  void add(std::span<const float> sample, double smin, double smax) {
    if (!started_) {
      bool constant_so_far = constant_count_ == 0 || (smin == constant_ && smax == constant_);
      if (smin == smax && constant_so_far) {
        constant_ = smin;
        constant_count_ += sample.size();
        return;
      }
      start(smin, smax);
    }
    grow_to(smin, smax);
    for (float x : sample) ++counts_[index(value(x))];
  }

  bool started() const { return started_; }
  double constant() const { return constant_; }
  int bins() const { return bins_; }
  double lo() const { return lo_; }
  double width() const { return width_; }
  double edge(int i) const { return lo_ + width_ * i; }
  const std::vector<uint64_t>& counts() const { return counts_; }

 private:
  double value(float x) const { return magnitudes_ ? std::fabs(double{x}) : double{x}; }

  void start(double smin, double smax) {
    double a = smin, b = smax;
    if (constant_count_ > 0) a = std::min(a, constant_), b = std::max(b, constant_);
    if (magnitudes_) a = 0;  // anchored: thresholds for entropy calibration are multiples of width
    lo_ = a;
    width_ = (b - a) / bins_;
    counts_.assign(bins_, 0);
    started_ = true;
    if (constant_count_ > 0) counts_[index(constant_)] += constant_count_;
  }

  size_t index(double x) const {
    // x >= lo_ holds (grow_to), so the quotient is >= 0; the top edge belongs to the last bin.
    double f = (x - lo_) / width_;
    return f >= bins_ ? bins_ - 1 : static_cast<size_t>(f);
  }

  void grow_to(double a, double b) {
    while (a < lo_ || b > lo_ + width_ * bins_) {
      const int half = bins_ / 2;
      bool downwards = a < lo_;
      std::vector<uint64_t> merged(bins_, 0);
      for (int j = 0; j < half; ++j) merged[(downwards ? half : 0) + j] = counts_[2 * j] + counts_[2 * j + 1];
      if (downwards) lo_ -= width_ * bins_;
      width_ *= 2;
      counts_ = std::move(merged);
    }
  }

  int bins_;
  bool magnitudes_;
  bool started_ = false;
  double lo_ = 0, width_ = 0;
  std::vector<uint64_t> counts_;
  double constant_ = 0;
  uint64_t constant_count_ = 0;
};

// FakeQuantize with input = output range in double, for error estimates.
double fq_value(double x, double lo, double hi, double steps) {
  if (x <= lo) return lo;
  if (x > hi) return hi;
  double step = (hi - lo) / steps;
  return lo + std::nearbyint((x - lo) / step) * step;
}

// Antiderivative of r(u)^2, r(u) = u - round(u) (the rounding error in units of a step):
// a full period contributes 1/12, the partial one (r^3 + 1/8) / 3.
double rounding_antiderivative(double u) {
  double n = std::floor(u + 0.5), r = u - n;
  return n / 12 + (r * r * r + 0.125) / 3;
}

// Integral over [a, b] of the squared FakeQuantize error of x (lo < hi).
double error_integral(double a, double b, double lo, double hi, double steps) {
  double sum = 0;
  auto cube = [](double v) { return v * v * v; };
  if (a < lo) sum += (cube(std::min(b, lo) - lo) - cube(a - lo)) / 3;
  if (b > hi) sum += (cube(b - hi) - cube(std::max(a, hi) - hi)) / 3;
  double ia = std::max(a, lo), ib = std::min(b, hi);
  if (ib > ia) {
    double step = (hi - lo) / steps;
    sum +=
        cube(step) * (rounding_antiderivative((ib - lo) / step) - rounding_antiderivative((ia - lo) / step));
  }
  return sum;
}

// Shapes an estimator's raw [lo, hi] as asked, with POT's floors against degenerate ranges.
Range shape_range(double lo, double hi, bool symmetric, bool unsigned_range) {
  if (unsigned_range) return {0.f, static_cast<float>(std::max(hi, kSymmetricFloor))};
  if (symmetric) {
    double m = std::max({std::fabs(lo), std::fabs(hi), kSymmetricFloor});
    return {static_cast<float>(-m), static_cast<float>(m)};
  }
  if (hi - lo < kAsymmetricFloor) lo -= kAsymmetricFloor, hi += kAsymmetricFloor;
  return {static_cast<float>(std::min(lo, 0.0)), static_cast<float>(std::max(hi, 0.0))};
}

// POT's tune_range: moves one border outwards so that 0 sits on an integer level. The level
// nearest to 0's position wins; if it is an end of the grid (0 within half a step of a border),
// the next level inwards is used so that the range still only widens. Returns whether lo moved.
bool tune_zero_level(double& lo, double& hi, int levels) {
  double steps = levels - 1;
  double f = -lo * steps / (hi - lo);
  double z = std::nearbyint(f);
  bool move_lo = z > f;
  if (z == f) return true;
  if (move_lo && z >= steps) move_lo = false, z = steps - 1;
  if (!move_lo && z <= 0) move_lo = true, z = 1;
  if (move_lo)
    lo = z * hi / (z - steps);
  else
    hi = (z - steps) * lo / z;
  return move_lo;
}

bool zero_is_exact(float lo, float hi, int levels) {
  return fake_quantize(0.f, lo, hi, lo, hi, levels) == 0.f;
}

// Rounding the borders to float usually leaves fake_quantize(0) a few ulps off 0: it is exactly 0
// when fl(fl(z / steps) * fl(hi - lo)) == -lo for the level z of 0. Searches the border that
// moved (`move_lo`) within some ulps; only if none works is the other border widened by an ulp.
void make_zero_exact(float& lo, float& hi, int levels, bool move_lo) {
  if (zero_is_exact(lo, hi, levels)) return;
  const float inf = std::numeric_limits<float>::infinity();
  for (int widen = 0; widen < 16; ++widen) {
    float& moving = move_lo ? lo : hi;
    const float start = moving;
    float up = start, down = start;
    for (int k = 1; k <= 64; ++k) {
      moving = up = std::nextafter(up, inf);
      if (zero_is_exact(lo, hi, levels)) return;
      moving = down = std::nextafter(down, -inf);
      if (zero_is_exact(lo, hi, levels)) return;
    }
    moving = start;
    float& fixed = move_lo ? hi : lo;
    fixed = std::nextafter(fixed, move_lo ? inf : -inf);
  }
  throw_internal("cannot make 0 exactly representable in FakeQuantize range [" + std::to_string(lo) + ", " +
                 std::to_string(hi) + "]");
}

}  // namespace

struct TensorStats::Impl {
  explicit Impl(int bins) : values(bins, false), magnitudes(bins, true) {}

  size_t samples = 0;
  uint64_t count = 0;
  double min = std::numeric_limits<double>::infinity(), max = -std::numeric_limits<double>::infinity();
  double max_abs = 0;
  double sum_min = 0, sum_max = 0;
  Histogram values;      // of x: quantiles, MSE
  Histogram magnitudes;  // of |x|, anchored at 0: entropy calibration
  RangeType auto_choice = RangeType::kAuto;

  void require_samples() const {
    if (samples == 0) throw_internal("no calibration statistics collected for this tensor");
  }
  double quantile(double p) const;
  double kl_threshold(int quantized_bins) const;
  Range raw_estimate(const RangeEstimator& e, int levels, bool symmetric, bool unsigned_range) const;
  Range mse_search(int levels, bool symmetric, bool unsigned_range) const;
  double fq_mse(Range shaped, int levels, bool symmetric, bool unsigned_range) const;
  double mse(double lo, double hi, int levels) const;
};

TensorStats::TensorStats(int bins) {
  if (bins < 2 || bins % 2 != 0)
    throw_usage("histogram bins must be an even number >= 2, got " + std::to_string(bins));
  impl_ = std::make_unique<Impl>(bins);
}
TensorStats::TensorStats(const TensorStats& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
TensorStats& TensorStats::operator=(const TensorStats& other) {
  if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
  return *this;
}
TensorStats::TensorStats(TensorStats&&) noexcept = default;
TensorStats& TensorStats::operator=(TensorStats&&) noexcept = default;
TensorStats::~TensorStats() = default;

void TensorStats::add(std::span<const float> sample) {
  if (sample.empty()) return;
  float smin = std::numeric_limits<float>::infinity(), smax = -smin;
  float amin = smin, amax = 0;
  for (float x : sample) {
    if (!std::isfinite(x)) throw_bad_input("calibration statistics: activation has a NaN or infinite value");
    smin = std::min(smin, x), smax = std::max(smax, x);
    float a = std::fabs(x);
    amin = std::min(amin, a), amax = std::max(amax, a);
  }
  Impl& s = *impl_;
  ++s.samples;
  s.count += sample.size();
  s.min = std::min(s.min, double{smin});
  s.max = std::max(s.max, double{smax});
  s.max_abs = std::max(s.max_abs, double{amax});
  s.sum_min += smin;
  s.sum_max += smax;
  s.values.add(sample, smin, smax);
  s.magnitudes.add(sample, amin, amax);
}

size_t TensorStats::samples() const {
  return impl_->samples;
}
bool TensorStats::non_negative() const {
  return impl_->samples > 0 && impl_->min >= 0;
}
float TensorStats::min() const {
  impl_->require_samples();
  return static_cast<float>(impl_->min);
}
float TensorStats::max() const {
  impl_->require_samples();
  return static_cast<float>(impl_->max);
}
float TensorStats::mean_min() const {
  impl_->require_samples();
  return static_cast<float>(impl_->sum_min / static_cast<double>(impl_->samples));
}
float TensorStats::mean_max() const {
  impl_->require_samples();
  return static_cast<float>(impl_->sum_max / static_cast<double>(impl_->samples));
}
float TensorStats::quantile(double p) const {
  impl_->require_samples();
  if (!(p >= 0 && p <= 1)) throw_usage("quantile probability must be in [0, 1], got " + std::to_string(p));
  return static_cast<float>(impl_->quantile(p));
}
RangeType TensorStats::auto_choice() const {
  return impl_->auto_choice;
}

// Linear interpolation inside the bin that reaches p of the mass; bins are clipped to the exact
// data range so p = 0 and p = 1 give the exact min and max.
double TensorStats::Impl::quantile(double p) const {
  if (!values.started()) return values.constant();
  const auto& c = values.counts();
  double target = p * static_cast<double>(count), cum = 0;
  for (int i = 0; i < values.bins(); ++i) {
    if (c[i] == 0) continue;
    double n = static_cast<double>(c[i]);
    if (cum + n >= target) {
      double a = std::max(values.edge(i), min), b = std::min(values.edge(i + 1), max);
      return std::clamp(a + (target - cum) / n * (b - a), min, max);
    }
    cum += n;
  }
  return max;
}

// Entropy calibration (TensorRT's method) on the |x| histogram: for each candidate threshold at
// bin edge i (from `quantized_bins` up), P is the first i bins with the mass beyond folded into
// bin i-1, Q is the first i bins merged into `quantized_bins` buckets and spread back evenly
// over the bins where P is non-zero. The threshold with the smallest KL(P || Q) wins (the
// smallest one on ties). Q is zero where P is not only when the folded outliers land in an
// empty bin; such bins get a tiny probability, which rightly makes that threshold costly.
double TensorStats::Impl::kl_threshold(int quantized_bins) const {
  if (!magnitudes.started()) return magnitudes.constant();
  const auto& c = magnitudes.counts();
  const int bins = magnitudes.bins();
  int used = bins;
  while (used > 0 && c[used - 1] == 0) --used;
  if (used <= quantized_bins) return max_abs;  // the data fits the grid without clipping
  std::vector<double> beyond(bins + 1, 0.0);   // beyond[i] = mass in bins >= i
  for (int i = bins - 1; i >= 0; --i) beyond[i] = beyond[i + 1] + static_cast<double>(c[i]);
  std::vector<double> p(bins), q(bins);
  double best_kl = std::numeric_limits<double>::infinity();
  int best = used;
  for (int i = quantized_bins; i <= used; ++i) {
    for (int j = 0; j < i; ++j) p[j] = static_cast<double>(c[j]);
    p[i - 1] += beyond[i];
    const int merged = i / quantized_bins;
    for (int k = 0; k < quantized_bins; ++k) {
      int start = k * merged, stop = k == quantized_bins - 1 ? i : start + merged;
      double sum = 0;
      int nonzero = 0;
      for (int j = start; j < stop; ++j) sum += static_cast<double>(c[j]), nonzero += p[j] != 0;
      for (int j = start; j < stop; ++j) q[j] = p[j] != 0 ? sum / nonzero : 0;
    }
    double psum = 0, qsum = 0;
    for (int j = 0; j < i; ++j) psum += p[j], qsum += q[j];
    if (qsum == 0) continue;
    double kl = 0;
    for (int j = 0; j < i; ++j) {
      if (p[j] == 0) continue;
      double pj = p[j] / psum, qj = std::max(q[j] / qsum, 1e-12);
      kl += pj * std::log(pj / qj);
    }
    if (kl < best_kl) best_kl = kl, best = i;
  }
  return std::min(magnitudes.edge(best), max_abs);
}

double TensorStats::Impl::mse(double lo, double hi, int levels) const {
  const double steps = levels - 1;
  if (!values.started()) {
    double x = values.constant(), e = fq_value(x, lo, hi, steps) - x;
    return e * e;
  }
  const auto& c = values.counts();
  double sum = 0;
  for (int i = 0; i < values.bins(); ++i) {
    if (c[i] == 0) continue;
    double n = static_cast<double>(c[i]);
    // Clip the bin to the data range: the mass is uniform over where data can be.
    double a = std::max(values.edge(i), min), b = std::min(values.edge(i + 1), max);
    if (b > a) {
      sum += n * error_integral(a, b, lo, hi, steps) / (b - a);
    } else {
      double e = fq_value(a, lo, hi, steps) - a;
      sum += n * e * e;
    }
  }
  return sum / static_cast<double>(count);
}

double TensorStats::Impl::fq_mse(Range shaped, int levels, bool symmetric, bool unsigned_range) const {
  Range r = fq_range(shaped, levels, symmetric, unsigned_range);
  return mse(r.lo, r.hi, levels);
}

// Clipping candidates: the max side (and for asymmetric ranges the min side, by coordinate
// descent, two rounds) scaled by 0.3 .. 1.0 in 100 steps; the one whose FakeQuantize range has
// the smallest estimated MSE wins (the widest one on ties).
Range TensorStats::Impl::mse_search(int levels, bool symmetric, bool unsigned_range) const {
  constexpr int kCandidates = 100;
  auto scale = [](int k) { return 0.3 + 0.7 * k / (kCandidates - 1); };
  auto best_of = [&](auto make) {
    Range best = make(1.0);
    double best_mse = fq_mse(best, levels, symmetric, unsigned_range);
    for (int k = kCandidates - 2; k >= 0; --k) {
      Range r = make(scale(k));
      double e = fq_mse(r, levels, symmetric, unsigned_range);
      if (e < best_mse) best_mse = e, best = r;
    }
    return best;
  };
  if (symmetric || unsigned_range) {
    double top = unsigned_range ? max : std::max(std::fabs(min), std::fabs(max));
    return best_of([&](double s) { return shape_range(-s * top, s * top, symmetric, unsigned_range); });
  }
  double lo_full = std::min(min, 0.0), hi_full = std::max(max, 0.0);
  Range r = shape_range(lo_full, hi_full, false, false);
  for (int round = 0; round < 2; ++round) {
    double lo = r.lo;
    r = best_of([&](double s) { return shape_range(lo, s * hi_full, false, false); });
    double hi = r.hi;
    r = best_of([&](double s) { return shape_range(s * lo_full, hi, false, false); });
  }
  return r;
}

Range TensorStats::Impl::raw_estimate(const RangeEstimator& e, int levels, bool symmetric,
                                      bool unsigned_range) const {
  switch (e.type) {
    case RangeType::kMinMax:
      return {static_cast<float>(min), static_cast<float>(max)};
    case RangeType::kMeanMinMax:
      return {static_cast<float>(sum_min / samples), static_cast<float>(sum_max / samples)};
    case RangeType::kQuantile: {
      if (!(e.outlier_prob >= 0 && e.outlier_prob < 0.5))
        throw_usage("range estimator outlier_prob must be in [0, 0.5), got " +
                    std::to_string(e.outlier_prob));
      return {static_cast<float>(quantile(e.outlier_prob)), static_cast<float>(quantile(1 - e.outlier_prob))};
    }
    case RangeType::kKL: {
      // Unsigned ranges quantize [0, t] to all levels; signed ones [-t, t] to half each side.
      int buckets = unsigned_range ? levels : std::max(1, levels / 2);
      double t = kl_threshold(buckets);
      if (unsigned_range) return {0.f, static_cast<float>(t)};
      return {static_cast<float>(std::max(min, -t)), static_cast<float>(std::min(max, t))};
    }
    case RangeType::kMSE:
      return mse_search(levels, symmetric, unsigned_range);
    case RangeType::kAuto:
      break;
  }
  throw_internal("raw_estimate: unexpected range estimator");
}

Range TensorStats::estimate(const RangeEstimator& e, int levels, bool symmetric, bool unsigned_range) const {
  check_levels(levels);
  const Impl& s = *impl_;
  s.require_samples();
  auto shaped = [&](RangeType t) {
    RangeEstimator one{t, e.outlier_prob};
    Range raw = s.raw_estimate(one, levels, symmetric, unsigned_range);
    return shape_range(raw.lo, raw.hi, symmetric, unsigned_range);
  };
  if (e.type != RangeType::kAuto) return shaped(e.type);
  // The first (POT's default first) wins ties: kMSE never loses to kMinMax, whose range is one
  // of its candidates, so plain data keeps the simpler estimator.
  static constexpr RangeType kOrder[] = {RangeType::kMeanMinMax, RangeType::kMinMax, RangeType::kQuantile,
                                         RangeType::kKL, RangeType::kMSE};
  Range best{};
  double best_mse = std::numeric_limits<double>::infinity();
  for (RangeType t : kOrder) {
    Range r = shaped(t);
    double m = s.fq_mse(r, levels, symmetric, unsigned_range);
    if (m < best_mse) best_mse = m, best = r, impl_->auto_choice = t;
  }
  return best;
}

double TensorStats::quantization_mse(Range r, int levels) const {
  check_levels(levels);
  impl_->require_samples();
  if (!(r.hi > r.lo)) throw_internal("quantization_mse: empty range");
  return impl_->mse(r.lo, r.hi, levels);
}

Range fq_range(Range r, int levels, bool symmetric, bool unsigned_range) {
  check_levels(levels);
  if (unsigned_range) return {0.f, static_cast<float>(std::max(double{r.hi}, kSymmetricFloor))};
  float lo, hi;
  bool move_lo = true;  // symmetric ranges keep hi = m exact
  if (symmetric) {
    double m = std::max({std::fabs(double{r.lo}), std::fabs(double{r.hi}), kSymmetricFloor});
    bool extra_negative_level = levels % 2 == 0 && levels >= 4;
    lo = static_cast<float>(extra_negative_level ? -m * levels / (levels - 2) : -m);
    hi = static_cast<float>(m);
  } else {
    double dlo = r.lo, dhi = r.hi;
    if (dhi - dlo < kAsymmetricFloor) dlo -= kAsymmetricFloor, dhi += kAsymmetricFloor;
    dlo = std::min(dlo, 0.0), dhi = std::max(dhi, 0.0);
    if (levels > 2) move_lo = tune_zero_level(dlo, dhi, levels);
    lo = static_cast<float>(dlo), hi = static_cast<float>(dhi);
  }
  // Two levels cannot hold 0 inside a range; lo == 0 already maps 0 to 0.
  if (levels > 2 && lo < 0 && hi > 0) make_zero_exact(lo, hi, levels, move_lo);
  return {lo, hi};
}

FqParams activation_fq(Range r, int levels, bool symmetric, bool unsigned_range) {
  Range f = fq_range(r, levels, symmetric, unsigned_range);
  FqParams p;
  p.levels = levels;
  p.in_lo = p.out_lo = {f.lo};
  p.in_hi = p.out_hi = {f.hi};
  return p;
}

FqParams weight_fq(const Tensor& w, int levels, bool per_channel) {
  check_levels(levels);
  if (w.empty() || w.size() == 0) throw_bad_input("weights to quantize are empty");
  std::vector<float> v = to_floats(w);
  int64_t channels = per_channel && !w.shape().empty() ? w.shape()[0] : 1;
  int64_t inner = static_cast<int64_t>(v.size()) / channels;
  std::vector<double> m(channels, 0.0);
  for (int64_t c = 0; c < channels; ++c) {
    for (int64_t i = c * inner; i < (c + 1) * inner; ++i) {
      if (!std::isfinite(v[i])) throw_bad_input("weights have a NaN or infinite value");
      m[c] = std::max(m[c], std::fabs(double{v[i]}));
    }
  }
  double floor = std::max(kSymmetricFloor, kChannelFloorRatio * *std::max_element(m.begin(), m.end()));
  FqParams p;
  p.levels = levels;
  for (double mc : m) {
    float hi = static_cast<float>(std::max(mc, floor));
    p.in_lo.push_back(-hi);
    p.in_hi.push_back(hi);
  }
  p.out_lo = p.in_lo;
  p.out_hi = p.in_hi;
  return p;
}

// Same operations in the same order as the reference kernel (runtime/ref/nn.cpp), all in float,
// so the result is bit-identical.
float fake_quantize(float x, float in_lo, float in_hi, float out_lo, float out_hi, int levels) {
  const float steps = static_cast<float>(levels - 1);
  if (x <= std::min(in_lo, in_hi)) return out_lo;
  if (x > std::max(in_lo, in_hi)) return out_hi;
  return std::nearbyint((x - in_lo) / (in_hi - in_lo) * steps) / steps * (out_hi - out_lo) + out_lo;
}

void ErrorStats::add(std::span<const float> reference, std::span<const float> quantized) {
  if (reference.size() != quantized.size())
    throw_internal("ErrorStats: " + std::to_string(reference.size()) + " reference values but " +
                   std::to_string(quantized.size()) + " quantized ones");
  for (size_t i = 0; i < reference.size(); ++i) {
    double r = reference[i], q = quantized[i], d = r - q;
    ref2_ += r * r, err2_ += d * d, dot_ += r * q, q2_ += q * q;
  }
  n_ += reference.size();
}

double ErrorStats::sqnr_db() const {
  if (err2_ == 0) return std::numeric_limits<double>::infinity();
  return 10 * std::log10(ref2_ / err2_);
}

double ErrorStats::cosine() const {
  if (ref2_ == 0 && q2_ == 0) return 1;
  if (ref2_ == 0 || q2_ == 0) return 0;
  return dot_ / (std::sqrt(ref2_) * std::sqrt(q2_));
}

double ErrorStats::mse() const {
  return n_ == 0 ? 0 : err2_ / static_cast<double>(n_);
}

}  // namespace q8::quant
