#include "convert/benchmark.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <latch>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <thread>

#include "base/error.h"
#include "base/file.h"
#include "base/log.h"
#include "convert/infer.h"
#include "runtime/plan.h"
#include "tensor/convert.h"

#ifdef _OPENMP
#include <omp.h>
#endif

#ifndef Q8_GIT_COMMIT
#define Q8_GIT_COMMIT "unknown"
#endif
#ifndef Q8_MO_VERSION
#define Q8_MO_VERSION "unknown"
#endif

namespace q8::tools {
namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

int cpu_cores() {
#ifdef _OPENMP
  return omp_get_num_procs();
#else
  return std::max(1u, std::thread::hardware_concurrency());
#endif
}

// OpenMP's team size is a per-thread setting: every thread that runs a Request sets it first.
void set_omp_threads(int n) {
#ifdef _OPENMP
  omp_set_num_threads(n);
#else
  (void)n;
#endif
}

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// Latencies: two decimals, three below 1 ms so tiny models still show a number.
std::string fmt_ms(double ms) {
  return fmt(ms < 1 ? "%.3f" : "%.2f", ms);
}

// ---- options ---------------------------------------------------------------------------------

struct Settings {
  int threads = 1;             // all streams together
  int streams = 1;             // parallel requests
  int threads_per_stream = 1;  // CompileOptions::threads
  int64_t niter = 0;           // 0: no count limit
  double time_s = 0;           // 0: no time limit
  bool async = false;
};

Settings resolve(const BenchmarkOptions& o) {
  if (o.api != "sync" && o.api != "async") throw_usage("-api '" + o.api + "': expected sync or async");
  if (o.batch < 0) throw_usage("-b must be positive");
  if (o.nthreads < 0) throw_usage("-nthreads must be positive");
  if (o.niter < 0) throw_usage("-niter must be positive");
  if (o.time_s < 0 || !std::isfinite(o.time_s)) throw_usage("-t must be a positive number of seconds");
  if (o.nstreams < 0) throw_usage("-nstreams must be positive");
  Settings s;
  s.async = o.api == "async";
  if (o.nstreams > 0 && !s.async)
    throw_usage("-nstreams runs parallel requests: it needs -api async (sync runs one request)");
  s.threads = o.nthreads > 0 ? o.nthreads : cpu_cores();
  s.streams = !s.async ? 1 : o.nstreams > 0 ? o.nstreams : std::min(s.threads, kDefaultStreams);
  s.threads_per_stream = std::max(1, s.threads / s.streams);
  s.niter = o.niter;
  s.time_s = o.time_s;
  if (s.niter == 0 && s.time_s == 0) s.time_s = kDefaultTimeS;
  return s;
}

// ---- inputs ----------------------------------------------------------------------------------

// Seeded uniform [0, 1) for float inputs; integer inputs are 0 (a valid index for any Gather).
Tensor random_input(const runtime::TensorDesc& d, unsigned seed) {
  Tensor f(ElementType::kF32, d.shape);
  if (type_info(d.type).is_float) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> dist(0.f, 1.f);
    float* p = f.mutable_data<float>();
    for (int64_t i = 0; i < f.size(); ++i) p[i] = dist(gen);
  }
  return d.type == ElementType::kF32 ? f : convert(f, d.type);
}

// A one-sample input repeated to the batch the plan was compiled for (-b N with -i FILE).
Tensor tile_to(const Tensor& t, const runtime::TensorDesc& d) {
  const Shape& have = t.shape();
  bool tileable = have.size() == d.shape.size() && !have.empty() && have[0] == 1 && d.shape[0] > 1 &&
                  std::equal(have.begin() + 1, have.end(), d.shape.begin() + 1) && t.type() == d.type;
  if (!tileable) return t;  // set_input reports any mismatch, naming the input
  Tensor out(d.type, d.shape);
  for (int64_t b = 0; b < d.shape[0]; ++b)
    std::memcpy(out.mutable_bytes() + static_cast<size_t>(b) * t.byte_size(), t.bytes(), t.byte_size());
  return out;
}

struct Inputs {
  std::vector<Tensor> values;        // in Plan::inputs() order
  std::vector<std::string> sources;  // "file" or "random" per input
};

