// QDQ ONNX -> FakeQuantize. QuantizeLinear with scale s and zero point z becomes a FakeQuantize
// with levels 256 and input/output range [(qmin - z) * s, (qmax - z) * s] (uint8 [0, 255], int8
// [-128, 127]); its integer output is rebuilt from that for consumers other than a matching
// DequantizeLinear, which simply takes the FakeQuantize output. QLinearConv/QLinearMatMul are
// dequantize -> float op -> quantize.
#include "onnx/import/common.h"
#include "onnx/import/importers.h"
#include "tensor/convert.h"

namespace q8::onnxfe {

namespace {

struct QParams {
  Output scale;
  std::optional<Output> zero;
  ElementType type = ElementType::kU8;  // of the quantized values: the zero point's, uint8 without one
  int64_t axis = 1;                     // per-axis parameters (1-D scale) run along this axis
};

QParams qparams(Context& ctx, int scale_input, int zero_input, int64_t axis) {
  QParams q{ctx.input(scale_input), std::nullopt, ElementType::kU8, axis};
  if (ctx.has_input(zero_input)) {
    q.zero = ctx.input(zero_input);
    q.type = ctx.type_of(*q.zero);
  }
  return q;
}

std::pair<double, double> int_range(Context& ctx, ElementType t) {
  if (t == ElementType::kU8) return {0.0, 255.0};
  if (t == ElementType::kI8) return {-128.0, 127.0};
  ctx.fail("quantized type " + to_string(t) + " is not supported (uint8 or int8)");
}

// A per-axis parameter broadcast against a rank-`rank` tensor; scalars stay scalars.
Output along(Context& ctx, Output p, int64_t axis, int64_t rank) {
  const PartialShape& ps = ctx.shape_of(p);
  if (ps.rank() == 0 || (ps.is_static() && num_elements(ps.to_shape()) == 1 && ps.rank() <= 1)) return p;
  return along_axis(ctx, p, ctx.axis(axis, rank), rank);
}

// (q - z) * s for the range bound q: a constant when s and z are, else computed.
Output bound(Context& ctx, const QParams& q, double value, int64_t rank) {
  bool consts = q.scale.node->type() == "Const" && (!q.zero || q.zero->node->type() == "Const");
  if (consts) {
    std::vector<float> s = to_floats(q.scale.node->value);
    std::vector<float> z = q.zero ? to_floats(q.zero->node->value) : std::vector<float>(s.size(), 0.0f);
    std::vector<float> out;
    for (size_t i = 0; i < s.size(); ++i)
      out.push_back((static_cast<float>(value) - z[z.size() == 1 ? 0 : i]) * s[i]);
    return along(ctx, ctx.constant(make_f32(q.scale.node->value.shape(), out)), q.axis, rank);
  }
  Output zf = q.zero ? ctx.convert(*q.zero, ElementType::kF32) : ctx.scalar_f32(0.0f);
  Output b = ctx.op("Multiply", {ctx.op("Subtract", {ctx.scalar_f32(static_cast<float>(value)), zf}),
                                 ctx.convert(q.scale, ElementType::kF32)});
  return along(ctx, b, q.axis, rank);
}

Output fake_quantize(Context& ctx, Output x, const QParams& q) {
  int64_t rank = ctx.rank_of(x, "to quantize");
  auto [lo, hi] = int_range(ctx, q.type);
  Output l = bound(ctx, q, lo, rank), h = bound(ctx, q, hi, rank);
  return ctx.op("FakeQuantize", {x, l, h, l, h}, {{"levels", int64_t{256}}});
}

// The integer tensor FakeQuantize's output stands for: round(y / s) + z.
Output to_integers(Context& ctx, Output fq, const QParams& q) {
  int64_t rank = ctx.rank_of(fq, "to quantize");
  Output s = along(ctx, ctx.convert(q.scale, ElementType::kF32), q.axis, rank);
  Output v = ctx.op("Round", {ctx.op("Divide", {fq, s})}, {{"mode", std::string("half_to_even")}});
  if (q.zero) v = ctx.op("Add", {v, along(ctx, ctx.convert(*q.zero, ElementType::kF32), q.axis, rank)});
  return ctx.convert(v, q.type);
}

// Quantizes y into output `out` of the node, remembering the FakeQuantize for a DequantizeLinear.
void quantize_output(Context& ctx, Output y, const QParams& q) {
  Output fq = fake_quantize(ctx, ctx.convert(y, ElementType::kF32), q);
  ctx.set_output(0, to_integers(ctx, fq, q));
  if (ctx.has_output(0)) ctx.quantized()[ctx.node().output(0)] = {fq, q.scale, q.zero.value_or(Output{})};
}

// (x - z) * s, or the FakeQuantize output itself when x comes from a QuantizeLinear with the same parameters.
Output dequantize(Context& ctx, int input, const QParams& q) {
  auto it = ctx.quantized().find(ctx.node().input(input));
  if (it != ctx.quantized().end() && it->second.scale == q.scale &&
      it->second.zero_point == q.zero.value_or(Output{}))
    return it->second.fake_quantized;
  Output x = ctx.convert(ctx.input(input), ElementType::kF32);
  int64_t rank = ctx.rank_of(x, "to dequantize");
  if (q.zero) x = ctx.op("Subtract", {x, along(ctx, ctx.convert(*q.zero, ElementType::kF32), q.axis, rank)});
  return ctx.op("Multiply", {x, along(ctx, ctx.convert(q.scale, ElementType::kF32), q.axis, rank)});
}

}  // namespace

void import_quantize_linear(Context& ctx) {
  quantize_output(ctx, ctx.input(0), qparams(ctx, 1, 2, ctx.attr_int("axis", 1)));
}

void import_dequantize_linear(Context& ctx) {
  ctx.set_output(0, dequantize(ctx, 0, qparams(ctx, 1, 2, ctx.attr_int("axis", 1))));
}

// Inputs: x, x_scale, x_zp, w, w_scale, w_zp (per output channel), y_scale, y_zp, int32 bias.
void import_qlinear_conv(Context& ctx) {
  Output x = dequantize(ctx, 0, qparams(ctx, 1, 2, 1));
  Output w = dequantize(ctx, 3, qparams(ctx, 4, 5, 0));
  std::optional<Output> bias;
  if (ctx.has_input(8)) {
    // The int32 bias is in units of x_scale * w_scale.
    Output unit = ctx.op("Multiply", {ctx.convert(ctx.input(1), ElementType::kF32),
                                      ctx.convert(ctx.input(4), ElementType::kF32)});
    bias = ctx.op("Multiply", {ctx.convert(ctx.input(8), ElementType::kF32), unit});
  }
  quantize_output(ctx, build_conv(ctx, x, w, bias), qparams(ctx, 6, 7, 1));
}

// Inputs: a, a_scale, a_zp, b, b_scale, b_zp (per column), y_scale, y_zp.
void import_qlinear_matmul(Context& ctx) {
  Output a = dequantize(ctx, 0, qparams(ctx, 1, 2, -1));
  Output b = dequantize(ctx, 3, qparams(ctx, 4, 5, -1));
  quantize_output(ctx, ctx.op("MatMul", {a, b}), qparams(ctx, 6, 7, -1));
}

}  // namespace q8::onnxfe
