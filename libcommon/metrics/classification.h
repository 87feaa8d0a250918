#pragma once
// Classification accuracy (top-1 / top-5) accumulated one image at a time, as the accuracy
// checker's "accuracy" metric reports it.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace q8::metrics {

class TopK {
 public:
  // scores: one row of class scores (any length >= 1). label must be in [0, scores.size()), else a
  // bad-input error naming `what` (e.g. "val_map.txt:12" or the image name) and the range.
  // Ties: a class ranks before another with an equal score iff its index is lower (deterministic).
  void add(std::span<const float> scores, int64_t label, const std::string& what);
  // Models whose output already is the predicted class (an ArgMax output): counts for top-1 and
  // top-5 alike.
  void add_predicted(int64_t predicted, int64_t label);

  size_t count() const { return count_; }
  double top1() const;  // percent, 0..100; 0 when count() == 0
  double top5() const;

 private:
  size_t count_ = 0, hits1_ = 0, hits5_ = 0;
};

}  // namespace q8::metrics
