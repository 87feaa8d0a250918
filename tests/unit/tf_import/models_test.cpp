// Whole networks through mo's pipeline (convert_model, framework tf): the torch-built fixtures
// against torch's outputs, FP32 and FP16, with no Transpose left in the body; the seed's
// --reverse_input_channels; ARM's keyword-spotting graphs cut after the audio front end.
#include <gtest/gtest.h>

#include <sstream>

#include "base/error.h"
#include "convert/mo.h"
#include "runtime/reference.h"
#include "tensor/npy.h"
#include "test_support.h"
#include "tf/frontend.h"
#include "tf/graph_def_io.h"
#include "tf_test_util.h"

namespace q8 {
namespace {

using namespace tftest;

Graph mo_convert(const std::string& model, const std::string& shape, const std::string& data_type = "FP32",
                 bool reverse = false, const std::string& input = "") {
  tools::MoOptions o;
  o.input_model = model;
  o.framework = "tf";
  o.input_shape = shape;
  o.input = input;
  o.data_type = data_type;
  o.reverse_input_channels = reverse;
  return tools::convert_model(o);
}

Tensor output(const std::vector<runtime::NamedTensor>& outs, const std::string& name) {
  for (const auto& o : outs)
    if (o.name == name) return o.value;
  ADD_FAILURE() << "no output '" << name << "'";
  return {};
}

std::vector<runtime::NamedTensor> run(const Graph& g, const std::string& input, const Tensor& nhwc) {
  Tensor x = nhwc_to_nchw(nhwc);
  if (g.parameters()[0]->outputs[0].type == ElementType::kF16) x = q8::convert(x, ElementType::kF16);
  return runtime::run_reference(g, {{input, x}});
}

// Relative to the output's range, as the acceptance figures are stated.
double relative_error(const Tensor& got, const Tensor& expected) {
  return max_abs_diff(got, expected) / value_range(expected);
}

TEST(TfModels, ResNetTinyMatchesTorchFp32) {
  Graph g = mo_convert(test::fixture("tf/resnet_tiny.pb"), "[1,32,32,3]");
  EXPECT_EQ(count_ops(g, "Transpose"), 0u);
  EXPECT_EQ(count_ops(g, "BatchNormInference"), 0u);  // fused into the convolutions
  EXPECT_EQ(count_ops(g, "Convolution"), 9u);
  EXPECT_EQ(g.parameters()[0]->outputs[0].shape.to_string(), "[1,3,32,32]");
  auto outs = run(g, "input", read_npy(test::fixture("tf/resnet_tiny_input.npy")));
  double err =
      relative_error(output(outs, "softmax_tensor"), read_npy(test::fixture("tf/resnet_tiny_probs.npy")));
  RecordProperty("fp32_rel_err", (std::ostringstream() << err).str());
  EXPECT_LE(err, 1e-4);
  EXPECT_EQ(to_ints(output(outs, "ArgMax")), to_ints(read_npy(test::fixture("tf/resnet_tiny_argmax.npy"))));
}

TEST(TfModels, ResNetTinyMatchesTorchFp16) {
  Graph g = mo_convert(test::fixture("tf/resnet_tiny.pb"), "[1,32,32,3]", "FP16");
  EXPECT_EQ(count_ops(g, "Transpose"), 0u);
  auto outs = run(g, "input", read_npy(test::fixture("tf/resnet_tiny_input.npy")));
  double err =
      relative_error(output(outs, "softmax_tensor"), read_npy(test::fixture("tf/resnet_tiny_probs.npy")));
  RecordProperty("fp16_rel_err", (std::ostringstream() << err).str());
  EXPECT_LE(err, 1e-2);
}

// The IR with --reverse_input_channels on an image equals the plain IR on the channel-reversed image.
TEST(TfModels, ReverseInputChannelsReversesTheImage) {
  Tensor x = read_npy(test::fixture("tf/resnet_tiny_input.npy"));
  auto v = to_floats(x);
  for (size_t i = 0; i < v.size(); i += 3) std::swap(v[i], v[i + 2]);
  Tensor reversed = make_f32(x.shape(), v);
  Graph plain = mo_convert(test::fixture("tf/resnet_tiny.pb"), "[1,32,32,3]");
  Graph flipped = mo_convert(test::fixture("tf/resnet_tiny.pb"), "[1,32,32,3]", "FP32", true);
  Tensor a = output(run(flipped, "input", x), "softmax_tensor");
  Tensor b = output(run(plain, "input", reversed), "softmax_tensor");
  EXPECT_LE(max_abs_diff(a, b), 1e-6);
  EXPECT_GT(max_abs_diff(a, output(run(plain, "input", x), "softmax_tensor")), 1e-4);  // it did change
}

TEST(TfModels, KwsTinyMatchesTorch) {
  Tensor x = read_npy(test::fixture("tf/kws_tiny_input.npy"));
  Tensor expected = read_npy(test::fixture("tf/kws_tiny_probs.npy"));
  for (const char* type : {"FP32", "FP16"}) {
    Graph g = mo_convert(test::fixture("tf/kws_tiny.pb"), "[1,20,10,1]", type);
    // The one Transpose left puts the features back in NHWC order for the flatten.
    EXPECT_EQ(count_ops(g, "Transpose"), 1u) << type;
    EXPECT_EQ(count_ops(g, "GroupConvolution"), 2u) << type;
    double err = relative_error(output(run(g, "fingerprint_4d", x), "labels_softmax"), expected);
    EXPECT_LE(err, std::string(type) == "FP32" ? 1e-4 : 1e-2) << type;
  }
}

// ARM's ML-KWS graphs: the network input is the Reshape after Mfcc (frames x 10 coefficients,
// flattened). The converted IR must compute what the imported, unoptimized graph computes.
struct KwsGraph {
  const char* name;
  int64_t features;   // Mfcc frames x coefficients
  size_t transposes;  // left in the IR: CNN_S flattens its NHWC feature maps before the MatMuls
};

class KwsMaterial : public ::testing::TestWithParam<KwsGraph> {};

TEST_P(KwsMaterial, ConvertsAndRuns) {
  const KwsGraph& k = GetParam();
  std::string path = test::material(std::string("tf-kws/") + k.name + ".pb");
  if (path.empty() || !test::exists(path)) GTEST_SKIP() << "material tf-kws is absent";
  tffe::ImportOptions opts;
  opts.inputs = {{"Reshape", PartialShape(Shape{1, k.features}), std::nullopt}};
  Graph plain = tffe::import_graph_def(tf::load_graph_def(path), opts, "plain");
  Tensor x = random_f32({1, k.features}, 21, -20, 20);
  Tensor expected = runtime::run_reference(plain, {{"Reshape", x}}).at(0).value;
  EXPECT_EQ(expected.shape(), (Shape{1, 12}));
  std::string shape = "[1," + std::to_string(k.features) + "]";
  for (const char* type : {"FP32", "FP16"}) {
    Graph g = mo_convert(path, shape, type, false, "Reshape");
    EXPECT_EQ(count_ops(g, "Transpose"), k.transposes) << type;
    Tensor in = std::string(type) == "FP16" ? q8::convert(x, ElementType::kF16) : x;
    Tensor got = runtime::run_reference(g, {{"Reshape", in}}).at(0).value;
    EXPECT_LE(relative_error(got, expected), std::string(type) == "FP32" ? 1e-4 : 1e-2) << type;
  }
}

INSTANTIATE_TEST_SUITE_P(Graphs, KwsMaterial,
                         ::testing::Values(KwsGraph{"DS_CNN_S", 490, 0}, KwsGraph{"CNN_S", 490, 1},
                                           KwsGraph{"DNN_S", 250, 0}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(TfModels, MoErrorsNameTheProblem) {
  try {
    mo_convert(test::fixture("tf/resnet_tiny.pb"), "[1,32,32,3]", "FP32", false, "images");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(e.describe().find("Placeholders: 'input'"), std::string::npos) << e.describe();
  }
}

}  // namespace
}  // namespace q8
