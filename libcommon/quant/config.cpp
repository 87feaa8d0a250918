#include "quant/config.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <string_view>

#include "base/error.h"
#include "base/file.h"
#include "base/log.h"
#include "base/strings.h"

namespace q8::quant {
namespace {

using Json = nlohmann::json;
using Names = std::initializer_list<std::string_view>;

// ---- messages --------------------------------------------------------------------------------------

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// " (did you mean "preset"?)" for a near miss (edit distance <= 2), else "".
std::string did_you_mean(std::string_view word, Names options) {
  std::string_view best;
  size_t best_d = 3;
  for (auto o : options) {
    size_t d = edit_distance(word, o);
    if (d < best_d) best_d = d, best = o;
  }
  return best.empty() ? "" : " (did you mean \"" + std::string(best) + "\"?)";
}

// "a, b or c"
std::string one_of(Names options) {
  std::string out;
  size_t i = 0;
  for (auto o : options) {
    if (i > 0) out += i + 1 == options.size() ? " or " : ", ";
    out += o;
    ++i;
  }
  return out;
}

[[noreturn]] void fail(const std::string& where, const std::string& msg) {
  throw_usage(where + ": " + msg);
}

// Errors get the config file's name as context on their way out; warnings are printed on the spot, so
// they take it from here (set for the duration of one parse).
thread_local std::string t_config_path;

void warn(const std::string& where, const std::string& msg) {
  log::warn((t_config_path.empty() ? "" : t_config_path + ": ") + where + ": " + msg);
}

std::string kind_of(const Json& v) {
  if (v.is_string()) return "a string (\"" + v.get<std::string>() + "\")";
  if (v.is_boolean()) return v.get<bool>() ? "a boolean (true)" : "a boolean (false)";
  if (v.is_number()) return "a number (" + v.dump() + ")";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "null";
}

[[noreturn]] void wrong_type(const Json& v, const std::string& where, const char* expected) {
  fail(where, std::string("expected ") + expected + ", got " + kind_of(v));
}

std::string member(const std::string& where, std::string_view key) {
  return where.empty() ? std::string(key) : where + "." + std::string(key);
}

// ---- typed access ----------------------------------------------------------------------------------

std::string as_string(const Json& v, const std::string& where) {
  if (!v.is_string()) wrong_type(v, where, "a string");
  return v.get<std::string>();
}

bool as_bool(const Json& v, const std::string& where) {
  if (!v.is_boolean()) wrong_type(v, where, "true or false");
  return v.get<bool>();
}

// Integers only: 300.5 samples or "300" is a mistake worth reporting, not rounding.
int64_t as_int(const Json& v, const std::string& where, int64_t min_value) {
  if (!v.is_number_integer()) wrong_type(v, where, "an integer");
  if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX)) fail(where, "too large");
  int64_t x = v.get<int64_t>();
  if (x < min_value) fail(where, v.dump() + " is less than " + std::to_string(min_value));
  return x;
}

double as_number(const Json& v, const std::string& where) {
  if (!v.is_number()) wrong_type(v, where, "a number");
  return v.get<double>();
}

std::string as_choice(const Json& v, const std::string& where, Names options) {
  std::string s = as_string(v, where);
  for (auto o : options)
    if (s == o) return s;
  fail(where, "'" + s + "' is not " + one_of(options) + did_you_mean(s, options));
}

const Json& as_object(const Json& v, const std::string& where) {
  if (!v.is_object()) wrong_type(v, where, "an object");
  return v;
}