Inputs make_inputs(const Graph& g, const runtime::Plan& plan, const BenchmarkOptions& o) {
  std::vector<runtime::NamedTensor> given;
  if (!o.inputs.empty()) {
    InferOptions io;
    io.inputs = o.inputs, io.shape = o.shape, io.image = o.image;
    given = load_inputs(g, io);
  }
  Inputs in;
  for (size_t i = 0; i < plan.inputs().size(); ++i) {
    const auto& d = plan.inputs()[i];
    auto it = std::find_if(given.begin(), given.end(), [&](const auto& t) { return t.name == d.name; });
    if (it != given.end()) {
      Tensor t = tile_to(it->value, d);
      if (t.shape() != d.shape)
        throw_bad_input("input '" + d.name + "': given " + to_string(t.type()) + to_string(t.shape()) +
                        ", the model (batch " + std::to_string(d.shape.empty() ? 1 : d.shape[0]) +
                        ") wants " + to_string(d.type) + to_string(d.shape));
      in.values.push_back(std::move(t));
      in.sources.push_back("file");
    } else {
      if (!o.inputs.empty()) log::info("input '" + d.name + "' not given: random data");
      in.values.push_back(random_input(d, o.seed + static_cast<unsigned>(i)));
      in.sources.push_back("random");
    }
  }
  return in;
}

void set_inputs(runtime::Request& r, const Inputs& in) {
  for (size_t i = 0; i < in.values.size(); ++i) r.set_input(i, in.values[i]);
}

// ---- running ---------------------------------------------------------------------------------

struct RunResult {
  std::vector<double> latency_ms;  // one per measured run
  double wall_ms = 0;
  std::vector<double> step_ms;  // per step, summed over requests, measured runs only
};

void add_steps(std::vector<double>& sum, const std::vector<double>& now, const std::vector<double>& before) {
  if (now.empty()) return;
  sum.resize(now.size(), 0.0);
  for (size_t i = 0; i < now.size(); ++i) sum[i] += now[i] - (i < before.size() ? before[i] : 0.0);
}

// Runs until the count or the deadline is reached; `claim` hands out iteration numbers.
struct StopRule {
  int64_t niter;
  double time_s;
  bool done(int64_t iteration, Clock::time_point t0) const {
    return (niter > 0 && iteration >= niter) || (time_s > 0 && ms_since(t0) >= time_s * 1000.0);
  }
};

RunResult run_sync(const runtime::Plan& plan, const Inputs& in, const Settings& s) {
  auto req = plan.make_request();
  set_inputs(*req, in);
  set_omp_threads(s.threads);
  req->run();  // warm-up: first-touch of buffers, oneDNN's lazy init; not counted
  std::vector<double> before = req->step_ms();
  RunResult r;
  StopRule stop{s.niter, s.time_s};
  Clock::time_point t0 = Clock::now();
  for (int64_t it = 0; !stop.done(it, t0); ++it) {
    Clock::time_point t = Clock::now();
    req->run();
    r.latency_ms.push_back(ms_since(t));
  }
  r.wall_ms = ms_since(t0);
  add_steps(r.step_ms, req->step_ms(), before);
  return r;
}

RunResult run_async(const runtime::Plan& plan, const Inputs& in, const Settings& s) {
  size_t n = static_cast<size_t>(s.streams);
  std::vector<std::unique_ptr<runtime::Request>> reqs;
  for (size_t i = 0; i < n; ++i) {
    reqs.push_back(plan.make_request());
    set_inputs(*reqs.back(), in);  // bad inputs fail here, before any thread starts
  }
  std::vector<std::vector<double>> lat(n), before(n);
  std::vector<std::exception_ptr> errors(n);
  std::atomic<int64_t> next{0};
  std::atomic<bool> failed{false};
  std::latch ready(static_cast<std::ptrdiff_t>(n)), go(1);
  Clock::time_point t0;
  StopRule stop{s.niter, s.time_s};
  auto stream = [&](size_t k) {
    try {
      set_omp_threads(s.threads_per_stream);
      reqs[k]->run();  // warm-up
      before[k] = reqs[k]->step_ms();
    } catch (...) {
      errors[k] = std::current_exception();
      failed = true;
    }
    ready.count_down();
    go.wait();
    try {
      while (!failed && !stop.done(next.fetch_add(1), t0)) {
        Clock::time_point t = Clock::now();
        reqs[k]->run();
        lat[k].push_back(ms_since(t));
      }
    } catch (...) {
      errors[k] = std::current_exception();
      failed = true;
    }
  };
  std::vector<std::thread> threads;
  for (size_t k = 0; k < n; ++k) threads.emplace_back(stream, k);
  ready.wait();
  t0 = Clock::now();
  go.count_down();
  for (auto& t : threads) t.join();
  RunResult r;
  r.wall_ms = ms_since(t0);
  for (size_t k = 0; k < n; ++k) {
    if (errors[k]) std::rethrow_exception(errors[k]);
    r.latency_ms.insert(r.latency_ms.end(), lat[k].begin(), lat[k].end());
    add_steps(r.step_ms, reqs[k]->step_ms(), before[k]);
  }
  return r;
}

