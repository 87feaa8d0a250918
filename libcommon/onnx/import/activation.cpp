// Activations with parameters: LeakyRelu/PRelu -> PReLU, Elu, Selu, Celu, HardSigmoid, Clip -> Clamp,
// ThresholdedRelu, Shrink, and Softmax/LogSoftmax with the pre-13 "coerce to 2-D" semantics.
#include <limits>

#include "onnx/import/common.h"
#include "onnx/import/importers.h"
#include "tensor/convert.h"

namespace q8::onnxfe {

void import_leaky_relu(Context& ctx) {
  Output x = ctx.input(0);
  Output slope = ctx.scalar_like(ctx.attr_float("alpha", 0.01f), ctx.type_of(x));
  ctx.set_output(0, ctx.op("PReLU", {x, slope}));
}

// ONNX broadcasts the slope NumPy-style (trailing dims); PReLU reads a 1-D slope as per
// channel. Giving the slope the data's rank (leading ones) makes both read it the same way.
void import_prelu(Context& ctx) {
  Output x = ctx.input(0), slope = ctx.input(1);
  int64_t rank = ctx.rank_of(x, "for PRelu");
  const PartialShape& ps = ctx.shape_of(slope);
  bool single = ps.is_static() && num_elements(ps.to_shape()) == 1;
  int64_t missing = ps.rank_dynamic ? 0 : rank - static_cast<int64_t>(ps.rank());
  if (!single && missing > 0) {
    std::vector<int64_t> lead;
    for (int64_t i = 0; i < missing; ++i) lead.push_back(i);
    slope = slope.node->type() == "Const" ? ctx.constant(reshaped(slope.node->value,
                                                                  [&] {
                                                                    Shape s(static_cast<size_t>(missing), 1);
                                                                    for (const Dim& d : ps.dims)
                                                                      s.push_back(d.min);
                                                                    return s;
                                                                  }()))
                                          : ctx.op("Unsqueeze", {slope, ctx.const_i64(lead)});
  }
  ctx.set_output(0, ctx.op("PReLU", {x, slope}));
}

void import_elu(Context& ctx) {
  ctx.set_output(0, ctx.op("Elu", {ctx.input(0)}, {{"alpha", double{ctx.attr_float("alpha", 1.0f)}}}));
}

void import_selu(Context& ctx) {
  Output x = ctx.input(0);
  ElementType t = ctx.type_of(x);
  Output alpha = ctx.scalar_like(ctx.attr_float("alpha", 1.67326319217681884765625f), t);
  Output lambda = ctx.scalar_like(ctx.attr_float("gamma", 1.05070102214813232421875f), t);
  ctx.set_output(0, ctx.op("Selu", {x, alpha, lambda}));
}

// celu(x) = alpha * elu(x / alpha) with elu's alpha 1.
void import_celu(Context& ctx) {
  Output x = ctx.input(0);
  Output alpha = ctx.scalar_like(ctx.attr_float("alpha", 1.0f), ctx.type_of(x));
  Output elu = ctx.op("Elu", {ctx.op("Divide", {x, alpha})}, {{"alpha", 1.0}});
  ctx.set_output(0, ctx.op("Multiply", {elu, alpha}));
}

void import_hard_sigmoid(Context& ctx) {
  Output x = ctx.input(0);
  ElementType t = ctx.type_of(x);
  Output alpha = ctx.scalar_like(ctx.attr_float("alpha", 0.2f), t);
  Output beta = ctx.scalar_like(ctx.attr_float("beta", 0.5f), t);
  ctx.set_output(0, ctx.op("HardSigmoid", {x, alpha, beta}));
}

// x where x > alpha, else 0.
void import_thresholded_relu(Context& ctx) {
  Output x = ctx.input(0);
  ElementType t = ctx.type_of(x);
  Output keep = ctx.op("Greater", {x, ctx.scalar_like(ctx.attr_float("alpha", 1.0f), t)});
  ctx.set_output(0, ctx.op("Multiply", {x, ctx.convert(keep, t)}));
}

// x - bias where x > lambd, x + bias where x < -lambd, 0 between.
void import_shrink(Context& ctx) {
  Output x = ctx.input(0);
  ElementType t = ctx.type_of(x);
  float lambd = ctx.attr_float("lambd", 0.5f), bias = ctx.attr_float("bias", 0.0f);
  Output above = ctx.op("Greater", {x, ctx.scalar_like(lambd, t)});
  Output below = ctx.op("Less", {x, ctx.scalar_like(-lambd, t)});
  Output low = ctx.op("Select", {below, ctx.op("Add", {x, ctx.scalar_like(bias, t)}), ctx.scalar_like(0, t)});
  ctx.set_output(0, ctx.op("Select", {above, ctx.op("Subtract", {x, ctx.scalar_like(bias, t)}), low}));
}

namespace {

// A Clip bound: before opset 11 an attribute, then an optional input. nullopt: unbounded.
std::optional<Output> clip_bound(Context& ctx, int input, const char* attr) {
  if (ctx.opset() < 11) {
    if (!ctx.has_attr(attr)) return std::nullopt;
    return ctx.scalar_f32(ctx.attr_float(attr, 0.0f));
  }
  if (!ctx.has_input(input)) return std::nullopt;
  return ctx.input(input);
}

double const_bound(const std::optional<Output>& b, double unbounded) {
  return b ? to_floats(b->node->value).at(0) : unbounded;
}

}  // namespace

// Clamp when both bounds are constants (the common case, and what IR readers expect);
// Maximum/Minimum when a bound is computed.
void import_clip(Context& ctx) {
  Output x = ctx.input(0);
  auto lo = clip_bound(ctx, 1, "min"), hi = clip_bound(ctx, 2, "max");
  auto is_const = [](const std::optional<Output>& b) { return !b || b->node->type() == "Const"; };
  if (is_const(lo) && is_const(hi)) {
    double inf = std::numeric_limits<double>::infinity();
    double l = const_bound(lo, -inf), h = const_bound(hi, inf);
    ctx.set_output(0, ctx.op("Clamp", {x}, {{"min", l}, {"max", h}}));
    return;
  }
  Output y = x;
  if (lo) y = ctx.op("Maximum", {y, ctx.convert(*lo, ctx.type_of(x))});
  if (hi) y = ctx.op("Minimum", {y, ctx.convert(*hi, ctx.type_of(x))});
  ctx.set_output(0, y);
}

namespace {

// Before opset 13 Softmax flattens to 2-D at `axis` and normalizes each row; from 13 it
// normalizes along `axis` alone. The two agree when axis is the last dim.
Output softmax(Context& ctx, const std::string& type) {
  Output x = ctx.input(0);
  int64_t rank = ctx.rank_of(x, "for Softmax");
  int64_t def = ctx.opset() < 13 ? 1 : -1;
  int64_t axis = ctx.axis(ctx.attr_int("axis", def), rank);
  // SoftMax-1 is what IR readers of 2020 know; LogSoftmax appeared in opset5.
  std::string version = type == "SoftMax" ? "opset1" : "opset5";
  if (ctx.opset() >= 13 || axis == rank - 1) return ctx.op(type, {x}, {{"axis", axis}}, version);
  Output flat = flatten_2d(ctx, x, axis);
  Output y = ctx.op(type, {flat}, {{"axis", int64_t{1}}}, version);
  const PartialShape& xs = ctx.shape_of(x);
  Output back = xs.is_static() ? ctx.const_i64(xs.to_shape()) : shape_of(ctx, x);
  return ctx.op("Reshape", {y, back}, {{"special_zero", false}});
}

}  // namespace

void import_softmax(Context& ctx) {
  ctx.set_output(0, softmax(ctx, "SoftMax"));
}

void import_log_softmax(Context& ctx) {
  ctx.set_output(0, softmax(ctx, "LogSoftmax"));
}

}  // namespace q8::onnxfe
