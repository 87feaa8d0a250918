// Single layers of real models (ResNet-50, MobileNetV2) through the fast runtime, FP32 and INT8, one
// thread: GOP/s (2 x MACs per second) and the fraction of this machine kind's peak (ANCHORS.md: Zen 5,
// 219 GFLOP/s FP32 zmm FMA and 877 GOP/s INT8 zmm vpdpbusd per core).
//   build/bin/bench_kernels [--benchmark_filter=int8]
#include <benchmark/benchmark.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "graph/shape_infer.h"
#include "runtime/plan.h"
#include "tensor/convert.h"

namespace q8 {
namespace {

constexpr double kPeakFp32 = 219e9, kPeakInt8 = 877e9;  // per core

struct Layer {
  const char* name;
  int64_t cin, cout, hw, k, stride;
  bool depthwise;
};

const Layer kLayers[] = {
    {"resnet50_1x1_256to64_56", 256, 64, 56, 1, 1, false},
    {"resnet50_3x3_64_56", 64, 64, 56, 3, 1, false},
    {"resnet50_1x1_64to256_56", 64, 256, 56, 1, 1, false},
    {"resnet50_3x3_128_28", 128, 128, 28, 3, 1, false},
    {"resnet50_3x3_256_14", 256, 256, 14, 3, 1, false},
    {"resnet50_3x3_512_7", 512, 512, 7, 3, 1, false},
    {"resnet50_1x1_1024to256_14", 1024, 256, 14, 1, 1, false},
    {"resnet50_stem_7x7_3to64_224_s2", 3, 64, 224, 7, 2, false},
    {"mobilenetv2_dw3x3_144_56", 144, 144, 56, 3, 1, true},
    {"mobilenetv2_dw3x3_960_7", 960, 960, 7, 3, 1, true},
};

Output f32_const(Graph& g, const std::string& name, Shape shape, float v) {
  std::vector<float> values(static_cast<size_t>(num_elements(shape)), v);
  return g.add_const(name, make_f32(shape, values))->output();
}

Output fake_quantize(Graph& g, const std::string& name, Output x, Shape range_shape, float lo, float hi,
                     int64_t levels) {
  Node* fq = g.add("FakeQuantize", name);
  fq->inputs = {x, f32_const(g, name + "/il", range_shape, lo), f32_const(g, name + "/ih", range_shape, hi),
                f32_const(g, name + "/ol", range_shape, lo), f32_const(g, name + "/oh", range_shape, hi)};
  fq->set_attr("levels", levels);
  return fq->output();
}

// Parameter -> [FakeQuantize u8] -> (Group)Convolution([FakeQuantize'd per-channel weights]) -> Add -> ReLU.
Graph layer_graph(const Layer& l, bool int8) {
  Graph g;
  g.name = l.name;
  Output x = g.add_parameter("x", ElementType::kF32, PartialShape(Shape{1, l.cin, l.hw, l.hw}))->output();
  if (int8) x = fake_quantize(g, "x/fq", x, {}, 0.f, 4.f, 256);
  Shape ws = l.depthwise ? Shape{l.cout, 1, 1, l.k, l.k} : Shape{l.cout, l.cin, l.k, l.k};
  std::vector<float> w(static_cast<size_t>(num_elements(ws)));
  std::mt19937 gen(7);
  std::uniform_real_distribution<float> dist(-0.5f, 0.5f);
  for (auto& v : w) v = dist(gen);
  Output wc = g.add_const("w", make_f32(ws, w))->output();
  if (int8) {
    Shape rs(ws.size(), 1);
    rs[0] = l.cout;
    wc = fake_quantize(g, "w/fq", wc, rs, -0.5f, 0.5f, 255);
  }
  Node* conv = g.add(l.depthwise ? "GroupConvolution" : "Convolution", "conv");
  conv->inputs = {x, wc};
  int64_t pad = l.k / 2;
  conv->set_attr("strides", std::vector<int64_t>{l.stride, l.stride});
  conv->set_attr("dilations", std::vector<int64_t>{1, 1});
  conv->set_attr("pads_begin", std::vector<int64_t>{pad, pad});
  conv->set_attr("pads_end", std::vector<int64_t>{pad, pad});
  Node* add = g.add("Add", "bias");
  add->inputs = {conv->output(), f32_const(g, "b", {1, l.cout, 1, 1}, 0.1f)};
  Node* relu = g.add("ReLU", "relu");
  relu->inputs = {add->output()};
  g.add_result("out", relu->output());
  infer_shapes(g);
  return g;
}

void run_layer(benchmark::State& state, const Layer& l, bool int8) {
  Graph g = layer_graph(l, int8);
  runtime::CompileOptions co;
  co.threads = 1;
  co.profile = true;  // the conv step's own time, apart from the input/output reorders
  auto plan = runtime::compile(g, co);
  auto req = plan->make_request();
  const auto& in = plan->inputs()[0];
  std::vector<float> x(static_cast<size_t>(num_elements(in.shape)));
  std::mt19937 gen(1);
  std::uniform_real_distribution<float> dist(0.f, 4.f);
  for (auto& v : x) v = dist(gen);
  req->set_input(0, make_f32(in.shape, x));
  req->run();  // warm-up
  double seconds = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    req->run();
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  const auto& s = plan->summary();
  double peak = int8 ? kPeakInt8 : kPeakFp32, runs = static_cast<double>(state.iterations()) + 1;
  double ops = 2.0 * static_cast<double>(s.macs_total) * static_cast<double>(state.iterations());
  state.counters["GOP/s"] = ops / seconds / 1e9;  // whole request: reorders included
  state.counters["peak"] = ops / seconds / peak;
  state.counters["int8_macs"] =
      s.macs_total ? static_cast<double>(s.macs_int8) / static_cast<double>(s.macs_total) : 0.0;
  // The convolution step alone (the one with the MACs), per step_ms (warm-up run included).
  const auto& steps = plan->steps();
  size_t conv = 0;
  for (size_t i = 0; i < steps.size(); ++i)
    if (steps[i].macs > steps[conv].macs) conv = i;
  if (conv < req->step_ms().size() && req->step_ms()[conv] > 0) {
    double conv_s = req->step_ms()[conv] / 1e3 / runs;
    state.counters["conv_peak"] = 2.0 * static_cast<double>(steps[conv].macs) / conv_s / peak;
  }
  state.SetLabel(steps.empty() ? "" : steps[conv].kernel + " " + s.isa);
}

int register_all() {
  for (const Layer& l : kLayers)
    for (bool int8 : {false, true})
      benchmark::RegisterBenchmark((std::string(l.name) + (int8 ? "/int8" : "/fp32")).c_str(),
                                   [&l, int8](benchmark::State& st) { run_layer(st, l, int8); })
          ->Unit(benchmark::kMicrosecond)
          ->UseRealTime();
  return 0;
}

const int registered = register_all();

}  // namespace
}  // namespace q8

BENCHMARK_MAIN();
