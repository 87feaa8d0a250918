#include "metrics/classification.h"

#include "base/error.h"

namespace q8::metrics {

void TopK::add(std::span<const float> scores, int64_t label, const std::string& what) {
  if (scores.empty()) throw_bad_input(what + ": the model gave no class scores");
  const auto n = static_cast<int64_t>(scores.size());
  if (label < 0 || label >= n) {
    throw_bad_input(what + ": label " + std::to_string(label) + " is outside the model's classes [0, " +
                    std::to_string(n) + ")");
  }
  // The label's rank is the number of classes ranked before it; no sort needed. NaN scores never
  // compare greater, so they rank after every number (and a NaN label score ranks after all).
  const float s = scores[static_cast<size_t>(label)];
  int64_t rank = 0;
  for (int64_t i = 0; i < n && rank < 5; ++i) {
    const float v = scores[static_cast<size_t>(i)];
    if (v > s || (v == s && i < label) || (s != s && v == v)) ++rank;
  }
  ++count_;
  if (rank < 1) ++hits1_;
  if (rank < 5) ++hits5_;
}

void TopK::add_predicted(int64_t predicted, int64_t label) {
  ++count_;
  if (predicted == label) {
    ++hits1_;
    ++hits5_;
  }
}

double TopK::top1() const {
  return count_ ? 100.0 * static_cast<double>(hits1_) / static_cast<double>(count_) : 0.0;
}

double TopK::top5() const {
  return count_ ? 100.0 * static_cast<double>(hits5_) / static_cast<double>(count_) : 0.0;
}

}  // namespace q8::metrics
