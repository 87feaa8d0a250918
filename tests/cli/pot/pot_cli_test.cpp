// pot end to end on the reduced torchvision fixtures (random weights: the mechanics, placement,
// determinism and errors; accuracy is measured on the trained Fashion-MNIST CNN in pot_accuracy_test).
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "convert/mo.h"
#include "ir/ir.h"
#include "quant/quantize.h"
#include "test_support.h"

namespace q8 {
namespace {

std::string model(const std::string& name) { return test::fixture("models/" + name + ".onnx"); }

// mo's IR of a fixture model in `dir`.
std::string make_ir(const test::TempDir& dir, const std::string& name, const std::string& type = "FP32") {
  auto r = test::run_tool("mo", {"--input_model", model(name), "--output_dir", dir.path(), "--data_type", type,
                                 "--model_name", name + "_" + type});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return dir.file(name + "_" + type + ".xml");
}

int count(const Graph& g, const std::string& type) {
  int n = 0;
  for (const auto& node : g.nodes()) n += node->type() == type;
  return n;
}

TEST(PotPlan, PlacesFakeQuantizeWhereTheRuntimeKeepsIntegers) {
  test::TempDir dir;
  Graph g = quant::clone(ir::read(make_ir(dir, "resnet_basic")).graph);
  quant::QuantPlan plan = quant::find_plan(g, {});
  std::map<std::string, int> types;
  for (const auto& l : plan.layers) types[l.type]++;
  EXPECT_GT(types["Convolution"], 5);
  EXPECT_EQ(types["MatMul"], 1);  // the classifier
  EXPECT_GE(types["Add"], 5);     // residuals (one per block)
  EXPECT_EQ(types["MaxPool"], 1);
  for (const auto& l : plan.layers) {
    if (l.type == "Convolution") {
      EXPECT_EQ(l.weight_input, 1);
      EXPECT_EQ(l.range_shape.size(), 4u);
      EXPECT_GT(l.range_shape[0], 1);  // per output channel
      EXPECT_EQ(l.range_shape[1], 1);
    }
    if (l.type == "Add") EXPECT_EQ(l.sites.size(), 2u) << l.name;
  }
  // One FakeQuantize per distinct activation tensor, shared by its quantized consumers.
  std::set<std::pair<int, int>> tensors;
  for (const auto& s : plan.sites) EXPECT_TRUE(tensors.insert({s.producer_id, s.port}).second) << s.name;

  // Applying the plan (all ranges [0, 1]) inserts one FakeQuantize per site and per weight.
  for (auto& s : plan.sites) s.fq = {256, {0}, {1}, {0}, {1}};
  size_t weights = 0;
  for (auto& l : plan.layers) {
    if (l.weight_input < 0) continue;
    ++weights;
    size_t c = static_cast<size_t>(num_elements(l.range_shape));
    l.weight_fq = {255, std::vector<float>(c, -1), std::vector<float>(c, 1), std::vector<float>(c, -1),
                   std::vector<float>(c, 1)};
  }
  Graph q = quant::clone(g);
  int inserted = quant::apply_plan(q, plan);
  EXPECT_EQ(inserted, static_cast<int>(plan.sites.size() + weights));
  EXPECT_EQ(count(q, "FakeQuantize"), inserted);
  // Reverting a layer removes its weight FakeQuantize (its input's stays if another layer uses it).
  plan.reverted.insert(plan.layers[0].name);
  Graph r = quant::clone(g);
  EXPECT_LT(quant::apply_plan(r, plan), inserted);
}

TEST(PotPlan, ConcatInputsShareOneGroup) {
  test::TempDir dir;
  Graph g = quant::clone(ir::read(make_ir(dir, "squeezenet1_1")).graph);
  quant::QuantPlan plan = quant::find_plan(g, {});
  int concats = 0;
  for (const auto& l : plan.layers) {
    if (l.type != "Concat") continue;
    ++concats;
    ASSERT_EQ(l.sites.size(), 2u);
    int g0 = plan.sites[static_cast<size_t>(l.sites[0])].group;
    EXPECT_GE(g0, 0);
    EXPECT_EQ(plan.sites[static_cast<size_t>(l.sites[1])].group, g0);
  }
  EXPECT_EQ(concats, 8);  // the eight Fire modules
}

TEST(PotPlan, DetectorPostProcessingConcatsStayFloat) {
  // Seed 001's model: concat-outputs joins boxes, labels (cast to float) and scores into one output.
  // Quantizing that Concat rounded labels to non-integers (found running examples/ssd-resnet34): only
  // Concats of feature maps are quantized.
  test::TempDir dir;
  auto m = test::run_tool("onnx-modify", {"concat-outputs", model("ssd_resnet34_tiny"), "-o", dir.file("ssd.onnx"),
                                          "--outputs", "bboxes,labels,scores,scores", "--axis", "2", "--name",
                                          "output"});
  ASSERT_EQ(m.exit_code, 0) << m.err;
  auto r = test::run_tool("mo", {"--input_model", dir.file("ssd.onnx"), "--output_dir", dir.path()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Graph g = quant::clone(ir::read(dir.file("ssd.xml")).graph);
  quant::QuantPlan plan = quant::find_plan(g, {});
  int convs = 0;
  for (const auto& l : plan.layers) {
    convs += l.type == "Convolution";
    EXPECT_NE(l.type, "Concat") << l.name << ": a Concat of head outputs or detections is quantized";
  }
  EXPECT_GT(convs, 10);  // the backbone and heads still are
}

TEST(PotPlan, RefusesQuantizedModelsAndUnknownIgnoredLayers) {
  std::string int8 =
      test::material("openvino-ir/ir10-2020/landmarks-regression-retail-0009/FP16-INT8/landmarks-regression-retail-0009.xml");
  if (!int8.empty()) {
    Graph g = std::move(ir::read(int8).graph);
    try {
      quant::find_plan(g, {});
      FAIL() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kBadInput);
      EXPECT_NE(e.describe().find("already quantized"), std::string::npos) << e.describe();
    }
  }
  test::TempDir dir;
  Graph g = quant::clone(ir::read(make_ir(dir, "resnet_basic")).graph);
  try {
    quant::find_plan(g, {"no_such_layer"});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUsage);
    EXPECT_NE(e.describe().find("no_such_layer"), std::string::npos) << e.describe();
  }
}

struct PotOut {
  test::RunResult run;
  std::string xml;
};

PotOut pot(const test::TempDir& dir, const std::string& ir, const std::string& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"-q", "default", "-m", ir, "--engine", "simplified", "--data-source",
                                test::fixture("images/dir"), "--output-dir", dir.file(out), "-n", "q"};
  args.insert(args.end(), extra.begin(), extra.end());
  return {test::run_tool("pot", args), dir.file(out + "/q.xml")};
}

TEST(PotCli, QuantizesDeterministicallyAndTheResultRuns) {
  test::TempDir dir;
  std::string ir = make_ir(dir, "resnet_basic");
  PotOut a = pot(dir, ir, "a"), b = pot(dir, ir, "b");
  ASSERT_EQ(a.run.exit_code, 0) << a.run.err;
  EXPECT_EQ(a.run.out, a.xml + "\n");
  EXPECT_EQ(test::read(a.xml), test::read(b.xml));
  EXPECT_EQ(test::read(dir.file("a/q.bin")), test::read(dir.file("b/q.bin")));
  EXPECT_EQ(test::read(dir.file("a/q.report.json")), test::read(dir.file("b/q.report.json")));
  EXPECT_NE(a.run.err.find("SQNR"), std::string::npos) << a.run.err;  // the per-layer table

  Graph q = std::move(ir::read(a.xml).graph);
  EXPECT_GT(count(q, "FakeQuantize"), 10);
  auto report = nlohmann::json::parse(test::read(dir.file("a/q.report.json")));
  ASSERT_TRUE(report["layers"].is_array());
  for (const auto& l : report["layers"]) {
    EXPECT_EQ(l["status"], "int8");
    EXPECT_TRUE(l.contains("sqnr_db")) << l.dump();
  }
  // The quantized model runs and stays close to FP32 on the fixture input.
  auto fp = test::run_tool("int8-run", {"infer", "-m", ir, "-i", test::fixture("models/resnet_basic.input.npy")});
  auto i8 = test::run_tool("int8-run", {"infer", "-m", a.xml, "-i", test::fixture("models/resnet_basic.input.npy")});
  ASSERT_EQ(i8.exit_code, 0) << i8.err;
  EXPECT_NE(i8.out.find("top-5"), std::string::npos);
}

TEST(PotCli, Fp16StaysFp16AndOptionsChangeTheResult) {
  test::TempDir dir;
  std::string ir = make_ir(dir, "resnet_basic", "FP16");
  PotOut a = pot(dir, ir, "a");
  ASSERT_EQ(a.run.exit_code, 0) << a.run.err;
  Graph q = std::move(ir::read(a.xml).graph);
  for (const auto& n : q.nodes())
    if (n->type() == "FakeQuantize") EXPECT_EQ(n->outputs[0].type, ElementType::kF16) << n->describe();
  PotOut t = pot(dir, ir, "t", {"--per-tensor-weights", "--range-estimator", "minmax", "--no-bias-correction"});
  ASSERT_EQ(t.run.exit_code, 0) << t.run.err;
  EXPECT_NE(test::read(a.xml), test::read(t.xml));
  auto report = nlohmann::json::parse(test::read(dir.file("t/q.report.json")));
  EXPECT_EQ(report["weights_per_channel"], false);
  EXPECT_EQ(report["activation_estimator"], "minmax");
}

TEST(PotCli, BadRequestsFailWithoutWriting) {
  test::TempDir dir;
  std::string ir = make_ir(dir, "resnet_basic");
  std::string empty = dir.file("empty");
  std::filesystem::create_directory(empty);
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string expect;
  };
  for (const Case& c : std::vector<Case>{
           {{"-q", "default", "-m", ir, "--data-source", dir.file("none"), "--output-dir", dir.file("o")}, 2, "none"},
           {{"-q", "default", "-m", ir, "--data-source", empty, "--output-dir", dir.file("o")}, 2, "empty"},
           {{"-q", "default", "-m", ir, "--data-source", test::fixture("images/dir"), "--preset", "fast",
             "--output-dir", dir.file("o")},
            1,
            "fast"},
           {{"-q", "default", "-m", dir.file("missing.xml"), "--data-source", test::fixture("images/dir"),
             "--output-dir", dir.file("o")},
            2,
            "missing.xml"},
           {{"-q", "default", "--data-source", test::fixture("images/dir"), "--output-dir", dir.file("o")}, 1, "model"},
       }) {
    auto r = test::run_tool("pot", c.args);
    EXPECT_EQ(r.exit_code, c.code) << c.expect << ": " << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << r.err;
    EXPECT_FALSE(test::exists(dir.file("o/resnet_basic_FP32.xml")));
  }
  // An already quantized IR is refused.
  PotOut a = pot(dir, ir, "a");
  ASSERT_EQ(a.run.exit_code, 0) << a.run.err;
  PotOut again = pot(dir, a.xml, "b");
  EXPECT_EQ(again.run.exit_code, 2);
  EXPECT_NE(again.run.err.find("already quantized"), std::string::npos) << again.run.err;
  EXPECT_FALSE(test::exists(again.xml));
}

}  // namespace
}  // namespace q8
