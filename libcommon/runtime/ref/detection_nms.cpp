// TopK-1/-3 and NonMaxSuppression-1/3/4/5/9.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "runtime/ref/families.h"
#include "runtime/ref/util.h"
#include "tensor/convert.h"

namespace q8::ref {
namespace {

// Ties keep the lower index first, so results do not depend on the sort algorithm.
std::vector<Tensor> top_k(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  const Shape& s = in[0].shape();
  int64_t axis = normalize_axis(n.attr<int64_t>("axis"), static_cast<int64_t>(s.size()));
  int64_t outer, dim, inner;
  split_at_axis(s, axis, outer, dim, inner);
  int64_t k = scalar_int(in[1]);
  if (k < 0) throw_bad_input("TopK k must not be negative, got " + std::to_string(k));
  k = std::min(k, dim);
  bool max_mode = n.attr<std::string>("mode") == "max";
  bool by_index = n.attr<std::string>("sort") == "index";
  std::vector<double> x(static_cast<size_t>(in[0].size()));
  for (size_t i = 0; i < x.size(); ++i) x[i] = in[0].value_as_double(static_cast<int64_t>(i));
  Shape out = s;
  out[static_cast<size_t>(axis)] = k;
  std::vector<double> values(static_cast<size_t>(num_elements(out)));
  std::vector<int64_t> indices(values.size());
  std::vector<int64_t> order(static_cast<size_t>(dim));
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      auto at = [&](int64_t j) { return x[static_cast<size_t>((o * dim + j) * inner + i)]; };
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(),
                       [&](int64_t a, int64_t b) { return max_mode ? at(a) > at(b) : at(a) < at(b); });
      if (by_index) std::sort(order.begin(), order.begin() + k);
      for (int64_t j = 0; j < k; ++j) {
        auto to = static_cast<size_t>((o * k + j) * inner + i);
        values[to] = at(order[j]);
        indices[to] = order[j];
      }
    }
  Tensor vals(in[0].type(), out);
  dispatch_type(in[0].type(), [&](auto tag) {
    using T = decltype(tag);
    for (size_t j = 0; j < values.size(); ++j) vals.mutable_data<T>()[j] = static_cast<T>(values[j]);
  });
  return {vals, convert(make_i64(out, indices), n.attr<ElementType>("index_element_type"))};
}

struct Box {
  float y1, x1, y2, x2;
};

Box read_box(const float* p, bool center) {
  if (center) return {p[1] - p[3] / 2, p[0] - p[2] / 2, p[1] + p[3] / 2, p[0] + p[2] / 2};
  return {std::min(p[0], p[2]), std::min(p[1], p[3]), std::max(p[0], p[2]), std::max(p[1], p[3])};
}

float iou(const Box& a, const Box& b) {
  float area_a = (a.y2 - a.y1) * (a.x2 - a.x1), area_b = (b.y2 - b.y1) * (b.x2 - b.x1);
  if (area_a <= 0 || area_b <= 0) return 0;
  float h = std::max(0.f, std::min(a.y2, b.y2) - std::max(a.y1, b.y1));
  float w = std::max(0.f, std::min(a.x2, b.x2) - std::max(a.x1, b.x1));
  float inter = h * w;
  return inter / (area_a + area_b - inter);
}

struct Selected {
  int64_t batch, cls, box;
  float score;
};

struct NmsParams {
  int64_t max_out = 0;
  float iou_threshold = 0, score_threshold = 0, sigma = 0;
  bool threshold_with_sigma = true;  // NMS-5 still cuts at iou_threshold in soft mode; NMS-9 does not
};

