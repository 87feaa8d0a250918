// BatchNormInference -> BatchNormalization; MVN -> its ReduceMean/Sub/Sqrt/Div decomposition.
#include "onnx/export/exporters.h"

namespace q8::onnxexp {

void export_batch_norm(Context& ctx) {
  // opset1 orders the inputs gamma, beta, data, mean, variance; opset5 data first.
  bool v1 = ctx.node().def().opset == 1;
  int data = v1 ? 2 : 0, gamma = v1 ? 0 : 1, beta = v1 ? 1 : 2;
  auto& n = ctx.emit("BatchNormalization",
                     {ctx.input(data), ctx.input(gamma), ctx.input(beta), ctx.input(3), ctx.input(4)},
                     {ctx.output_name()});
  set_attr(n, "epsilon", static_cast<float>(ctx.node().attr<double>("epsilon")));
}

void export_mvn(Context& ctx) {
  const Node& node = ctx.node();
  int64_t rank = ctx.input_rank(0);
  std::vector<int64_t> axes;
  bool inside = false;
  float eps = static_cast<float>(node.attr<double>("eps"));
  if (node.def().opset == 1) {
    axes = node.attr<std::vector<int64_t>>("reduction_axes");
    if (axes.empty())
      for (int64_t a = node.attr<bool>("across_channels") ? 1 : 2; a < rank; ++a) axes.push_back(a);
  } else {
    axes = ctx.const_ints(1, "axes");
    inside = node.attr<std::string>("eps_mode") == "inside_sqrt";
  }
  std::string x = ctx.input(0);
  auto mean = [&](const std::string& t) {
    auto& m = ctx.emit("ReduceMean", {t});
    set_attr(m, "axes", axes);
    set_attr(m, "keepdims", int64_t{1});
    return m.output(0);
  };
  std::string d = ctx.emit("Sub", {x, mean(x)}).output(0);
  if (!node.attr<bool>("normalize_variance")) {
    ctx.emit("Identity", {d}, {ctx.output_name()});
    return;
  }
  std::string var = mean(ctx.emit("Mul", {d, d}).output(0)), e = ctx.floats("eps", {eps}, true), den;
  if (inside)
    den = ctx.emit("Sqrt", {ctx.emit("Add", {var, e}).output(0)}).output(0);
  else
    den = ctx.emit("Add", {ctx.emit("Sqrt", {var}).output(0), e}).output(0);
  ctx.emit("Div", {d, den}, {ctx.output_name()});
}

}  // namespace q8::onnxexp
