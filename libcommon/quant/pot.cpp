#include "quant/pot.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/file.h"
#include "base/log.h"
#include "convert/eval.h"
#include "dataset/dataset.h"
#include "ir/ir.h"
#include "quant/quantize.h"
#include "quant/range.h"
#include "runtime/reference.h"
#include "tensor/convert.h"

namespace q8::quant {
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

// The calibration samples: the first stat_subset_size of the data source, or that many picked
// at random with the seed (shuffle_data). Streams the dataset; yields preprocessed inputs.
class Calibration {
 public:
  Calibration(const PotConfig& c, const Node& input) : input_(input) {
    const EngineConfig& e = c.engine;
    ds_ = dataset::open_dataset({e.data_source, e.type == "dataset" ? e.annotations : "", 0});
    if (ds_->size() == 0) throw_bad_input(e.data_source + ": the data source is empty");
    const PartialShape& s = input.outputs[0].shape;
    if (s.rank() == 4 && s.is_static()) pre_ = image::Preprocess::for_input(s, e.preprocessing, input.name());
    size_t n = std::min(c.params.stat_subset_size, ds_->size());
    if (c.params.shuffle_data && n < ds_->size()) {
      std::vector<size_t> all(ds_->size());
      for (size_t i = 0; i < all.size(); ++i) all[i] = i;
      std::mt19937_64 rng(c.params.seed);
      for (size_t i = 0; i < n; ++i) std::swap(all[i], all[i + rng() % (all.size() - i)]);
      pick_.insert(all.begin(), all.begin() + static_cast<long>(n));
    } else {
      for (size_t i = 0; i < n; ++i) pick_.insert(i);
    }
  }
  size_t size() const { return pick_.size(); }
  std::string describe() const { return ds_->describe() + (pre_ ? "; " + pre_->describe() : ""); }

  // Calls fn(input) for the first `limit` picked samples (0: all).
  template <typename Fn>
  void for_each(const std::string& what, size_t limit, Fn&& fn) {
    size_t total = limit ? std::min(limit, pick_.size()) : pick_.size();
    log::Progress progress(what, static_cast<int64_t>(total));
    ds_->rewind();
    dataset::Batch b;
    size_t index = 0, done = 0;
    while (done < total && dataset::next_batch(*ds_, pre_ ? &*pre_ : nullptr, 1, b)) {
      if (!pick_.count(index++)) continue;
      fn(std::vector<runtime::NamedTensor>{{input_.name(), convert(b.input, input_.outputs[0].type)}});
      ++done;
      progress.advance();
    }
    progress.finish();
  }

