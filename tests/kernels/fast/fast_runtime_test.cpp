// The fast runtime against the reference executor: FP32 within 1e-4 relative on the fixture models;
// INT8 (pot's FakeQuantize IRs) equal to the reference's integer grid.
//
// The INT8 equivalence, defined: FakeQuantize on an activation maps x to a level index
// q = nearbyint((x - lo) / (hi - lo) * (levels - 1)); the reference executor returns
// lo + q * step in f32, the fast runtime stores q (u8, or q - 128 as s8) and runs convolutions on
// those integers with int32 accumulation. So the fast output of a quantized layer is the same level
// index as the reference's, except where the reference's f32 pre-activation lies within float rounding
// of a level boundary (ties): there the two differ by exactly one level. The tests check both: at most
// one level apart everywhere, and equal on (nearly) all elements.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <random>

#include "graph/graph.h"
#include "graph/shape_infer.h"
#include "ir/ir.h"
#include "runtime/plan.h"
#include "runtime/reference.h"
#include "tensor/convert.h"
#include "tensor/npy.h"
#include "test_support.h"

namespace q8 {
namespace {

Tensor load_npy_file(const std::string& path) {
  return read_npy(path);
}

struct Diff {
  double max_abs = 0, ref_max = 0;
  double rel() const { return ref_max > 0 ? max_abs / ref_max : max_abs; }
};

Diff diff(const Tensor& a, const Tensor& b) {
  std::vector<float> x = to_floats(a), y = to_floats(b);
  EXPECT_EQ(x.size(), y.size());
  Diff d;
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    d.max_abs = std::max(d.max_abs, std::fabs(static_cast<double>(x[i]) - y[i]));
    d.ref_max = std::max(d.ref_max, std::fabs(static_cast<double>(y[i])));
  }
  return d;
}

size_t argmax(const Tensor& t) {
  std::vector<float> v = to_floats(t);
  return static_cast<size_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

std::string convert_model(const test::TempDir& dir, const std::string& name) {
  auto r = test::run_tool(
      "mo", {"--input_model", test::fixture("models/" + name + ".onnx"), "--output_dir", dir.path(), "-q"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return dir.file(name + ".xml");
}

class FastFp32 : public ::testing::TestWithParam<std::string> {};

TEST_P(FastFp32, MatchesTheReferenceExecutor) {
  test::TempDir dir;
  std::string xml = convert_model(dir, GetParam());
  Graph g = ir::read(xml).graph;
  Tensor input = load_npy_file(test::fixture("models/" + GetParam() + ".input.npy"));
  auto ref = runtime::run_reference(g, {{"", input}});
  auto plan = runtime::compile(g, {.threads = 2});
  auto fast = plan->run({{"", input}});
  ASSERT_EQ(fast.size(), ref.size());
  for (size_t i = 0; i < ref.size(); ++i) {
    EXPECT_EQ(fast[i].name, ref[i].name);
    EXPECT_LE(diff(fast[i].value, ref[i].value).rel(), 1e-4) << ref[i].name;
  }
  for (const auto& s : plan->steps())
    if (s.macs > 0) EXPECT_NE(s.precision, "REF") << s.name;
}

INSTANTIATE_TEST_SUITE_P(Models, FastFp32,
                         ::testing::Values("resnet_basic", "resnet_bottleneck", "mobilenet_v2",
                                           "squeezenet1_1", "shufflenet_v2", "vgg"));

// pot with the model's own input as the calibration set, then fast vs reference on that input.
class FastInt8 : public ::testing::TestWithParam<std::string> {};

TEST_P(FastInt8, StaysOnTheReferenceGridAndKeepsTheTopClass) {
  test::TempDir dir;
  std::string xml = convert_model(dir, GetParam());
  std::string input_path = test::fixture("models/" + GetParam() + ".input.npy");
  auto q = test::run_tool("pot", {"-q", "default", "-m", xml, "--data-source", input_path, "--output-dir",
                                  dir.file("int8"), "--quiet"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  Graph g = ir::read(dir.file("int8/" + GetParam() + ".xml")).graph;
  Tensor input = load_npy_file(input_path);
  auto ref = runtime::run_reference(g, {{"", input}});
  auto plan = runtime::compile(g, {.threads = 2});
  auto fast = plan->run({{"", input}});
  ASSERT_EQ(fast.size(), ref.size());
  EXPECT_GT(plan->summary().macs_int8, plan->summary().macs_total * 9 / 10);
  for (size_t i = 0; i < ref.size(); ++i) {
    // Logits after several int8 layers: level flips at ties propagate a little; 2% of the range.
    EXPECT_LE(diff(fast[i].value, ref[i].value).rel(), 0.02) << ref[i].name;
    EXPECT_EQ(argmax(fast[i].value), argmax(ref[i].value));
  }
}

INSTANTIATE_TEST_SUITE_P(Models, FastInt8,
                         ::testing::Values("resnet_basic", "resnet_bottleneck", "mobilenet_v2",
                                           "squeezenet1_1"));

// One quantized convolution layer built by hand: FQ(u8) -> Conv(FQ int8 weights per channel) -> bias
// -> ReLU -> FQ(u8). Every output is a level index; fast and reference must agree on it.
Graph one_quantized_conv(int64_t c_in, int64_t c_out, int64_t hw, int64_t k, bool depthwise, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  Graph g;
  Node* x = g.add_parameter("x", ElementType::kF32, PartialShape(Shape{1, c_in, hw, hw}));
  auto scalar = [&](const std::string& name, float v) {
    return g.add_const(name, make_f32({}, {v}))->output();
  };
  auto fq = [&](const std::string& name, Output in, Output lo, Output hi, int64_t levels) {
    Node* n = g.add("FakeQuantize", name);
    n->inputs = {in, lo, hi, lo, hi};
    n->set_attr("levels", AttrValue(levels));
    return n;
  };
  Node* fx = fq("fq_x", x->output(), scalar("xlo", 0.f), scalar("xhi", 2.5f), 256);
  Shape ws = depthwise ? Shape{c_out, 1, 1, k, k} : Shape{c_out, c_in, k, k};
  std::vector<float> w(static_cast<size_t>(num_elements(ws)));
  for (float& v : w) v = u(rng) * 0.3f;
  std::vector<float> whi(static_cast<size_t>(c_out)), wlo(whi.size());
  int64_t per = static_cast<int64_t>(w.size()) / c_out;
  for (int64_t oc = 0; oc < c_out; ++oc) {
    float m = 0;
    for (int64_t i = 0; i < per; ++i) m = std::max(m, std::fabs(w[static_cast<size_t>(oc * per + i)]));
    whi[static_cast<size_t>(oc)] = m;
    wlo[static_cast<size_t>(oc)] = -m;
  }
  Shape rs = depthwise ? Shape{c_out, 1, 1, 1, 1} : Shape{c_out, 1, 1, 1};
  Node* wc = g.add_const("w", make_f32(ws, w));
  Node* fw = fq("fq_w", wc->output(), g.add_const("wlo", make_f32(rs, wlo))->output(),
                g.add_const("whi", make_f32(rs, whi))->output(), 255);
  Node* conv = g.add(depthwise ? "GroupConvolution" : "Convolution", "conv");
  conv->inputs = {fx->output(), fw->output()};
  conv->set_attr("strides", AttrValue(std::vector<int64_t>{1, 1}));
  conv->set_attr("dilations", AttrValue(std::vector<int64_t>{1, 1}));
  conv->set_attr("pads_begin", AttrValue(std::vector<int64_t>{k / 2, k / 2}));
  conv->set_attr("pads_end", AttrValue(std::vector<int64_t>{k / 2, k / 2}));
  conv->set_attr("auto_pad", AttrValue(std::string("explicit")));
  std::vector<float> b(static_cast<size_t>(c_out));
  for (float& v : b) v = u(rng) * 0.2f;
  Node* add = g.add("Add", "bias");
  add->inputs = {conv->output(), g.add_const("b", make_f32({1, c_out, 1, 1}, b))->output()};
  Node* relu = g.add("ReLU", "relu");
  relu->inputs = {add->output()};
  Node* fo = fq("fq_out", relu->output(), scalar("olo", 0.f), scalar("ohi", 1.7f), 256);
  g.add_result("out", fo->output());
  infer_shapes(g);
  return g;
}

void expect_same_levels(const Graph& g, float step, uint32_t seed, double min_equal) {
  Shape xs = g.parameters()[0]->outputs[0].shape.to_shape();
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-0.2f, 2.7f);
  std::vector<float> x(static_cast<size_t>(num_elements(xs)));
  for (float& v : x) v = u(rng);
  Tensor in = make_f32(xs, x);
  auto ref = runtime::run_reference(g, {{"", in}});
  auto plan = runtime::compile(g, {.threads = 1});
  ASSERT_EQ(plan->steps().size(), 3u) << "quantize, one fused int8 convolution, dequantize the output";
  EXPECT_EQ(plan->steps()[1].precision, "I8");
  auto fast = plan->run({{"", in}});
  std::vector<float> a = to_floats(fast[0].value), r = to_floats(ref[0].value);
  size_t equal = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    double levels_apart = std::fabs(a[i] - r[i]) / step;
    ASSERT_LE(levels_apart, 1.0 + 1e-3) << "element " << i;
    equal += levels_apart < 1e-3;
  }
  EXPECT_GE(static_cast<double>(equal) / static_cast<double>(a.size()), min_equal);
}

TEST(FastInt8Layer, ConvolutionGivesTheReferenceLevels) {
  if (std::getenv("ONEDNN_MAX_CPU_ISA")) GTEST_SKIP() << "ISA forced: weights are halved, see AvxTwo test";
  expect_same_levels(one_quantized_conv(32, 48, 14, 3, false, 1), 1.7f / 255, 7, 0.999);
  expect_same_levels(one_quantized_conv(64, 64, 9, 1, false, 2), 1.7f / 255, 8, 0.999);
}

TEST(FastInt8Layer, DepthwiseConvolutionGivesTheReferenceLevels) {
  if (std::getenv("ONEDNN_MAX_CPU_ISA")) GTEST_SKIP();
  expect_same_levels(one_quantized_conv(24, 24, 12, 3, true, 3), 1.7f / 255, 9, 0.999);
}

TEST(FastRuntime, WrongInputsAreClearErrors) {
  Graph g = one_quantized_conv(4, 4, 5, 3, false, 4);
  auto plan = runtime::compile(g);
  try {
    plan->run({{"", make_f32({1, 4, 5, 6}, std::vector<float>(120))}});
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("input 'x' must have shape [1,4,5,5]"), std::string::npos)
        << e.what();
  }
  try {
    plan->run({{"y", make_f32({1, 4, 5, 5}, std::vector<float>(100))}});
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("no input 'y'"), std::string::npos) << e.what();
  }
}

TEST(FastRuntime, RequestsOfOnePlanAreIndependent) {
  Graph g = one_quantized_conv(8, 8, 6, 3, false, 5);
  auto plan = runtime::compile(g, {.threads = 1});
  auto r1 = plan->make_request(), r2 = plan->make_request();
  Tensor a = make_f32({1, 8, 6, 6}, std::vector<float>(288, 0.5f)),
         b = make_f32({1, 8, 6, 6}, std::vector<float>(288, 1.5f));
  r1->set_input(0, a);
  r2->set_input(0, b);
  r1->run();
  r2->run();
  r1->run();  // inputs stay valid across runs
  EXPECT_TRUE(r1->outputs()[0].value.same_as(plan->run({{"", a}})[0].value));
  EXPECT_TRUE(r2->outputs()[0].value.same_as(plan->run({{"", b}})[0].value));
}

TEST(FastRuntime, BatchOptionReshapesTheModel) {
  Graph g = one_quantized_conv(4, 4, 5, 3, false, 6);
  auto plan = runtime::compile(g, {.batch = 3});
  EXPECT_EQ(plan->inputs()[0].shape, (Shape{3, 4, 5, 5}));
  EXPECT_EQ(plan->outputs()[0].shape, (Shape{3, 4, 5, 5}));
  std::vector<float> x(300);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 17) * 0.1f;
  auto out = plan->run({{"", make_f32({3, 4, 5, 5}, x)}});
  auto one =
      runtime::compile(g)->run({{"", make_f32({1, 4, 5, 5}, std::vector<float>(x.begin() + 200, x.end()))}});
  std::vector<float> all = to_floats(out[0].value), last = to_floats(one[0].value);
  EXPECT_EQ(std::vector<float>(all.begin() + 200, all.end()), last);
}

}  // namespace
}  // namespace q8

