#include "quant/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "base/error.h"
#include "test_support.h"

namespace q8::quant {
namespace {

namespace fs = std::filesystem;

// Runs fn, which must throw a q8::Error of `kind`; returns its one-line message.
std::string error_of(const std::function<void()>& fn, ErrorKind kind) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error thrown";
  return "";
}

std::string usage_error(const std::string& json) {
  return error_of([&] { parse_pot_config(json, "cfg.json"); }, ErrorKind::kUsage);
}

// A config whose only algorithm has `params` (a json object body).
std::string with_params(const std::string& params, const std::string& name = "DefaultQuantization") {
  return R"({"compression": {"algorithms": [{"name": ")" + name + R"(", "params": {)" + params + "}}]}}";
}

RangeEstimator activations_of(const std::string& activations) {
  return parse_pot_config(with_params(R"("activations": )" + activations), "cfg.json").params.activations;
}

std::string dir_of(const std::string& path) {
  return fs::path(path).parent_path().lexically_normal().string();
}

TEST(PotConfig, FullConfigFillsEveryField) {
  const std::string path = test::fixture("pot/full.json");
  const std::string dir = dir_of(path);
  PotConfig c = read_pot_config(path);
  EXPECT_EQ(c.config_path, path);
  EXPECT_EQ(c.model_name, "resnet_int8");
  EXPECT_EQ(c.model_xml, dir + "/models/resnet.xml");
  EXPECT_EQ(c.model_bin, dir + "/models/resnet_weights.bin");

  const EngineConfig& e = c.engine;
  EXPECT_EQ(e.type, "dataset");
  EXPECT_EQ(e.data_source, dir + "/images");
  EXPECT_EQ(e.annotations, dir + "/val_map.txt");
  EXPECT_EQ(e.metric, "top5");
  EXPECT_EQ(e.limit, 1000u);
  EXPECT_EQ(e.label_offset, 1);
  EXPECT_EQ(e.preprocessing.layout, "NHWC");
  EXPECT_TRUE(e.preprocessing.bgr);
  EXPECT_EQ(e.preprocessing.resize_short, 256);
  EXPECT_EQ(e.preprocessing.fit, image::Fit::kStretch);
  EXPECT_EQ(e.preprocessing.interp, image::Interp::kArea);
  EXPECT_EQ(e.preprocessing.mean, (std::vector<float>{123.675f, 116.28f, 103.53f}));
  EXPECT_EQ(e.preprocessing.scale, (std::vector<float>{58.0f}));

  EXPECT_EQ(c.target_device, "ANY");
  EXPECT_EQ(c.algorithm, "AccuracyAwareQuantization");
  const AlgorithmParams& a = c.params;
  EXPECT_EQ(a.preset, "mixed");
  EXPECT_EQ(a.stat_subset_size, 128u);
  EXPECT_TRUE(a.shuffle_data);
  EXPECT_EQ(a.seed, 7u);
  EXPECT_FALSE(a.use_fast_bias);
  EXPECT_EQ(a.ignored_scope, (std::vector<std::string>{"fc1000", "Mul_548/Fused_Mul_"}));
  EXPECT_FALSE(a.weights_per_channel);
  EXPECT_EQ(a.weight_levels, 255);
  EXPECT_EQ(a.activation_levels, 256);
  EXPECT_EQ(a.activations.type, RangeType::kQuantile);
  EXPECT_DOUBLE_EQ(a.activations.outlier_prob, 0.001);
  ASSERT_EQ(a.per_tensor.size(), 3u);
  EXPECT_EQ(a.per_tensor.at("conv1").type, RangeType::kMeanMinMax);
  EXPECT_EQ(a.per_tensor.at("relu5").type, RangeType::kMinMax);
  EXPECT_EQ(a.per_tensor.at("add7").type, RangeType::kKL);
  EXPECT_DOUBLE_EQ(a.maximal_drop, 0.005);
  EXPECT_EQ(a.drop_type, "relative");
  EXPECT_EQ(a.max_iter_num, 5);
  EXPECT_DOUBLE_EQ(a.time_budget_s, 600);
}

TEST(PotConfig, SeedSimplifiedConfig) {
  const std::string path = test::fixture("pot/ssd_resnet34_1200_int8_simplified.json");
  const std::string dir = dir_of(path);
  PotConfig c = read_pot_config(path);  // with // and /* */ comments, as POT allows
  EXPECT_EQ(c.model_name, "ssd-resnet34_int8");
  EXPECT_EQ(c.model_xml, dir + "/FP16/ssd-resnet34_fp16.xml");
  EXPECT_EQ(c.model_bin, dir + "/FP16/ssd-resnet34_fp16.bin");
  EXPECT_EQ(c.engine.type, "simplified");
  EXPECT_EQ(c.engine.data_source, dir + "/coco/train2017");
  EXPECT_EQ(c.target_device, "CPU");
  EXPECT_EQ(c.algorithm, "DefaultQuantization");
  EXPECT_EQ(c.params.preset, "performance");
  EXPECT_EQ(c.params.stat_subset_size, 500u);
  // Everything not given keeps POT's defaults.
  EXPECT_EQ(c.params.activations.type, RangeType::kMeanMinMax);
  EXPECT_TRUE(c.params.weights_per_channel);
  EXPECT_TRUE(c.params.use_fast_bias);
  EXPECT_TRUE(c.params.ignored_scope.empty());
}

TEST(PotConfig, EmptyConfigKeepsDefaults) {
  PotConfig c = parse_pot_config("{}", "");
  EXPECT_EQ(c.algorithm, "DefaultQuantization");
  EXPECT_EQ(c.engine.type, "simplified");
  EXPECT_EQ(c.params.stat_subset_size, 300u);
  EXPECT_TRUE(c.model_xml.empty());
}

TEST(PotConfig, PathsAreRelativeToTheConfigFile) {
  const std::string json = R"({"model": {"model": "m/a.xml"}, "engine": {"data_source": "../imgs/*.jpg"}})";
  PotConfig c = parse_pot_config(json, "/cfg/dir/pot.json");
  EXPECT_EQ(c.model_xml, "/cfg/dir/m/a.xml");
  EXPECT_EQ(c.model_bin, "/cfg/dir/m/a.bin");  // weights default: the model with .bin
  EXPECT_EQ(c.model_name, "a");                // model_name default: the model's stem
  EXPECT_EQ(c.engine.data_source, "/cfg/imgs/*.jpg");

  PotConfig abs =
      parse_pot_config(R"({"model": {"model": "/abs/b.xml", "weights": "w.bin"}})", "rel/pot.json");
  EXPECT_EQ(abs.model_xml, "/abs/b.xml");
  EXPECT_EQ(abs.model_bin, "rel/w.bin");

  PotConfig here = parse_pot_config(R"({"model": {"model": "c.xml"}})", "pot.json");
  EXPECT_EQ(here.model_xml, "c.xml");
}

TEST(PotConfig, UnknownKeysNameTheirPath) {
  EXPECT_EQ(usage_error(with_params(R"("presett": "mixed")")),
            "cfg.json: compression.algorithms[0].params.presett: unknown key (did you mean \"preset\"?)");
  EXPECT_EQ(usage_error(R"({"modle": {}})"), "cfg.json: modle: unknown key (did you mean \"model\"?)");
  EXPECT_EQ(usage_error(R"({"engine": {"data_sorce": "x"}})"),
            "cfg.json: engine.data_sorce: unknown key (did you mean \"data_source\"?)");
  // Too far from every key: no suggestion.
  EXPECT_EQ(usage_error(with_params(R"("frobnicate": 1)")),
            "cfg.json: compression.algorithms[0].params.frobnicate: unknown key");
  EXPECT_EQ(
      usage_error(with_params(R"("activations": {"per_layer": {"a/b": {"max": {"typ": "max"}}}})")),
      "cfg.json: compression.algorithms[0].params.activations.per_layer[\"a/b\"].max.typ: unknown key (did "
      "you mean \"type\"?)");
  EXPECT_NE(usage_error(R"({"engine": {"preprocessing": {"mena": [1]}}})")
                .find("engine.preprocessing.mena: unknown key (did you mean \"mean\"?)"),
            std::string::npos);
}

TEST(PotConfig, TypeErrorsNameThePathAndTheExpectedType) {
  EXPECT_EQ(usage_error(with_params(R"("stat_subset_size": "300")")),
            "cfg.json: compression.algorithms[0].params.stat_subset_size: expected an integer, got a string "
            "(\"300\")");
  EXPECT_EQ(usage_error(with_params(R"("stat_subset_size": 300.5)")),
            "cfg.json: compression.algorithms[0].params.stat_subset_size: expected an integer, got a number "
            "(300.5)");
  EXPECT_EQ(usage_error(R"({"engine": {"preprocessing": {"bgr": 1}}})"),
            "cfg.json: engine.preprocessing.bgr: expected true or false, got a number (1)");
  EXPECT_EQ(usage_error(R"({"engine": {"preprocessing": {"mean": [1, "2"]}}})"),
            "cfg.json: engine.preprocessing.mean[1]: expected a number, got a string (\"2\")");
  EXPECT_EQ(usage_error(R"({"model": {"model": 3}})"),
            "cfg.json: model.model: expected a string, got a number (3)");
  EXPECT_EQ(usage_error(R"({"model": {"model_name": "../out"}})"),
            "cfg.json: model.model_name: '../out' is a file name stem, not a path");
  EXPECT_EQ(usage_error(R"({"model": []})"), "cfg.json: model: expected an object, got an array");
  EXPECT_EQ(
      usage_error(with_params(R"("ignored": {"scope": "conv1"})")),
      "cfg.json: compression.algorithms[0].params.ignored.scope: expected an array of layer names, got a "
      "string (\"conv1\")");
  EXPECT_EQ(
      usage_error(with_params(R"("maximal_drop": "1%")")),
      "cfg.json: compression.algorithms[0].params.maximal_drop: expected a number, got a string (\"1%\")");
  EXPECT_EQ(usage_error(R"({"compression": {"algorithms": {}}})"),
            "cfg.json: compression.algorithms: expected an array, got an object");
}

TEST(PotConfig, ValueErrorsNameThePath) {
  const std::string p = "cfg.json: compression.algorithms[0].params.";
  EXPECT_EQ(usage_error(with_params(R"("preset": "fast")")),
            p + "preset: 'fast' is not performance or mixed");
  EXPECT_EQ(usage_error(with_params(R"("preset": "mixd")")),
            p + "preset: 'mixd' is not performance or mixed (did you mean \"mixed\"?)");
  EXPECT_EQ(usage_error(with_params(R"("drop_type": "abs")")),
            p + "drop_type: 'abs' is not absolute or relative");
  EXPECT_EQ(usage_error(with_params(R"("stat_subset_size": 0)")), p + "stat_subset_size: 0 is less than 1");
  EXPECT_EQ(usage_error(with_params(R"("seed": -1)")), p + "seed: -1 is less than 0");
  EXPECT_EQ(usage_error(with_params(R"("max_iter_num": 0)")), p + "max_iter_num: 0 is less than 1");
  EXPECT_NE(
      usage_error(with_params(R"("maximal_drop": -0.1)")).find(p + "maximal_drop: -0.1 is not a fraction"),
      std::string::npos);
  EXPECT_NE(usage_error(with_params(R"("maximal_drop": 1)")).find(p + "maximal_drop: 1 is not a fraction"),
            std::string::npos);
  EXPECT_NE(usage_error(with_params(R"("time_budget": -5)")).find(p + "time_budget:"), std::string::npos);
  EXPECT_EQ(usage_error(with_params(R"("weights": {"bits": 4})")),
            p + "weights.bits: 4: only 8 bits are supported");
  EXPECT_NE(usage_error(with_params(R"("activations": {"bits": 16})")).find(p + "activations.bits: 16"),
            std::string::npos);
  EXPECT_EQ(usage_error(with_params(R"("weights": {"granularity": "perlayer"})")),
            p + "weights.granularity: 'perlayer' is not perchannel or pertensor");
  EXPECT_NE(
      usage_error(with_params(R"("weights": {"mode": "asymmetric"})")).find(p + "weights.mode: asymmetric"),
      std::string::npos);
  EXPECT_NE(
      usage_error(with_params(R"("weights": {"level_low": -128, "level_high": 127})")).find(p + "weights: "),
      std::string::npos);
  EXPECT_NE(usage_error(with_params(R"("activations": {"granularity": "perchannel"})"))
                .find(p + "activations.granularity: per-channel"),
            std::string::npos);
  EXPECT_NE(usage_error(with_params(R"("ignored": {"operations": [{"type": "Add"}]})"))
                .find(p + "ignored.operations: ignoring layers by type is not supported"),
            std::string::npos);

  EXPECT_EQ(usage_error(R"({"compression": {"target_device": "GPU"}})"),
            "cfg.json: compression.target_device: 'GPU' is not CPU or ANY (did you mean \"CPU\"?)");
  EXPECT_EQ(usage_error(R"({"compression": {"algorithms": []}})"),
            "cfg.json: compression.algorithms: exactly one algorithm is supported, got 0");
  const std::string two_algorithms = R"({"compression": {"algorithms": [{"name": "DefaultQuantization"}, )"
                                     R"({"name": "DefaultQuantization"}]}})";
  EXPECT_EQ(usage_error(two_algorithms),
            "cfg.json: compression.algorithms: exactly one algorithm is supported, got 2");
  EXPECT_EQ(usage_error(R"({"compression": {"algorithms": [{"params": {}}]}})"),
            "cfg.json: compression.algorithms[0]: missing \"name\"");
  EXPECT_EQ(usage_error(R"({"compression": {"algorithms": [{"name": "DefaultQuantisation"}]}})"),
            "cfg.json: compression.algorithms[0].name: 'DefaultQuantisation' is not DefaultQuantization or "
            "AccuracyAwareQuantization (did you mean \"DefaultQuantization\"?)");

  EXPECT_EQ(usage_error(R"({"engine": {"type": "simple"}})"),
            "cfg.json: engine.type: 'simple' is not simplified or dataset");
  EXPECT_EQ(usage_error(R"({"engine": {"metric": "top-1"}})"),
            "cfg.json: engine.metric: 'top-1' is not top1, top5 or coco_map (did you mean \"top1\"?)");
  EXPECT_EQ(usage_error(R"({"engine": {"limit": -1}})"), "cfg.json: engine.limit: -1 is less than 0");
  EXPECT_EQ(usage_error(R"({"engine": {"preprocessing": {"fit": "pad"}}})"),
            "cfg.json: engine.preprocessing.fit: 'pad' is not crop or stretch");
  EXPECT_EQ(usage_error(R"({"engine": {"preprocessing": {"interpolation": "cubic"}}})"),
            "cfg.json: engine.preprocessing.interpolation: 'cubic' is not bilinear or area");
  EXPECT_EQ(usage_error(R"({"engine": {"preprocessing": {"layout": "CHW"}}})"),
            "cfg.json: engine.preprocessing.layout: 'CHW' is not NCHW or NHWC (did you mean \"NCHW\"?)");
  EXPECT_NE(usage_error(R"({"engine": {"preprocessing": {"scale": [1, 0, 1]}}})")
                .find("engine.preprocessing.scale:"),
            std::string::npos);
  // Annotations belong to the dataset engine.
  EXPECT_NE(usage_error(R"({"engine": {"type": "simplified", "annotations": "a.txt"}})")
                .find("cfg.json: engine.annotations: only for \"type\": \"dataset\""),
            std::string::npos);
  // Accuracy Checker engines: a pointed message, not "unknown key".
  EXPECT_NE(usage_error(R"({"engine": {"type": "accuracy_checker"}})")
                .find("engine.type: Accuracy Checker engines"),
            std::string::npos);
  EXPECT_NE(
      usage_error(R"({"engine": {"config": "ssd.yaml"}})").find("engine.config: Accuracy Checker engines"),
      std::string::npos);
}

TEST(PotConfig, DatasetKeysImplyTheDatasetEngine) {
  PotConfig c =
      parse_pot_config(R"({"engine": {"data_source": "d", "annotations": "a.txt", "metric": "top1"}})", "");
  EXPECT_EQ(c.engine.type, "dataset");
}

TEST(PotConfig, IgnoredPotKeysWarnWithTheirPath) {
  const std::string json = R"({
    "engine": {"type": "simplified", "stat_requests_number": 8},
    "compression": {"inplace_statistics": true, "model_type": "None", "algorithms": [{
      "name": "DefaultQuantization",
      "params": {"tune_hyperparams": false, "ranking_subset_size": 300, "maximal_drop": 0.01,
                 "weights": {"range_estimator": {"max": {"type": "quantile"}}},
                 "activations": {"range_estimator": {"max": {"type": "max", "clipping_value": 6}}}}}]}})";
  testing::internal::CaptureStderr();
  PotConfig c = parse_pot_config(json, "cfg.json");
  std::string err = testing::internal::GetCapturedStderr();
  const std::string p = "cfg.json: compression.algorithms[0].params.";
  for (const std::string& line :
       std::vector<std::string>{"cfg.json: engine.stat_requests_number: not used by q8, ignored",
                                "cfg.json: compression.inplace_statistics: not used by q8, ignored",
                                "cfg.json: compression.model_type: not used by q8, ignored",
                                p + "tune_hyperparams: not used by q8, ignored",
                                p + "ranking_subset_size: not used by q8, ignored",
                                p + "weights.range_estimator: not used by q8, ignored",
                                p + "activations.range_estimator.max.clipping_value: not used by q8, ignored",
                                p + "maximal_drop: only used by AccuracyAwareQuantization, ignored"})
    EXPECT_NE(err.find(line), std::string::npos) << line << "\nnot in:\n" << err;
  EXPECT_EQ(c.params.activations.type, RangeType::kMeanMinMax);
}

TEST(PotConfig, ActivationModeDecidesThePreset) {
  EXPECT_EQ(parse_pot_config(with_params(R"("activations": {"mode": "asymmetric"})"), "").params.preset,
            "mixed");
  testing::internal::CaptureStderr();
  // Key order must not matter: the mode wins over the preset wherever it is written.
  PotConfig c =
      parse_pot_config(with_params(R"("activations": {"mode": "symmetric"}, "preset": "mixed")"), "cfg.json");
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(c.params.preset, "performance");
  EXPECT_NE(err.find("activations.mode: 'symmetric' overrides preset 'mixed'"), std::string::npos) << err;
}

TEST(PotConfig, RangeEstimatorMappings) {
  EXPECT_EQ(activations_of(R"({"range_estimator": {"preset": "default"}})").type, RangeType::kMeanMinMax);
  EXPECT_EQ(activations_of(R"({"range_estimator": {"preset": "quantile"}})").type, RangeType::kQuantile);
  EXPECT_EQ(activations_of(R"({"range_estimator": {"max": {"type": "max"}}})").type, RangeType::kMeanMinMax);
  EXPECT_EQ(activations_of(R"({"range_estimator": {"max": {"type": "max", "aggregator": "mean"}}})").type,
            RangeType::kMeanMinMax);
  EXPECT_EQ(activations_of(R"({"range_estimator": {"max": {"aggregator": "max"}}})").type,
            RangeType::kMinMax);
  EXPECT_EQ(activations_of(R"({"range_estimator": {"min": {"type": "min", "aggregator": "min"},
                                                   "max": {"type": "max", "aggregator": "max"}}})")
                .type,
            RangeType::kMinMax);
  RangeEstimator q =
      activations_of(R"({"range_estimator": {"max": {"type": "quantile", "outlier_prob": 0.01}}})");
  EXPECT_EQ(q.type, RangeType::kQuantile);
  EXPECT_DOUBLE_EQ(q.outlier_prob, 0.01);
  EXPECT_DOUBLE_EQ(activations_of(R"({"range_estimator": {"max": {"type": "quantile"}}})").outlier_prob,
                   1e-4);
  EXPECT_EQ(activations_of(R"({"range_estimator": {"max": {"type": "kl"}}})").type, RangeType::kKL);
  EXPECT_EQ(activations_of(R"({"range_estimator": {"max": {"type": "mse"}}})").type, RangeType::kMSE);
  EXPECT_EQ(activations_of(R"({"range_estimator": {"max": {"type": "auto"}}})").type, RangeType::kAuto);
  EXPECT_EQ(activations_of(R"({"range_estimator": {"min": {"type": "kl"}}})").type, RangeType::kKL);

  const std::string p = "cfg.json: compression.algorithms[0].params.activations.range_estimator";
  EXPECT_NE(usage_error(with_params(R"("activations": {"range_estimator": {"max": {"type": "max"},
                                                                          "min": {"type": "quantile"}}})"))
                .find(p + ": \"min\" (quantile) and \"max\" (mean_minmax) differ"),
            std::string::npos);
  EXPECT_NE(
      usage_error(with_params(R"("activations": {"range_estimator": {"preset": "quantile", "max": {}}})"))
          .find(p + ": give either"),
      std::string::npos);
  EXPECT_EQ(usage_error(with_params(R"("activations": {"range_estimator": {"preset": "kl"}})")),
            p + ".preset: 'kl' is not default or quantile");
  EXPECT_EQ(usage_error(with_params(R"("activations": {"range_estimator": {"max": {"type": "abs_max"}}})")),
            p + ".max.type: 'abs_max' is not max, quantile, kl, mse or auto");
  EXPECT_EQ(
      usage_error(with_params(R"("activations": {"range_estimator": {"max": {"aggregator": "median"}}})")),
      p + ".max.aggregator: 'median' is not mean or max (did you mean \"mean\"?)");
  EXPECT_NE(
      usage_error(
          with_params(R"("activations": {"range_estimator": {"max": {"type": "kl", "aggregator": "max"}}})"))
          .find(p + ".max.aggregator: 'max': only \"mean\""),
      std::string::npos);
  EXPECT_EQ(
      usage_error(with_params(R"("activations": {"range_estimator": {"max": {"outlier_prob": 0.01}}})")),
      p + ".max.outlier_prob: only for type \"quantile\"");
  EXPECT_EQ(usage_error(with_params(R"("activations": {"range_estimator": {"max": {"type": "quantile",
                                                                                   "outlier_prob": 0.7}}})")),
            p + ".max.outlier_prob: 0.7 is not in (0, 0.5)");
}

TEST(PotConfig, ParseRangeType) {
  for (RangeType t : {RangeType::kMinMax, RangeType::kMeanMinMax, RangeType::kQuantile, RangeType::kKL,
                      RangeType::kMSE, RangeType::kAuto})
    EXPECT_EQ(parse_range_type(to_string(t), "--range-estimator"), t);
  EXPECT_EQ(to_string(RangeType::kMeanMinMax), "mean_minmax");
  EXPECT_EQ(
      error_of([] { parse_range_type("kll", "--range-estimator"); }, ErrorKind::kUsage),
      "--range-estimator: 'kll' is not a range estimator (minmax, mean_minmax, quantile, kl, mse or auto) "
      "(did you mean \"kl\"?)");
  EXPECT_NE(
      error_of([] { parse_range_type("", "x"); }, ErrorKind::kUsage).find("x: '' is not a range estimator"),
      std::string::npos);
}

TEST(PotConfig, InvalidJsonIsBadInputNamingTheFile) {
  test::TempDir tmp;
  const std::string path = tmp.file("broken.json");
  test::write(path, "{\"model\": {\"model\": \"a.xml\",}");
  std::string msg = error_of([&] { read_pot_config(path); }, ErrorKind::kBadInput);
  EXPECT_EQ(msg.rfind(path + ": invalid JSON: ", 0), 0u) << msg;
  EXPECT_EQ(msg.find("json.exception"), std::string::npos) << msg;

  test::write(path, "[1, 2]");
  EXPECT_EQ(error_of([&] { read_pot_config(path); }, ErrorKind::kBadInput),
            path + ": not a POT config: expected a JSON object, got an array");

  EXPECT_NE(
      error_of([&] { read_pot_config(tmp.file("missing.json")); }, ErrorKind::kBadInput).find("missing.json"),
      std::string::npos);
}

// ---- resolve_pot_config --------------------------------------------------------------------------------

// A model (xml + bin), an image folder and annotations to point a config at.
struct Inputs {
  test::TempDir tmp;
  Inputs() {
    fs::create_directories(tmp.file("models"));
    fs::create_directories(tmp.file("images"));
    test::write(tmp.file("models/net.xml"), "<net/>");
    test::write(tmp.file("models/net.bin"), "");
    test::write(tmp.file("models/other.xml"), "<net/>");
    test::write(tmp.file("models/other.bin"), "");
    test::write(tmp.file("val_map.txt"), "a.jpg 1\n");
  }
  std::string config(const std::string& json) const {
    test::write(tmp.file("pot.json"), json);
    return tmp.file("pot.json");
  }
};

TEST(PotResolve, ConfigFileWithRelativePaths) {
  Inputs in;
  PotCli cli;
  cli.config = in.config(R"({"model": {"model": "models/net.xml"}, "engine": {"data_source": "images"}})");
  PotConfig c = resolve_pot_config(cli);
  EXPECT_EQ(c.config_path, cli.config);
  EXPECT_EQ(c.model_xml, in.tmp.file("models/net.xml"));
  EXPECT_EQ(c.model_bin, in.tmp.file("models/net.bin"));
  EXPECT_EQ(c.model_name, "net");
  EXPECT_EQ(c.engine.data_source, in.tmp.file("images"));
}

TEST(PotResolve, CliOverridesTheConfig) {
  Inputs in;
  PotCli cli;
  cli.config = in.config(R"({"model": {"model": "models/net.xml"},
      "engine": {"data_source": "nowhere"},
      "compression": {"algorithms": [{"name": "DefaultQuantization", "params": {"preset": "performance",
          "stat_subset_size": 10, "seed": 1, "maximal_drop": 0.02,
          "activations": {"range_estimator": {"preset": "quantile"}}}}]}})");
  cli.quantize = "accuracy_aware";
  cli.model_xml = in.tmp.file("models/other.xml");
  cli.data_source = in.tmp.file("images");
  cli.engine = "dataset";
  cli.annotations = in.tmp.file("val_map.txt");
  cli.metric = "top1";
  cli.preset = "mixed";
  cli.stat_subset_size = 64;
  cli.maximal_drop = 0.001;
  cli.seed = 42;
  cli.range_estimator = "kl";
  cli.per_tensor_weights = true;
  cli.no_bias_correction = true;
  cli.model_name = "custom";
  testing::internal::CaptureStderr();  // maximal_drop with DefaultQuantization in the file warns
  PotConfig c = resolve_pot_config(cli);
  testing::internal::GetCapturedStderr();
  EXPECT_EQ(c.algorithm, "AccuracyAwareQuantization");
  EXPECT_EQ(c.model_xml, cli.model_xml);
  EXPECT_EQ(c.model_bin, in.tmp.file("models/other.bin"));  // follows -m, not the config's model
  EXPECT_EQ(c.model_name, "custom");
  EXPECT_EQ(c.engine.type, "dataset");
  EXPECT_EQ(c.engine.data_source, cli.data_source);
  EXPECT_EQ(c.engine.annotations, cli.annotations);
  EXPECT_EQ(c.engine.metric, "top1");
  EXPECT_EQ(c.params.preset, "mixed");
  EXPECT_EQ(c.params.stat_subset_size, 64u);
  EXPECT_DOUBLE_EQ(c.params.maximal_drop, 0.001);
  EXPECT_EQ(c.params.seed, 42u);
  EXPECT_EQ(c.params.activations.type, RangeType::kKL);
  EXPECT_FALSE(c.params.weights_per_channel);
  EXPECT_FALSE(c.params.use_fast_bias);
}

TEST(PotResolve, CliModelKeepsAGivenModelName) {
  Inputs in;
  PotCli cli;
  cli.config =
      in.config(R"({"model": {"model_name": "named", "model": "models/net.xml", "weights": "models/net.bin"},
                             "engine": {"data_source": "images"}})");
  cli.model_xml = in.tmp.file("models/other.xml");
  PotConfig c = resolve_pot_config(cli);
  EXPECT_EQ(c.model_name, "named");
  EXPECT_EQ(c.model_bin, in.tmp.file("models/other.bin"));
}

TEST(PotResolve, CliOnly) {
  Inputs in;
  PotCli cli;
  cli.model_xml = in.tmp.file("models/net.xml");
  cli.data_source = in.tmp.file("images/*.jpg");  // a POT file-name template: its folder must exist
  PotConfig c = resolve_pot_config(cli);
  EXPECT_EQ(c.config_path, "");
  EXPECT_EQ(c.model_bin, in.tmp.file("models/net.bin"));
  EXPECT_EQ(c.model_name, "net");
  EXPECT_EQ(c.engine.type, "simplified");
  EXPECT_EQ(c.algorithm, "DefaultQuantization");
  EXPECT_EQ(c.params.preset, "performance");
  EXPECT_EQ(c.params.stat_subset_size, 300u);
}

TEST(PotResolve, MissingModelOrDataSource) {
  Inputs in;
  PotCli none;
  none.data_source = in.tmp.file("images");
  EXPECT_NE(error_of([&] { resolve_pot_config(none); }, ErrorKind::kUsage).find("no model"),
            std::string::npos);

  PotCli no_data;
  no_data.model_xml = in.tmp.file("models/net.xml");
  EXPECT_NE(error_of([&] { resolve_pot_config(no_data); }, ErrorKind::kUsage).find("no data source"),
            std::string::npos);

  PotCli missing_model = none;
  missing_model.model_xml = in.tmp.file("models/gone.xml");
  EXPECT_NE(error_of([&] { resolve_pot_config(missing_model); }, ErrorKind::kBadInput).find("gone.xml"),
            std::string::npos);

  PotCli missing_weights = none;
  missing_weights.model_xml = in.tmp.file("models/net.xml");
  missing_weights.model_bin = in.tmp.file("models/gone.bin");
  EXPECT_NE(error_of([&] { resolve_pot_config(missing_weights); }, ErrorKind::kBadInput).find("gone.bin"),
            std::string::npos);

  PotCli missing_data = no_data;
  missing_data.data_source = in.tmp.file("no_images");
  EXPECT_NE(error_of([&] { resolve_pot_config(missing_data); }, ErrorKind::kBadInput).find("no_images"),
            std::string::npos);

  // From a config: the paths in the file, resolved against its folder.
  PotCli from_file;
  from_file.config =
      in.config(R"({"model": {"model": "models/net.xml"}, "engine": {"data_source": "imgs"}})");
  EXPECT_NE(error_of([&] { resolve_pot_config(from_file); }, ErrorKind::kBadInput).find(in.tmp.file("imgs")),
            std::string::npos);

  PotCli missing_config;
  missing_config.config = in.tmp.file("nope.json");
  EXPECT_NE(error_of([&] { resolve_pot_config(missing_config); }, ErrorKind::kBadInput).find("nope.json"),
            std::string::npos);
}

TEST(PotResolve, AccuracyAwareNeedsAnnotationsAndAMetric) {
  Inputs in;
  PotCli cli;
  cli.model_xml = in.tmp.file("models/net.xml");
  cli.data_source = in.tmp.file("images");
  cli.quantize = "accuracy_aware";
  EXPECT_NE(error_of([&] { resolve_pot_config(cli); }, ErrorKind::kUsage).find("AccuracyAwareQuantization"),
            std::string::npos);
  cli.engine = "dataset";
  EXPECT_NE(error_of([&] { resolve_pot_config(cli); }, ErrorKind::kUsage).find("needs annotations"),
            std::string::npos);
  cli.annotations = in.tmp.file("val_map.txt");
  EXPECT_NE(error_of([&] { resolve_pot_config(cli); }, ErrorKind::kUsage).find("metric"), std::string::npos);
  cli.metric = "top1";
  EXPECT_EQ(resolve_pot_config(cli).algorithm, "AccuracyAwareQuantization");

  // The same from a config file.
  PotCli file;
  file.config = in.config(R"({"model": {"model": "models/net.xml"},
      "engine": {"type": "dataset", "data_source": "images", "annotations": "val_map.txt"},
      "compression": {"algorithms": [{"name": "AccuracyAwareQuantization"}]}})");
  EXPECT_NE(error_of([&] { resolve_pot_config(file); }, ErrorKind::kUsage).find("metric"), std::string::npos);
}

TEST(PotResolve, CliAnnotationsImplyTheDatasetEngine) {
  Inputs in;
  PotCli cli;
  cli.model_xml = in.tmp.file("models/net.xml");
  cli.data_source = in.tmp.file("images");
  cli.annotations = in.tmp.file("val_map.txt");
  cli.metric = "top5";
  EXPECT_EQ(resolve_pot_config(cli).engine.type, "dataset");
  cli.engine = "simplified";
  EXPECT_NE(error_of([&] { resolve_pot_config(cli); }, ErrorKind::kUsage).find("simplified engine"),
            std::string::npos);
  cli.engine = "dataset";
  cli.annotations = in.tmp.file("gone.txt");
  EXPECT_NE(error_of([&] { resolve_pot_config(cli); }, ErrorKind::kBadInput).find("gone.txt"),
            std::string::npos);
}

TEST(PotResolve, BadCliValuesAreUsageErrors) {
  Inputs in;
  PotCli base;
  base.model_xml = in.tmp.file("models/net.xml");
  base.data_source = in.tmp.file("images");
  auto usage = [&](const std::function<void(PotCli&)>& edit) {
    PotCli cli = base;
    edit(cli);
    return error_of([&] { resolve_pot_config(cli); }, ErrorKind::kUsage);
  };
  EXPECT_EQ(usage([](PotCli& c) { c.quantize = "defualt"; }),
            "-q 'defualt' is not default or accuracy_aware (did you mean \"default\"?)");
  EXPECT_EQ(usage([](PotCli& c) { c.preset = "accuracy"; }),
            "--preset 'accuracy' is not performance or mixed");
  EXPECT_EQ(usage([](PotCli& c) { c.engine = "simple"; }), "--engine 'simple' is not simplified or dataset");
  EXPECT_NE(usage([](PotCli& c) { c.engine = "accuracy_checker"; }).find("Accuracy Checker"),
            std::string::npos);
  EXPECT_EQ(usage([](PotCli& c) { c.metric = "map"; }), "--metric 'map' is not top1, top5 or coco_map");
  EXPECT_EQ(usage([](PotCli& c) { c.model_name = "a/b"; }), "-n: 'a/b' is a file name stem, not a path");
  EXPECT_EQ(usage([](PotCli& c) { c.stat_subset_size = 0; }), "--stat-subset-size must be at least 1");
  EXPECT_NE(usage([](PotCli& c) { c.maximal_drop = 1.0; }).find("--maximal-drop 1 is not a fraction"),
            std::string::npos);
  EXPECT_NE(usage([](PotCli& c) { c.range_estimator = "max"; }).find("--range-estimator: 'max'"),
            std::string::npos);
  // The full POT algorithm names work for -q too.
  PotCli full = base;
  full.quantize = "DefaultQuantization";
  EXPECT_EQ(resolve_pot_config(full).algorithm, "DefaultQuantization");
}

}  // namespace
}  // namespace q8::quant