 private:
  const Node& input_;
  std::unique_ptr<dataset::Dataset> ds_;
  std::optional<image::Preprocess> pre_;
  std::set<size_t> pick_;
};

bool symmetric_preset(const AlgorithmParams& p) {
  return p.preset == "performance";
}

// Statistics of every site over the calibration subset, then ranges and FakeQuantize parameters.
void calibrate_activations(const Graph& g, QuantPlan& plan, const AlgorithmParams& params, Calibration& cal) {
  std::vector<TensorStats> stats(plan.sites.size());
  std::map<int, std::vector<std::pair<int, size_t>>> by_producer;  // node id -> (port, site)
  for (size_t i = 0; i < plan.sites.size(); ++i)
    by_producer[plan.sites[i].producer_id].push_back({plan.sites[i].port, i});
  cal.for_each("statistics", 0, [&](const std::vector<runtime::NamedTensor>& in) {
    runtime::run_reference(g, in, [&](const Node& n, const std::vector<Tensor>& outs) {
      auto it = by_producer.find(n.id());
      if (it == by_producer.end()) return;
      for (const auto& [port, site] : it->second) {
        std::vector<float> v = to_floats(outs.at(static_cast<size_t>(port)));
        stats[site].add(v);
      }
    });
  });
  const bool symmetric = symmetric_preset(params);
  for (size_t i = 0; i < plan.sites.size(); ++i) {
    ActivationSite& s = plan.sites[i];
    const Node* producer = g.find(s.producer_id);
    RangeEstimator e = params.activations;
    if (auto it = params.per_tensor.find(s.name); it != params.per_tensor.end())
      e = it->second;
    else if (auto jt = params.per_tensor.find(producer->name()); jt != params.per_tensor.end())
      e = jt->second;
    s.unsigned_range = stats[i].non_negative();
    s.range = stats[i].estimate(e, params.activation_levels, symmetric, s.unsigned_range);
    s.chosen = e.type == RangeType::kAuto ? stats[i].auto_choice() : e.type;
  }
  // Concat groups: the union of their members' ranges.
  std::map<int, std::vector<size_t>> groups;
  for (size_t i = 0; i < plan.sites.size(); ++i)
    if (plan.sites[i].group >= 0) groups[plan.sites[i].group].push_back(i);
  for (const auto& [gid, members] : groups) {
    Range r = plan.sites[members[0]].range;
    bool all_unsigned = true;
    for (size_t m : members) {
      r.lo = std::min(r.lo, plan.sites[m].range.lo);
      r.hi = std::max(r.hi, plan.sites[m].range.hi);
      all_unsigned = all_unsigned && plan.sites[m].unsigned_range;
    }
    if (symmetric && !all_unsigned) r.lo = -std::max(std::fabs(r.lo), std::fabs(r.hi)), r.hi = -r.lo;
    for (size_t m : members) {
      plan.sites[m].range = r;
      plan.sites[m].unsigned_range = all_unsigned;
    }
  }
  for (auto& s : plan.sites)
    s.fq = activation_fq(s.range, params.activation_levels, symmetric, s.unsigned_range);
}

// Per output channel (or per tensor) weight ranges. Weights are viewed as [channels, rest] along
// the layer's channel axis.
void calibrate_weights(const Graph& g, QuantPlan& plan, const AlgorithmParams& params) {
  for (auto& l : plan.layers) {
    if (l.weight_input < 0) continue;
    const Tensor& w = g.find(l.weight_const_id)->value;
    Tensor f = convert(w, ElementType::kF32);
    bool per_channel = params.weights_per_channel && l.channel_axis >= 0;
    if (!per_channel) {
      std::fill(l.range_shape.begin(), l.range_shape.end(), 1);
      l.weight_fq = weight_fq(f, params.weight_levels, false);
      continue;
    }
    int64_t channels = num_elements(l.range_shape);
    int64_t rest = num_elements(f.shape()) / channels;
    Tensor rows(ElementType::kF32, Shape{channels, rest});
    const float* src = f.data<float>();
    float* dst = rows.mutable_data<float>();
    if (l.channel_axis == 0) {
      std::copy_n(src, channels * rest, dst);
    } else {  // MatMul [K, N] with the channel on axis 1: transpose to [N, K]
      for (int64_t k = 0; k < rest; ++k)
        for (int64_t c = 0; c < channels; ++c) dst[c * rest + k] = src[k * channels + c];
    }
    l.weight_fq = weight_fq(rows, params.weight_levels, true);
  }
}

// The weights of a layer fake-quantized with its own parameters (for bias correction).
Tensor fake_quantized_weights(const Graph& g, const QuantLayer& l) {
  // convert() shares the buffer when the type already matches: copy before writing.
  Tensor f = convert(g.find(l.weight_const_id)->value, ElementType::kF32).clone();
  int64_t channels = num_elements(l.range_shape), n = num_elements(f.shape()), rest = n / channels;
  float* d = f.mutable_data<float>();
  const FqParams& q = l.weight_fq;
  for (int64_t i = 0; i < n; ++i) {
    size_t c = channels == 1 ? 0 : static_cast<size_t>(l.channel_axis == 0 ? i / rest : i % channels);
    d[i] = fake_quantize(d[i], q.in_lo[c], q.in_hi[c], q.out_lo[c], q.out_hi[c], q.levels);
  }
  return f;
}

Tensor fake_quantized(const Tensor& x, const FqParams& q) {
  Tensor f = convert(x, ElementType::kF32).clone();
  float* d = f.mutable_data<float>();
  for (int64_t i = 0, n = num_elements(f.shape()); i < n; ++i)
    d[i] = fake_quantize(d[i], q.in_lo[0], q.in_hi[0], q.out_lo[0], q.out_hi[0], q.levels);
  return f;
}

// Per-channel sums of a layer output ([N, C, ...] for convolutions, [..., C] for MatMul).
void add_channel_sums(const Tensor& t, bool channels_last, std::vector<double>& sums,
                      double& per_channel_count) {
  std::vector<float> v = to_floats(t);
  const Shape& s = t.shape();
  size_t c = sums.size();
  if (channels_last) {
    for (size_t i = 0; i < v.size(); ++i) sums[i % c] += v[i];
  } else {
    size_t inner = 1;
    for (size_t k = 2; k < s.size(); ++k) inner *= static_cast<size_t>(s[k]);
    for (size_t i = 0; i < v.size(); ++i) sums[(i / inner) % c] += v[i];
  }
  per_channel_count += static_cast<double>(v.size() / c);
}

// FastBiasCorrection: on the FP32 model's activations, each quantized layer is run once more with
// fake-quantized input and weights; the per-channel mean difference of its output is added to its bias.
void correct_biases(const Graph& g, QuantPlan& plan, Calibration& cal) {
  struct Job {
    QuantLayer* layer;
    Tensor wq;
    std::vector<double> fp, q;
    double count_fp = 0, count_q = 0;
  };
  std::map<int, Job> jobs;  // by layer node id
  std::set<std::pair<int, int>> needed;
  for (auto& l : plan.layers) {
    if (l.bias_const_id < 0 || l.weight_input < 0 || l.sites.size() != 1 || plan.reverted.count(l.name))
      continue;
    Job j{&l, fake_quantized_weights(g, l), std::vector<double>(static_cast<size_t>(l.channels)),
          std::vector<double>(static_cast<size_t>(l.channels))};
    jobs.emplace(l.node_id, std::move(j));
    const ActivationSite& s = plan.sites[static_cast<size_t>(l.sites[0])];
    needed.insert({s.producer_id, s.port});
  }
  if (jobs.empty()) return;
  cal.for_each("bias correction", 0, [&](const std::vector<runtime::NamedTensor>& in) {
    std::map<std::pair<int, int>, Tensor> kept;
    runtime::run_reference(g, in, [&](const Node& n, const std::vector<Tensor>& outs) {
      for (size_t p = 0; p < outs.size(); ++p)
        if (needed.count({n.id(), static_cast<int>(p)})) kept[{n.id(), static_cast<int>(p)}] = outs[p];
      auto it = jobs.find(n.id());
      if (it == jobs.end()) return;
      Job& j = it->second;
      const ActivationSite& s = plan.sites[static_cast<size_t>(j.layer->sites[0])];
      Tensor xq = fake_quantized(kept.at({s.producer_id, s.port}), s.fq);
      std::vector<Tensor> args(2);
      args[static_cast<size_t>(j.layer->weight_input)] = j.wq;
      args[static_cast<size_t>(1 - j.layer->weight_input)] = xq;
      Tensor yq = runtime::evaluate(n, args).at(0);
      bool last = n.type() == "MatMul";
      add_channel_sums(outs.at(0), last, j.fp, j.count_fp);
      add_channel_sums(yq, last, j.q, j.count_q);
    });
  });
  for (auto& [id, j] : jobs) {
    j.layer->bias_shift.assign(j.fp.size(), 0.f);
    for (size_t c = 0; c < j.fp.size(); ++c)
      j.layer->bias_shift[c] = static_cast<float>(j.fp[c] / j.count_fp - j.q[c] / j.count_q);
  }
}

Graph quantized_graph(const Graph& base, const QuantPlan& plan) {
  Graph q = clone(base);
  apply_plan(q, plan);
  return q;
}

// INT8 vs FP32: every quantized layer's output and the model outputs, over up to `limit` samples.
std::map<int, ErrorStats> layer_errors(const Graph& base, const Graph& q, const QuantPlan& plan,
                                       Calibration& cal, size_t limit, ErrorStats& outputs) {
  std::set<int> ids;
  for (const auto& l : plan.layers) ids.insert(l.node_id);
  std::map<int, ErrorStats> errors;
  cal.for_each("per-layer error", limit, [&](const std::vector<runtime::NamedTensor>& in) {
    std::map<int, std::vector<float>> ref;
    auto r = runtime::run_reference(base, in, [&](const Node& n, const std::vector<Tensor>& outs) {
      if (ids.count(n.id())) ref[n.id()] = to_floats(outs.at(0));
    });
    auto o = runtime::run_reference(q, in, [&](const Node& n, const std::vector<Tensor>& outs) {
      if (ids.count(n.id())) errors[n.id()].add(ref.at(n.id()), to_floats(outs.at(0)));
    });
    for (size_t i = 0; i < r.size(); ++i) outputs.add(to_floats(r[i].value), to_floats(o[i].value));
  });
  return errors;
}

// Output MSE of a candidate against the FP32 model over `limit` samples (accuracy-aware ranking).
double output_mse(const Graph& base, const Graph& q, Calibration& cal, size_t limit,
                  const std::string& what) {
  ErrorStats e;
  cal.for_each(what, limit, [&](const std::vector<runtime::NamedTensor>& in) {
    auto r = runtime::run_reference(base, in);
    auto o = runtime::run_reference(q, in);
    for (size_t i = 0; i < r.size(); ++i) e.add(to_floats(r[i].value), to_floats(o[i].value));
  });
  return e.mse();
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

}  // namespace

std::string run_pot(const PotRun& run) {
  const PotConfig& c = run.config;
  const auto start = std::chrono::steady_clock::now();
  Graph base = clone(ir::read(c.model_xml, c.model_bin).graph);
  auto params_nodes = base.parameters();
  if (params_nodes.size() != 1)
    throw_usage(c.model_xml + ": pot calibrates models with one input, this one has " +
                std::to_string(params_nodes.size()));
  const Node& input = *params_nodes[0];
  QuantPlan plan = find_plan(base, c.params.ignored_scope);
  if (plan.layers.empty())
    throw_bad_input(c.model_xml + ": no layer to quantize (no Convolution/MatMul/...)");

  Calibration cal(c, input);
  log::info("" + c.algorithm + ", preset " + c.params.preset + ", " + std::to_string(plan.layers.size()) +
            " layers, " + std::to_string(plan.sites.size()) + " activation tensors; calibration: " +
            std::to_string(cal.size()) + " samples of " + cal.describe());
  calibrate_activations(base, plan, c.params, cal);
  calibrate_weights(base, plan, c.params);
  if (c.params.use_fast_bias) correct_biases(base, plan, cal);

  json accuracy;
  if (c.algorithm == "AccuracyAwareQuantization") {
    tools::EvalOptions eo;
    eo.dataset = c.engine.data_source;
    eo.annotations = c.engine.annotations;
    eo.metric = c.engine.metric;
    eo.limit = c.engine.limit;
    eo.image = c.engine.preprocessing;
    eo.label_offset = c.engine.label_offset;
    eo.progress_label = "FP32 " + c.engine.metric;
    double fp32 = tools::evaluate_graph(base, eo).score;
    auto drop_of = [&](double score) {
      return c.params.drop_type == "relative" ? (fp32 - score) / std::max(fp32, 1e-9)
                                              : (fp32 - score) / 100.0;
    };
    eo.progress_label = "INT8 " + c.engine.metric;
    double score = tools::evaluate_graph(quantized_graph(base, plan), eo).score;
    log::info("FP32 " + c.engine.metric + " " + fmt("%.2f", fp32) + ", INT8 " + fmt("%.2f", score) +
              " (drop " + fmt("%.4f", drop_of(score)) + ", allowed " + fmt("%.4f", c.params.maximal_drop) +
              ")");
    accuracy = {{"metric", c.engine.metric},       {"fp32", fp32},
                {"int8_default", score},           {"maximal_drop", c.params.maximal_drop},
                {"drop_type", c.params.drop_type}, {"steps", json::array()}};
    QuantPlan best = plan;
    double best_score = score;
    if (drop_of(score) > c.params.maximal_drop) {
      // Rank: how much the output error falls when the layer alone goes back to FP32.
      size_t ranking = std::min<size_t>(cal.size(), 100);
      double full = output_mse(base, quantized_graph(base, plan), cal, ranking, "ranking (all INT8)");
      std::vector<std::pair<double, std::string>> ranked;
      for (const auto& l : plan.layers) {
        if (plan.reverted.count(l.name)) continue;
        QuantPlan one = plan;
        one.reverted.insert(l.name);
        double e = output_mse(base, quantized_graph(base, one), cal, ranking, "ranking " + l.name);
        ranked.push_back({full - e, l.name});
      }
      std::stable_sort(ranked.begin(), ranked.end(),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      json ranking_json = json::array();
      for (const auto& [gain, name] : ranked)
        ranking_json.push_back({{"layer", name}, {"output_mse_gain", gain}});
      accuracy["ranking"] = ranking_json;
      QuantPlan current = plan;
      for (int iter = 0; iter < c.params.max_iter_num && iter < static_cast<int>(ranked.size()); ++iter) {
        double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (c.params.time_budget_s > 0 && elapsed > c.params.time_budget_s) {
          log::warn("time budget of " + fmt("%.0f", c.params.time_budget_s) + " s reached after " +
                    std::to_string(iter) + " steps");
          break;
        }
        current.reverted.insert(ranked[static_cast<size_t>(iter)].second);
        eo.progress_label = "step " + std::to_string(iter + 1) + " " + c.engine.metric;
        double s = tools::evaluate_graph(quantized_graph(base, current), eo).score;
        log::info("step " + std::to_string(iter + 1) + ": " + ranked[static_cast<size_t>(iter)].second +
                  " back to FP32 -> " + c.engine.metric + " " + fmt("%.2f", s) + " (drop " +
                  fmt("%.4f", drop_of(s)) + ")");
        accuracy["steps"].push_back(
            {{"reverted", ranked[static_cast<size_t>(iter)].second}, {"score", s}, {"drop", drop_of(s)}});
        if (s > best_score) {
          best_score = s;
          best = current;
        }
        if (drop_of(s) <= c.params.maximal_drop) break;
      }
      if (drop_of(best_score) > c.params.maximal_drop)
        log::warn("the drop " + fmt("%.4f", drop_of(best_score)) + " is still above maximal_drop " +
                  fmt("%.4f", c.params.maximal_drop) + "; keeping the best model found");
    }
    plan = best;
    accuracy["int8"] = best_score;
    accuracy["drop"] = drop_of(best_score);
  }

  Graph q = quantized_graph(base, plan);
  ErrorStats out_err;
  auto errors = layer_errors(base, q, plan, cal, std::min<size_t>(cal.size(), 100), out_err);

  // Report: json (deterministic: no timings) and a table on stderr.
  json layers = json::array();
  std::string table = "per-layer INT8 vs FP32 (" + std::to_string(std::min<size_t>(cal.size(), 100)) +
                      " samples)\n  layer                              type              status   act range  "
                      "                SQNR dB  cosine\n";
  for (const auto& l : plan.layers) {
    bool fp32 = plan.reverted.count(l.name) != 0;
    json acts = json::array();
    std::string act_text;
    for (int si : l.sites) {
      const ActivationSite& s = plan.sites[static_cast<size_t>(si)];
      acts.push_back({{"tensor", s.name},
                      {"low", s.range.lo},
                      {"high", s.range.hi},
                      {"unsigned", s.unsigned_range},
                      {"estimator", to_string(s.chosen)},
                      {"levels", s.fq.levels}});
      if (act_text.empty()) act_text = "[" + fmt("%.4g", s.range.lo) + ", " + fmt("%.4g", s.range.hi) + "]";
    }
    json entry = {
        {"layer", l.name}, {"type", l.type}, {"status", fp32 ? "fp32" : "int8"}, {"activations", acts}};
    if (l.weight_input >= 0) {
      float lo = *std::min_element(l.weight_fq.in_lo.begin(), l.weight_fq.in_lo.end());
      float hi = *std::max_element(l.weight_fq.in_hi.begin(), l.weight_fq.in_hi.end());
      entry["weights"] = {{"levels", l.weight_fq.levels},
                          {"per_channel", l.weight_fq.in_lo.size() > 1},
                          {"channels", l.weight_fq.in_lo.size()},
                          {"low", lo},
                          {"high", hi}};
    }
    if (!l.bias_shift.empty()) {
      float m = 0;
      for (float v : l.bias_shift) m = std::max(m, std::fabs(v));
      entry["bias_correction_max_abs"] = m;
    }
    auto it = errors.find(l.node_id);
    if (it != errors.end()) {
      entry["sqnr_db"] = it->second.sqnr_db();
      entry["cosine"] = it->second.cosine();
    }
    layers.push_back(entry);
    char line[256];
    std::snprintf(
        line, sizeof line, "  %-34.34s %-17.17s %-8s %-26s %7s  %.5f\n", l.name.c_str(), l.type.c_str(),
        fp32 ? (c.params.ignored_scope.size() &&
                        std::count(c.params.ignored_scope.begin(), c.params.ignored_scope.end(), l.name)
                    ? "ignored"
                    : "fp32")
             : "int8",
        act_text.c_str(), it != errors.end() ? fmt("%.1f", it->second.sqnr_db()).c_str() : "-",
        it != errors.end() ? it->second.cosine() : 0.0);
    table += line;
  }
  table += "  model outputs: SQNR " + fmt("%.1f", out_err.sqnr_db()) + " dB, cosine " +
           fmt("%.5f", out_err.cosine()) + "\n";
  if (log::level() >= log::Level::kInfo) std::fputs(table.c_str(), stderr);

  json report = {{"model", c.model_xml},
                 {"algorithm", c.algorithm},
                 {"preset", c.params.preset},
                 {"stat_subset_size", cal.size()},
                 {"activation_estimator", to_string(c.params.activations.type)},
                 {"weights_per_channel", c.params.weights_per_channel},
                 {"fast_bias_correction", c.params.use_fast_bias},
                 {"layers", layers},
                 {"model_outputs", {{"sqnr_db", out_err.sqnr_db()}, {"cosine", out_err.cosine()}}}};
  if (!accuracy.is_null()) report["accuracy"] = accuracy;

  if (!fs::is_directory(run.output_dir)) {
    std::error_code ec;
    fs::create_directories(run.output_dir, ec);
    if (ec) throw_usage("--output-dir '" + run.output_dir + "': " + ec.message());
  }
  std::string xml = (fs::path(run.output_dir) / (c.model_name + ".xml")).string();
  check_not_same_file(c.model_xml, xml);
  std::string report_path = run.report_path.empty()
                                ? (fs::path(run.output_dir) / (c.model_name + ".report.json")).string()
                                : run.report_path;
  q.name = c.model_name;
  AtomicOutputs out;
  ir::stage(q, out, xml);
  out.add(report_path, report.dump(2) + "\n");
  out.commit();
  return xml + "\n";
}

}  // namespace q8::quant
