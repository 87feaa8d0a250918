// Elementwise math and logic: one-to-one unary and binary ops, variadic Sum/Mean/Max/Min,
// Where -> Select, Mod -> Mod/FloorMod, Reciprocal, IsNaN/IsInf, Softsign.
#include <limits>
#include <map>

#include "onnx/import/common.h"
#include "onnx/import/importers.h"

namespace q8::onnxfe {

namespace {

const std::map<std::string, std::string>& unary_types() {
  static const std::map<std::string, std::string> m = {
      {"Abs", "Abs"},           {"Acos", "Acos"},        {"Acosh", "Acosh"},  {"Asin", "Asin"},
      {"Asinh", "Asinh"},       {"Atan", "Atan"},        {"Atanh", "Atanh"},  {"Ceil", "Ceiling"},
      {"Cos", "Cos"},           {"Cosh", "Cosh"},        {"Erf", "Erf"},      {"Exp", "Exp"},
      {"Floor", "Floor"},       {"Log", "Log"},          {"Neg", "Negative"}, {"Not", "LogicalNot"},
      {"Relu", "ReLU"},         {"Sigmoid", "Sigmoid"},  {"Sign", "Sign"},    {"Sin", "Sin"},
      {"Sinh", "Sinh"},         {"Sqrt", "Sqrt"},        {"Tan", "Tan"},      {"Tanh", "Tanh"},
      {"Softplus", "SoftPlus"}, {"HardSwish", "HSwish"}, {"Mish", "Mish"}};
  return m;
}

const std::map<std::string, std::string>& binary_types() {
  static const std::map<std::string, std::string> m = {
      {"Add", "Add"},         {"Sub", "Subtract"},
      {"Mul", "Multiply"},    {"Equal", "Equal"},
      {"Less", "Less"},       {"LessOrEqual", "LessEqual"},
      {"Greater", "Greater"}, {"GreaterOrEqual", "GreaterEqual"},
      {"And", "LogicalAnd"},  {"Or", "LogicalOr"},
      {"Xor", "LogicalXor"}};
  return m;
}

// Folds the inputs left to right with `type` (ONNX's variadic ops broadcast all inputs together).
Output fold(Context& ctx, const std::string& type) {
  Output acc = ctx.input(0);
  for (int i = 1; i < ctx.input_count(); ++i) acc = ctx.op(type, {acc, ctx.input(i)});
  return acc;
}

}  // namespace

void import_unary(Context& ctx) {
  ctx.set_output(0, ctx.op(unary_types().at(ctx.op_type()), {ctx.input(0)}));
}

namespace {

// Before opset 7 binary ops broadcast only with broadcast=1, and `axis` aligned B elsewhere
// than NumPy's trailing dims.
void check_legacy_broadcast(Context& ctx) {
  if (ctx.opset() < 7 && ctx.attr_int("broadcast", 0) != 0 && ctx.has_attr("axis"))
    ctx.fail("legacy broadcasting along an explicit axis (opset < 7) is not supported");
}

}  // namespace

void import_binary(Context& ctx) {
  check_legacy_broadcast(ctx);
  ctx.set_output(0, ctx.op(binary_types().at(ctx.op_type()), {ctx.input(0), ctx.input(1)}));
}

// ONNX integer division truncates toward zero, OpenVINO's Python-style default floors.
void import_div(Context& ctx) {
  check_legacy_broadcast(ctx);
  Output a = ctx.input(0);
  bool is_float = type_info(ctx.type_of(a)).is_float;
  ctx.set_output(0, ctx.op("Divide", {a, ctx.input(1)}, {{"m_pythondiv", is_float}}));
}

// Since opset 12 the exponent may have another type than the base.
void import_pow(Context& ctx) {
  check_legacy_broadcast(ctx);
  Output base = ctx.input(0);
  ctx.set_output(0, ctx.op("Power", {base, ctx.convert(ctx.input(1), ctx.type_of(base))}));
}

// fmod=1 is C fmod (sign of the dividend), fmod=0 Python's % (sign of the divisor).
void import_mod(Context& ctx) {
  std::string type = ctx.attr_int("fmod", 0) ? "Mod" : "FloorMod";
  ctx.set_output(0, ctx.op(type, {ctx.input(0), ctx.input(1)}));
}

void import_variadic(Context& ctx) {
  const std::string& t = ctx.op_type();
  if (t == "Max") return ctx.set_output(0, fold(ctx, "Maximum"));
  if (t == "Min") return ctx.set_output(0, fold(ctx, "Minimum"));
  Output sum = fold(ctx, "Add");
  if (t == "Mean") sum = ctx.op("Divide", {sum, ctx.scalar_like(ctx.input_count(), ctx.type_of(sum))});
  ctx.set_output(0, sum);
}

void import_where(Context& ctx) {
  ctx.set_output(0, ctx.op("Select", {ctx.input(0), ctx.input(1), ctx.input(2)}));
}

void import_reciprocal(Context& ctx) {
  Output x = ctx.input(0);
  ctx.set_output(0, ctx.op("Divide", {ctx.scalar_like(1.0, ctx.type_of(x)), x}));
}

// x / (1 + |x|)
void import_softsign(Context& ctx) {
  Output x = ctx.input(0);
  Output den = ctx.op("Add", {ctx.op("Abs", {x}), ctx.scalar_like(1.0, ctx.type_of(x))});
  ctx.set_output(0, ctx.op("Divide", {x, den}));
}

// NaN is the only value that differs from itself.
void import_isnan(Context& ctx) {
  Output x = ctx.input(0);
  ctx.set_output(0, ctx.op("NotEqual", {x, x}));
}

void import_isinf(Context& ctx) {
  Output x = ctx.input(0);
  ElementType t = ctx.type_of(x);
  double inf = std::numeric_limits<double>::infinity();
  bool pos = ctx.attr_int("detect_positive", 1) != 0, neg = ctx.attr_int("detect_negative", 1) != 0;
  Output p = ctx.op("Equal", {x, ctx.scalar_like(inf, t)});
  Output n = ctx.op("Equal", {x, ctx.scalar_like(-inf, t)});
  if (pos && neg) return ctx.set_output(0, ctx.op("LogicalOr", {p, n}));
  if (pos) return ctx.set_output(0, p);
  if (neg) return ctx.set_output(0, n);
  ctx.set_output(0, ctx.op("LogicalAnd", {p, n}));  // detecting nothing: all false
}

}  // namespace q8::onnxfe
