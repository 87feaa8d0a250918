// int8-run without a subcommand: the benchmark (benchmark_app-like flags, text and JSON report).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "graph/graph.h"
#include "graph/shape_infer.h"
#include "ir/ir.h"
#include "tensor/convert.h"
#include "tensor/npy.h"
#include "test_support.h"

namespace q8 {
namespace {

// resnet_basic.onnx through mo into `dir` (the IR the benchmark runs).
std::string bench_resnet_ir(const test::TempDir& dir) {
  auto r = test::run_tool("mo", {"-m", test::fixture("models/resnet_basic.onnx"), "-o", dir.path()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return dir.file("resnet_basic.xml");
}

std::vector<std::string> bench_lines(const std::string& s) {
  std::vector<std::string> lines;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

// The number after `prefix` on the line starting with it; -1 if absent.
double bench_value(const std::string& out, const std::string& prefix) {
  for (const auto& l : bench_lines(out))
    if (l.rfind(prefix, 0) == 0) return std::stod(l.substr(prefix.size()));
  return -1;
}

int bench_count(const std::string& s, const std::string& what) {
  int n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

// Parameter -> FakeQuantize(u8) -> Convolution(FakeQuantize'd per-channel weights) -> Add -> Relu:
// the shape pot gives a quantized convolution.
void write_int8_conv_ir(const std::string& xml) {
  Graph g;
  g.name = "int8_conv";
  auto f32 = [&](const std::string& name, Shape s, float v) {
    return g.add_const(name, make_f32(s, std::vector<float>(static_cast<size_t>(num_elements(s)), v)))
        ->output();
  };
  Output x = g.add_parameter("x", ElementType::kF32, PartialShape(Shape{1, 8, 16, 16}))->output();
  Node* fqa = g.add("FakeQuantize", "x/fq");
  fqa->inputs = {x, f32("a_lo", {}, 0.f), f32("a_hi", {}, 1.f), f32("a_olo", {}, 0.f), f32("a_ohi", {}, 1.f)};
  fqa->set_attr("levels", int64_t{256});
  std::vector<float> w(16 * 8 * 3 * 3);
  for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(static_cast<int>(i % 7) - 3) / 10.f;
  Output wc = g.add_const("w", make_f32({16, 8, 3, 3}, w))->output();
  Node* fqw = g.add("FakeQuantize", "w/fq");
  fqw->inputs = {wc, f32("w_lo", {16, 1, 1, 1}, -0.3f), f32("w_hi", {16, 1, 1, 1}, 0.3f),
                 f32("w_olo", {16, 1, 1, 1}, -0.3f), f32("w_ohi", {16, 1, 1, 1}, 0.3f)};
  fqw->set_attr("levels", int64_t{255});
  Node* conv = g.add("Convolution", "conv");
  conv->inputs = {fqa->output(), fqw->output()};
  conv->set_attr("strides", std::vector<int64_t>{1, 1});
  conv->set_attr("dilations", std::vector<int64_t>{1, 1});
  conv->set_attr("pads_begin", std::vector<int64_t>{1, 1});
  conv->set_attr("pads_end", std::vector<int64_t>{1, 1});
  Node* add = g.add("Add", "conv/bias");
  add->inputs = {conv->output(), f32("b", {1, 16, 1, 1}, 0.1f)};
  Node* relu = g.add("ReLU", "relu");
  relu->inputs = {add->output()};
  g.add_result("out", relu->output());
  infer_shapes(g);
  ir::write(g, xml);
}

TEST(Int8RunBenchmark, PrintsLatencyThroughputAndAJsonReport) {
  test::TempDir dir;
  std::string ir = bench_resnet_ir(dir);
  auto r = test::run_tool(
      "int8-run", {"-m", ir, "-nthreads", "1", "-niter", "3", "--report", "json", dir.file("r.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = bench_lines(r.out);
  ASSERT_GE(lines.size(), 2u) << r.out;
  // Scripts parse the last two lines.
  EXPECT_EQ(lines[lines.size() - 2].rfind("Median latency: ", 0), 0u) << r.out;
  EXPECT_EQ(lines.back().rfind("Throughput: ", 0), 0u) << r.out;
  EXPECT_NE(lines.back().find(" FPS"), std::string::npos) << r.out;
  EXPECT_GT(bench_value(r.out, "Median latency: "), 0) << r.out;
  EXPECT_GT(bench_value(r.out, "Throughput: "), 0) << r.out;
  EXPECT_EQ(bench_value(r.out, "Count: "), 3) << r.out;
  EXPECT_NE(r.out.find("INT8 MACs: 0.0%"), std::string::npos) << r.out;  // an FP32 model
  EXPECT_NE(r.out.find("ISA: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Threads: 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[1,3,64,64]"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Why INT8"), std::string::npos) << r.out;  // not an INT8 model

  auto j = nlohmann::json::parse(test::read(dir.file("r.json")));
  EXPECT_EQ(j["tool"], "int8-run");
  EXPECT_TRUE(j["commit"].is_string() && !j["commit"].get<std::string>().empty());
  EXPECT_TRUE(j["date"].get<std::string>().ends_with("Z"));
  EXPECT_FALSE(j["machine"]["cpu_model"].get<std::string>().empty());
  EXPECT_GE(j["machine"]["cores"].get<int>(), 1);
  EXPECT_FALSE(j["machine"]["isa"].get<std::string>().empty());
  EXPECT_TRUE(j["libraries"].is_string());
  EXPECT_EQ(j["options"]["niter"], 3);
  EXPECT_EQ(j["options"]["nthreads"], 1);
  EXPECT_EQ(j["options"]["api"], "sync");
  EXPECT_EQ(j["results"]["count"], 3);
  for (const char* k : {"median", "p90", "min", "max", "mean"})
    EXPECT_GT(j["results"]["latency_ms"][k], 0.0) << k;
  EXPECT_LE(j["results"]["latency_ms"]["min"], j["results"]["latency_ms"]["median"]);
  EXPECT_LE(j["results"]["latency_ms"]["median"], j["results"]["latency_ms"]["p90"]);
  EXPECT_LE(j["results"]["latency_ms"]["p90"], j["results"]["latency_ms"]["max"]);
  EXPECT_GT(j["results"]["throughput_fps"], 0.0);
  EXPECT_GT(j["summary"]["macs_total"], 0);
  EXPECT_EQ(j["summary"]["macs_int8"], 0);
  EXPECT_TRUE(j["warnings"].is_array());
  EXPECT_FALSE(j.contains("per_layer"));
}

TEST(Int8RunBenchmark, PerLayerTableIsSortedSlowestFirst) {
  test::TempDir dir;
  std::string ir = bench_resnet_ir(dir);
  // Two-dash spellings and the one-token --report form work too.
  auto r = test::run_tool("int8-run", {"-m", ir, "--nthreads", "1", "--niter", "3", "-pc", "--report",
                                       dir.file("pc.json"), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = bench_lines(r.out);
  auto start =
      std::find_if(lines.begin(), lines.end(), [](auto& l) { return l.rfind("Per-layer time", 0) == 0; });
  ASSERT_NE(start, lines.end()) << r.out;
  std::vector<double> ms;
  bool total = false;
  for (auto it = start + 2; it != lines.end() && it->rfind("  ", 0) == 0; ++it) {
    std::istringstream cols(*it);
    std::vector<std::string> c;
    for (std::string w; cols >> w;) c.push_back(w);
    ASSERT_GE(c.size(), 3u) << *it;
    if (c[0] == "total") {
      total = true;
      break;
    }
    ms.push_back(std::stod(c[c.size() - 2]));
  }
  EXPECT_TRUE(total) << r.out;
  ASSERT_GE(ms.size(), 3u) << r.out;
  EXPECT_TRUE(std::is_sorted(ms.rbegin(), ms.rend())) << r.out;

  auto j = nlohmann::json::parse(test::read(dir.file("pc.json")));
  ASSERT_EQ(j["per_layer"].size(), ms.size());
  for (size_t i = 1; i < ms.size(); ++i)
    EXPECT_GE(j["per_layer"][i - 1]["avg_ms"], j["per_layer"][i]["avg_ms"]);
  for (const auto& row : j["per_layer"])
    for (const char* k : {"name", "type", "precision", "kernel"}) EXPECT_TRUE(row[k].is_string()) << k;
}

TEST(Int8RunBenchmark, AsyncRunsTwoStreams) {
  test::TempDir dir;
  std::string ir = bench_resnet_ir(dir);
  auto r = test::run_tool(
      "int8-run", {"-m", ir, "-api", "async", "-nstreams", "2", "-nthreads", "2", "-niter", "4", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("streams: 2 x 1 threads"), std::string::npos) << r.out;
  EXPECT_EQ(bench_value(r.out, "Count: "), 4) << r.out;
  EXPECT_GT(bench_value(r.out, "Throughput: "), 0) << r.out;
}

TEST(Int8RunBenchmark, Int8ModelReportsItsPrecisionMixAndTakesABatch) {
  test::TempDir dir;
  write_int8_conv_ir(dir.file("int8_conv.xml"));
  auto fast =
      test::run_tool("int8-run", {"-m", dir.file("int8_conv.xml"), "-nthreads", "1", "-niter", "3", "-q"});
  ASSERT_EQ(fast.exit_code, 0) << fast.err;
  EXPECT_GT(bench_value(fast.out, "Precision mix: INT8 MACs: "), 50) << fast.out;
  // -b 2 with a one-sample input: the sample is repeated (the fixture IRs' Flatten has a fixed batch).
  test::write(dir.file("x.npy"), to_npy(make_f32({1, 8, 16, 16}, std::vector<float>(8 * 16 * 16, 0.5f))));
  auto b = test::run_tool("int8-run", {"-m", dir.file("int8_conv.xml"), "-i", dir.file("x.npy"), "-b", "2",
                                       "-nthreads", "1", "-niter", "2", "-q"});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_NE(b.out.find("x f32[2,8,16,16]"), std::string::npos) << b.out;
  EXPECT_NE(b.out.find("batch 2"), std::string::npos) << b.out;
  auto ref = test::run_tool(
      "int8-run", {"-m", dir.file("int8_conv.xml"), "--reference", "-nthreads", "1", "-niter", "2", "-q"});
  ASSERT_EQ(ref.exit_code, 0) << ref.err;
  EXPECT_NE(ref.out.find("Why INT8 may not be faster:"), std::string::npos) << ref.out;
  EXPECT_NE(ref.out.find("reference kernels"), std::string::npos) << ref.out;
}

TEST(Int8RunBenchmark, BadRequestsFailWithOneMessageAndNoReport) {
  test::TempDir dir;
  std::string ir = bench_resnet_ir(dir);
  std::string report = dir.file("bad.json");
  test::write(dir.file("wrong.npy"), to_npy(make_f32({1, 3, 8, 8}, std::vector<float>(192, 0.f))));
  auto wrong = test::run_tool(
      "int8-run", {"-m", ir, "-i", dir.file("wrong.npy"), "-niter", "2", "-q", "--report", report});
  EXPECT_EQ(wrong.exit_code, 2) << wrong.err;
  EXPECT_NE(wrong.err.find("[1,3,64,64]"), std::string::npos) << wrong.err;
  EXPECT_NE(wrong.err.find("input"), std::string::npos) << wrong.err;
  EXPECT_EQ(bench_count(wrong.err, "error"), 1) << wrong.err;
  EXPECT_FALSE(test::exists(report));

  auto missing = test::run_tool("int8-run", {"-m", dir.file("none.xml"), "-niter", "2", "--report", report});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("none.xml"), std::string::npos) << missing.err;
  EXPECT_EQ(bench_count(missing.err, "error"), 1) << missing.err;
  EXPECT_FALSE(test::exists(report));

  auto sync_streams =
      test::run_tool("int8-run", {"-m", ir, "-nstreams", "2", "-niter", "2", "--report", report});
  EXPECT_EQ(sync_streams.exit_code, 1);
  EXPECT_NE(sync_streams.err.find("-api async"), std::string::npos) << sync_streams.err;
  EXPECT_FALSE(test::exists(report));

  for (std::vector<std::string> args : {std::vector<std::string>{"-m", ir, "-niter", "0"},
                                        {"-m", ir, "-nthreads", "-1"},
                                        {"-m", ir, "-api", "fast"},
                                        {"-m", ir, "-t", "0"},
                                        {"-niter", "2"},
                                        {"-m", ir, "-niter", "2", "--report", dir.file("no/such/dir.json")},
                                        {"infer", "-m", ir, "-i", "x.npy", "-niter", "2"}}) {
    auto u = test::run_tool("int8-run", args);
    EXPECT_EQ(u.exit_code, 1) << args[1] << "\n" << u.err;
    EXPECT_EQ(bench_count(u.err, "error"), 1) << u.err;
  }
}

}  // namespace
}  // namespace q8
