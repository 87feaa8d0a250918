// The SSD-ResNet34-style detector (gen_ssd.py: MLPerf's architecture at 300x300 and 1/16 width,
// with softmax, decoding and NonMaxSuppression inside the model) through the seed's pipeline:
// onnx-modify concat-outputs, then mo with the seed's mean/scale flags and --keep_shape_ops.
#include <gtest/gtest.h>

#include <cmath>

#include "convert/infer.h"
#include "convert/mo.h"
#include "ir/ir.h"
#include "onnx/modify.h"
#include "onnx/onnx_io.h"
#include "runtime/reference.h"
#include "tensor/convert.h"
#include "tensor/npy.h"
#include "test_support.h"

namespace q8 {
namespace {

const std::string kBase = "models/ssd_resnet34_tiny";
const std::vector<double> kMean = {123.675, 116.28, 103.53}, kScale = {58.395, 57.12, 57.375};

std::map<std::string, Tensor> run_ssd(const Graph& g, const Tensor& x) {
  const Node* p = g.parameters().at(0);
  std::map<std::string, Tensor> out;
  for (auto& r : runtime::run_reference(g, {{p->name(), convert(x, p->outputs[0].type)}}))
    out[r.name] = r.value;
  return out;
}

// The raw image the IR expects: x * scale + mean per channel (the model saw (raw - mean) / scale).
Tensor raw_image(const Tensor& x) {
  auto v = to_floats(x);
  int64_t plane = x.shape()[2] * x.shape()[3];
  for (size_t i = 0; i < v.size(); ++i) {
    size_t c = (i / static_cast<size_t>(plane)) % 3;
    v[i] = static_cast<float>(v[i] * kScale[c] + kMean[c]);
  }
  return make_f32(x.shape(), v);
}

// Every expected detection has its own match (same label, score and box within `tol`).
// Order is compared loosely: NMS does not define the order of detections with equal scores.
void expect_same_detections(std::map<std::string, Tensor>& got, double tol, const char* what) {
  Tensor boxes = read_npy(test::fixture(kBase + ".bboxes.npy"));
  ASSERT_EQ(got.at("bboxes").shape(), boxes.shape()) << what;
  auto eb = to_floats(boxes), b = to_floats(got.at("bboxes"));
  auto el = to_ints(read_npy(test::fixture(kBase + ".labels.npy"))), l = to_ints(got.at("labels"));
  auto es = to_floats(read_npy(test::fixture(kBase + ".scores.npy"))), s = to_floats(got.at("scores"));
  std::vector<bool> used(l.size(), false);
  size_t unmatched = 0, moved = 0;
  for (size_t i = 0; i < el.size(); ++i) {
    bool found = false;
    for (size_t j = 0; j < l.size() && !found; ++j) {
      if (used[j] || l[j] != el[i] || std::fabs(s[j] - es[i]) > tol) continue;
      bool same_box = true;
      for (size_t k = 0; k < 4; ++k) same_box &= std::fabs(b[4 * j + k] - eb[4 * i + k]) <= tol;
      if (same_box) used[j] = found = true, moved += i != j;
    }
    unmatched += !found;
  }
  EXPECT_EQ(unmatched, 0u) << what << ": detections without a match";
  EXPECT_LE(moved, el.size() / 10) << what << ": too many detections out of order";
}

TEST(SsdResnet34, OnnxThroughTheReferenceExecutorMatchesTorch) {
  Tensor x = read_npy(test::fixture(kBase + ".input.npy"));
  auto out = run_ssd(tools::load_model(test::fixture(kBase + ".onnx")), x);
  expect_same_detections(out, 1e-4, "ONNX");
}

TEST(SsdResnet34, SeedPipelineKeepsTheDetections) {
  test::TempDir dir;
  auto model = onnxio::load_model(test::fixture(kBase + ".onnx"));
  onnxmod::ConcatOutputsOptions concat;
  concat.outputs = {"bboxes", "labels", "scores", "scores"};
  concat.axis = 2;
  concat.name = "output";
  onnxmod::concat_outputs(model, concat);
  onnxio::save_model(model, dir.file("ssd_modified.onnx"));

  tools::MoOptions o;
  o.input_model = dir.file("ssd_modified.onnx");
  o.input = "image";
  o.mean_values = "[123.675,116.28,103.53]";
  o.scale_values = "[58.395,57.12,57.375]";
  o.input_shape = "[1,3,300,300]";
  o.keep_shape_ops = true;
  Tensor raw = raw_image(read_npy(test::fixture(kBase + ".input.npy")));
  for (bool fp16 : {false, true}) {
    o.data_type = fp16 ? "FP16" : "FP32";
    auto files = ir::serialize(tools::convert_model(o));
    Graph g = std::move(ir::parse(files.xml, files.bin, "ssd.xml", "ssd.bin").graph);
    auto out = run_ssd(g, raw);
    ASSERT_TRUE(out.count("output"));
    EXPECT_EQ(out.at("output").shape().back(), 7);
    if (!fp16) {
      expect_same_detections(out, 2e-4, "FP32 IR");
    } else {  // FP16 may reorder near-equal scores: most detections must survive unchanged
      Tensor labels = read_npy(test::fixture(kBase + ".labels.npy"));
      auto got = to_ints(out.at("labels")), want = to_ints(labels);
      size_t same = 0;
      for (size_t i = 0; i < std::min(got.size(), want.size()); ++i) same += got[i] == want[i];
      EXPECT_GE(static_cast<double>(same), 0.8 * static_cast<double>(want.size())) << "FP16 IR";
    }
  }
}

}  // namespace
}  // namespace q8
