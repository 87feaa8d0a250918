#pragma once
// Calibration statistics and quantization ranges: streaming per-tensor statistics (memory
// independent of the number of samples), the range estimators of quant/config.h, and the
// FakeQuantize parameters POT writes for weights and activations.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "quant/config.h"
#include "tensor/tensor.h"

namespace q8::quant {

struct Range {
  float lo = 0, hi = 0;
};

// Statistics of one activation tensor over the calibration samples. add() takes one sample's
// values (e.g. one image's whole activation). Keeps running min/max, per-sample-min/max sums and
// two histograms (of x, and of |x| for entropy calibration) whose ranges grow by merging bins (no
// re-reading of data), so memory is O(bins). Histogram-based estimates are exact to within a bin.
// Same samples in the same order give bit-identical results. Copies are deep (independent).
class TensorStats {
 public:
  explicit TensorStats(int bins = 2048);  // bins: even, >= 2
  TensorStats(const TensorStats& other);
  TensorStats& operator=(const TensorStats& other);
  TensorStats(TensorStats&&) noexcept;
  TensorStats& operator=(TensorStats&&) noexcept;
  ~TensorStats();

  // An empty sample is ignored; a NaN or infinite value is a bad-input error.
  void add(std::span<const float> sample);
  size_t samples() const;     // non-empty samples added
  bool non_negative() const;  // every value seen >= 0 (unsigned quantization applies); false if none
  // These (and estimate) are internal errors before the first sample.
  float min() const;
  float max() const;
  float mean_min() const;
  float mean_max() const;
  // The value below which a fraction p of all values lie (from the histogram, within a bin).
  float quantile(double p) const;
  // The range `e` picks for quantization to `levels` levels; `symmetric` asks for a range
  // symmetric around 0 (lo = -hi) unless `unsigned_range` (lo = 0). Otherwise lo <= 0 <= hi.
  // Never degenerate: hi > lo. Not the FakeQuantize range itself: see fq_range().
  Range estimate(const RangeEstimator& e, int levels, bool symmetric, bool unsigned_range) const;
  // Mean squared error per value (estimated from the histogram, mass uniform within a bin) of a
  // FakeQuantize with input = output range `r` (used as is) and `levels`.
  double quantization_mse(Range r, int levels) const;
  // Which estimator the last estimate() with kAuto chose (kAuto before any), for the report.
  // estimate() records it, so concurrent estimate() calls on one object are not allowed.
  RangeType auto_choice() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// FakeQuantize parameters: ranges broadcastable to the data (size 1, or one per channel).
struct FqParams {
  int levels = 256;
  std::vector<float> in_lo, in_hi, out_lo, out_hi;
};

// The FakeQuantize range activation_fq() writes for an estimated range `r` (see range.cpp for
// the conventions, all POT's): unsigned [0, hi]; symmetric signed with even levels L: the grid
// -L/2 .. L/2-1 with scale m/(L/2-1), i.e. [-m*L/(L-2), m] ([-m*128/127, m] for 256); asymmetric:
// one border moved outwards so that 0 is an integer level. With levels > 2, zero quantizes to
// exactly 0.0f through fake_quantize() (the float borders are nudged by ulps where needed).
Range fq_range(Range r, int levels, bool symmetric, bool unsigned_range);
// Activations: `levels` (256) with an unsigned [0, hi] range, a symmetric signed one, or an
// asymmetric one (preset mixed) adjusted so that 0 is exactly representable, as POT does.
// in_lo/in_hi equal out_lo/out_hi (one value each), as POT writes them.
FqParams activation_fq(Range r, int levels, bool symmetric, bool unsigned_range);
// Weights [O, ...] (or [G, O/G, ...] for GroupConvolution with `axis` 0 and 1 flattened by the caller):
// symmetric, per output channel (axis 0) or per tensor, m = max|w|, range [-m, m], `levels` (255).
// As POT, every m is raised to at least max(8e-5, 1% of the largest m), so a channel of all zeros
// gets a small non-zero range and the FakeQuantize stays well defined. Ranges have shape[0]
// values per channel (1 per tensor); in == out. POT writes [-m, m] for 256 levels too (0 then
// falls between two levels); with 255 the grid is -127..127, scale m/127, and 0 maps to 0.
FqParams weight_fq(const Tensor& w, int levels, bool per_channel);

// FakeQuantize of one value, exactly as the reference kernel computes it (WORKFLOW.md formula).
float fake_quantize(float x, float in_lo, float in_hi, float out_lo, float out_hi, int levels);

// Signal-to-quantization-noise ratio (dB) and cosine similarity between a reference and a
// quantized tensor's values, accumulated over samples.
class ErrorStats {
 public:
  void add(std::span<const float> reference, std::span<const float> quantized);
  // Sizes must match (internal error otherwise).
  double sqnr_db() const;  // 10 log10(sum ref^2 / sum (ref - q)^2); +inf when equal
  double cosine() const;   // 1 when both are all zero, 0 when only one is
  double mse() const;      // 0 before any value
  size_t count() const { return n_; }

 private:
  double ref2_ = 0, err2_ = 0, dot_ = 0, q2_ = 0;
  size_t n_ = 0;
};

}  // namespace q8::quant
