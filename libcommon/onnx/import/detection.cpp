// Detection ops: TopK, NonMaxSuppression -> NMS-5, RoiAlign -> ROIAlign-3, MaxRoiPool -> ROIPooling.
#include <limits>

#include "onnx/import/common.h"
#include "onnx/import/importers.h"

namespace q8::onnxfe {

// k: an attribute before opset 10, a 1-element input since; `largest`/`sorted` from opset 11.
void import_topk(Context& ctx) {
  Output x = ctx.input(0);
  int64_t axis = ctx.axis(ctx.attr_int("axis", -1), ctx.rank_of(x, "for TopK"));
  Output k = ctx.opset() < 10 ? ctx.scalar_i64(ctx.attr_int("k")) : to_scalar(ctx, ctx.input(1));
  bool largest = ctx.attr_int("largest", 1) != 0, sorted = ctx.attr_int("sorted", 1) != 0;
  Node* n = ctx.add("TopK", {x, k},
                    {{"axis", axis},
                     {"mode", std::string(largest ? "max" : "min")},
                     {"sort", std::string(sorted ? "value" : "none")},
                     {"index_element_type", ElementType::kI64}},
                    "opset3");
  ctx.set_output(0, n->output(0));
  ctx.set_output(1, n->output(1));
}

// NMS-5 returns exactly the selected [batch, class, box] triples (ONNX's output), ordered by
// batch and class like ONNX when sort_result_descending is off. ONNX's optional scalars come
// as 1-element tensors; an absent score threshold filters nothing.
void import_nms(Context& ctx) {
  auto scalar_or = [&](int i, Output def) { return ctx.has_input(i) ? to_scalar(ctx, ctx.input(i)) : def; };
  Output max_boxes = ctx.convert(scalar_or(2, ctx.scalar_i64(0)), ElementType::kI64);
  Output iou = scalar_or(3, ctx.scalar_f32(0.0f));
  Output score = scalar_or(4, ctx.scalar_f32(std::numeric_limits<float>::lowest()));
  bool center = ctx.attr_int("center_point_box", 0) != 0;
  Node* n = ctx.add("NonMaxSuppression", {ctx.input(0), ctx.input(1), max_boxes, iou, score},
                    {{"box_encoding", std::string(center ? "center" : "corner")},
                     {"sort_result_descending", false},
                     {"output_type", ElementType::kI64}},
                    "opset5");
  ctx.set_output(0, n->output(0));
}

// Opset 16's default half_pixel samples half a pixel earlier than ROIAlign-3, which
// matches output_half_pixel=false; shifting the boxes by half a pixel bridges the two.
void import_roi_align(Context& ctx) {
  Output rois = ctx.input(1);
  float scale = ctx.attr_float("spatial_scale", 1.0f);
  std::string ctm = ctx.opset() >= 16 ? ctx.attr_string("coordinate_transformation_mode", "half_pixel") : "";
  if (ctm == "half_pixel") rois = ctx.op("Subtract", {rois, ctx.scalar_like(0.5 / scale, ctx.type_of(rois))});
  ctx.set_output(0, ctx.op("ROIAlign", {ctx.input(0), rois, ctx.input(2)},
                           {{"pooled_h", ctx.attr_int("output_height", 1)},
                            {"pooled_w", ctx.attr_int("output_width", 1)},
                            {"sampling_ratio", ctx.attr_int("sampling_ratio", 0)},
                            {"spatial_scale", double{scale}},
                            {"mode", ctx.attr_string("mode", "avg")}}));
}

void import_max_roi_pool(Context& ctx) {
  ctx.set_output(0, ctx.op("ROIPooling", {ctx.input(0), ctx.input(1)},
                           {{"output_size", ctx.attr_ints("pooled_shape")},
                            {"spatial_scale", double{ctx.attr_float("spatial_scale", 1.0f)}},
                            {"method", std::string("max")}}));
}

}  // namespace q8::onnxfe
