// MaxPool (opset1, opset8 without its indices output) and AvgPool -> MaxPool / AveragePool.
#include "onnx/export/exporters.h"

namespace q8::onnxexp {

namespace {

void pool_attrs(Context& ctx, onnx::NodeProto& n) {
  const Node& node = ctx.node();
  set_window_attrs(ctx, n, node.attr<std::vector<int64_t>>("kernel"));
  if (node.attr<std::string>("rounding_type") == "ceil") set_attr(n, "ceil_mode", int64_t{1});
}

}  // namespace

void export_max_pool(Context& ctx) {
  const Node& node = ctx.node();
  // OpenVINO's indices (MaxPool-8 output 1) count differently from ONNX's; refuse them only when used.
  if (node.outputs.size() > 1 && ctx.output_used(1)) ctx.fail("the indices output has no ONNX equivalent");
  auto& n = ctx.emit("MaxPool", {ctx.input(0)}, {ctx.output_name()});
  pool_attrs(ctx, n);
  if (node.has_attr("dilations")) {
    const auto& d = node.attr<std::vector<int64_t>>("dilations");
    bool ones = true;
    for (int64_t v : d) ones = ones && v == 1;
    if (!ones) set_attr(n, "dilations", d);
  }
}

void export_avg_pool(Context& ctx) {
  auto& n = ctx.emit("AveragePool", {ctx.input(0)}, {ctx.output_name()});
  pool_attrs(ctx, n);
  if (!ctx.node().attr<bool>("exclude-pad")) set_attr(n, "count_include_pad", int64_t{1});
}

}  // namespace q8::onnxexp