// ---- statistics ------------------------------------------------------------------------------

struct Latency {
  double median = 0, p90 = 0, min = 0, max = 0, mean = 0;
};

Latency latency_stats(std::vector<double> v) {
  Latency l;
  if (v.empty()) return l;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  l.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  l.p90 = v[static_cast<size_t>(std::ceil(0.9 * static_cast<double>(n))) - 1];  // nearest rank
  l.min = v.front(), l.max = v.back();
  l.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(n);
  return l;
}

// ---- what the plan does with INT8 --------------------------------------------------------------

// "3.99 of 4.10 GMAC" (MMAC for small models).
std::string macs_of(int64_t part, int64_t total) {
  bool giga = total >= 100'000'000;
  double unit = giga ? 1e9 : 1e6;
  return fmt("%.2f", static_cast<double>(part) / unit) + " of " +
         fmt("%.2f", static_cast<double>(total) / unit) + (giga ? " GMAC" : " MMAC");
}

std::string precision_mix(const runtime::PlanSummary& s) {
  if (s.macs_total == 0) return "INT8 MACs: n/a (no convolution or matmul)";
  double pct = 100.0 * static_cast<double>(s.macs_int8) / static_cast<double>(s.macs_total);
  return "INT8 MACs: " + fmt("%.1f", pct) + "% (" + macs_of(s.macs_int8, s.macs_total) + ")";
}

bool is_int8_model(const Graph& g, const runtime::Plan& plan) {
  for (const auto& st : plan.steps())
    if (st.precision == "I8") return true;
  for (const auto& n : g.nodes())
    if (n->type() == "FakeQuantize") return true;
  return false;
}

// Up to 8 names, then "and N more".
std::string name_list(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < 8; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > 8) out += ", and " + std::to_string(names.size() - 8) + " more";
  return out;
}

std::vector<std::string> fp32_layers(const runtime::Plan& plan) {
  const auto& s = plan.summary();
  std::vector<const runtime::StepInfo*> steps;
  for (const auto& st : plan.steps())
    if (st.precision == "FP32" && st.macs > 0) steps.push_back(&st);
  std::stable_sort(steps.begin(), steps.end(), [](auto* a, auto* b) { return a->macs > b->macs; });
  std::vector<std::string> names;
  for (const auto* st : steps)
    names.push_back(st->name + " (" +
                    fmt("%.1f", 100.0 * static_cast<double>(st->macs) /
                                    static_cast<double>(std::max<int64_t>(1, s.macs_total))) +
                    "%)");
  return names;
}

