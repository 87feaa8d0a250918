// MatMul -> MatMul; Gemm -> MatMul (transposes as attributes) * alpha + beta * C.
#include "onnx/import/common.h"
#include "onnx/import/importers.h"
#include "tensor/convert.h"

namespace q8::onnxfe {

void import_matmul(Context& ctx) {
  ctx.set_output(0, ctx.op("MatMul", {ctx.input(0), ctx.input(1)}));
}

namespace {

// beta * C, folded into the constant when C is one (a Gemm's bias nearly always is).
Output scaled_bias(Context& ctx, Output c, float beta) {
  if (beta == 1.0f) return c;
  if (c.node->type() == "Const" && type_info(c.node->value.type()).is_float) {
    std::vector<float> v = to_floats(c.node->value);
    for (float& f : v) f *= beta;
    return ctx.constant(convert(make_f32(c.node->value.shape(), v), c.node->value.type()));
  }
  return ctx.op("Multiply", {c, ctx.scalar_like(beta, ctx.type_of(c))});
}

}  // namespace

void import_gemm(Context& ctx) {
  Output a = ctx.input(0);
  Output y = ctx.op(
      "MatMul", {a, ctx.input(1)},
      {{"transpose_a", ctx.attr_int("transA", 0) != 0}, {"transpose_b", ctx.attr_int("transB", 0) != 0}});
  float alpha = ctx.attr_float("alpha", 1.0f), beta = ctx.attr_float("beta", 1.0f);
  if (alpha != 1.0f) y = ctx.op("Multiply", {y, ctx.scalar_like(alpha, ctx.type_of(y))});
  if (ctx.has_input(2) && beta != 0.0f) y = ctx.op("Add", {y, scaled_bias(ctx, ctx.input(2), beta)});
  ctx.set_output(0, y);
}

}  // namespace q8::onnxfe
