#pragma once
// int8-run's benchmark mode (like OpenVINO's benchmark_app): compile a model with the fast runtime,
// run it repeatedly in one request (sync) or in several parallel streams (async), and report latency,
// throughput, the ISA, the precision mix and, when INT8 is not faster than it should be, why.
#include <string>
#include <vector>

#include "image/preprocess.h"

namespace q8::tools {

struct BenchmarkOptions {
  std::string model;                // IR .xml or .onnx (load_model)
  std::vector<std::string> inputs;  // as InferOptions::inputs; empty: seeded pseudo-random data
  std::string shape;                // raw .bin inputs: "1,3,224,224"
  image::PreprocessOptions image;   // image inputs
  int batch = 0;                    // 0: the model's batch; N: every input's first dimension is N
  int nthreads = 0;                 // 0: all cores
  // Stop rule: after niter runs or time_s seconds, whichever comes first; only one given: that one;
  // neither: time_s = kDefaultTimeS. niter counts all streams together in async mode.
  int niter = 0;
  double time_s = 0;
  std::string api = "sync";  // sync: one request, latency-oriented; async: nstreams parallel requests
  // Parallel requests for async (0: kDefaultStreams, or 1 with one thread); each gets
  // max(1, nthreads / nstreams) threads. Usage error with api sync.
  int nstreams = 0;
  bool per_layer = false;   // -pc: per-step time table (compiles with profiling on)
  std::string report_path;  // JSON report; empty: none
  bool reference = false;   // run on the reference kernels (CompileOptions::fast = false)
  unsigned seed = 1;        // random inputs
};

inline constexpr double kDefaultTimeS = 5.0;
inline constexpr int kDefaultStreams = 2;

// Runs the benchmark and returns the text for stdout; its last two lines are
// "Median latency: 8.01 ms" and "Throughput: 124.8 FPS". Writes the report (atomically) when asked.
std::string run_benchmark(const BenchmarkOptions& o);

}  // namespace q8::tools