// The reasons INT8 may run slower than it could, concretely; empty when nothing stands out.
std::vector<std::string> int8_diagnosis(const Graph& g, const runtime::Plan& plan, bool reference) {
  const auto& s = plan.summary();
  if (!is_int8_model(g, plan)) return {};
  if (reference)
    return {"--reference: every layer runs on the reference kernels (FakeQuantize emulated in FP32)"};
  double mix = s.macs_total ? static_cast<double>(s.macs_int8) / static_cast<double>(s.macs_total) : 1.0;
  if (mix >= 0.9 && s.steps_fp32_compute == 0 && s.steps_reference == 0 && s.int8_dot_product) return {};
  std::vector<std::string> why;
  if (mix < 0.9) why.push_back("only " + fmt("%.1f", 100 * mix) + "% of MACs run in INT8");
  if (auto names = fp32_layers(plan); !names.empty() || s.steps_fp32_compute > 0)
    why.push_back(std::to_string(std::max<size_t>(names.size(), static_cast<size_t>(s.steps_fp32_compute))) +
                  " convolution/matmul layers left in FP32 (share of MACs): " + name_list(names));
  if (s.steps_reference > 0) {
    std::vector<std::string> names;
    for (const auto& st : plan.steps())
      if (st.precision == "REF") names.push_back(st.name + " (" + st.type + ")");
    why.push_back(std::to_string(s.steps_reference) +
                  " layers on slow reference kernels (no fast kernel): " + name_list(names));
  }
  if (s.reorders > 0)
    why.push_back(std::to_string(s.reorders) + (s.reorders == 1 ? " reorder" : " reorders") +
                  " (layout/precision conversions between layers; -pc shows their time)");
  if (!s.int8_dot_product)
    why.push_back("ISA " + s.isa +
                  " has no VNNI: int8 dot products use vpmaddubsw+vpmaddwd (two instructions and an int16 "
                  "intermediate instead of one vpdpbusd), so INT8 gains about 2x over FP32 at best, not 4x");
  return why;
}

// ---- per-layer table -------------------------------------------------------------------------

struct LayerRow {
  size_t step;
  double avg_ms, pct;
};

std::vector<LayerRow> layer_rows(const runtime::Plan& plan, const RunResult& r) {
  std::vector<LayerRow> rows;
  double runs = static_cast<double>(std::max<size_t>(1, r.latency_ms.size()));
  double total = std::accumulate(r.step_ms.begin(), r.step_ms.end(), 0.0);
  for (size_t i = 0; i < plan.steps().size() && i < r.step_ms.size(); ++i)
    rows.push_back({i, r.step_ms[i] / runs, total > 0 ? 100.0 * r.step_ms[i] / total : 0.0});
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.avg_ms > b.avg_ms; });
  return rows;
}

// Long names lose their middle: both the path prefix and the op suffix tell layers apart.
std::string clip(const std::string& s, size_t width) {
  if (s.size() <= width) return s;
  size_t head = (width - 3) / 2, tail = width - 3 - head;
  return s.substr(0, head) + "..." + s.substr(s.size() - tail);
}

std::string layer_table(const runtime::Plan& plan, const std::vector<LayerRow>& rows) {
  const auto& steps = plan.steps();
  size_t wn = 4, wt = 4, wk = 6;
  for (const auto& row : rows) {
    wn = std::max(wn, std::min<size_t>(60, steps[row.step].name.size()));
    wt = std::max(wt, std::min<size_t>(40, steps[row.step].type.size()));
    wk = std::max(wk, std::min<size_t>(32, steps[row.step].kernel.size()));
  }
  auto line = [&](const std::string& n, const std::string& t, const std::string& p, const std::string& k,
                  const std::string& ms, const std::string& pct) {
    char buf[512];
    std::snprintf(buf, sizeof buf, "  %-*s  %-*s  %-4s  %-*s  %9s  %6s\n", static_cast<int>(wn),
                  clip(n, wn).c_str(), static_cast<int>(wt), clip(t, wt).c_str(), p.c_str(),
                  static_cast<int>(wk), clip(k, wk).c_str(), ms.c_str(), pct.c_str());
    return std::string(buf);
  };
  std::string out = "Per-layer time (average per inference, slowest first):\n";
  out += line("name", "type", "prec", "kernel", "ms", "%");
  double total = 0;
  for (const auto& row : rows) {
    const auto& st = steps[row.step];
    out += line(st.name, st.type, st.precision, st.kernel, fmt("%.4f", row.avg_ms), fmt("%.1f", row.pct));
    total += row.avg_ms;
  }
  out += line("total", "", "", "", fmt("%.4f", total), "100.0");
  return out;
}

// ---- report ----------------------------------------------------------------------------------

