// DetectionOutput-1/-8 (SSD post-processing): decode box offsets against priors, per-class
// (Caffe) or best-class (MXNet, decrease_label_id) NMS, keep_top_k across classes, and the
// [1, 1, N, 7] output (image, label, score, xmin, ymin, xmax, ymax) ended by an image id of -1.
#include <algorithm>
#include <cmath>
#include <map>

#include "runtime/ref/families.h"
#include "runtime/ref/util.h"

namespace q8::ref {
namespace {

struct DetBox {
  float xmin = 0, ymin = 0, xmax = 0, ymax = 0;
};

// Attributes and input geometry of one DetectionOutput node.
struct DetParams {
  int64_t images = 0, priors = 0, classes = 0, loc_classes = 0, prior_size = 4, prior_batches = 1;
  int64_t background = 0, top_k = -1, keep_top_k = -1, rows = 0;
  bool variance_in_target = false, center_size = false, share_location = true, clip_before = false,
       clip_after = false, decrease_label = false, normalized = true;
  float nms_threshold = 0, confidence_threshold = 0, objectness = 0, input_h = 1, input_w = 1;
};

DetParams det_params(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 3);
  const Shape &loc = in[0].shape(), &conf = in[1].shape(), &pri = in[2].shape();
  if (loc.size() != 2 || conf.size() != 2 || pri.size() != 3)
    throw_bad_input("DetectionOutput wants 2D box_logits and class_preds and 3D proposals, got " +
                    to_string(loc) + ", " + to_string(conf) + ", " + to_string(pri));
  DetParams p;
  p.normalized = n.attr<bool>("normalized");
  p.prior_size = p.normalized ? 4 : 5;
  if (pri[2] % p.prior_size != 0) throw_bad_input("proposals' last dim is not a multiple of the prior size");
  p.images = loc[0];
  p.priors = pri[2] / p.prior_size;
  p.prior_batches = pri[0];
  p.variance_in_target = n.attr<bool>("variance_encoded_in_target");
  if (p.prior_batches != 1 && p.prior_batches != p.images)
    throw_bad_input("proposals batch must be 1 or the number of images");
  if (pri[1] < (p.variance_in_target ? 1 : 2)) throw_bad_input("proposals lack the variance row");
  p.classes = n.def().opset == 1 ? n.attr<int64_t>("num_classes") : (p.priors > 0 ? conf[1] / p.priors : 0);
  p.share_location = n.attr<bool>("share_location");
  p.loc_classes = p.share_location ? 1 : p.classes;
  if (conf[0] != p.images || conf[1] != p.priors * p.classes || loc[1] != p.priors * p.loc_classes * 4)
    throw_bad_input("DetectionOutput inputs do not agree on " + std::to_string(p.priors) + " priors and " +
                    std::to_string(p.classes) + " classes");
  p.background = n.attr<int64_t>("background_label_id");
  p.top_k = n.attr<int64_t>("top_k");
  const auto& keep = n.attr<std::vector<int64_t>>("keep_top_k");
  p.keep_top_k = keep.empty() ? -1 : keep[0];
  std::string code = n.attr<std::string>("code_type");
  if (code != "caffe.PriorBoxParameter.CORNER" && code != "caffe.PriorBoxParameter.CENTER_SIZE")
    throw_bad_input("DetectionOutput code_type '" + code + "' is not CORNER or CENTER_SIZE");
  p.center_size = code == "caffe.PriorBoxParameter.CENTER_SIZE";
  p.clip_before = n.attr<bool>("clip_before_nms");
  p.clip_after = n.attr<bool>("clip_after_nms");
  p.decrease_label = n.attr<bool>("decrease_label_id");
  p.nms_threshold = static_cast<float>(n.attr<double>("nms_threshold"));
  p.confidence_threshold = static_cast<float>(n.attr<double>("confidence_threshold"));
  p.objectness = static_cast<float>(n.attr<double>("objectness_score"));
  p.input_h = static_cast<float>(n.attr<int64_t>("input_height"));
  p.input_w = static_cast<float>(n.attr<int64_t>("input_width"));
  // Rows per image, as shape inference declares them.
  int64_t per_image = p.keep_top_k > 0 ? p.keep_top_k
                      : p.top_k > 0    ? p.top_k * p.classes
                                       : p.priors * p.classes;
  p.rows = p.images * per_image;
  return p;
}

float clip01(float v) {
  return std::clamp(v, 0.f, 1.f);
}

// Decodes one predicted offset against a prior; `var` is nullptr when variances are in the target.
DetBox decode(const DetParams& p, DetBox prior, const float* var, const float* loc) {
  if (!p.normalized) {
    prior.xmin /= p.input_w, prior.xmax /= p.input_w;
    prior.ymin /= p.input_h, prior.ymax /= p.input_h;
  }
  float v[4] = {1, 1, 1, 1};
  if (var) std::copy(var, var + 4, v);
  DetBox b;
  if (!p.center_size) {
    b = {prior.xmin + v[0] * loc[0], prior.ymin + v[1] * loc[1], prior.xmax + v[2] * loc[2],
         prior.ymax + v[3] * loc[3]};
  } else {
    float pw = prior.xmax - prior.xmin, ph = prior.ymax - prior.ymin;
    float cx = v[0] * loc[0] * pw + (prior.xmin + prior.xmax) / 2;
    float cy = v[1] * loc[1] * ph + (prior.ymin + prior.ymax) / 2;
    float w = std::exp(v[2] * loc[2]) * pw, h = std::exp(v[3] * loc[3]) * ph;
    b = {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
  }
  if (p.clip_before) b = {clip01(b.xmin), clip01(b.ymin), clip01(b.xmax), clip01(b.ymax)};
  return b;
}

float box_area(const DetBox& b) {
  return b.xmax < b.xmin || b.ymax < b.ymin ? 0.f : (b.xmax - b.xmin) * (b.ymax - b.ymin);
}

float jaccard(const DetBox& a, const DetBox& b) {
  if (b.xmin > a.xmax || b.xmax < a.xmin || b.ymin > a.ymax || b.ymax < a.ymin) return 0;
  float w = std::min(a.xmax, b.xmax) - std::max(a.xmin, b.xmin);
  float h = std::min(a.ymax, b.ymax) - std::max(a.ymin, b.ymin);
  if (w <= 0 || h <= 0) return 0;
  float inter = w * h;
  return inter / (box_area(a) + box_area(b) - inter);
}

// Higher score first; equal scores keep the lower prior index first.
struct Candidate {
  float score;
  int64_t label, prior;
};
bool by_score(const Candidate& a, const Candidate& b) {
  return a.score > b.score || (a.score == b.score && a.prior < b.prior);
}

// Greedy NMS over candidates already sorted by score: keeps those overlapping no kept box
// of their label by more than the threshold. Returns kept prior indices per label.
void greedy_nms(const std::vector<Candidate>& sorted, const std::vector<std::vector<DetBox>>& boxes_of_label,
                const DetParams& p, std::map<int64_t, std::vector<int64_t>>& kept) {
  for (const Candidate& c : sorted) {
    const auto& boxes = boxes_of_label[static_cast<size_t>(p.share_location ? 0 : c.label)];
    std::vector<int64_t>& mine = kept[c.label];
    bool keep = std::none_of(mine.begin(), mine.end(), [&](int64_t k) {
      return jaccard(boxes[static_cast<size_t>(c.prior)], boxes[static_cast<size_t>(k)]) > p.nms_threshold;
    });
    if (keep) mine.push_back(c.prior);
  }
}

void truncate_top_k(std::vector<Candidate>& v, int64_t top_k) {
  if (top_k > -1 && static_cast<int64_t>(v.size()) > top_k) v.resize(static_cast<size_t>(top_k));
}

// Caffe style: every non-background class on its own, candidates above the threshold.
std::map<int64_t, std::vector<int64_t>> caffe_nms(const DetParams& p, const std::vector<float>& scores,
                                                  const std::vector<std::vector<DetBox>>& boxes) {
  std::map<int64_t, std::vector<int64_t>> kept;
  for (int64_t c = 0; c < p.classes; ++c) {
    if (c == p.background) continue;
    kept[c];  // a class with no detection still counts, as in the reference
    std::vector<Candidate> cand;
    for (int64_t i = 0; i < p.priors; ++i) {
      float s = scores[static_cast<size_t>(i * p.classes + c)];
      if (s > p.confidence_threshold) cand.push_back({s, c, i});
    }
    std::stable_sort(cand.begin(), cand.end(), by_score);
    truncate_top_k(cand, p.top_k);
    greedy_nms(cand, boxes, p, kept);
  }
  return kept;
}

// MXNet style (decrease_label_id): each prior competes only with its best non-background class.
std::map<int64_t, std::vector<int64_t>> mxnet_nms(const DetParams& p, const std::vector<float>& scores,
                                                  const std::vector<std::vector<DetBox>>& boxes) {
  std::vector<Candidate> cand;
  for (int64_t i = 0; i < p.priors; ++i) {
    Candidate best{-1.f, 0, i};
    for (int64_t c = 1; c < p.classes; ++c) {
      float s = scores[static_cast<size_t>(i * p.classes + c)];
      if (c != p.background && s > best.score) best = {s, c, i};
    }
    if (best.label > 0 && best.score >= p.confidence_threshold) cand.push_back(best);
  }
  std::stable_sort(cand.begin(), cand.end(), by_score);
  truncate_top_k(cand, p.top_k);
  std::map<int64_t, std::vector<int64_t>> kept;
  greedy_nms(cand, boxes, p, kept);
  return kept;
}

// More than keep_top_k detections: keep the best across classes, regrouped by label.
void apply_keep_top_k(const DetParams& p, const std::vector<float>& scores,
                      std::map<int64_t, std::vector<int64_t>>& kept) {
  std::vector<Candidate> all;
  for (const auto& [label, priors] : kept)
    for (int64_t i : priors) all.push_back({scores[static_cast<size_t>(i * p.classes + label)], label, i});
  if (p.keep_top_k < 0 || static_cast<int64_t>(all.size()) <= p.keep_top_k) return;
  std::stable_sort(all.begin(), all.end(), by_score);
  all.resize(static_cast<size_t>(p.keep_top_k));
  kept.clear();
  for (const Candidate& c : all) kept[c.label].push_back(c.prior);
}

// Scores of one image as [prior][class]; with the ARM inputs a prior whose objectness is
// below the threshold becomes pure background.
std::vector<float> image_scores(const DetParams& p, const std::vector<float>& conf, const float* arm_conf,
                                int64_t image) {
  std::vector<float> s(conf.begin() + image * p.priors * p.classes,
                       conf.begin() + (image + 1) * p.priors * p.classes);
  if (!arm_conf) return s;
  for (int64_t i = 0; i < p.priors; ++i)
    if (arm_conf[(image * p.priors + i) * 2 + 1] < p.objectness)
      for (int64_t c = 0; c < p.classes; ++c) s[static_cast<size_t>(i * p.classes + c)] = c == p.background;
  return s;
}

// Decoded boxes of one image, one vector of `priors` boxes per location class (background
// skipped when locations are per class). With ARM, priors are first refined by arm_loc.
std::vector<std::vector<DetBox>> image_boxes(const DetParams& p, const std::vector<float>& loc,
                                             const float* arm_loc, const std::vector<float>& pri,
                                             int64_t image) {
  int64_t b = p.prior_batches == 1 ? 0 : image;
  int64_t stride = p.priors * p.prior_size * (p.variance_in_target ? 1 : 2);
  const float* boxes = pri.data() + b * stride + (p.normalized ? 0 : 1);
  const float* vars = p.variance_in_target ? nullptr : pri.data() + b * stride + p.priors * p.prior_size;
  std::vector<std::vector<DetBox>> out(static_cast<size_t>(p.loc_classes));
  for (int64_t c = 0; c < p.loc_classes; ++c) {
    if (!p.share_location && c == p.background) continue;
    for (int64_t i = 0; i < p.priors; ++i) {
      const float* q = boxes + i * p.prior_size;
      DetBox prior{q[0], q[1], q[2], q[3]};
      const float* var = vars ? vars + i * 4 : nullptr;
      int64_t at = ((image * p.priors + i) * p.loc_classes + c) * 4;
      if (arm_loc) prior = decode(p, prior, var, arm_loc + at);
      out[static_cast<size_t>(c)].push_back(decode(p, prior, var, loc.data() + at));
    }
  }
  return out;
}

std::vector<Tensor> detection_output(const Node& n, const std::vector<Tensor>& in) {
  DetParams p = det_params(n, in);
  bool arm = in.size() >= 5;
  std::vector<float> loc = to_floats(in[0]), conf = to_floats(in[1]), pri = to_floats(in[2]), arm_conf,
                     arm_loc;
  if (arm) {
    arm_conf = to_floats(in[3]), arm_loc = to_floats(in[4]);
    if (arm_conf.size() != static_cast<size_t>(p.images * p.priors * 2) || arm_loc.size() != loc.size())
      throw_bad_input("DetectionOutput aux_class_preds / aux_box_preds do not match the priors");
  }
  std::vector<float> out(static_cast<size_t>(p.rows * 7), 0.f);
  int64_t count = 0;
  for (int64_t image = 0; image < p.images; ++image) {
    std::vector<float> scores = image_scores(p, conf, arm ? arm_conf.data() : nullptr, image);
    auto boxes = image_boxes(p, loc, arm ? arm_loc.data() : nullptr, pri, image);
    auto kept = p.decrease_label ? mxnet_nms(p, scores, boxes) : caffe_nms(p, scores, boxes);
    apply_keep_top_k(p, scores, kept);
    for (const auto& [label, priors] : kept)
      for (int64_t i : priors) {
        if (count >= p.rows)
          throw_bad_input("DetectionOutput produced more detections than its output holds");
        DetBox b = boxes[static_cast<size_t>(p.share_location ? 0 : label)][static_cast<size_t>(i)];
        if (p.clip_after) b = {clip01(b.xmin), clip01(b.ymin), clip01(b.xmax), clip01(b.ymax)};
        float* row = out.data() + count++ * 7;
        float values[7] = {static_cast<float>(image),
                           static_cast<float>(p.decrease_label ? label - 1 : label),
                           scores[static_cast<size_t>(i * p.classes + label)],
                           b.xmin,
                           b.ymin,
                           b.xmax,
                           b.ymax};
        std::copy(values, values + 7, row);
      }
  }
  if (count < p.rows) out[static_cast<size_t>(count * 7)] = -1.f;
  return {floats_to_type({1, 1, p.rows, 7}, out, in[0].type())};
}

}  // namespace

void register_detection_output(KernelTable& t) {
  t.add("DetectionOutput", detection_output);
}

}  // namespace q8::ref