const Json* find(const Json& obj, std::string_view key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

// Every key of `obj` must be known (read by the caller) or ignored (POT keys with no meaning for q8:
// accepted so POT configs load, but said out loud). Checked up front so a typo is reported even when
// the misspelt key is optional.
void check_keys(const Json& obj, const std::string& where, Names known, Names ignored = {}) {
  as_object(obj, where);
  for (auto& [key, value] : obj.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    if (std::find(ignored.begin(), ignored.end(), key) != ignored.end()) {
      warn(member(where, key), "not used by q8, ignored");
      continue;
    }
    fail(member(where, key), "unknown key" + did_you_mean(key, known));
  }
}

// ---- sections --------------------------------------------------------------------------------------

// What parse found, beyond the config itself: which defaults were derived rather than given, so a
// CLI override of the model also re-derives them.
struct Parsed {
  PotConfig cfg;
  bool model_name_given = false;
  bool engine_type_given = false;
};

std::string relative_to(const std::filesystem::path& dir, const std::string& p, const std::string& where) {
  if (p.empty()) fail(where, "empty path");
  std::filesystem::path path(p);
  if (path.is_absolute() || dir.empty()) return p;
  return (dir / path).lexically_normal().string();
}

std::string weights_for(const std::string& xml) {
  return std::filesystem::path(xml).replace_extension(".bin").string();
}

std::string stem_of(const std::string& xml) {
  return std::filesystem::path(xml).stem().string();
}

// The name becomes <output-dir>/<name>.xml: a path in it would write outside the output folder.
void check_model_name(const std::string& name, const std::string& where) {
  if (name.empty()) fail(where, "empty name");
  if (name.find('/') != std::string::npos || name == "." || name == "..")
    fail(where, "'" + name + "' is a file name stem, not a path");
}

void parse_model(const Json& m, const std::filesystem::path& dir, Parsed& p) {
  const std::string where = "model";
  check_keys(m, where, {"model_name", "model", "weights"});
  if (auto* v = find(m, "model_name")) {
    p.cfg.model_name = as_string(*v, "model.model_name");
    check_model_name(p.cfg.model_name, "model.model_name");
    p.model_name_given = true;
  }
  if (auto* v = find(m, "model"))
    p.cfg.model_xml = relative_to(dir, as_string(*v, "model.model"), "model.model");
  if (auto* v = find(m, "weights"))
    p.cfg.model_bin = relative_to(dir, as_string(*v, "model.weights"), "model.weights");
}

float as_float(const Json& v, const std::string& where) {
  double d = as_number(v, where);
  if (!(std::fabs(d) <= std::numeric_limits<float>::max())) fail(where, v.dump() + " is out of range");
  return static_cast<float>(d);
}

std::vector<float> as_floats(const Json& v, const std::string& where) {
  if (v.is_number()) return {as_float(v, where)};
  if (!v.is_array()) wrong_type(v, where, "a number or an array of numbers");
  if (v.empty()) fail(where, "empty array");
  std::vector<float> out;
  for (size_t i = 0; i < v.size(); ++i) out.push_back(as_float(v[i], where + "[" + std::to_string(i) + "]"));
  return out;
}

void parse_preprocessing(const Json& j, image::PreprocessOptions& o) {
  const std::string where = "engine.preprocessing";
  check_keys(j, where, {"layout", "bgr", "resize", "fit", "interpolation", "mean", "scale"});
  if (auto* v = find(j, "layout")) o.layout = as_choice(*v, where + ".layout", {"NCHW", "NHWC"});
  if (auto* v = find(j, "bgr")) o.bgr = as_bool(*v, where + ".bgr");
  if (auto* v = find(j, "resize")) {
    int64_t r = as_int(*v, where + ".resize", 0);
    if (r > 65535) fail(where + ".resize", v->dump() + " is not a plausible image size");
    o.resize_short = static_cast<int>(r);
  }
  if (auto* v = find(j, "fit"))
    o.fit = as_choice(*v, where + ".fit", {"crop", "stretch"}) == "crop" ? image::Fit::kCrop
                                                                         : image::Fit::kStretch;
  if (auto* v = find(j, "interpolation"))
    o.interp = as_choice(*v, where + ".interpolation", {"bilinear", "area"}) == "area"
                   ? image::Interp::kArea
                   : image::Interp::kBilinear;
  if (auto* v = find(j, "mean")) o.mean = as_floats(*v, where + ".mean");
  if (auto* v = find(j, "scale")) {
    o.scale = as_floats(*v, where + ".scale");
    for (float s : o.scale)
      if (s == 0) fail(where + ".scale", "a scale of 0 divides by zero");
  }
}

constexpr const char* kAcNotSupported =
    "Accuracy Checker engines are not supported; use \"type\": \"dataset\" with \"data_source\", "
    "\"annotations\" and \"metric\" (or \"type\": \"simplified\" with \"data_source\")";

void parse_engine(const Json& e, const std::filesystem::path& dir, Parsed& p) {
  const std::string where = "engine";
  as_object(e, where);
  // POT's default engine reads an Accuracy Checker yaml (or inlines one); say so instead of
  // "unknown key", since these configs are common.
  for (const char* ac_key : {"config", "datasets", "launchers"})
    if (find(e, ac_key)) fail(member(where, ac_key), kAcNotSupported);
  check_keys(e, where,
             {"type", "data_source", "annotations", "metric", "limit", "label_offset", "preprocessing"},
             {"stat_requests_number", "eval_requests_number"});
  EngineConfig& c = p.cfg.engine;
  if (auto* v = find(e, "type")) {
    if (v->is_string() && v->get<std::string>() == "accuracy_checker") fail("engine.type", kAcNotSupported);
    c.type = as_choice(*v, "engine.type", {"simplified", "dataset"});
    p.engine_type_given = true;
  }
  if (auto* v = find(e, "data_source"))
    c.data_source = relative_to(dir, as_string(*v, "engine.data_source"), "engine.data_source");
  if (auto* v = find(e, "preprocessing")) parse_preprocessing(*v, c.preprocessing);

  bool dataset_keys = false;
  for (const char* key : {"annotations", "metric", "limit", "label_offset"}) {
    if (!find(e, key)) continue;
    if (p.engine_type_given && c.type == "simplified")
      fail(member(where, key),
           "only for \"type\": \"dataset\" (the simplified engine reads unlabelled images)");
    dataset_keys = true;
  }
  if (dataset_keys) c.type = "dataset";  // POT has no "dataset" type: infer it from what is given
  if (auto* v = find(e, "annotations"))
    c.annotations = relative_to(dir, as_string(*v, "engine.annotations"), "engine.annotations");
  if (auto* v = find(e, "metric")) c.metric = as_choice(*v, "engine.metric", {"top1", "top5", "coco_map"});
  if (auto* v = find(e, "limit")) c.limit = static_cast<size_t>(as_int(*v, "engine.limit", 0));
  if (auto* v = find(e, "label_offset")) c.label_offset = as_int(*v, "engine.label_offset", INT64_MIN);
}

// One end ("max" or "min") of a POT range estimator. POT composes an estimator type with an
// aggregator over samples; q8 has fixed combinations, so only those that map onto one are accepted.
RangeEstimator parse_border(const Json& j, const std::string& where, bool is_max) {
  check_keys(j, where, {"type", "aggregator", "outlier_prob"}, {"clipping_value"});
  const std::string_view extreme = is_max ? "max" : "min";
  std::string type(extreme), aggregator = "mean";
  if (auto* v = find(j, "type"))
    type = is_max ? as_choice(*v, where + ".type", {"max", "quantile", "kl", "mse", "auto"})
                  : as_choice(*v, where + ".type", {"min", "quantile", "kl", "mse", "auto"});
  if (auto* v = find(j, "aggregator")) {
    aggregator = as_string(*v, where + ".aggregator");
    if (type == extreme) {
      if (aggregator != "mean" && aggregator != extreme)
        fail(where + ".aggregator", "'" + aggregator + "' is not mean or " + std::string(extreme) +
                                        did_you_mean(aggregator, {"mean", extreme}));
    } else if (aggregator != "mean") {
      fail(where + ".aggregator", "'" + aggregator + "': only \"mean\" (the default) goes with type \"" +
                                      type + "\"; other aggregators apply to type \"" + std::string(extreme) +
                                      "\"");
    }
  }
  RangeEstimator r;
  if (type == extreme)
    r.type = aggregator == "mean" ? RangeType::kMeanMinMax : RangeType::kMinMax;
  else
    r.type = parse_range_type(type, where + ".type");
  if (auto* v = find(j, "outlier_prob")) {
    if (r.type != RangeType::kQuantile) fail(where + ".outlier_prob", "only for type \"quantile\"");
    r.outlier_prob = as_number(*v, where + ".outlier_prob");
    if (!(r.outlier_prob > 0 && r.outlier_prob < 0.5))
      fail(where + ".outlier_prob", v->dump() + " is not in (0, 0.5)");
  }
  return r;
}

RangeEstimator parse_range_estimator(const Json& j, const std::string& where) {
  check_keys(j, where, {"preset", "max", "min"});
  const Json* preset = find(j, "preset");
  const Json* max = find(j, "max");
  const Json* min = find(j, "min");
  if (preset && (max || min)) fail(where, "give either \"preset\" or \"max\"/\"min\", not both");
  RangeEstimator r;
  if (preset) {
    // POT's "default" preset: mean over samples of each sample's min/max.
    r.type = as_choice(*preset, where + ".preset", {"default", "quantile"}) == "quantile"
                 ? RangeType::kQuantile
                 : RangeType::kMeanMinMax;
    return r;
  }
  if (max) r = parse_border(*max, where + ".max", true);
  if (min) {
    RangeEstimator lo = parse_border(*min, where + ".min", false);
    // One estimator serves both ends of a range in q8 (and in every POT preset).
    if (max && (lo.type != r.type || lo.outlier_prob != r.outlier_prob))
      fail(where, "\"min\" (" + to_string(lo.type) + ") and \"max\" (" + to_string(r.type) +
                      ") differ; q8 estimates both ends of a range the same way");
    r = lo;
  }
  return r;
}

// "bits" must be 8 and level_low/high, if given, must span the levels q8 uses.
void check_levels(const Json& j, const std::string& where, int levels, int64_t default_low) {
  if (auto* v = find(j, "bits"))
    if (as_int(*v, where + ".bits", 1) != 8) fail(where + ".bits", v->dump() + ": only 8 bits are supported");
  const Json* low = find(j, "level_low");
  const Json* high = find(j, "level_high");
  if (!low && !high) return;
  int64_t lo = low ? as_int(*low, where + ".level_low", INT64_MIN / 2) : default_low;
  int64_t hi = high ? as_int(*high, where + ".level_high", INT64_MIN / 2) : default_low + levels - 1;
  if (hi - lo + 1 != levels)
    fail(where, "level_low " + std::to_string(lo) + " .. level_high " + std::to_string(hi) + " is not " +
                    std::to_string(levels) + " levels, the only count q8 supports here");
}

void parse_weights(const Json& j, AlgorithmParams& a) {
  const std::string where = "compression.algorithms[0].params.weights";
  check_keys(j, where, {"bits", "mode", "granularity", "level_low", "level_high"}, {"range_estimator"});
  check_levels(j, where, 255, -127);
  if (auto* v = find(j, "mode"))
    if (as_choice(*v, where + ".mode", {"symmetric", "asymmetric"}) != "symmetric")
      fail(where + ".mode", "asymmetric weights are not supported (q8 quantizes weights symmetrically)");
  if (auto* v = find(j, "granularity"))
    a.weights_per_channel =
        as_choice(*v, where + ".granularity", {"perchannel", "pertensor"}) == "perchannel";
}

// Returns the activation mode if one is given ("" otherwise): it decides the preset.
std::string parse_activations(const Json& j, AlgorithmParams& a) {
  const std::string where = "compression.algorithms[0].params.activations";
  check_keys(j, where,
             {"bits", "mode", "granularity", "level_low", "level_high", "range_estimator", "per_layer"});
  check_levels(j, where, 256, 0);
  if (auto* v = find(j, "granularity"))
    if (as_choice(*v, where + ".granularity", {"pertensor", "perchannel"}) != "pertensor")
      fail(where + ".granularity", "per-channel activations are not supported");
  if (auto* v = find(j, "range_estimator"))
    a.activations = parse_range_estimator(*v, where + ".range_estimator");
  if (auto* v = find(j, "per_layer")) {
    as_object(*v, where + ".per_layer");
    for (auto& [name, est] : v->items()) {
      if (name.empty()) fail(where + ".per_layer", "empty layer name");
      a.per_tensor[name] = parse_range_estimator(est, where + ".per_layer[\"" + name + "\"]");
    }
  }
  if (auto* v = find(j, "mode")) return as_choice(*v, where + ".mode", {"symmetric", "asymmetric"});
  return "";
}

void parse_ignored(const Json& j, AlgorithmParams& a) {
  const std::string where = "compression.algorithms[0].params.ignored";
  as_object(j, where);
  // Silently quantizing layers the user wanted kept in FP32 would give a different model.
  if (find(j, "operations"))
    fail(where + ".operations", "ignoring layers by type is not supported; list their names in \"scope\"");
  check_keys(j, where, {"scope"});
  const Json* scope = find(j, "scope");
  if (!scope) return;
  if (!scope->is_array()) wrong_type(*scope, where + ".scope", "an array of layer names");
  for (size_t i = 0; i < scope->size(); ++i)
    a.ignored_scope.push_back(as_string((*scope)[i], where + ".scope[" + std::to_string(i) + "]"));
}

constexpr std::string_view kAccuracyAwareKeys[] = {"maximal_drop", "drop_type", "max_iter_num",
                                                   "time_budget"};

void parse_params(const Json& j, PotConfig& c) {
  const std::string where = "compression.algorithms[0].params";
  check_keys(j, where,
             {"preset", "stat_subset_size", "shuffle_data", "seed", "ignored", "weights", "activations",
              "use_fast_bias", "maximal_drop", "drop_type", "max_iter_num", "time_budget"},
             {"target_device", "model_type", "inplace_statistics", "stat_batch_size", "ranking_subset_size",
              "metric_subset_ratio", "tune_hyperparams", "use_prev_if_drop_increase", "base_algorithm",
              "convert_to_mixed_preset", "annotation_free", "annotation_conf_threshold", "metrics",
              "dump_intermediate_model"});
  AlgorithmParams& a = c.params;
  const Json* preset = find(j, "preset");
  if (preset) a.preset = as_choice(*preset, where + ".preset", {"performance", "mixed"});
  if (auto* v = find(j, "stat_subset_size"))
    a.stat_subset_size = static_cast<size_t>(as_int(*v, where + ".stat_subset_size", 1));
  if (auto* v = find(j, "shuffle_data")) a.shuffle_data = as_bool(*v, where + ".shuffle_data");
  if (auto* v = find(j, "seed")) a.seed = static_cast<uint64_t>(as_int(*v, where + ".seed", 0));
  if (auto* v = find(j, "ignored")) parse_ignored(*v, a);
  if (auto* v = find(j, "weights")) parse_weights(*v, a);
  if (auto* v = find(j, "use_fast_bias")) a.use_fast_bias = as_bool(*v, where + ".use_fast_bias");
  if (auto* v = find(j, "activations")) {
    // POT lets activations.mode override the preset's activation scheme; the preset is that scheme.
    std::string mode = parse_activations(*v, a);
    if (!mode.empty()) {
      std::string implied = mode == "asymmetric" ? "mixed" : "performance";
      if (preset && implied != a.preset)
        warn(where + ".activations.mode",
             "'" + mode + "' overrides preset '" + a.preset + "' (now '" + implied + "')");
      a.preset = implied;
    }
  }
  if (auto* v = find(j, "maximal_drop")) {
    a.maximal_drop = as_number(*v, where + ".maximal_drop");
    if (!(a.maximal_drop >= 0 && a.maximal_drop < 1))
      fail(where + ".maximal_drop", v->dump() + " is not a fraction in [0, 1) (0.01 = 1 point)");
  }
  if (auto* v = find(j, "drop_type"))
    a.drop_type = as_choice(*v, where + ".drop_type", {"absolute", "relative"});
  if (auto* v = find(j, "max_iter_num"))
    a.max_iter_num = static_cast<int>(as_int(*v, where + ".max_iter_num", 1));
  if (auto* v = find(j, "time_budget")) {
    a.time_budget_s = as_number(*v, where + ".time_budget");
    if (!(a.time_budget_s >= 0)) fail(where + ".time_budget", v->dump() + " seconds is negative");
  }
  if (c.algorithm == "DefaultQuantization")
    for (auto key : kAccuracyAwareKeys)
      if (find(j, key)) warn(member(where, key), "only used by AccuracyAwareQuantization, ignored");
}

void parse_compression(const Json& j, PotConfig& c) {
  const std::string where = "compression";
  check_keys(j, where, {"target_device", "algorithms"},
             {"model_type", "inplace_statistics", "dump_intermediate_model"});
  if (auto* v = find(j, "target_device"))
    c.target_device = as_choice(*v, "compression.target_device", {"CPU", "ANY"});
  const Json* algos = find(j, "algorithms");
  if (!algos) return;
  if (!algos->is_array()) wrong_type(*algos, "compression.algorithms", "an array");
  if (algos->size() != 1)
    fail("compression.algorithms",
         "exactly one algorithm is supported, got " + std::to_string(algos->size()));
  const Json& algo = (*algos)[0];
  check_keys(algo, "compression.algorithms[0]", {"name", "params"});
  const Json* name = find(algo, "name");
  if (!name) fail("compression.algorithms[0]", "missing \"name\"");
  c.algorithm = as_choice(*name, "compression.algorithms[0].name",
                          {"DefaultQuantization", "AccuracyAwareQuantization"});
  if (auto* v = find(algo, "params")) parse_params(*v, c);
}

Parsed parse(const std::string& text, const std::string& path) {
  Json root;
  try {
    // POT configs are commented json (jstyleson): // and /* */ comments are allowed.
    root = Json::parse(text, nullptr, true, true);
  } catch (const Json::exception& e) {  // parse_error, and out_of_range for numbers like 1e999
    std::string msg = e.what();
    if (auto pos = msg.find("] "); msg.starts_with("[json.exception") && pos != std::string::npos)
      msg = msg.substr(pos + 2);
    throw_bad_input("invalid JSON: " + msg);
  }
  if (!root.is_object()) throw_bad_input("not a POT config: expected a JSON object, got " + kind_of(root));
  check_keys(root, "", {"model", "engine", "compression"});
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  Parsed p;
  p.cfg.config_path = path;
  if (auto* v = find(root, "model")) parse_model(*v, dir, p);
  if (auto* v = find(root, "engine")) parse_engine(*v, dir, p);
  if (auto* v = find(root, "compression")) parse_compression(*v, p.cfg);
  PotConfig& c = p.cfg;
  if (!c.model_xml.empty()) {
    if (c.model_bin.empty()) c.model_bin = weights_for(c.model_xml);
    if (c.model_name.empty()) c.model_name = stem_of(c.model_xml);
  }
  return p;
}

Parsed parse_in_context(const std::string& text, const std::string& path) {
  struct Scope {
    explicit Scope(const std::string& path) { t_config_path = path; }
    ~Scope() { t_config_path.clear(); }
  } scope(path);
  if (path.empty()) return parse(text, path);
  return with_context(path, [&] { return parse(text, path); });
}

// ---- CLI merge -------------------------------------------------------------------------------------

void merge_model(const PotCli& cli, Parsed& p) {
  PotConfig& c = p.cfg;
  if (!cli.model_xml.empty()) {
    // A model from the command line brings its own weights and name unless those are given too.
    c.model_xml = cli.model_xml;
    c.model_bin = cli.model_bin.empty() ? weights_for(cli.model_xml) : cli.model_bin;
    if (!p.model_name_given) c.model_name = stem_of(cli.model_xml);
  } else if (!cli.model_bin.empty()) {
    c.model_bin = cli.model_bin;
  }
  if (c.model_xml.empty())
    throw_usage("no model: give -m MODEL.xml, or \"model\": {\"model\": ...} in the config (-c)");
  if (c.model_bin.empty()) c.model_bin = weights_for(c.model_xml);
  if (!cli.model_name.empty()) {
    check_model_name(cli.model_name, "-n");
    c.model_name = cli.model_name;
  }
  if (c.model_name.empty()) c.model_name = stem_of(c.model_xml);
}

void merge_engine(const PotCli& cli, Parsed& p) {
  EngineConfig& e = p.cfg.engine;
  if (!cli.engine.empty()) {
    if (cli.engine == "accuracy_checker") throw_usage("--engine: " + std::string(kAcNotSupported));
    if (cli.engine != "simplified" && cli.engine != "dataset")
      throw_usage("--engine '" + cli.engine + "' is not simplified or dataset" +
                  did_you_mean(cli.engine, {"simplified", "dataset"}));
    e.type = cli.engine;
    p.engine_type_given = true;
  }
  if (!cli.data_source.empty()) e.data_source = cli.data_source;
  if (!cli.annotations.empty()) e.annotations = cli.annotations;
  if (!cli.metric.empty()) {
    if (cli.metric != "top1" && cli.metric != "top5" && cli.metric != "coco_map")
      throw_usage("--metric '" + cli.metric + "' is not top1, top5 or coco_map" +
                  did_you_mean(cli.metric, {"top1", "top5", "coco_map"}));
    e.metric = cli.metric;
  }
  bool labelled = !e.annotations.empty() || !e.metric.empty();
  if (labelled && e.type == "simplified") {
    if (p.engine_type_given)
      throw_usage(
          "the simplified engine reads unlabelled images: annotations and a metric need the dataset engine");
    e.type = "dataset";
  }
  if (e.data_source.empty())
    throw_usage(
        "no data source: give --data-source DIR, or \"engine\": {\"data_source\": ...} in the config");
  if (e.type == "dataset" && e.annotations.empty())
    throw_usage("the dataset engine needs annotations (--annotations FILE or engine.annotations)");
}

void merge_params(const PotCli& cli, PotConfig& c) {
  if (!cli.quantize.empty()) {
    if (cli.quantize == "default" || cli.quantize == "DefaultQuantization")
      c.algorithm = "DefaultQuantization";
    else if (cli.quantize == "accuracy_aware" || cli.quantize == "AccuracyAwareQuantization")
      c.algorithm = "AccuracyAwareQuantization";
    else
      throw_usage("-q '" + cli.quantize + "' is not default or accuracy_aware" +
                  did_you_mean(cli.quantize, {"default", "accuracy_aware"}));
  }
  AlgorithmParams& a = c.params;
  if (!cli.preset.empty()) {
    if (cli.preset != "performance" && cli.preset != "mixed")
      throw_usage("--preset '" + cli.preset + "' is not performance or mixed" +
                  did_you_mean(cli.preset, {"performance", "mixed"}));
    a.preset = cli.preset;
  }
  if (cli.stat_subset_size) {
    if (*cli.stat_subset_size == 0) throw_usage("--stat-subset-size must be at least 1");
    a.stat_subset_size = *cli.stat_subset_size;
  }
  if (cli.maximal_drop) {
    if (!(*cli.maximal_drop >= 0 && *cli.maximal_drop < 1))
      throw_usage("--maximal-drop " + format_double(*cli.maximal_drop) +
                  " is not a fraction in [0, 1) (0.01 = 1 point, as POT)");
    a.maximal_drop = *cli.maximal_drop;
  }
  if (cli.seed) a.seed = *cli.seed;
  if (!cli.range_estimator.empty())
    a.activations.type = parse_range_type(cli.range_estimator, "--range-estimator");
  if (cli.per_tensor_weights) a.weights_per_channel = false;
  if (cli.no_bias_correction) a.use_fast_bias = false;
  if (c.algorithm == "AccuracyAwareQuantization" && (c.engine.type != "dataset" || c.engine.metric.empty()))
    throw_usage(
        "AccuracyAwareQuantization measures accuracy: it needs the dataset engine with annotations and a "
        "metric (--engine dataset --annotations FILE --metric top1|top5|coco_map, or engine.annotations and "
        "engine.metric)");
}

// A data source may be a directory, a file list, or a unix file-name template (POT's simplified mode):
// for a template, its directory must exist.
void check_data_source(const std::string& src) {
  std::string dir = src;
  if (src.find_first_of("*?[") != std::string::npos) {
    dir = std::filesystem::path(src).parent_path().string();
    if (dir.empty()) dir = ".";
  }
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) throw_bad_input("data source '" + dir + "' does not exist");
}

