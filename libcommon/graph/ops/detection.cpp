// Detection and region ops: priors, box decoding, NMS, proposals, ROI pooling, YOLO (opsets 1..9).
#include "graph/ops/ops.h"

namespace q8::ops {
using namespace decl;

namespace {
std::vector<AttrDef> prior_box_attrs() {
  return {Fs("min_size"),        Fs("max_size", {}),   Fs("aspect_ratio", {}),
          B("flip", false),      B("clip", false),     F("step", 0.0),
          F("offset"),           Fs("variance", {}),   B("scale_all_sizes", true),
          Fs("fixed_ratio", {}), Fs("fixed_size", {}), Fs("density", {})};
}

std::vector<AttrDef> detection_output_attrs(bool with_num_classes) {
  std::vector<AttrDef> a;
  if (with_num_classes) a.push_back(I("num_classes"));
  for (auto d :
       {I("background_label_id", 0), I("top_k", -1), B("variance_encoded_in_target", false), Is("keep_top_k"),
        S("code_type", "caffe.PriorBoxParameter.CORNER"), B("share_location", true), F("nms_threshold"),
        F("confidence_threshold", 0.0), B("clip_after_nms", false), B("clip_before_nms", false),
        B("decrease_label_id", false), B("normalized", false), I("input_height", 1), I("input_width", 1),
        F("objectness_score", 0.0)})
    a.push_back(d);
  return a;
}

std::vector<AttrDef> proposal_attrs() {
  return {I("base_size"),
          I("pre_nms_topn"),
          I("post_nms_topn"),
          F("nms_thresh"),
          I("feat_stride"),
          I("min_size"),
          Fs("ratio"),
          Fs("scale"),
          B("clip_before_nms", true),
          B("clip_after_nms", false),
          B("normalize", false),
          F("box_size_scale", 1.0),
          F("box_coordinate_scale", 1.0),
          S("framework", "")};
}

AttrDef box_encoding() {
  return E("box_encoding", "corner", {"corner", "center"});
}
}  // namespace

void register_detection(OpRegistry& r) {
  r.add({"PriorBox", 1, prior_box_attrs(), 2, 2, 1});
  auto pb8 = prior_box_attrs();
  pb8.push_back(B("min_max_aspect_ratios_order", true));
  r.add({"PriorBox", 8, pb8, 2, 2, 1});
  r.add({"PriorBoxClustered",
         1,
         {Fs("width"), Fs("height"), B("clip", true), F("step", 0.0), F("step_w", 0.0), F("step_h", 0.0),
          F("offset"), Fs("variance", {})},
         2,
         2,
         1});
  r.add({"DetectionOutput", 1, detection_output_attrs(true), 3, 5, 1});
  r.add({"DetectionOutput", 8, detection_output_attrs(false), 3, 5, 1});

  r.add({"NonMaxSuppression", 1, {box_encoding(), B("sort_result_descending", true)}, 2, 5, 1});
  for (int v : {3, 4})
    r.add({"NonMaxSuppression",
           v,
           {box_encoding(), B("sort_result_descending", true), T("output_type", ElementType::kI64)},
           2,
           5,
           1});
  for (int v : {5, 9})
    r.add({"NonMaxSuppression",
           v,
           {box_encoding(), B("sort_result_descending", true), T("output_type", ElementType::kI64)},
           2,
           6,
           3});

  r.add({"Proposal", 1, proposal_attrs(), 3, 3, 1});
  r.add({"Proposal", 4, proposal_attrs(), 3, 3, 2});
  r.add({"ROIPooling",
         1,
         {Is("output_size"), F("spatial_scale"), E("method", "max", {"max", "bilinear"})},
         2,
         2,
         1});
  r.add({"ROIAlign",
         3,
         {I("pooled_h"), I("pooled_w"), I("sampling_ratio"), F("spatial_scale"), E("mode", {"avg", "max"})},
         3,
         3,
         1});
  r.add({"PSROIPooling",
         1,
         {I("output_dim"), I("group_size", 1), F("spatial_scale"), I("spatial_bins_x", 1),
          I("spatial_bins_y", 1), E("mode", "average", {"average", "bilinear"})},
         2,
         2,
         1});
  r.add({"RegionYolo",
         1,
         {I("coords"), I("classes"), I("num"), B("do_softmax"), Is("mask", {}), I("axis", 1),
          I("end_axis", 3), Fs("anchors", {})},
         1,
         1,
         1});
  r.add({"ReorgYolo", 1, {Is("stride")}, 1, 1, 1});
  r.add({"CTCGreedyDecoder", 1, {B("ctc_merge_repeated", true)}, 2, 2, 1});
  r.add({"CTCGreedyDecoderSeqLen",
         6,
         {B("merge_repeated", true), T("classes_index_type", ElementType::kI32),
          T("sequence_length_type", ElementType::kI32)},
         2,
         3,
         2});
}

}  // namespace q8::ops
