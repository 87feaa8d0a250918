#include "onnx/import/common.h"

#include <cstring>

#include "base/error.h"

namespace q8::onnxfe {

Tensor reshaped(const Tensor& t, const Shape& shape) {
  if (num_elements(shape) != t.size())
    throw_bad_input("cannot reshape " + to_string(t.shape()) + " to " + to_string(shape));
  return Tensor::from_bytes(t.type(), shape, t.bytes(), t.byte_size());
}

Output along_axis(Context& ctx, Output param, int64_t axis, int64_t rank) {
  const PartialShape& ps = ctx.shape_of(param);
  if (!ps.rank_dynamic && ps.rank() == 0) return param;  // a scalar broadcasts as it is
  Shape target(static_cast<size_t>(rank), 1);
  if (param.node->type() == "Const") {
    target[static_cast<size_t>(axis)] = param.node->value.size();
    return ctx.constant(reshaped(param.node->value, target));
  }
  target[static_cast<size_t>(axis)] = -1;
  return ctx.op("Reshape", {param, ctx.const_i64(target)}, {{"special_zero", false}});
}

Output flatten_2d(Context& ctx, Output x, int64_t axis) {
  const PartialShape& ps = ctx.shape_of(x);
  if (ps.is_static()) {
    Shape s = ps.to_shape();
    int64_t outer = 1, inner = 1;
    for (size_t i = 0; i < s.size(); ++i) (static_cast<int64_t>(i) < axis ? outer : inner) *= s[i];
    return ctx.op("Reshape", {x, ctx.const_i64({outer, inner})}, {{"special_zero", false}});
  }
  if (axis == 0) return ctx.op("Reshape", {x, ctx.const_i64({1, -1})}, {{"special_zero", false}});
  if (axis == 1) return ctx.op("Reshape", {x, ctx.const_i64({0, -1})}, {{"special_zero", true}});
  // Dynamic dims before the axis: multiply them at run time.
  Output dims = ctx.op("StridedSlice",
                       {shape_of(ctx, x), ctx.const_i64({0}), ctx.const_i64({axis}), ctx.const_i64({1})},
                       {{"begin_mask", std::vector<int64_t>{0}}, {"end_mask", std::vector<int64_t>{0}}});
  Output outer = ctx.op("ReduceProd", {dims, ctx.const_i64({0})}, {{"keep_dims", true}});
  Output target = ctx.op("Concat", {outer, ctx.const_i64({-1})}, {{"axis", int64_t{0}}});
  return ctx.op("Reshape", {x, target}, {{"special_zero", false}});
}

Output to_scalar(Context& ctx, Output x) {
  const PartialShape& ps = ctx.shape_of(x);
  if (!ps.rank_dynamic && ps.rank() == 0) return x;
  if (x.node->type() == "Const") {
    if (x.node->value.size() != 1)
      ctx.fail("expected a single value, got shape " + to_string(x.node->value.shape()));
    return ctx.constant(reshaped(x.node->value, {}));
  }
  return ctx.op("Reshape", {x, ctx.const_i64({})}, {{"special_zero", false}});
}

Output shape_of(Context& ctx, Output x) {
  return ctx.op("ShapeOf", {x}, {{"output_type", ElementType::kI64}}, "opset3");
}

Output axes_range(Context& ctx, int64_t from, int64_t rank) {
  std::vector<int64_t> axes;
  for (int64_t a = from; a < rank; ++a) axes.push_back(a);
  return ctx.const_i64(axes);
}

std::string ov_auto_pad(Context& ctx) {
  std::string p = ctx.attr_string("auto_pad", "NOTSET");
  if (p == "NOTSET") return "explicit";
  if (p == "SAME_UPPER") return "same_upper";
  if (p == "SAME_LOWER") return "same_lower";
  if (p == "VALID") return "valid";
  ctx.fail("unknown auto_pad '" + p + "'");
}

Pads split_pads(Context& ctx, const std::vector<int64_t>& pads, size_t spatial) {
  Pads p{std::vector<int64_t>(spatial, 0), std::vector<int64_t>(spatial, 0)};
  if (pads.empty() || ov_auto_pad(ctx) != "explicit") return p;
  if (pads.size() != 2 * spatial)
    ctx.fail("pads has " + std::to_string(pads.size()) + " values, expected " + std::to_string(2 * spatial));
  for (size_t i = 0; i < spatial; ++i) {
    p.begin[i] = pads[i];
    p.end[i] = pads[spatial + i];
  }
  return p;
}

Output add_channel_bias(Context& ctx, Output y, Output bias) {
  int64_t rank = ctx.rank_of(y, "to add a per-channel bias");
  return ctx.op("Add", {y, along_axis(ctx, bias, 1, rank)});
}

}  // namespace q8::onnxfe