namespace q8 {
namespace {

// Registered a second time in CTest with ONEDNN_MAX_CPU_ISA=AVX2: without VNNI, u8*s8 products are
// summed in pairs into int16 (vpmaddubsw) and saturate at 32767; inputs at 255 and weights at 127 reach
// 64770. The runtime halves int8 weights on such ISAs (7-bit weights, doubled scales), so the result stays
// within the 7-bit weight rounding of the reference instead of collapsing.
TEST(FastInt8Isa, ExtremeValuesDoNotSaturate) {
  Graph g = one_quantized_conv(64, 16, 6, 3, false, 11);
  // All weights at their channel's maximum (level 254 -> +127) and inputs at the top of the range.
  auto fill = [&](const std::string& name, float v) {
    for (const auto& n : g.nodes())
      if (n->name() == name) n->value = make_f32(n->value.shape(), std::vector<float>(n->value.size(), v));
  };
  fill("w", 0.01f);
  fill("whi", 0.01f);
  fill("wlo", -0.01f);
  fill("ohi", 100.f);
  Tensor in = make_f32({1, 64, 6, 6}, std::vector<float>(64 * 36, 2.5f));
  auto ref = runtime::run_reference(g, {{"", in}});
  auto plan = runtime::compile(g, {.threads = 1});
  auto fast = plan->run({{"", in}});
  Diff d = diff(fast[0].value, ref[0].value);
  // One output level (100/255) plus the 7-bit weights' rounding (127 -> 64 of 63.5: 0.8%).
  EXPECT_LE(d.max_abs, 100.0 / 255 + 0.01 * d.ref_max)
      << "ISA " << plan->summary().isa << ": max difference " << d.max_abs << " of " << d.ref_max;
  EXPECT_GT(d.ref_max, 10.0);
  if (!plan->summary().int8_dot_product) {
    bool warned = false;
    for (const auto& w : plan->summary().warnings) warned |= w.find("halved") != std::string::npos;
    EXPECT_TRUE(warned);
  }
}

}  // namespace
}  // namespace q8

