// mo on small variants of the torchvision classifiers (tests/fixtures/models, made by
// gen_models.py): the FP32 and FP16 IR compute what the ONNX model computes, checked against
// the un-optimized ONNX graph run by the same executor and against torch's own output.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "convert/infer.h"
#include "convert/mo.h"
#include "ir/ir.h"
#include "runtime/reference.h"
#include "tensor/convert.h"
#include "tensor/npy.h"
#include "test_support.h"

namespace q8 {
namespace {

struct Diff {
  double max_abs = 0, range = 0;
  double relative() const { return max_abs / std::max(1.0, range); }
};

Diff compare(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.shape(), b.shape());
  auto x = to_floats(a), y = to_floats(b);
  Diff d;
  for (size_t i = 0; i < std::min(x.size(), y.size()); ++i) {
    d.max_abs = std::max<double>(d.max_abs, std::fabs(x[i] - y[i]));
    d.range = std::max<double>(d.range, std::fabs(y[i]));
  }
  return d;
}

Tensor run(const Graph& g, const Tensor& input) {
  const Node* p = g.parameters().at(0);
  auto out = runtime::run_reference(g, {{p->name(), convert(input, p->outputs[0].type)}});
  EXPECT_EQ(out.size(), 1u);
  return out.at(0).value;
}

// Converts with mo's pipeline and reads the written IR back, so the writer is covered too.
Graph convert_via_ir(const std::string& onnx, bool fp16) {
  tools::MoOptions o;
  o.input_model = onnx;
  o.data_type = fp16 ? "FP16" : "FP32";
  Graph g = tools::convert_model(o);
  auto files = ir::serialize(g);
  EXPECT_EQ(files.xml, ir::serialize(tools::convert_model(o)).xml) << "mo output not deterministic";
  return std::move(ir::parse(files.xml, files.bin, "m.xml", "m.bin").graph);
}

class Model : public ::testing::TestWithParam<std::string> {};

// GetParam(): a fixture name, or an absolute path prefix for the full-size models.
std::string base_of(const std::string& p) {
  return p.front() == '/' ? p : test::fixture("models/" + p);
}

TEST_P(Model, IrMatchesOnnxAndTorch) {
  std::string base = base_of(GetParam());
  Tensor input = read_npy(base + ".input.npy");
  Tensor expected = read_npy(base + ".expected.npy");
  Tensor from_onnx = run(tools::load_model(base + ".onnx"), input);
  Graph fp32 = convert_via_ir(base + ".onnx", false);
  for (const auto& n : fp32.nodes()) EXPECT_NE(n->type(), "BatchNormInference") << "BatchNorm not fused";
  Tensor ir32 = run(fp32, input);
  Tensor ir16 = run(convert_via_ir(base + ".onnx", true), input);

  Diff vs_onnx = compare(ir32, from_onnx), vs_torch = compare(ir32, expected),
       fp16 = compare(ir16, from_onnx);
  EXPECT_LE(vs_onnx.relative(), 1e-4) << "FP32 IR vs ONNX: max abs " << vs_onnx.max_abs;
  EXPECT_LE(compare(from_onnx, expected).relative(), 1e-4) << "ONNX (reference executor) vs torch";
  EXPECT_LE(vs_torch.relative(), 1e-4) << "FP32 IR vs torch: max abs " << vs_torch.max_abs;
  EXPECT_LE(fp16.relative(), 1e-2) << "FP16 IR vs ONNX: max abs " << fp16.max_abs;
  RecordProperty("fp32_vs_onnx", std::to_string(vs_onnx.max_abs));
  RecordProperty("fp16_vs_onnx", std::to_string(fp16.max_abs));
}

// Full-size torchvision models made by bench/models/gen_full_models.py, when Q8_FULL_MODELS names
// their directory (too big for the repository and for CI time).
std::vector<std::string> full_models() {
  std::vector<std::string> out;
  const char* dir = std::getenv("Q8_FULL_MODELS");
  if (!dir) return out;
  for (const auto& name : test::list_dir(dir))
    if (name.size() > 5 && name.substr(name.size() - 5) == ".onnx")
      out.push_back(std::string(dir) + "/" + name.substr(0, name.size() - 5));
  return out;
}
INSTANTIATE_TEST_SUITE_P(Full, Model, ::testing::ValuesIn(full_models()),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                           return i.param.substr(i.param.find_last_of('/') + 1);
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Model);

INSTANTIATE_TEST_SUITE_P(Torchvision, Model,
                         ::testing::Values("resnet_basic", "resnet_bottleneck", "mobilenet_v2",
                                           "mobilenet_v3_small", "squeezenet1_1", "shufflenet_v2", "densenet",
                                           "efficientnet", "vgg"));

}  // namespace
}  // namespace q8
