// Resize (opsets 10, 11, 13) and Upsample (7, 9) -> Interpolate-4 over all axes, by sizes or scales.
#include <cmath>

#include "onnx/import/common.h"
#include "onnx/import/importers.h"
#include "tensor/convert.h"

namespace q8::onnxfe {

namespace {

std::string interp_mode(Context& ctx) {
  std::string m = ctx.attr_string("mode", "nearest");
  if (m == "nearest") return "nearest";
  if (m == "linear" || m == "bilinear") return "linear_onnx";
  if (m == "cubic") return "cubic";
  ctx.fail("unknown resize mode '" + m + "'");
}

// Resize-10 and Upsample index the input as out / scale, rounding down for nearest.
Attrs legacy_attrs(Context& ctx) {
  return {{"mode", interp_mode(ctx)},
          {"coordinate_transformation_mode", std::string("asymmetric")},
          {"nearest_mode", std::string("floor")}};
}

Attrs resize_attrs(Context& ctx) {
  std::string ctm = ctx.attr_string("coordinate_transformation_mode", "half_pixel");
  if (ctm == "tf_crop_and_resize")
    ctx.fail("coordinate_transformation_mode tf_crop_and_resize has no OpenVINO equivalent");
  if (ctx.attr_int("exclude_outside", 0)) ctx.fail("exclude_outside=1 has no OpenVINO equivalent");
  return {{"mode", interp_mode(ctx)},
          {"coordinate_transformation_mode", ctm},
          {"nearest_mode", ctx.attr_string("nearest_mode", "round_prefer_floor")},
          {"cube_coeff", double{ctx.attr_float("cubic_coeff_a", -0.75f)}}};
}

// Output sizes floor(dim * scale), constant when the input shape is known.
Output sizes_from_scales(Context& ctx, Output x, Output scales) {
  const PartialShape& ps = ctx.shape_of(x);
  if (ps.is_static() && scales.node->type() == "Const") {
    std::vector<float> s = to_floats(scales.node->value);
    Shape in = ps.to_shape();
    if (s.size() != in.size())
      ctx.fail("scales has " + std::to_string(s.size()) + " values for a rank " + std::to_string(in.size()) +
               " input");
    std::vector<int64_t> out;
    for (size_t i = 0; i < in.size(); ++i)
      out.push_back(static_cast<int64_t>(std::floor(static_cast<float>(in[i]) * s[i])));
    return ctx.const_i64(out);
  }
  Output dims = ctx.convert(shape_of(ctx, x), ElementType::kF32);
  Output out = ctx.op("Floor", {ctx.op("Multiply", {dims, ctx.convert(scales, ElementType::kF32)})});
  return ctx.convert(out, ElementType::kI64);
}

// Interpolate-4 wants both; in sizes mode the scales only describe the ratio.
Output scales_from_sizes(Context& ctx, Output x, Output sizes) {
  Output dims = ctx.convert(shape_of(ctx, x), ElementType::kF32);
  return ctx.op("Divide", {ctx.convert(sizes, ElementType::kF32), dims});
}

void interpolate(Context& ctx, Output x, std::optional<Output> scales, std::optional<Output> sizes,
                 Attrs attrs) {
  int64_t rank = ctx.rank_of(x, "for Resize");
  bool by_sizes = sizes.has_value();
  attrs.push_back({"shape_calculation_mode", std::string(by_sizes ? "sizes" : "scales")});
  if (by_sizes) {
    sizes = ctx.convert(*sizes, ElementType::kI64);
    scales = scales_from_sizes(ctx, x, *sizes);
  } else {
    scales = ctx.convert(*scales, ElementType::kF32);
    sizes = sizes_from_scales(ctx, x, *scales);
  }
  ctx.set_output(0, ctx.op("Interpolate", {x, *sizes, *scales, axes_range(ctx, 0, rank)}, attrs, "opset4"));
}

bool non_empty(Context& ctx, int i) {
  if (!ctx.has_input(i)) return false;
  const PartialShape& ps = ctx.shape_of(ctx.input(i));
  return ps.rank_dynamic || ps.rank() == 0 || !ps.dims[0].is_static() || ps.dims[0].min > 0;
}

}  // namespace

void import_resize(Context& ctx) {
  Output x = ctx.input(0);
  if (ctx.opset() < 11) return interpolate(ctx, x, ctx.input(1), std::nullopt, legacy_attrs(ctx));
  // Inputs: X, roi, scales, sizes; exactly one of scales and sizes is given (the other empty).
  if (non_empty(ctx, 3)) return interpolate(ctx, x, std::nullopt, ctx.input(3), resize_attrs(ctx));
  interpolate(ctx, x, ctx.input(2), std::nullopt, resize_attrs(ctx));
}

void import_upsample(Context& ctx) {
  Output x = ctx.input(0);
  Output scales = ctx.opset() < 9
                      ? ctx.constant(make_f32({static_cast<int64_t>(ctx.attr_floats("scales").size())},
                                              ctx.attr_floats("scales")))
                      : ctx.input(1);
  interpolate(ctx, x, scales, std::nullopt, legacy_attrs(ctx));
}

}  // namespace q8::onnxfe
