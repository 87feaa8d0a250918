// How fast the foundation moves data: fp16 weight compression, IR serialization and parsing
// of a ResNet-50-sized model (53 convolutions, ~25.5M f32 weights).
#include <benchmark/benchmark.h>

#include <random>

#include "graph/graph.h"
#include "ir/ir.h"
#include "tensor/fp16.h"

namespace {

std::vector<float> random_floats(size_t n) {
  std::mt19937 rng(42);
  std::normal_distribution<float> dist(0.f, 0.05f);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

void BM_FloatToHalf(benchmark::State& state) {
  auto v = random_floats(1 << 20);
  std::vector<uint16_t> out(v.size());
  for (auto _ : state) {
    for (size_t i = 0; i < v.size(); ++i) out[i] = q8::float_to_half(v[i]);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(v.size()));
}
BENCHMARK(BM_FloatToHalf);

// A chain of 3x3 convolutions with the weight volume of ResNet-50.
q8::Graph resnet_sized_graph() {
  q8::Graph g;
  g.name = "chain";
  q8::Node* prev = g.add_parameter("x", q8::ElementType::kF32, q8::PartialShape(q8::Shape{1, 256, 14, 14}));
  auto w = random_floats(256 * 256 * 3 * 3);
  for (int i = 0; i < 43; ++i) {  // 43 * 589824 weights ~= 25.4M
    q8::Tensor t = q8::Tensor::from_bytes(q8::ElementType::kF32, {256, 256, 3, 3}, w.data(), w.size() * 4);
    t.mutable_data<float>()[0] = static_cast<float>(i);  // distinct blobs, no dedup
    q8::Node* c = g.add_const("w" + std::to_string(i), t);
    q8::Node* conv = g.add("Convolution", "conv" + std::to_string(i));
    conv->set_attr("strides", std::vector<int64_t>{1, 1});
    conv->set_attr("dilations", std::vector<int64_t>{1, 1});
    conv->set_attr("pads_begin", std::vector<int64_t>{1, 1});
    conv->set_attr("pads_end", std::vector<int64_t>{1, 1});
    conv->set_attr("auto_pad", std::string("explicit"));
    conv->inputs = {prev->output(), c->output()};
    conv->outputs[0] = prev->outputs[0];
    prev = conv;
  }
  g.add_result("out", prev->output());
  return g;
}

void BM_IrSerialize(benchmark::State& state) {
  q8::Graph g = resnet_sized_graph();
  for (auto _ : state) benchmark::DoNotOptimize(q8::ir::serialize(g));
}
BENCHMARK(BM_IrSerialize)->Unit(benchmark::kMillisecond);

void BM_IrParse(benchmark::State& state) {
  auto files = q8::ir::serialize(resnet_sized_graph());
  for (auto _ : state) benchmark::DoNotOptimize(q8::ir::parse(files.xml, files.bin, "m.xml", "m.bin"));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(files.bin.size()));
}
BENCHMARK(BM_IrParse)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
