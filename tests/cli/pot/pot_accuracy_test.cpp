// pot's accuracy: the trained Fashion-MNIST CNN (tests/fixtures/fmnist) quantized on 300 training
// images keeps its accuracy on the test images; the accuracy-aware loop returns layers to FP32
// until the drop is within the limit. (The full 10,000-image table: bench/pot/fmnist_accuracy.sh.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "convert/infer.h"
#include "runtime/reference.h"
#include "tensor/convert.h"
#include "tensor/npy.h"
#include "test_support.h"

namespace q8 {
namespace {

const std::string kMnist = "/usr/share/datasets/fashion-mnist/";

double score(const std::string& out) {
  size_t at = out.rfind(": ");
  return at == std::string::npos ? -1 : std::stod(out.substr(at + 2));
}

TEST(PotAccuracy, FashionMnistCnnKeepsItsAccuracy) {
  if (!test::exists(kMnist + "t10k-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  test::TempDir dir;
  ASSERT_EQ(test::run_tool(
                "mo", {"--input_model", test::fixture("fmnist/fmnist_cnn.onnx"), "--output_dir", dir.path()})
                .exit_code,
            0);
  auto q = test::run_tool("pot", {"-q", "default", "-m", dir.file("fmnist_cnn.xml"), "--data-source",
                                  kMnist + "train-images-idx3-ubyte.gz", "--stat-subset-size", "300",
                                  "--output-dir", dir.file("int8"), "--quiet"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  auto eval = [&](const std::string& model) {
    auto r = test::run_tool("int8-run", {"eval", "-m", model, "--dataset",
                                         kMnist + "t10k-images-idx3-ubyte.gz", "--limit", "1000", "--quiet"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return score(r.out);
  };
  double fp32 = eval(dir.file("fmnist_cnn.xml")), int8 = eval(dir.file("int8/fmnist_cnn.xml"));
  std::printf("Fashion-MNIST CNN, first 1000 test images: FP32 %.2f, INT8 %.2f\n", fp32, int8);
  EXPECT_GT(fp32, 88.0);
  EXPECT_LE(fp32 - int8, 0.5);
}

TEST(PotAccuracy, AccuracyAwareRevertsLayersUntilTheDropFits) {
  // Labels = the FP32 model's own predictions, so FP32 scores 100% and any INT8 flip is a drop the
  // loop must remove (random weights: small logit margins flip easily).
  test::TempDir dir;
  ASSERT_EQ(test::run_tool("mo", {"--input_model", test::fixture("models/resnet_basic.onnx"), "--output_dir",
                                  dir.path()})
                .exit_code,
            0);
  Graph g = tools::load_model(dir.file("resnet_basic.xml"));
  const int n = 24;
  Tensor x(ElementType::kF32, Shape{n, 3, 64, 64});
  uint32_t state = 12345;
  // Calibration sees only the first two samples; later ones grow in amplitude, so their activations
  // clip at the calibrated ranges and INT8 flips some predictions.
  const int64_t per = 3 * 64 * 64;
  for (int64_t i = 0; i < num_elements(x.shape()); ++i) {
    state = state * 1664525u + 1013904223u;
    float amplitude = 0.2f + static_cast<float>(i / per);
    x.mutable_data<float>()[i] = (static_cast<float>(state >> 8) / 16777216.0f * 2 - 1) * amplitude;
  }
  test::write(dir.file("x.npy"), to_npy(x));
  std::string labels;
  for (int i = 0; i < n; ++i) {
    Tensor one = Tensor::from_bytes(ElementType::kF32, Shape{1, 3, 64, 64},
                                    x.bytes() + static_cast<size_t>(i) * 3 * 64 * 64 * 4, 3 * 64 * 64 * 4);
    auto out = to_floats(runtime::run_reference(g, {{"", one}}).at(0).value);
    labels += std::to_string(std::max_element(out.begin(), out.end()) - out.begin()) + "\n";
  }
  test::write(dir.file("labels.txt"), labels);
  test::write(dir.file("aa.json"), R"({
    "model": {"model_name": "aa", "model": "resnet_basic.xml"},
    "engine": {"type": "dataset", "data_source": "x.npy", "annotations": "labels.txt", "metric": "top1"},
    "compression": {"algorithms": [{"name": "AccuracyAwareQuantization",
      "params": {"preset": "performance", "stat_subset_size": 2, "maximal_drop": 0.0, "max_iter_num": 30}}]}})");
  auto r = test::run_tool("pot", {"-c", dir.file("aa.json"), "--output-dir", dir.file("out")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto report = nlohmann::json::parse(test::read(dir.file("out/aa.report.json")));
  const auto& acc = report["accuracy"];
  EXPECT_EQ(acc["fp32"], 100.0);
  ASSERT_TRUE(acc["steps"].is_array());
  int fp32_layers = 0;
  for (const auto& l : report["layers"]) fp32_layers += l["status"] == "fp32";
  std::printf("accuracy-aware: %s\n", acc.dump().c_str());
  ASSERT_LT(acc["int8_default"].get<double>(), 100.0) << "no drop to remove: the test needs a flip";
  EXPECT_GE(acc["steps"].size(), 1u);
  EXPECT_GE(fp32_layers, 1);
  EXPECT_EQ(acc["ranking"].size(), report["layers"].size());
  EXPECT_GE(acc["int8"].get<double>(), acc["int8_default"].get<double>());  // the best model is kept
  // The kept model scores what the report says.
  auto e = test::run_tool("int8-run", {"eval", "-m", dir.file("out/aa.xml"), "--dataset", dir.file("x.npy"),
                                       "--annotations", dir.file("labels.txt"), "--quiet"});
  EXPECT_DOUBLE_EQ(score(e.out), acc["int8"].get<double>()) << e.out;
}

}  // namespace
}  // namespace q8