// One (batch, class): repeatedly take the best remaining box and rescale the others by
// func(iou): hard NMS drops boxes above the IoU threshold, soft NMS decays them.
void nms_one(const std::vector<Box>& boxes, const float* scores, const NmsParams& p, int64_t batch,
             int64_t cls, std::vector<Selected>& out) {
  std::vector<std::pair<float, int64_t>> live;
  for (size_t i = 0; i < boxes.size(); ++i)
    if (scores[i] >= p.score_threshold) live.push_back({scores[i], static_cast<int64_t>(i)});
  int64_t taken = 0;
  while (taken < p.max_out && !live.empty()) {
    auto best = std::min_element(live.begin(), live.end(), [](const auto& a, const auto& b) {
      return a.first > b.first || (a.first == b.first && a.second < b.second);
    });
    auto [score, index] = *best;
    live.erase(best);
    if (score < p.score_threshold) break;
    out.push_back({batch, cls, index, score});
    ++taken;
    std::vector<std::pair<float, int64_t>> kept;
    for (auto [s, i] : live) {
      float v = iou(boxes[static_cast<size_t>(i)], boxes[static_cast<size_t>(index)]);
      float f = v <= p.iou_threshold ? 1.f : 0.f;
      if (p.sigma > 0)
        f = (v <= p.iou_threshold || !p.threshold_with_sigma) ? std::exp(-0.5f * v * v / p.sigma) : 0.f;
      if (s * f >= p.score_threshold && f > 0) kept.push_back({s * f, i});
    }
    live = std::move(kept);
  }
}

std::vector<Tensor> nms(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  const Shape& bs = in[0].shape();
  const Shape& ss = in[1].shape();
  if (bs.size() != 3 || bs[2] != 4 || ss.size() != 3 || ss[0] != bs[0] || ss[2] != bs[1])
    throw_bad_input("NMS boxes " + to_string(bs) + " and scores " + to_string(ss) + " do not match");
  int version = n.def().opset;
  NmsParams p;
  // Exact integer read: exporters pass INT64_MAX ("no limit"), which a double cannot hold.
  p.max_out = in.size() > 2 && in[2].size() > 0 ? to_ints(in[2]).at(0) : 0;
  p.iou_threshold = in.size() > 3 ? static_cast<float>(scalar_of(in[3])) : 0.f;
  p.score_threshold = in.size() > 4 ? static_cast<float>(scalar_of(in[4])) : 0.f;
  p.sigma = in.size() > 5 ? static_cast<float>(scalar_of(in[5])) : 0.f;
  p.threshold_with_sigma = version < 9;
  p.max_out = std::max<int64_t>(0, std::min(p.max_out, bs[1]));
  bool center = n.attr<std::string>("box_encoding") == "center";
  std::vector<float> boxes_raw = to_floats(in[0]), scores = to_floats(in[1]);
  std::vector<Selected> sel;
  for (int64_t b = 0; b < bs[0]; ++b) {
    std::vector<Box> boxes;
    for (int64_t i = 0; i < bs[1]; ++i)
      boxes.push_back(read_box(boxes_raw.data() + (b * bs[1] + i) * 4, center));
    for (int64_t c = 0; c < ss[1]; ++c) nms_one(boxes, scores.data() + (b * ss[1] + c) * ss[2], p, b, c, sel);
  }
  if (n.attr<bool>("sort_result_descending"))
    std::stable_sort(sel.begin(), sel.end(),
                     [](const Selected& a, const Selected& b) { return a.score > b.score; });
  ElementType index_type = version >= 3 ? n.attr<ElementType>("output_type") : ElementType::kI64;
  // NMS-1/3 hold min(boxes, max) per class, NMS-4 that per batch too; unused rows are -1.
  // NMS-5/9 return exactly the selected rows plus their count.
  int64_t rows =
      version >= 5 ? static_cast<int64_t>(sel.size()) : p.max_out * ss[1] * (version >= 4 ? bs[0] : 1);
  std::vector<int64_t> idx(static_cast<size_t>(rows * 3), -1);
  std::vector<float> sc(static_cast<size_t>(rows * 3), -1.f);
  for (size_t r = 0; r < sel.size() && static_cast<int64_t>(r) < rows; ++r) {
    idx[r * 3] = sel[r].batch, idx[r * 3 + 1] = sel[r].cls, idx[r * 3 + 2] = sel[r].box;
    sc[r * 3] = static_cast<float>(sel[r].batch), sc[r * 3 + 1] = static_cast<float>(sel[r].cls);
    sc[r * 3 + 2] = sel[r].score;
  }
  std::vector<Tensor> outs{convert(make_i64({rows, 3}, idx), index_type)};
  if (version >= 5) {
    outs.push_back(floats_to_type({rows, 3}, sc, in[1].type()));
    outs.push_back(convert(make_i64({1}, {rows}), index_type));
  }
  return outs;
}

}  // namespace

void register_nms(KernelTable& t) {
  t.add("TopK", top_k);
  t.add("NonMaxSuppression", nms);
}

}  // namespace q8::ref
