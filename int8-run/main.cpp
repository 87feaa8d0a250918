// int8-run: run models on the CPU with the fast runtime (--reference: the reference executor, the
// oracle every conversion is checked against). Without a subcommand it benchmarks, like benchmark_app.
//   int8-run -m model.xml [-i input.npy] -nthreads 2 -niter 200 [-api async -nstreams 2] [-pc]
//   int8-run infer -m model.xml -i input.npy [-o outputs/]
//   int8-run eval -m model.xml --dataset DIR --annotations val_map.txt --metric top1
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/tool.h"
#include "convert/benchmark.h"
#include "convert/eval.h"
#include "convert/infer.h"

namespace {

// Counts (threads, iterations, batch, streams): CLI11's PositiveNumber prints a range up to 1.8e308.
const CLI::Range kCount(1, 1 << 30);

// Which executor infer and eval use.
void add_runtime_flags(CLI::App* cmd, bool& reference, int& threads) {
  cmd->add_flag("--reference", reference, "Run on the reference executor instead of the fast runtime");
  cmd->add_option("--nthreads", threads, "Fast runtime threads (default: all cores; one for small models)")
      ->check(kCount);
}

// The preprocessing flags infer and eval share (image/preprocess.h is the contract).
void add_image_flags(CLI::App* cmd, q8::image::PreprocessOptions& p, bool* resize_given = nullptr) {
  cmd->add_option("--layout", p.layout, "Images: NCHW or NHWC (default: from the model input)");
  cmd->add_flag("--bgr", p.bgr, "Images: the model wants BGR channel order (default RGB)");
  auto* resize = cmd->add_option("--resize", p.resize_short,
                                 "Images: short side before the center crop (e.g. 256); default: just cover");
  if (resize_given) resize->each([resize_given](const std::string&) { *resize_given = true; });
  cmd->add_flag_callback(
      "--stretch",
      [&p, resize_given] {
        p.fit = q8::image::Fit::kStretch;
        if (resize_given) *resize_given = true;
      },
      "Images: resize straight to the input size, ignoring the aspect ratio (no crop)");
  cmd->add_flag_callback(
      "--area", [&p] { p.interp = q8::image::Interp::kArea; },
      "Images: area (box) interpolation, not bilinear");
  cmd->add_option("--mean", p.mean, "Images: per-channel mean to subtract (model channel order)")
      ->delimiter(',');
  cmd->add_option("--scale", p.scale, "Images: per-channel divisor")->delimiter(',');
}

// benchmark_app spells its long flags with one dash (-nthreads 2); CLI11 reads "-nthreads" as the short
// flags -n -t -h ..., so these exact tokens (and "-flag=value") become their "--flag" form first.
std::vector<std::string> benchmark_app_flags(int argc, char** argv) {
  static const char* const kLong[] = {"-nthreads", "-niter", "-nstreams", "-api", "-pc", "-report"};
  std::vector<std::string> args(argv, argv + argc);
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--") break;
    for (const char* flag : kLong) {
      size_t n = std::strlen(flag);
      if (args[i].compare(0, n, flag) == 0 && (args[i].size() == n || args[i][n] == '=')) {
        args[i].insert(0, "-");
        break;
      }
    }
  }
  return args;
}

// --report FILE, or benchmark_app-like --report json FILE.
std::string report_path(const std::vector<std::string>& tokens) {
  if (tokens.size() == 2 && tokens[0] != "json")
    q8::throw_usage("--report: expected FILE or 'json FILE', got '" + tokens[0] + " " + tokens[1] + "'");
  return tokens.back();
}

