// Shape and layout ops: Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Shape, Size, Expand,
// ConstantOfShape, Range, Tile, DepthToSpace, SpaceToDepth.
#include "onnx/import/common.h"
#include "onnx/import/importers.h"
#include "tensor/convert.h"

namespace q8::onnxfe {

namespace {

// Squeeze/Unsqueeze axes: an attribute before opset 13, an (optional) input since.
std::optional<Output> axes_of(Context& ctx) {
  if (ctx.opset() < 13) {
    if (!ctx.has_attr("axes")) return std::nullopt;
    return ctx.const_i64(ctx.attr_ints("axes"));
  }
  if (!ctx.has_input(1)) return std::nullopt;
  return ctx.input(1);
}

}  // namespace

// allowzero (opset 14) = 1 means a 0 in the shape is a real zero dim, not "copy the input dim".
void import_reshape(Context& ctx) {
  bool special_zero = ctx.attr_int("allowzero", 0) == 0;
  ctx.set_output(0, ctx.op("Reshape", {ctx.input(0), ctx.convert(ctx.input(1), ElementType::kI64)},
                           {{"special_zero", special_zero}}));
}

void import_flatten(Context& ctx) {
  Output x = ctx.input(0);
  int64_t rank = ctx.rank_of(x, "for Flatten");
  int64_t axis = ctx.attr_int("axis", 1);
  if (axis < -rank || axis > rank) ctx.fail("axis " + std::to_string(axis) + " is out of range");
  ctx.set_output(0, flatten_2d(ctx, x, axis < 0 ? axis + rank : axis));
}

void import_squeeze(Context& ctx) {
  auto axes = axes_of(ctx);
  Output x = ctx.input(0);
  ctx.set_output(0, axes ? ctx.op("Squeeze", {x, *axes}) : ctx.op("Squeeze", {x}));
}

void import_unsqueeze(Context& ctx) {
  auto axes = axes_of(ctx);
  if (!axes) ctx.fail("Unsqueeze needs axes");
  ctx.set_output(0, ctx.op("Unsqueeze", {ctx.input(0), *axes}));
}

// No perm reverses the dims.
void import_transpose(Context& ctx) {
  Output x = ctx.input(0);
  std::vector<int64_t> perm = ctx.attr_ints("perm");
  if (perm.empty()) {
    int64_t rank = ctx.rank_of(x, "for Transpose without perm");
    for (int64_t i = rank - 1; i >= 0; --i) perm.push_back(i);
  }
  ctx.set_output(0, ctx.op("Transpose", {x, ctx.const_i64(perm)}));
}

// Opset 15 adds start/end, clamped like Python slicing.
void import_shape(Context& ctx) {
  Output shape = shape_of(ctx, ctx.input(0));
  if (!ctx.has_attr("start") && !ctx.has_attr("end")) return ctx.set_output(0, shape);
  int64_t start = ctx.attr_int("start", 0);
  bool to_end = !ctx.has_attr("end");
  Output sliced = ctx.op(
      "StridedSlice",
      {shape, ctx.const_i64({start}), ctx.const_i64({to_end ? 0 : ctx.attr_int("end")}), ctx.const_i64({1})},
      {{"begin_mask", std::vector<int64_t>{0}}, {"end_mask", std::vector<int64_t>{to_end ? 1 : 0}}});
  ctx.set_output(0, sliced);
}

void import_size(Context& ctx) {
  Output shape = shape_of(ctx, ctx.input(0));
  ctx.set_output(0, ctx.op("ReduceProd", {shape, ctx.const_i64({0})}, {{"keep_dims", false}}));
}

void import_expand(Context& ctx) {
  ctx.set_output(0, ctx.op("Broadcast", {ctx.input(0), ctx.convert(ctx.input(1), ElementType::kI64)},
                           {{"mode", std::string("bidirectional")}}, "opset3"));
}

// The value attribute is a 1-element tensor (float 0 when absent), broadcast to the shape.
void import_constant_of_shape(Context& ctx) {
  Tensor value = ctx.attr_tensor("value").value_or(make_f32({1}, {0.0f}));
  if (value.size() != 1) ctx.fail("value must have exactly one element");
  Output scalar = ctx.constant(reshaped(value, {}));
  Output shape = ctx.convert(ctx.input(0), ElementType::kI64);
  ctx.set_output(0, ctx.op("Broadcast", {scalar, shape}, {{"mode", std::string("numpy")}}, "opset3"));
}

void import_range(Context& ctx) {
  Output start = to_scalar(ctx, ctx.input(0));
  ElementType t = ctx.type_of(start);
  Output limit = to_scalar(ctx, ctx.input(1)), delta = to_scalar(ctx, ctx.input(2));
  ctx.set_output(0, ctx.op("Range", {start, limit, delta}, {{"output_type", t}}, "opset4"));
}

void import_tile(Context& ctx) {
  ctx.set_output(0, ctx.op("Tile", {ctx.input(0), ctx.convert(ctx.input(1), ElementType::kI64)}));
}

// DCR (the default) moves depth in blocks first; CRD keeps channels outermost.
void import_depth_to_space(Context& ctx) {
  std::string mode = ctx.attr_string("mode", "DCR") == "CRD" ? "depth_first" : "blocks_first";
  ctx.set_output(
      0, ctx.op("DepthToSpace", {ctx.input(0)}, {{"mode", mode}, {"block_size", ctx.attr_int("blocksize")}}));
}

void import_space_to_depth(Context& ctx) {
  ctx.set_output(0,
                 ctx.op("SpaceToDepth", {ctx.input(0)},
                        {{"mode", std::string("blocks_first")}, {"block_size", ctx.attr_int("blocksize")}}));
}

}  // namespace q8::onnxfe
