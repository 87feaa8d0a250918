// onnx-modify export-qdq: pot's INT8 IR (and real OpenVINO-written INT8 IR) -> QDQ ONNX that
// computes what the IR computes: same top-1 on Fashion-MNIST, same per-layer activations on a
// fixture model, int8 weights, one QuantizeLinear per activation FakeQuantize; errors exit 2
// with nothing written.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "cli_util.h"
#include "ir/ir.h"
#include "onnx/export_qdq.h"
#include "onnx/frontend.h"
#include "onnx/onnx_io.h"
#include "runtime/reference.h"
#include "tensor/convert.h"
#include "test_support.h"

namespace q8 {
namespace {

const std::string kQdqMnist = "/usr/share/datasets/fashion-mnist/";

double qdq_top1(const std::string& out) {
  size_t at = out.find("top1: ");
  return at == std::string::npos ? -1 : std::stod(out.substr(at + 6));
}

// mo + pot (-q default) of a fixture ONNX model; returns the INT8 .xml.
std::string qdq_pot_ir(const test::TempDir& dir, const std::string& onnx, const std::string& name,
                       const std::vector<std::string>& data) {
  auto mo = test::run_tool("mo", {"--input_model", onnx, "--output_dir", dir.path(), "--model_name", name});
  EXPECT_EQ(mo.exit_code, 0) << mo.err;
  std::vector<std::string> args{"-q",           "default",        "-m",     dir.file(name + ".xml"),
                                "--output-dir", dir.file("int8"), "--quiet"};
  args.insert(args.end(), data.begin(), data.end());
  auto pot = test::run_tool("pot", args);
  EXPECT_EQ(pot.exit_code, 0) << pot.err;
  return dir.file("int8/" + name + ".xml");
}

Tensor qdq_random_input(const Shape& shape, uint32_t seed, float lo, float hi) {
  Tensor x(ElementType::kF32, shape);
  for (int64_t i = 0; i < x.size(); ++i) {
    seed = seed * 1664525u + 1013904223u;
    x.mutable_data<float>()[i] = lo + (hi - lo) * static_cast<float>(seed >> 8) / 16777216.0f;
  }
  return x;
}

// Every node output of a run, by tensor name (the IR's port name or layer name; ONNX tensor names
// on the imported graph's ports), so the IR's layers and the exported model's line up by name.
using QdqValues = std::map<std::string, std::vector<float>>;

QdqValues qdq_run(const Graph& g, const Tensor& x, bool by_port_names) {
  QdqValues v;
  auto observe = [&](const Node& n, const std::vector<Tensor>& outs) {
    for (size_t i = 0; i < outs.size(); ++i) {
      const PortInfo& p = n.outputs[i];
      if (by_port_names) {
        for (const auto& name : p.names) v[name] = to_floats(outs[i]);
      } else {
        v[runtime::output_name(n, static_cast<int>(i))] = to_floats(outs[i]);
      }
    }
  };
  for (const auto& r : runtime::run_reference(g, {{g.parameters().at(0)->name(), x}}, observe))
    v["result:" + r.name] = to_floats(r.value);
  return v;
}

// max |a - b| relative to the range of a.
double qdq_rel_diff(const std::vector<float>& a, const std::vector<float>& b) {
  EXPECT_EQ(a.size(), b.size());
  auto [lo, hi] = std::minmax_element(a.begin(), a.end());
  double range = std::max(1e-6, static_cast<double>(*hi - *lo)), worst = 0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    worst = std::max(worst, std::fabs(double(a[i]) - b[i]));
  return worst / range;
}

int qdq_count_ops(const onnx::ModelProto& m, const std::string& op) {
  int n = 0;
  for (const auto& node : m.graph().node()) n += node.op_type() == op;
  return n;
}

int qdq_activation_fq(const Graph& g) {
  int n = 0;
  for (const auto& node : g.nodes())
    n += node->type() == "FakeQuantize" && node->input(0).node->type() != "Const" &&
         node->input(0).node->type() != "Convert";
  return n;
}

// Exports `xml` with the CLI, re-reads the IR and the ONNX model, and compares the two on a
// random input: every Result, and every tensor both models name (the quantized activations).
struct QdqCompare {
  double worst_result = 0, worst_layer = 0;
  int layers = 0;
  onnx::ModelProto model;
};

QdqCompare qdq_compare(const test::TempDir& dir, const std::string& xml, float lo, float hi) {
  QdqCompare c;
  std::string out = dir.file("qdq.onnx");
  auto r = test::modify({"-q", "export-qdq", xml, "-o", out});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (r.exit_code != 0) return c;
  Graph ir = std::move(ir::read(xml).graph);
  c.model = onnxio::load_model(out);
  Graph onnx = onnxfe::import_model(c.model, {}, out);
  const PortInfo& in = ir.parameters().at(0)->outputs.at(0);
  Tensor x = qdq_random_input(in.shape.to_shape(), 7, lo, hi);
  // An FP16 IR takes f16 input; the exported model takes f32 (all f16 became f32).
  QdqValues a = qdq_run(ir, convert(x, in.type), false), b = qdq_run(onnx, x, true);
  for (const auto& [name, values] : a) {
    auto it = b.find(name);
    if (name.rfind("result:", 0) == 0) {
      EXPECT_NE(it, b.end()) << "no output " << name;
      if (it != b.end()) c.worst_result = std::max(c.worst_result, qdq_rel_diff(values, it->second));
    } else if (it != b.end() && it->second.size() == values.size()) {
      ++c.layers;
      c.worst_layer = std::max(c.worst_layer, qdq_rel_diff(values, it->second));
    }
  }
  return c;
}

TEST(ExportQdq, FashionMnistTop1MatchesTheInt8Ir) {
  if (!test::exists(kQdqMnist + "t10k-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  test::TempDir dir;
  std::string xml =
      qdq_pot_ir(dir, test::fixture("fmnist/fmnist_cnn.onnx"), "fmnist_cnn",
                 {"--data-source", kQdqMnist + "train-images-idx3-ubyte.gz", "--stat-subset-size", "300"});
  auto r = test::modify({"-q", "export-qdq", xml, "-o", dir.file("fmnist_qdq.onnx")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto eval = [&](const std::string& m) {
    auto e =
        test::run_tool("int8-run", {"eval", "-m", m, "--dataset", kQdqMnist + "t10k-images-idx3-ubyte.gz",
                                    "--limit", "1000", "--quiet"});
    EXPECT_EQ(e.exit_code, 0) << e.err;
    return qdq_top1(e.out);
  };
  double ir = eval(xml), qdq = eval(dir.file("fmnist_qdq.onnx"));
  std::printf("Fashion-MNIST CNN, first 1000 test images: INT8 IR top-1 %.2f, QDQ ONNX top-1 %.2f\n", ir,
              qdq);
  EXPECT_GT(ir, 85.0);
  EXPECT_LE(std::fabs(ir - qdq), 0.3);
}

TEST(ExportQdq, ResnetBasicLayersMatchAndWeightsAreInt8) {
  test::TempDir dir;
  std::string xml = qdq_pot_ir(dir, test::fixture("models/resnet_basic.onnx"), "resnet_basic",
                               {"--engine", "simplified", "--data-source", test::fixture("images/dir")});
  Graph ir = std::move(ir::read(xml).graph);
  QdqCompare c = qdq_compare(dir, xml, -1.0f, 1.0f);
  std::printf("resnet_basic: %d shared tensors, worst layer diff %.4f, worst output diff %.4f of the range\n",
              c.layers, c.worst_layer, c.worst_result);
  EXPECT_LT(c.worst_result, 0.01);
  EXPECT_LT(c.worst_layer, 0.01);
  EXPECT_GT(c.layers, 10);
  EXPECT_EQ(qdq_count_ops(c.model, "QuantizeLinear"), qdq_activation_fq(ir));
  // Every DequantizeLinear of an initializer (the weights) reads int8.
  std::map<std::string, int32_t> init;
  for (const auto& t : c.model.graph().initializer()) init[t.name()] = t.data_type();
  int weights = 0;
  for (const auto& n : c.model.graph().node()) {
    if (n.op_type() != "DequantizeLinear" || !init.count(n.input(0))) continue;
    ++weights;
    EXPECT_EQ(init[n.input(0)], onnx::TensorProto::INT8) << n.input(0);
  }
  EXPECT_GT(weights, 5);
  for (const auto& t : c.model.graph().initializer())
    EXPECT_NE(t.data_type(), onnx::TensorProto::FLOAT16) << t.name();
}

TEST(ExportQdq, SameIrGivesTheSameBytes) {
  test::TempDir dir;
  std::string xml = test::fixture("ir/tiny_conv.xml");
  ASSERT_EQ(test::modify({"-q", "export-qdq", xml, "-o", dir.file("a.onnx")}).exit_code, 0);
  ASSERT_EQ(test::modify({"-q", "export-qdq", xml, "-o", dir.file("b.onnx"), "--opset", "15"}).exit_code, 0);
  ASSERT_EQ(test::modify({"-q", "export-qdq", xml, "-o", dir.file("c.onnx")}).exit_code, 0);
  EXPECT_EQ(test::read(dir.file("a.onnx")), test::read(dir.file("c.onnx")));
  EXPECT_NE(test::read(dir.file("a.onnx")), test::read(dir.file("b.onnx")));
  EXPECT_EQ(onnxio::default_opset(onnxio::load_model(dir.file("b.onnx"))), 15);
}

class ExportQdqRealIr : public testing::TestWithParam<std::string> {};

TEST_P(ExportQdqRealIr, OutputsCloseToTheIr) {
  std::string xml =
      test::material("openvino-ir/" + GetParam() +
                     "/landmarks-regression-retail-0009/FP16-INT8/landmarks-regression-retail-0009.xml");
  if (xml.empty() || !test::exists(xml)) GTEST_SKIP() << "../shared/material/openvino-ir is absent";
  test::TempDir dir;
  Graph ir = std::move(ir::read(xml).graph);
  // Image-like input: the model normalises 0..255 pixels itself.
  QdqCompare c = qdq_compare(dir, xml, 0.0f, 255.0f);
  std::printf("%s landmarks INT8: worst output diff %.4f of the range (%d shared tensors, worst %.4f)\n",
              GetParam().c_str(), c.worst_result, c.layers, c.worst_layer);
  // The 2020 IR computes in f16 (its FakeQuantize limits are f16-rounded too, so zero points get
  // nudged by up to 0.05 steps); the export computes in f32. The 2022 IR is f32 inside.
  bool f16 = ir.parameters().at(0)->outputs.at(0).type == ElementType::kF16;
  EXPECT_LT(c.worst_result, f16 ? 0.05 : 0.01);
  EXPECT_EQ(qdq_count_ops(c.model, "QuantizeLinear"), qdq_activation_fq(ir));
  EXPECT_GT(qdq_count_ops(c.model, "DequantizeLinear"), qdq_count_ops(c.model, "QuantizeLinear"));
}

INSTANTIATE_TEST_SUITE_P(Landmarks, ExportQdqRealIr, testing::Values("ir10-2020", "ir11-2022.1"));

TEST(ExportQdqErrors, UnsupportedOpNamesTheLayerAndWritesNothing) {
  test::TempDir dir;
  std::string xml = test::read(test::fixture("ir/tiny_conv.xml"));
  std::string from = R"(name="relu" type="ReLU" version="opset1">)";
  ASSERT_NE(xml.find(from), std::string::npos);
  xml.replace(xml.find(from), from.size(),
              R"(name="shuffle" type="ShuffleChannels" version="opset1"><data axis="1" group="2"/>)");
  test::write(dir.file("m.xml"), xml);
  test::write(dir.file("m.bin"), test::read(test::fixture("ir/tiny_conv.bin")));
  auto r = test::modify({"export-qdq", dir.file("m.xml"), "-o", dir.file("out.onnx")});
  test::expect_failure(r, 2, {"'shuffle'", "id 3", "ShuffleChannels"}, dir, {"m.bin", "m.xml"});
}

TEST(ExportQdqErrors, TruncatedXmlIsBadInput) {
  test::TempDir dir;
  std::string xml = test::read(test::fixture("ir/tiny_conv.xml"));
  test::write(dir.file("m.xml"), xml.substr(0, xml.size() / 2));
  test::write(dir.file("m.bin"), test::read(test::fixture("ir/tiny_conv.bin")));
  auto r = test::modify({"export-qdq", dir.file("m.xml"), "-o", dir.file("out.onnx")});
  test::expect_failure(r, 2, {"m.xml"}, dir, {"m.bin", "m.xml"});
}

TEST(ExportQdqErrors, OpsetOutOfRangeIsUsage) {
  test::TempDir dir;
  auto r = test::modify(
      {"export-qdq", test::fixture("ir/tiny_conv.xml"), "-o", dir.file("out.onnx"), "--opset", "11"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(test::list_dir(dir.path()), std::vector<std::string>{});
}

}  // namespace
}  // namespace q8
