#pragma once
// pot's configuration: the POT JSON format (model / engine / compression) and the CLI shortcuts,
// parsed strictly (an unknown key is an error naming its json path, never silently ignored).
//
//   {
//     "model": {"model_name": "ssd_int8", "model": "FP32/ssd.xml", "weights": "FP32/ssd.bin"},
//     "engine": {"type": "simplified", "data_source": "calib_images/",
//                "preprocessing": {"layout": "NCHW", "bgr": false, "resize": 256, "fit": "crop"|"stretch",
//                                  "interpolation": "bilinear"|"area", "mean": [..], "scale": [..]}},
//     or {"type": "dataset", "data_source": "val/", "annotations": "val_map.txt" | "instances.json",
//         "metric": "top1" | "coco_map", "limit": 0, "label_offset": 0, "preprocessing": {...}},
//     "compression": {"target_device": "CPU" | "ANY",
//       "algorithms": [{"name": "DefaultQuantization" | "AccuracyAwareQuantization",
//                       "params": {"preset": "performance" | "mixed", "stat_subset_size": 300, ...}}]}
//   }
// Relative paths in the file are relative to the config file's directory.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "image/preprocess.h"

namespace q8::quant {

// How a tensor's quantization range is estimated from calibration statistics.
enum class RangeType {
  kMinMax,      // global min / max over all samples
  kMeanMinMax,  // mean over samples of each sample's min / max (POT's default for activations)
  kQuantile,    // the outlier_prob / 1 - outlier_prob quantiles of all values (histogram)
  kKL,          // entropy calibration: the clipping threshold minimising KL(P || Q) (histogram)
  kMSE,         // the range minimising the quantization mean squared error (histogram)
  kAuto,        // per tensor, the estimator whose quantized tensor has the lowest MSE
};
struct RangeEstimator {
  RangeType type = RangeType::kMeanMinMax;
  double outlier_prob = 1e-4;  // kQuantile
};

struct AlgorithmParams {
  std::string preset = "performance";  // performance: symmetric activations; mixed: asymmetric
  size_t stat_subset_size = 300;       // calibration samples (first N of the data source, or seeded sample)
  bool shuffle_data = false;           // pick stat_subset_size samples at random (with `seed`) not the first N
  uint64_t seed = 0;
  RangeEstimator activations;                          // "activations": {"range_estimator": {...}}
  std::map<std::string, RangeEstimator> per_tensor;    // "activations": {"per_layer": {"conv1": {...}}}
  bool weights_per_channel = true;                     // "weights": {"granularity": "perchannel"|"pertensor"}
  int weight_levels = 255, activation_levels = 256;    // "weights"/"activations": {"bits": 8} -> 255/256
  bool use_fast_bias = true;                           // FastBiasCorrection
  std::vector<std::string> ignored_scope;              // "ignored": {"scope": [layer names]} stay FP32
  // AccuracyAwareQuantization
  double maximal_drop = 0.01;          // fraction (0.01 = 1 point of a percent metric) as POT
  std::string drop_type = "absolute";  // absolute | relative
  int max_iter_num = 20;
  double time_budget_s = 0;  // 0: none
};

struct EngineConfig {
  std::string type = "simplified";  // simplified (images, no labels) | dataset (+ annotations + metric)
  std::string data_source;
  std::string annotations;
  std::string metric;  // top1 | top5 | coco_map (dataset engine)
  size_t limit = 0;    // dataset engine: evaluate on the first N samples only
  int64_t label_offset = 0;
  image::PreprocessOptions preprocessing;
};

struct PotConfig {
  std::string config_path;  // where it was read from ("" for CLI-only)
  std::string model_name;   // output file stem
  std::string model_xml, model_bin;
  EngineConfig engine;
  std::string target_device = "CPU";
  std::string algorithm = "DefaultQuantization";  // | AccuracyAwareQuantization
  AlgorithmParams params;
};

// Reads and validates a POT json config. Errors (usage kind, exit 1) name the file and the json
// path: "cfg.json: compression.algorithms[0].params.preset: 'fast' is not performance or mixed".
// A missing/unreadable file or invalid JSON is a bad-input error (exit 2). Paths in the file are made
// relative to its folder but not checked here: resolve_pot_config checks them (bad input) after the
// CLI has had its say. Known POT keys q8 does not act on are accepted with a warning.
PotConfig read_pot_config(const std::string& path);
PotConfig parse_pot_config(const std::string& json_text, const std::string& path);

// The CLI: values given on the command line override / fill the config (or make one without -c).
struct PotCli {
  std::string config;                 // -c
  std::string quantize;               // -q default | accuracy_aware
  std::string model_xml, model_bin;   // -m, -w
  std::string engine;                 // --engine simplified | dataset
  std::string data_source, annotations, metric;  // --data-source, --annotations, --metric
  std::string preset;                 // --preset
  std::optional<size_t> stat_subset_size;
  std::optional<double> maximal_drop;
  std::optional<uint64_t> seed;
  std::string range_estimator;        // --range-estimator minmax|mean_minmax|quantile|kl|mse|auto
  bool per_tensor_weights = false;    // --per-tensor-weights
  bool no_bias_correction = false;    // --no-bias-correction
  std::string model_name;             // -n
};
// Merges `cli` into the config from `cli.config` (or defaults); validates the result: a model, a
// data source, known preset/algorithm/engine, a metric for accuracy_aware.
PotConfig resolve_pot_config(const PotCli& cli);

RangeType parse_range_type(const std::string& name, const std::string& where);  // usage error
std::string to_string(RangeType t);

}  // namespace q8::quant