// The benchmark is the top-level mode: its flags live on the app itself.
std::vector<CLI::Option*> add_benchmark_flags(CLI::App& app, q8::tools::BenchmarkOptions& b,
                                              std::vector<std::string>& report) {
  std::vector<CLI::Option*> opts;
  opts.push_back(app.add_option("-m,--model", b.model, "Benchmark: IR .xml or .onnx"));
  opts.push_back(
      app.add_option("-i,--input", b.inputs,
                     "Benchmark inputs (.npy, image, raw .bin with --shape; NAME=FILE for several); "
                     "default: seeded random data"));
  opts.push_back(app.add_option("--shape", b.shape, "Shape of raw .bin inputs: 1,3,224,224"));
  opts.push_back(
      app.add_option("-b,--batch", b.batch, "Batch size (default: the model's)")->check(kCount));
  opts.push_back(
      app.add_option("--nthreads", b.nthreads, "Threads, all streams together (default: all cores; one for small models)")
          ->check(kCount));
  opts.push_back(app.add_option("--niter", b.niter, "Stop after N inferences (all streams together)")
                     ->check(kCount));
  opts.push_back(app.add_option("-t,--time", b.time_s,
                                "Stop after SEC seconds (default 5 when -niter is not given; with both, "
                                "whichever comes first)")
                     ->check(CLI::PositiveNumber));
  opts.push_back(
      app.add_option("--api", b.api, "sync: one request (latency); async: -nstreams parallel requests")
          ->check(CLI::IsMember({"sync", "async"})));
  opts.push_back(app.add_option("--nstreams", b.nstreams,
                                "Parallel requests with -api async, each with nthreads/nstreams threads "
                                "(default 2, 1 with one thread)")
                     ->check(kCount));
  opts.push_back(app.add_flag("--pc", b.per_layer, "Per-layer time, precision and kernel, slowest first"));
  opts.push_back(
      app.add_option("--report", report, "Write a JSON report: --report FILE or --report json FILE")
          ->expected(1, 2));
  opts.push_back(app.add_flag("--reference", b.reference, "Run on the reference kernels (the oracle)"));
  opts.push_back(app.add_option("--seed", b.seed, "Seed of the random inputs"));
  return opts;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Run OpenVINO IR or ONNX models on the CPU; without a subcommand, benchmark one like benchmark_app",
      "int8-run"};
  q8::add_common_flags(app);
  app.require_subcommand(0, 1);
  q8::tools::BenchmarkOptions b;
  std::vector<std::string> report;
  auto bench_opts = add_benchmark_flags(app, b, report);
  add_image_flags(&app, b.image);
  app.footer(
      "Benchmark output ends with 'Median latency: X ms' and 'Throughput: Y FPS'. benchmark_app's one-dash "
      "flags work too (-nthreads 2 -niter 100 -api async -nstreams 2 -pc). Exit codes: 0 ok, 1 usage, 2 bad "
      "input, 3 internal error.");
  q8::tools::InferOptions o;
  auto* infer = app.add_subcommand("infer", "Run one inference and print or write the outputs");
  infer->add_option("-m,--model", o.model, "IR .xml or .onnx")->required();
  infer
      ->add_option("-i,--input", o.inputs,
                   "Input .npy, image (.jpg/.png), or raw .bin with --shape; NAME=FILE for several")
      ->required();
  infer->add_option("--shape", o.shape, "Shape of raw .bin inputs: 1,3,224,224");
  add_image_flags(infer, o.image);
  add_runtime_flags(infer, o.reference, o.threads);
  infer->add_option("-o,--output", o.output_dir, "Directory for one <output>.npy per model output");
  infer->add_option("--top", o.top_k, "How many classes to print for a classifier")
      ->check(kCount);
  infer->footer("Exit codes: 0 ok, 1 usage, 2 bad input, 3 internal error.");

  q8::tools::EvalOptions e;
  auto* eval = app.add_subcommand("eval", "Measure accuracy on a dataset: top-1/top-5 or COCO mAP");
  eval->add_option("-m,--model", e.model, "IR .xml or .onnx")->required();
  eval->add_option(
          "--dataset", e.dataset,
          "Image directory, *-images-idx3-ubyte[.gz] (Fashion-MNIST), .npy [N,...] or a directory of .npy")
      ->required();
  eval->add_option(
      "--annotations", e.annotations,
      "'file label' list (ImageNet val_map), COCO instances json (coco_map), or labels for .npy");
  eval->add_option("--metric", e.metric, "top1 | top5 | coco_map")->default_str("top1");
  eval->add_option("--limit", e.limit, "Evaluate only the first N samples");
  eval->add_option("--label-offset", e.label_offset,
                   "Added to the dataset's labels (1 for 1001-class models with a background class)");
  eval->add_option(
      "--label-map", e.label_map,
      "coco_map: model labels to COCO ids: auto (coco80 when the json has 80 categories), coco80, "
      "identity");
  eval->add_option("--score-threshold", e.score_threshold, "coco_map: drop detections scoring at or below");
  eval->add_option("--detections", e.detections_out, "coco_map: write the detections as a COCO results json");
  add_image_flags(eval, e.image, &e.resize_given);
  add_runtime_flags(eval, e.reference, e.threads);
  eval->footer(
      "Prints the score as its last line, e.g. 'top1: 90.92' (percent). coco_map resizes images straight to "
      "the "
      "input size unless --resize is given. Exit codes: 0 ok, 1 usage, 2 bad input, 3 internal error.");

  std::vector<std::string> args = benchmark_app_flags(argc, argv);
  std::vector<char*> args_c;
  for (auto& a : args) args_c.push_back(a.data());
  return q8::run_tool(app, static_cast<int>(args_c.size()), args_c.data(), [&] {
    if (infer->parsed() || eval->parsed()) {
      for (const CLI::Option* opt : bench_opts)
        if (opt->count() > 0) q8::throw_usage(opt->get_name() + " is a benchmark flag (no subcommand)");
      std::fputs((infer->parsed() ? q8::tools::run_infer(o) : q8::tools::run_eval(e)).c_str(), stdout);
      return;
    }
    if (b.model.empty())
      q8::throw_usage("give the model to benchmark with -m MODEL (or a subcommand: infer, eval)");
    if (!report.empty()) b.report_path = report_path(report);
    std::fputs(q8::tools::run_benchmark(b).c_str(), stdout);
  });
}