namespace q8 {
namespace {

TEST(FastRuntime, BatchFollowsFlattenReshapesOfConvertedModels) {
  test::TempDir dir;
  Graph g = ir::read(convert_model(dir, "resnet_basic")).graph;
  Tensor one = load_npy_file(test::fixture("models/resnet_basic.input.npy"));
  Shape s2 = one.shape();
  s2[0] = 2;
  std::vector<float> x = to_floats(one), x2 = x;
  x2.insert(x2.end(), x.begin(), x.end());
  auto plan = runtime::compile(g, {.batch = 2});
  auto out = to_floats(plan->run({{"", make_f32(s2, x2)}})[0].value);
  auto single = to_floats(runtime::compile(g)->run({{"", one}})[0].value);
  ASSERT_EQ(out.size(), 2 * single.size());
  for (size_t i = 0; i < single.size(); ++i) {
    EXPECT_NEAR(out[i], single[i], 1e-4f * (1 + std::fabs(single[i])));
    EXPECT_NEAR(out[i + single.size()], single[i], 1e-4f * (1 + std::fabs(single[i])));
  }
}

}  // namespace
}  // namespace q8

namespace q8 {
namespace {

// SSD: the backbone and heads on the fast path, NonMaxSuppression and what follows it (shapes known only
// at run time) on reference steps; the detections equal the reference executor's.
TEST(FastRuntime, DetectorWithRunTimeShapesRunsTheBackboneFast) {
  test::TempDir dir;
  Graph g = ir::read(convert_model(dir, "ssd_resnet34_tiny")).graph;
  Tensor input = load_npy_file(test::fixture("models/ssd_resnet34_tiny.input.npy"));
  auto ref = runtime::run_reference(g, {{"", input}});
  auto plan = runtime::compile(g, {.threads = 2});
  auto fast = plan->run({{"", input}});
  ASSERT_EQ(fast.size(), ref.size());
  // Detections whose scores differ by float rounding may come out of NMS in another order (it does under
  // ONEDNN_MAX_CPU_ISA=AVX2): compare each output as a sorted multiset.
  for (size_t i = 0; i < ref.size(); ++i) {
    EXPECT_EQ(fast[i].value.shape(), ref[i].value.shape()) << ref[i].name;
    std::vector<float> a = to_floats(fast[i].value), b = to_floats(ref[i].value);
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    EXPECT_LE(
        diff(make_f32({static_cast<int64_t>(a.size())}, a), make_f32({static_cast<int64_t>(b.size())}, b))
            .rel(),
        1e-4)
        << ref[i].name;
  }
  int64_t fast_macs = 0;
  for (const auto& s : plan->steps())
    if (s.precision != "REF") fast_macs += s.macs;
  EXPECT_EQ(fast_macs, plan->summary().macs_total);
  EXPECT_GT(fast_macs, 0);
}

}  // namespace
}  // namespace q8

namespace q8 {
namespace {

// z = ReLU(conv(y)) + y: the residual sum must not be written over y while the convolution reads it
// (the Fashion-MNIST CNN has this block; the bug cost 1.5 points of top-1 before it was caught).
TEST(FastRuntime, ResidualOverTheConvolutionsOwnInput) {
  test::TempDir dir;
  auto r = test::run_tool(
      "mo", {"--input_model", test::fixture("fmnist/fmnist_cnn.onnx"), "--output_dir", dir.path(), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Graph g = ir::read(dir.file("fmnist_cnn.xml")).graph;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(0.f, 255.f);
  std::vector<float> x(28 * 28);
  for (float& v : x) v = u(rng);
  Tensor in = make_f32({1, 1, 28, 28}, x);
  auto ref = runtime::run_reference(g, {{"", in}});
  auto fast = runtime::compile(g)->run({{"", in}});
  EXPECT_LE(diff(fast[0].value, ref[0].value).rel(), 1e-4);
}

}  // namespace
}  // namespace q8
