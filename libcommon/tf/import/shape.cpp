// Reshape, Squeeze, ExpandDims, Transpose, Shape, Cast: TF's axes are used as they are (the body
// is in TF's layout).
#include "tensor/convert.h"
#include "tf/import/importers.h"

namespace q8::tffe {

namespace {

// An integer operand as i64: constants are converted here, others at run time.
Output i64_input(Context& ctx, int i) {
  if (auto v = ctx.const_value(i)) return ctx.const_i64(to_ints(*v));
  Output x = ctx.input(i);
  if (ctx.type_of(x) == ElementType::kI64) return x;
  return ctx.op("Convert", {x}, {{"destination_type", ElementType::kI64}});
}

}  // namespace

void import_reshape(Context& ctx) {
  ctx.set_output(0, ctx.op("Reshape", {ctx.input(0), i64_input(ctx, 1)}, {{"special_zero", false}}));
}

// No squeeze_dims: every dim of size 1 goes.
void import_squeeze(Context& ctx) {
  std::vector<int64_t> dims = ctx.attr_ints("squeeze_dims");
  if (dims.empty()) {
    ctx.set_output(0, ctx.op("Squeeze", {ctx.input(0)}));
    return;
  }
  ctx.set_output(0, ctx.op("Squeeze", {ctx.input(0), ctx.const_i64(dims)}));
}

void import_expand_dims(Context& ctx) {
  ctx.set_output(0, ctx.op("Unsqueeze", {ctx.input(0), i64_input(ctx, 1)}));
}

void import_transpose(Context& ctx) {
  ctx.set_output(0, ctx.op("Transpose", {ctx.input(0), i64_input(ctx, 1)}));
}

void import_shape(Context& ctx) {
  ElementType t = ctx.attr_type("out_type", ElementType::kI32);
  ctx.set_output(0, ctx.op("ShapeOf", {ctx.input(0)}, {{"output_type", t}}, "opset3"));
}

void import_cast(Context& ctx) {
  Output x = ctx.input(0);
  ElementType to = ctx.attr_type("DstT", ElementType::kUndefined);
  if (to == ElementType::kUndefined) ctx.fail("attribute 'DstT' is required");
  ctx.set_output(0, ctx.type_of(x) == to ? x : ctx.op("Convert", {x}, {{"destination_type", to}}));
}

}  // namespace q8::tffe