std::string cpu_model() {
  std::ifstream f("/proc/cpuinfo");
  for (std::string line; std::getline(f, line);)
    if (line.rfind("model name", 0) == 0)
      if (size_t c = line.find(':'); c != std::string::npos)
        return line.substr(line.find_first_not_of(" \t", c + 1));
  return "unknown";
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Json tensors_json(const std::vector<runtime::TensorDesc>& ds) {
  Json a = Json::array();
  for (const auto& d : ds) a.push_back({{"name", d.name}, {"type", to_string(d.type)}, {"shape", d.shape}});
  return a;
}

Json options_json(const BenchmarkOptions& o, const Settings& s) {
  return {
      {"model", o.model},         {"inputs", o.inputs},       {"batch", o.batch},
      {"nthreads", s.threads},    {"nstreams", s.streams},    {"threads_per_stream", s.threads_per_stream},
      {"niter", s.niter},         {"time_s", s.time_s},       {"api", o.api},
      {"per_layer", o.per_layer}, {"reference", o.reference}, {"seed", o.seed}};
}

Json summary_json(const runtime::PlanSummary& s, double load_compile_ms) {
  return {{"isa", s.isa},
          {"int8_dot_product", s.int8_dot_product},
          {"threads", s.threads},
          {"macs_total", s.macs_total},
          {"macs_int8", s.macs_int8},
          {"int8_mac_fraction",
           s.macs_total ? static_cast<double>(s.macs_int8) / static_cast<double>(s.macs_total) : 0.0},
          {"steps_fp32_compute", s.steps_fp32_compute},
          {"steps_reference", s.steps_reference},
          {"reorders", s.reorders},
          {"compile_ms", s.compile_ms},
          {"load_compile_ms", load_compile_ms}};
}

struct Outcome {
  const BenchmarkOptions& o;
  const Settings& s;
  const runtime::Plan& plan;
  int64_t batch;
  double load_compile_ms;
  RunResult run;
  Latency lat;
  double fps;
  std::vector<std::string> why;
  std::vector<LayerRow> layers;
};

Json report_json(const Outcome& r) {
  const auto& sum = r.plan.summary();
  Json j;
  j["tool"] = "int8-run";
  j["version"] = Q8_MO_VERSION;
  j["commit"] = Q8_GIT_COMMIT;
  j["date"] = utc_now();
  j["machine"] = {{"cpu_model", cpu_model()}, {"cores", cpu_cores()}, {"isa", runtime::cpu_isa()}};
  j["libraries"] = runtime::library_versions();
  j["options"] = options_json(r.o, r.s);
  j["model"] = {{"path", r.o.model},
                {"inputs", tensors_json(r.plan.inputs())},
                {"outputs", tensors_json(r.plan.outputs())},
                {"batch", r.batch}};
  j["results"] = {{"latency_ms",
                   {{"median", r.lat.median},
                    {"p90", r.lat.p90},
                    {"min", r.lat.min},
                    {"max", r.lat.max},
                    {"mean", r.lat.mean}}},
                  {"throughput_fps", r.fps},
                  {"count", r.run.latency_ms.size()},
                  {"duration_ms", r.run.wall_ms}};
  j["summary"] = summary_json(sum, r.load_compile_ms);
  j["warnings"] = sum.warnings;
  j["why_int8_not_faster"] = r.why;
  if (r.o.per_layer) {
    Json rows = Json::array();
    for (const auto& row : r.layers) {
      const auto& st = r.plan.steps()[row.step];
      rows.push_back({{"name", st.name},
                      {"type", st.type},
                      {"precision", st.precision},
                      {"kernel", st.kernel},
                      {"macs", st.macs},
                      {"avg_ms", row.avg_ms},
                      {"percent", row.pct}});
    }
    j["per_layer"] = rows;
  }
  return j;
}

// ---- text ------------------------------------------------------------------------------------

std::string header_text(const Outcome& r, const std::vector<std::string>& sources) {
  const auto& sum = r.plan.summary();
  std::string t = "Model: " + r.o.model + "\n";
  for (size_t i = 0; i < r.plan.inputs().size(); ++i) {
    const auto& d = r.plan.inputs()[i];
    t += "Input: " + d.name + " " + to_string(d.type) + to_string(d.shape) +
         (sources[i] == "random" ? " (random, seed " + std::to_string(r.o.seed + i) + ")" : "") + "\n";
  }
  t += "Precision mix: " + precision_mix(sum) + "\n";
  t += "ISA: " + sum.isa + (sum.int8_dot_product ? " (VNNI int8 dot product)" : " (no VNNI)") +
       (r.o.reference ? ", reference kernels" : "") + "\n";
  t += "Threads: " + std::to_string(r.s.threads) + ", streams: " + std::to_string(r.s.streams) + " x " +
       std::to_string(r.s.threads_per_stream) + " threads, api " + r.o.api + ", batch " +
       std::to_string(r.batch) + "\n";
  t += "Load + compile: " + fmt("%.1f", r.load_compile_ms) + " ms (compile " + fmt("%.1f", sum.compile_ms) +
       " ms)\n";
  for (const auto& w : sum.warnings) t += "Warning: " + w + "\n";
  if (!r.why.empty()) {
    t += "Why INT8 may not be faster:\n";
    for (const auto& w : r.why) t += "  - " + w + "\n";
  }
  return t;
}

std::string results_text(const Outcome& r) {
  std::string t;
  t += "Count: " + std::to_string(r.run.latency_ms.size()) + " iterations (" + std::to_string(r.s.streams) +
       (r.s.streams == 1 ? " request" : " parallel requests") + ", 1 warm-up each not counted)\n";
  t += "Duration: " + fmt("%.2f", r.run.wall_ms) + " ms\n";
  t += "Latency: min " + fmt_ms(r.lat.min) + " ms, p90 " + fmt_ms(r.lat.p90) + " ms, max " +
       fmt_ms(r.lat.max) + " ms, mean " + fmt_ms(r.lat.mean) + " ms\n";
  t += "Median latency: " + fmt_ms(r.lat.median) + " ms\n";
  t += "Throughput: " + fmt("%.1f", r.fps) + " FPS\n";
  return t;
}

}  // namespace

