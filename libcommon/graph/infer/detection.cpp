// Detection ops: priors, DetectionOutput, NonMaxSuppression, Proposal, ROI pooling, YOLO
// regions and CTC greedy decoding.
#include <algorithm>
#include <cmath>
#include <set>

#include "base/error.h"
#include "graph/infer/infer.h"
#include "graph/infer/infer_util.h"

namespace q8::infer {

namespace {

// Distinct aspect ratios PriorBox uses: 1, each ratio, and with flip each 1/ratio
// (compared at 1e-6 precision, as the reference does).
size_t aspect_ratio_count(const std::vector<double>& ratios, bool flip) {
  std::set<double> unique = {1.0};
  for (double r : ratios) {
    unique.insert(std::round(r * 1e6) / 1e6);
    if (flip) unique.insert(std::round(1 / r * 1e6) / 1e6);
  }
  return unique.size();
}

int64_t prior_count(const Node& n) {
  auto ars = static_cast<int64_t>(
      aspect_ratio_count(n.attr<std::vector<double>>("aspect_ratio"), n.attr<bool>("flip")));
  auto min_sizes = static_cast<int64_t>(n.attr<std::vector<double>>("min_size").size());
  auto max_sizes = static_cast<int64_t>(n.attr<std::vector<double>>("max_size").size());
  const auto& fixed_size = n.attr<std::vector<double>>("fixed_size");
  const auto& fixed_ratio = n.attr<std::vector<double>>("fixed_ratio");
  int64_t count = n.attr<bool>("scale_all_sizes") ? ars * min_sizes + max_sizes : ars + min_sizes - 1;
  if (!fixed_size.empty()) count = ars * static_cast<int64_t>(fixed_size.size());
  for (double density : n.attr<std::vector<double>>("density")) {
    auto d = static_cast<int64_t>(density);
    count += (fixed_ratio.empty() ? ars : static_cast<int64_t>(fixed_ratio.size())) * (d * d - 1);
  }
  return count;
}

// PriorBox / PriorBoxClustered: [2, 4 * H * W * priors per cell] from the Const feature map size.
std::vector<PortInfo> prior_box(const Node& n, const InferInputs& in) {
  require_rank(shape_of(in, 0), {1}, "output_size");
  require_rank(shape_of(in, 1), {1}, "image_size");
  int64_t priors = 0;
  if (n.def().type == "PriorBoxClustered") {
    const auto &w = n.attr<std::vector<double>>("width"), &h = n.attr<std::vector<double>>("height");
    if (w.size() != h.size()) throw_bad_input("PriorBoxClustered width and height differ in length");
    priors = static_cast<int64_t>(w.size());
  } else {
    priors = prior_count(n);
  }
  auto size = const_ints(in, 0);
  if (!size) return one(ElementType::kF32, make_shape({Dim::fixed(2), Dim::dynamic()}));
  if (size->size() != 2) throw_bad_input("output_size must hold [height, width]");
  return one(ElementType::kF32, Shape{2, 4 * (*size)[0] * (*size)[1] * priors});
}

// The number of prior boxes DetectionOutput sees (0 when unknown): from the proposals'
// last dim, else from the box logits.
int64_t detection_priors(const Node& n, const InferInputs& in, int64_t loc_classes) {
  const PartialShape &proposals = shape_of(in, 2), &boxes = shape_of(in, 0);
  int64_t box_size = n.attr<bool>("normalized") ? 4 : 5;
  if (!proposals.rank_dynamic && proposals.dims[2].is_static()) {
    if (proposals.dims[2].min % box_size != 0)
      throw_bad_input("proposals' last dim must be a multiple of " + std::to_string(box_size));
    return proposals.dims[2].min / box_size;
  }
  if (!boxes.rank_dynamic && boxes.dims[1].is_static() && loc_classes > 0)
    return boxes.dims[1].min / (4 * loc_classes);
  return 0;
}

// DetectionOutput: [1, 1, N * keep_top_k (or top_k * classes, or priors * classes), 7].
std::vector<PortInfo> detection_output(const Node& n, const InferInputs& in) {
  const PartialShape &boxes = shape_of(in, 0), &classes = shape_of(in, 1);
  require_rank(boxes, {2}, "box_logits");
  require_rank(classes, {2}, "class_preds");
  require_rank(shape_of(in, 2), {3}, "proposals");
  int64_t num_classes = n.def().opset == 1 ? n.attr<int64_t>("num_classes") : 0;
  int64_t priors = detection_priors(n, in, n.attr<bool>("share_location") ? 1 : num_classes);
  if (num_classes == 0 && priors > 0 && !classes.rank_dynamic && classes.dims[1].is_static())
    num_classes = classes.dims[1].min / priors;  // DetectionOutput-8 derives it
  Dim batch = boxes.rank_dynamic ? Dim::dynamic() : boxes.dims[0];
  if (!classes.rank_dynamic)
    batch = merge_dims(batch, classes.dims[0], "batch of box_logits and class_preds");
  if (priors > 0 && num_classes > 0 && !classes.rank_dynamic)
    merge_dims(classes.dims[1], Dim::fixed(priors * num_classes), "class_preds dim 1 vs priors * classes");
  const auto& keep = n.attr<std::vector<int64_t>>("keep_top_k");
  int64_t top_k = n.attr<int64_t>("top_k");
  Dim per_image = Dim::dynamic();
  if (!keep.empty() && keep[0] > 0)
    per_image = Dim::fixed(keep[0]);
  else if (top_k > 0 && num_classes > 0)
    per_image = Dim::fixed(top_k * num_classes);
  else if (priors > 0 && num_classes > 0)
    per_image = Dim::fixed(priors * num_classes);
  PartialShape out = make_shape({Dim::fixed(1), Dim::fixed(1), dim_mul(batch, per_image), Dim::fixed(7)});
  return one(type_of(in, 0), out);
}

// NonMaxSuppression: boxes [batches, boxes, 4], scores [batches, classes, boxes]. At most
// min(boxes, max_output_boxes_per_class) per batch and class are selected; opsets 1-4 give
// that bound as a static dim, 5 and 9 a dynamic dim bounded by it, plus scores and a count.
std::vector<PortInfo> nms(const Node& n, const InferInputs& in) {
  const PartialShape &boxes = shape_of(in, 0), &scores = shape_of(in, 1);
  require_rank(boxes, {3}, "boxes");
  require_rank(scores, {3}, "scores");
  for (size_t i = 2; i < in.ports.size(); ++i) require_scalar(in, i, "NMS input " + std::to_string(i));
  if (!boxes.rank_dynamic) {
    merge_dims(boxes.dims[2], Dim::fixed(4), "boxes' last dim must be 4");
    if (!scores.rank_dynamic) {
      merge_dims(boxes.dims[0], scores.dims[0], "batches of boxes and scores");
      merge_dims(boxes.dims[1], scores.dims[2], "boxes count of boxes and scores");
    }
  }
  auto max_out =
      has_input(in, 2) ? const_scalar(in, 2, "max_output_boxes_per_class") : std::optional<int64_t>(0);
  Dim selected = Dim::dynamic();
  if (max_out && !boxes.rank_dynamic && !scores.rank_dynamic && boxes.dims[1].is_static() &&
      scores.dims[0].is_static() && scores.dims[1].is_static())
    selected = Dim::fixed(std::min(boxes.dims[1].min, std::max<int64_t>(*max_out, 0)) * scores.dims[0].min *
                          scores.dims[1].min);
  ElementType it = n.def().opset >= 3 ? n.attr<ElementType>("output_type") : ElementType::kI64;
  if (n.def().opset < 5) return one(it, make_shape({selected, Dim::fixed(3)}));
  PartialShape out = make_shape({Dim{0, selected.max}, Dim::fixed(3)});
  return {PortInfo{it, out, {}}, PortInfo{ElementType::kF32, out, {}}, PortInfo{it, Shape{1}, {}}};
}

std::vector<PortInfo> proposal(const Node& n, const InferInputs& in) {
  const PartialShape &probs = shape_of(in, 0), &deltas = shape_of(in, 1);
  require_rank(probs, {4}, "class_probs");
  require_rank(deltas, {4}, "bbox_deltas");
  require_rank(shape_of(in, 2), {1, 2}, "image_shape");
  Dim batch = probs.rank_dynamic ? Dim::dynamic() : probs.dims[0];
  if (!deltas.rank_dynamic) batch = merge_dims(batch, deltas.dims[0], "batch of class_probs and bbox_deltas");
  Dim rois = dim_mul(batch, Dim::fixed(n.attr<int64_t>("post_nms_topn")));
  std::vector<PortInfo> outs = one(type_of(in, 0), make_shape({rois, Dim::fixed(5)}));
  if (n.def().opset >= 4) outs.push_back(PortInfo{type_of(in, 0), make_shape({rois}), {}});
  return outs;
}

// ROIPooling, ROIAlign, PSROIPooling: [rois, channels, pooled h, pooled w].
std::vector<PortInfo> roi_pool(const Node& n, const InferInputs& in) {
  const PartialShape &data = shape_of(in, 0), &rois = shape_of(in, 1);
  require_rank(data, {4}, "feature map");
  require_rank(rois, {2}, "rois");
  const std::string& t = n.def().type;
  Dim count = rois.rank_dynamic ? Dim::dynamic() : rois.dims[0];
  Dim c = data.rank_dynamic ? Dim::dynamic() : data.dims[1];
  if (t == "ROIAlign") {
    require_rank(shape_of(in, 2), {1}, "batch_indices");
    if (!shape_of(in, 2).rank_dynamic)
      count = merge_dims(count, shape_of(in, 2).dims[0], "rois vs batch_indices");
    return one(type_of(in, 0), make_shape({count, c, Dim::fixed(n.attr<int64_t>("pooled_h")),
                                           Dim::fixed(n.attr<int64_t>("pooled_w"))}));
  }
  if (t == "ROIPooling") {
    const auto& size = n.attr<std::vector<int64_t>>("output_size");
    if (size.size() != 2) throw_bad_input("output_size must hold [height, width]");
    return one(type_of(in, 0), make_shape({count, c, Dim::fixed(size[0]), Dim::fixed(size[1])}));
  }
  int64_t dim = n.attr<int64_t>("output_dim"), g = n.attr<int64_t>("group_size");
  int64_t bins = n.attr<std::string>("mode") == "average"
                     ? g * g
                     : n.attr<int64_t>("spatial_bins_x") * n.attr<int64_t>("spatial_bins_y");
  if (c.is_static() && c.min != dim * bins)
    throw_bad_input("PSROIPooling input channels " + std::to_string(c.min) +
                    " must equal output_dim * bins (" + std::to_string(dim * bins) + ")");
  return one(type_of(in, 0), make_shape({count, Dim::fixed(dim), Dim::fixed(g), Dim::fixed(g)}));
}

std::vector<PortInfo> region_yolo(const Node& n, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  if (s.rank_dynamic) return one(type_of(in, 0), s);
  if (!n.attr<bool>("do_softmax")) {
    require_rank(s, {4}, "RegionYolo input");
    int64_t per_anchor = n.attr<int64_t>("classes") + n.attr<int64_t>("coords") + 1;
    auto masks = static_cast<int64_t>(n.attr<std::vector<int64_t>>("mask").size());
    return one(type_of(in, 0), make_shape({s.dims[0], Dim::fixed(per_anchor * masks), s.dims[2], s.dims[3]}));
  }
  // With softmax the dims axis..end_axis are flattened into one.
  auto rank = static_cast<int64_t>(s.rank());
  auto axis = static_cast<size_t>(normalize_axis(n.attr<int64_t>("axis"), rank, "axis"));
  auto end = static_cast<size_t>(normalize_axis(n.attr<int64_t>("end_axis"), rank, "end_axis"));
  if (end < axis) throw_bad_input("end_axis is before axis");
  PartialShape out;
  out.dims.assign(s.dims.begin(), s.dims.begin() + static_cast<long>(axis));
  Dim flat = Dim::fixed(1);
  for (size_t i = axis; i <= end; ++i) flat = dim_mul(flat, s.dims[i]);
  out.dims.push_back(flat);
  out.dims.insert(out.dims.end(), s.dims.begin() + static_cast<long>(end) + 1, s.dims.end());
  return one(type_of(in, 0), out);
}

std::vector<PortInfo> reorg_yolo(const Node& n, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  require_rank(s, {4}, "ReorgYolo input");
  const auto& stride = n.attr<std::vector<int64_t>>("stride");
  if (stride.empty() || stride[0] <= 0) throw_bad_input("ReorgYolo stride must be positive");
  if (s.rank_dynamic) return one(type_of(in, 0), dynamic_shape(4));
  int64_t st = stride[0];
  PartialShape out = s;
  out.dims[1] = dim_mul(s.dims[1], Dim::fixed(st * st));
  for (size_t i = 2; i < 4; ++i) {
    if (s.dims[i].is_static() && s.dims[i].min % st != 0)
      throw_bad_input("ReorgYolo spatial dim " + std::to_string(s.dims[i].min) +
                      " is not divisible by the stride");
    out.dims[i] = s.dims[i].is_static() ? Dim::fixed(s.dims[i].min / st) : Dim::dynamic();
  }
  return one(type_of(in, 0), out);
}

// CTCGreedyDecoder: data [T, N, C] -> [N, T, 1, 1].
std::vector<PortInfo> ctc_greedy(const Node&, const InferInputs& in) {
  const PartialShape &s = shape_of(in, 0), &mask = shape_of(in, 1);
  require_rank(s, {3}, "data");
  require_rank(mask, {2}, "sequence mask");
  Dim t = s.rank_dynamic ? Dim::dynamic() : s.dims[0], b = s.rank_dynamic ? Dim::dynamic() : s.dims[1];
  if (!mask.rank_dynamic) {
    t = merge_dims(t, mask.dims[0], "time steps of data and mask");
    b = merge_dims(b, mask.dims[1], "batch of data and mask");
  }
  return one(type_of(in, 0), make_shape({b, t, Dim::fixed(1), Dim::fixed(1)}));
}

// CTCGreedyDecoderSeqLen: data [N, T, C] -> classes [N, T], lengths [N].
std::vector<PortInfo> ctc_greedy_seq_len(const Node& n, const InferInputs& in) {
  const PartialShape &s = shape_of(in, 0), &len = shape_of(in, 1);
  require_rank(s, {3}, "data");
  require_rank(len, {1}, "sequence_length");
  Dim b = s.rank_dynamic ? Dim::dynamic() : s.dims[0], t = s.rank_dynamic ? Dim::dynamic() : s.dims[1];
  if (!len.rank_dynamic) b = merge_dims(b, len.dims[0], "batch of data and sequence_length");
  return {PortInfo{n.attr<ElementType>("classes_index_type"), make_shape({b, t}), {}},
          PortInfo{n.attr<ElementType>("sequence_length_type"), make_shape({b}), {}}};
}

}  // namespace

void register_detection(OpRegistry& r) {
  r.set_infer("PriorBox", prior_box);
  r.set_infer("PriorBoxClustered", prior_box);
  r.set_infer("DetectionOutput", detection_output);
  r.set_infer("NonMaxSuppression", nms);
  r.set_infer("Proposal", proposal);
  for (const char* t : {"ROIPooling", "ROIAlign", "PSROIPooling"}) r.set_infer(t, roi_pool);
  r.set_infer("RegionYolo", region_yolo);
  r.set_infer("ReorgYolo", reorg_yolo);
  r.set_infer("CTCGreedyDecoder", ctc_greedy);
  r.set_infer("CTCGreedyDecoderSeqLen", ctc_greedy_seq_len);
}

}  // namespace q8::infer