void check_inputs_exist(const PotConfig& c) {
  if (!file_exists(c.model_xml)) throw_bad_input("model '" + c.model_xml + "' does not exist");
  if (!file_exists(c.model_bin)) throw_bad_input("weights '" + c.model_bin + "' do not exist");
  check_data_source(c.engine.data_source);
  if (!c.engine.annotations.empty() && !file_exists(c.engine.annotations))
    throw_bad_input("annotations '" + c.engine.annotations + "' do not exist");
}

}  // namespace

PotConfig parse_pot_config(const std::string& json_text, const std::string& path) {
  return parse_in_context(json_text, path).cfg;
}

PotConfig read_pot_config(const std::string& path) {
  return parse_pot_config(read_file(path), path);
}

PotConfig resolve_pot_config(const PotCli& cli) {
  Parsed p;
  if (!cli.config.empty()) p = parse_in_context(read_file(cli.config), cli.config);
  merge_model(cli, p);
  merge_engine(cli, p);
  merge_params(cli, p.cfg);
  check_inputs_exist(p.cfg);
  return p.cfg;
}

RangeType parse_range_type(const std::string& name, const std::string& where) {
  static constexpr std::pair<std::string_view, RangeType> kNames[] = {
      {"minmax", RangeType::kMinMax},     {"mean_minmax", RangeType::kMeanMinMax},
      {"quantile", RangeType::kQuantile}, {"kl", RangeType::kKL},
      {"mse", RangeType::kMSE},           {"auto", RangeType::kAuto},
  };
  for (auto& [n, t] : kNames)
    if (name == n) return t;
  Names all = {"minmax", "mean_minmax", "quantile", "kl", "mse", "auto"};
  fail(where, "'" + name + "' is not a range estimator (" + one_of(all) + ")" + did_you_mean(name, all));
}

std::string to_string(RangeType t) {
  switch (t) {
    case RangeType::kMinMax:
      return "minmax";
    case RangeType::kMeanMinMax:
      return "mean_minmax";
    case RangeType::kQuantile:
      return "quantile";
    case RangeType::kKL:
      return "kl";
    case RangeType::kMSE:
      return "mse";
    case RangeType::kAuto:
      return "auto";
  }
  return "?";
}

}  // namespace q8::quant
