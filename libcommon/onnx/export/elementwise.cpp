// Unary math, binary arithmetic/comparison/logic, Select, Convert and Round.
#include <map>

#include "onnx/export/exporters.h"
#include "tensor/convert.h"

namespace q8::onnxexp {

void export_unary(Context& ctx) {
  static const std::map<std::string, std::string> names = {{"Ceiling", "Ceil"},
                                                           {"Negative", "Neg"},
                                                           {"ReLU", "Relu"},
                                                           {"SoftPlus", "Softplus"},
                                                           {"LogicalNot", "Not"}};
  auto it = names.find(ctx.node().type());
  const std::string& op = it == names.end() ? ctx.node().type() : it->second;
  ctx.emit(op, {ctx.input(0)}, {ctx.output_name()});
}

void export_binary(Context& ctx) {
  static const std::map<std::string, std::string> names = {{"Subtract", "Sub"},
                                                           {"Multiply", "Mul"},
                                                           {"Divide", "Div"},
                                                           {"Maximum", "Max"},
                                                           {"Minimum", "Min"},
                                                           {"Power", "Pow"},
                                                           {"LessEqual", "LessOrEqual"},
                                                           {"GreaterEqual", "GreaterOrEqual"},
                                                           {"LogicalAnd", "And"},
                                                           {"LogicalOr", "Or"},
                                                           {"LogicalXor", "Xor"}};
  const Node& node = ctx.node();
  if (node.has_attr("auto_broadcast") && node.attr<std::string>("auto_broadcast") == "pdpd")
    ctx.fail("auto_broadcast pdpd has no ONNX equivalent");
  std::string a = ctx.input(0), b = ctx.input(1);
  const std::string& type = node.type();
  if (type == "SquaredDifference") {
    std::string d = ctx.emit("Sub", {a, b}).output(0);
    ctx.emit("Mul", {d, d}, {ctx.output_name()});
  } else if (type == "NotEqual") {
    ctx.emit("Not", {ctx.emit("Equal", {a, b}).output(0)}, {ctx.output_name()});
  } else {
    auto it = names.find(type);
    ctx.emit(it == names.end() ? type : it->second, {a, b}, {ctx.output_name()});
  }
}

void export_select(Context& ctx) {
  ctx.emit("Where", {ctx.input(0), ctx.input(1), ctx.input(2)}, {ctx.output_name()});
}

// f16 and f32 are both f32 in the exported model, so a Convert between float types is a no-op.
void export_convert(Context& ctx) {
  ElementType to = ctx.node().attr<ElementType>("destination_type"), from = ctx.port(0).type;
  if (type_info(to).is_float && type_info(from).is_float && onnx_type(to) == onnx_type(from)) {
    ctx.alias(0, ctx.input(0));
    return;
  }
  if (!onnx_type(to)) ctx.fail("destination type " + to_string(to) + " has no ONNX type");
  set_attr(ctx.emit("Cast", {ctx.input(0)}, {ctx.output_name()}), "to", static_cast<int64_t>(onnx_type(to)));
}

void export_round(Context& ctx) {
  if (ctx.node().attr<std::string>("mode") != "half_to_even")
    ctx.fail("mode half_away_from_zero has no ONNX equivalent (Round rounds half to even)");
  ctx.emit("Round", {ctx.input(0)}, {ctx.output_name()});
}

std::string int64_input(Context& ctx, int i) {
  if (auto v = ctx.const_value(i)) return ctx.ints("ints", to_ints(*v), v->shape().empty());
  std::string t = ctx.input(i);
  if (ctx.port(i).type == ElementType::kI64) return t;
  auto& cast = ctx.emit("Cast", {t});
  set_attr(cast, "to", static_cast<int64_t>(onnx::TensorProto::INT64));
  return cast.output(0);
}

}  // namespace q8::onnxexp
