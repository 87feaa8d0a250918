// Nodes that vanish or become a single OpenVINO node without options: Constant, Identity,
// Dropout (inference: pass-through), Cast -> Convert, CastLike -> ConvertLike, Einsum.
#include "onnx/import/common.h"
#include "onnx/import/importers.h"
#include "tensor/convert.h"

namespace q8::onnxfe {

namespace {

Tensor constant_value(Context& ctx) {
  if (auto t = ctx.attr_tensor("value")) return *t;
  if (ctx.has_attr("value_float")) return make_f32({}, {ctx.attr_float("value_float", 0.0f)});
  if (ctx.has_attr("value_floats")) {
    auto v = ctx.attr_floats("value_floats");
    return make_f32({static_cast<int64_t>(v.size())}, v);
  }
  if (ctx.has_attr("value_int")) return make_i64({}, {ctx.attr_int("value_int")});
  if (ctx.has_attr("value_ints")) {
    auto v = ctx.attr_ints("value_ints");
    return make_i64({static_cast<int64_t>(v.size())}, v);
  }
  ctx.fail("only numeric Constant values are supported (value, value_float(s), value_int(s))");
}

}  // namespace

void import_constant(Context& ctx) {
  ctx.set_output(0, ctx.constant(constant_value(ctx)));
}

void import_identity(Context& ctx) {
  ctx.set_output(0, ctx.input(0));
}

// At inference Dropout is the identity and its optional mask is all true. training_mode
// (opset 12 input) asks for real dropout, which a converted model cannot do.
void import_dropout(Context& ctx) {
  if (auto training = ctx.const_ints(2);
      (training && !training->empty() && training->at(0) != 0) || (ctx.has_input(2) && !training))
    ctx.fail("Dropout in training mode is not an inference op");
  Output x = ctx.input(0);
  ctx.set_output(0, x);
  if (ctx.has_output(1)) {
    Tensor one(ElementType::kBoolean, {});
    one.mutable_data<uint8_t>()[0] = 1;
    Output all_true = ctx.constant(one);
    ctx.set_output(
        1, ctx.op("Broadcast", {all_true, shape_of(ctx, x)}, {{"mode", std::string("numpy")}}, "opset3"));
  }
}

void import_cast(Context& ctx) {
  ElementType to = element_type_from_onnx(static_cast<int32_t>(ctx.attr_int("to")), "Cast target");
  ctx.set_output(0, ctx.op("Convert", {ctx.input(0)}, {{"destination_type", to}}));
}

void import_cast_like(Context& ctx) {
  ctx.set_output(0, ctx.op("ConvertLike", {ctx.input(0), ctx.input(1)}));
}

void import_einsum(Context& ctx) {
  std::vector<Output> in;
  for (int i = 0; i < ctx.input_count(); ++i) in.push_back(ctx.input(i));
  std::string eq = ctx.attr_string("equation", "");
  std::erase(eq, ' ');
  ctx.set_output(0, ctx.op("Einsum", in, {{"equation", eq}}));
}

}  // namespace q8::onnxfe