std::string run_benchmark(const BenchmarkOptions& o) {
  Settings s = resolve(o);
  // Fail before a long run, not after it.
  if (std::string dir = std::filesystem::path(o.report_path).parent_path().string();
      !o.report_path.empty() && !dir.empty() && !std::filesystem::is_directory(dir))
    throw_usage("--report '" + o.report_path + "': directory '" + dir + "' does not exist");
  Clock::time_point t_load = Clock::now();
  log::info("loading " + o.model);
  Graph g = load_model(o.model);
  runtime::CompileOptions co;
  co.threads = s.threads_per_stream;
  co.fast = !o.reference;
  co.batch = o.batch;
  co.profile = o.per_layer;
  set_omp_threads(s.threads_per_stream);
  auto plan = with_context(o.model, [&] { return runtime::compile(g, co); });
  double load_compile_ms = ms_since(t_load);
  Inputs in = with_context(o.model, [&] { return make_inputs(g, *plan, o); });
  int64_t batch = plan->inputs().empty() || plan->inputs()[0].shape.empty() ? 1 : plan->inputs()[0].shape[0];

  log::info(std::string("running ") +
            (s.niter ? std::to_string(s.niter) + " iterations" : fmt("%.1f", s.time_s) + " s") + " on " +
            std::to_string(s.streams) + (s.async ? " streams" : " request") + "...");
  RunResult run =
      with_context(o.model, [&] { return s.async ? run_async(*plan, in, s) : run_sync(*plan, in, s); });
  if (run.latency_ms.empty()) throw_internal("no inference completed");

  Outcome r{o, s, *plan, batch, load_compile_ms, std::move(run), {}, 0, {}, {}};
  r.lat = latency_stats(r.run.latency_ms);
  // Like benchmark_app: sync throughput from the median latency (robust to a slow outlier run),
  // async from the inferences completed over the wall time.
  double count = static_cast<double>(r.run.latency_ms.size());
  r.fps = s.async ? count * static_cast<double>(batch) * 1000.0 / r.run.wall_ms
                  : static_cast<double>(batch) * 1000.0 / r.lat.median;
  r.why = int8_diagnosis(g, *plan, o.reference);
  if (o.per_layer) r.layers = layer_rows(*plan, r.run);

  std::string text = header_text(r, in.sources);
  if (o.per_layer) text += layer_table(*plan, r.layers);
  text += results_text(r);
  if (!o.report_path.empty()) {
    write_file_atomic(o.report_path, report_json(r).dump(2) + "\n");
    log::info("report: " + o.report_path);
  }
  return text;
}

}  // namespace q8::tools
