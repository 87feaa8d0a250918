#include "convert/eval.h"

#include "runtime/plan.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <set>

#include "base/error.h"
#include "base/file.h"
#include "base/log.h"
#include "convert/infer.h"
#include "dataset/dataset.h"
#include "metrics/classification.h"
#include "metrics/coco_eval.h"
#include "metrics/detection.h"
#include "runtime/reference.h"
#include "tensor/convert.h"

namespace q8::tools {
namespace {

std::string percent_line(const std::string& name, double value) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s: %.2f\n", name.c_str(), value);
  return buf;
}

// Splits a batch output [n, ...] into its n per-sample tensors [1, ...].
std::vector<Tensor> per_sample(const Tensor& t, size_t n) {
  if (n == 1) return {t};
  if (t.shape().empty() || t.shape()[0] != static_cast<int64_t>(n))
    throw_bad_input("output " + to_string(t.shape()) + " has no batch axis of " + std::to_string(n));
  Shape one = t.shape();
  one[0] = 1;
  size_t bytes = t.byte_size() / n;
  std::vector<Tensor> out;
  for (size_t i = 0; i < n; ++i)
    out.push_back(Tensor::from_bytes(t.type(), one, t.bytes() + i * bytes, bytes));
  return out;
}

}  // namespace

EvalResult evaluate_graph(const Graph& g, const EvalOptions& o) {
  bool coco = o.metric == "coco_map";
  if (!coco && o.metric != "top1" && o.metric != "top5")
    throw_usage("--metric '" + o.metric + "': expected top1, top5 or coco_map");
  if (o.label_map != "auto" && o.label_map != "coco80" && o.label_map != "identity")
    throw_usage("--label-map '" + o.label_map + "': expected auto, coco80 or identity");
  auto params = g.parameters();
  if (params.size() != 1)
    throw_usage(o.model + ": eval feeds one input, the model has " + std::to_string(params.size()));
  const Node& input = *params[0];

  auto ds = dataset::open_dataset({o.dataset, o.annotations, o.limit});
  if (!coco && !ds->has_labels())
    throw_usage("--metric " + o.metric + " needs labels: " + ds->describe() +
                " has none (give --annotations)");
  const dataset::CocoGroundTruth* gt = ds->coco();
  if (coco && !gt) throw_usage("--metric coco_map needs a COCO json as --annotations");

  image::PreprocessOptions popt = o.image;
  if (coco && !o.resize_given) popt.fit = image::Fit::kStretch;
  // Tensor datasets are fed as they are; the contract still checks their shape when it applies.
  std::optional<image::Preprocess> pre;
  const PartialShape& shape = input.outputs[0].shape;
  if (shape.rank() == 4 && shape.is_static()) pre = image::Preprocess::for_input(shape, popt, input.name());
  size_t batch = shape.rank() > 0 && shape.dims[0].is_static() && shape.dims[0].min > 0
                     ? static_cast<size_t>(shape.dims[0].min)
                     : 1;
  if (o.progress_label.empty())
    log::info(o.model + " on " + ds->describe() + (pre ? "; " + pre->describe() : ""));

  metrics::TopK topk;
  std::vector<dataset::Detection> detections;
  metrics::DetectionDecode decode;
  decode.score_threshold = o.score_threshold;
  if (coco && (o.label_map == "coco80" || (o.label_map == "auto" && gt->categories.size() == 80)))
    decode.label_to_category = metrics::contiguous_label_map(*gt, 1);

  log::Progress progress(o.progress_label.empty() ? "eval " + o.metric : o.progress_label,
                         static_cast<int64_t>(ds->size()));
  // The fast runtime, unless every node's outputs must be observed (pot) or the oracle was asked for.
  std::unique_ptr<runtime::Plan> plan;
  if (!o.observer && !o.reference) {
    runtime::CompileOptions co;
    co.threads = o.threads;
    plan = with_context(o.model, [&] { return runtime::compile(g, co); });
    for (const auto& w : plan->summary().warnings) log::warn(w);
  }
  dataset::Batch b;
  while (dataset::next_batch(*ds, pre ? &*pre : nullptr, batch, b)) {
    size_t n = b.samples.size();
    if (n != batch) {
      // A last, short batch for a fixed-batch model: pad with copies of the last sample.
      Shape full = b.input.shape();
      full[0] = static_cast<int64_t>(batch);
      Tensor padded(b.input.type(), full);
      size_t each = b.input.byte_size() / n;
      for (size_t i = 0; i < batch; ++i)
        std::memcpy(padded.mutable_bytes() + i * each, b.input.bytes() + std::min(i, n - 1) * each, each);
      b.input = std::move(padded);
    }
    auto results = with_context(o.model, [&] {
      std::vector<runtime::NamedTensor> in = {{input.name(), convert(b.input, input.outputs[0].type)}};
      return plan ? plan->run(in) : runtime::run_reference(g, in, o.observer);
    });
    std::vector<std::vector<Tensor>> outs(n);
    for (const auto& r : results) {
      auto parts = per_sample(r.value, batch);
      for (size_t i = 0; i < n; ++i) outs[i].push_back(parts[i]);
    }
    for (size_t i = 0; i < n; ++i) {
      const dataset::Sample& s = b.samples[i];
      if (coco) {
        auto d = with_context(s.name, [&] {
          return metrics::decode_detections(outs[i], s.image_id, static_cast<double>(s.width),
                                            static_cast<double>(s.height), decode);
        });
        detections.insert(detections.end(), d.begin(), d.end());
        continue;
      }
      const Tensor& out = outs[i].at(0);
      int64_t label = s.label + o.label_offset;
      if (num_elements(out.shape()) == 1) {  // an ArgMax output: the predicted class itself
        topk.add_predicted(static_cast<int64_t>(std::llround(to_floats(out)[0])), label);
      } else {
        std::vector<float> scores = to_floats(out);
        topk.add(scores, label, s.name);
      }
    }
    progress.advance(static_cast<int64_t>(n));
  }
  progress.finish();

  EvalResult res;
  std::string& text = res.text;
  if (!coco) {
    text += "images: " + std::to_string(topk.count()) + "\n";
    if (o.metric == "top1")
      text += percent_line("top5", topk.top5()) + percent_line("top1", topk.top1());
    else
      text += percent_line("top1", topk.top1()) + percent_line("top5", topk.top5());
    res.score = o.metric == "top1" ? topk.top1() : topk.top5();
    return res;
  }
  if (!o.detections_out.empty()) write_file_atomic(o.detections_out, dataset::coco_results_json(detections));
  // With --limit, the score is over the evaluated images only (as pycocotools with params.imgIds).
  dataset::CocoGroundTruth subset;
  const dataset::CocoGroundTruth* scored = gt;
  if (ds->size() < gt->images.size()) {
    std::set<int64_t> ids;
    for (size_t i = 0; i < ds->size(); ++i) ids.insert(gt->images[i].id);
    subset.images.assign(gt->images.begin(), gt->images.begin() + static_cast<long>(ds->size()));
    for (const auto& a : gt->annotations)
      if (ids.count(a.image_id)) subset.annotations.push_back(a);
    subset.categories = gt->categories;
    scored = &subset;
  }
  auto result = metrics::evaluate_bbox(*scored, detections);
  text +=
      "images: " + std::to_string(ds->size()) + ", detections: " + std::to_string(detections.size()) + "\n";
  text += result.summary();
  text += percent_line("coco_map50", 100 * std::max(0.0, result.map50()));
  text += percent_line("coco_map", 100 * std::max(0.0, result.map()));
  res.score = 100 * std::max(0.0, result.map());
  return res;
}

std::string run_eval(const EvalOptions& o) {
  Graph g = load_model(o.model);
  return evaluate_graph(g, o).text;
}

}  // namespace q8::tools
