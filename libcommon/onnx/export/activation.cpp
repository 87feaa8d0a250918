// Activations: direct ONNX ops where opset 13 has them, decompositions where it does not
// (HardSwish and Gelu came in later opsets, Swish and Mish are not ONNX ops).
#include <cmath>

#include "onnx/export/exporters.h"
#include "tensor/convert.h"

namespace q8::onnxexp {

namespace {

float scalar_input(Context& ctx, int i, const std::string& what) {
  Tensor t = ctx.require_const(i, what);
  if (t.size() != 1) ctx.fail(what + " must be a scalar");
  return static_cast<float>(t.value_as_double(0));
}

}  // namespace

void export_clamp(Context& ctx) {
  const Node& n = ctx.node();
  float lo = static_cast<float>(n.attr<double>("min")), hi = static_cast<float>(n.attr<double>("max"));
  if (!type_info(ctx.port(0).type).is_float) ctx.fail("Clamp of integers is not exported");
  ctx.emit("Clip", {ctx.input(0), ctx.floats("min", {lo}, true), ctx.floats("max", {hi}, true)},
           {ctx.output_name()});
}

// OpenVINO broadcasts a 1-D slope along the channel axis (1); ONNX PRelu broadcasts it from the
// right, so the slope becomes [C, 1, ...].
void export_prelu(Context& ctx) {
  std::string x = ctx.input(0), slope;
  int64_t rank = ctx.input_rank(0);
  const PortInfo& sp = ctx.port(1);
  if (!sp.shape.rank_dynamic && sp.shape.rank() == 1 && rank > 2 && sp.shape.is_static() &&
      sp.shape.to_shape()[0] > 1) {
    Shape s{sp.shape.to_shape()[0]};
    for (int64_t i = 2; i < rank; ++i) s.push_back(1);
    slope = ctx.weights(ctx.node().input(1), s);
  } else if (sp.shape.is_static() && num_elements(sp.shape.to_shape()) == 1) {
    slope = ctx.weights(ctx.node().input(1), Shape{});  // one slope for all: a scalar says so in any reader
  } else {
    slope = ctx.input(1);
  }
  ctx.emit("PRelu", {x, slope}, {ctx.output_name()});
}

void export_elu(Context& ctx) {
  set_attr(ctx.emit("Elu", {ctx.input(0)}, {ctx.output_name()}), "alpha",
           static_cast<float>(ctx.node().attr<double>("alpha")));
}

void export_hsigmoid(Context& ctx) {
  auto& n = ctx.emit("HardSigmoid", {ctx.input(0)}, {ctx.output_name()});
  set_attr(n, "alpha", 1.0f / 6.0f);
  set_attr(n, "beta", 0.5f);
}

void export_hard_sigmoid(Context& ctx) {
  auto& n = ctx.emit("HardSigmoid", {ctx.input(0)}, {ctx.output_name()});
  set_attr(n, "alpha", scalar_input(ctx, 1, "alpha"));
  set_attr(n, "beta", scalar_input(ctx, 2, "beta"));
}

// x * HardSigmoid(x; 1/6, 0.5) (HardSwish is opset 14).
void export_hswish(Context& ctx) {
  std::string x = ctx.input(0);
  auto& hs = ctx.emit("HardSigmoid", {x});
  set_attr(hs, "alpha", 1.0f / 6.0f);
  set_attr(hs, "beta", 0.5f);
  ctx.emit("Mul", {x, hs.output(0)}, {ctx.output_name()});
}

// x * Sigmoid(beta * x).
void export_swish(Context& ctx) {
  std::string x = ctx.input(0), arg = x;
  if (ctx.has_input(1)) arg = ctx.emit("Mul", {x, ctx.input(1)}).output(0);
  ctx.emit("Mul", {x, ctx.emit("Sigmoid", {arg}).output(0)}, {ctx.output_name()});
}

// x * Tanh(Softplus(x)).
void export_mish(Context& ctx) {
  std::string x = ctx.input(0);
  std::string t = ctx.emit("Tanh", {ctx.emit("Softplus", {x}).output(0)}).output(0);
  ctx.emit("Mul", {x, t}, {ctx.output_name()});
}

// 0.5 x (1 + erf(x / sqrt 2)), or with tanh: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
void export_gelu(Context& ctx) {
  const Node& n = ctx.node();
  std::string mode = n.has_attr("approximation_mode") ? n.attr<std::string>("approximation_mode") : "ERF";
  std::string x = ctx.input(0), inner;
  if (mode == "ERF" || mode == "erf") {
    inner =
        ctx.emit("Erf", {ctx.emit("Mul", {x, ctx.floats("inv_sqrt2", {static_cast<float>(M_SQRT1_2)}, true)})
                             .output(0)})
            .output(0);
  } else {
    std::string x3 = ctx.emit("Mul", {x, ctx.emit("Mul", {x, x}).output(0)}).output(0);
    std::string poly =
        ctx.emit("Add", {x, ctx.emit("Mul", {x3, ctx.floats("c", {0.044715f}, true)}).output(0)}).output(0);
    float k = static_cast<float>(std::sqrt(2.0 / M_PI));
    inner = ctx.emit("Tanh", {ctx.emit("Mul", {poly, ctx.floats("k", {k}, true)}).output(0)}).output(0);
  }
  std::string one_plus = ctx.emit("Add", {inner, ctx.floats("one", {1.0f}, true)}).output(0);
  std::string half_x = ctx.emit("Mul", {x, ctx.floats("half", {0.5f}, true)}).output(0);
  ctx.emit("Mul", {half_x, one_plus}, {ctx.output_name()});
}

void export_softmax(Context& ctx) {
  const char* op = ctx.node().type() == "SoftMax" ? "Softmax" : "LogSoftmax";
  set_attr(ctx.emit(op, {ctx.input(0)}, {ctx.output_name()}), "axis", ctx.node().attr<int64_t>("axis"));
}

}  // namespace q8::onnxexp
