#pragma once
// pot: calibrates an FP32/FP16 IR to INT8 with FakeQuantize (DefaultQuantization or
// AccuracyAwareQuantization) and writes the quantized IR and a per-layer report.
//
//   1. statistics of every activation site over the calibration subset (streamed, one sample at a time)
//   2. ranges (range estimators, presets, unified Concat ranges) and per-channel weight ranges
//   3. FastBiasCorrection: each quantized layer's bias shifted by the mean error of its output
//   4. the per-layer report: INT8 vs FP32 SQNR / cosine of every quantized layer's output
//   5. AccuracyAwareQuantization: FP32 vs INT8 metric; layers ranked by their effect on the output
//      and returned to FP32 one by one until the drop is within maximal_drop (or the budget ends)
#include <string>

#include "quant/config.h"

namespace q8::quant {

struct PotRun {
  PotConfig config;
  std::string output_dir;   // writes <output_dir>/<model_name>.xml/.bin and <model_name>.report.json
  std::string report_path;  // overrides the report's path when not empty
};

// Returns the text for stdout (the written model's path); the table and progress go to stderr.
std::string run_pot(const PotRun& run);

}  // namespace q8::quant
