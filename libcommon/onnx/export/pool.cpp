// MaxPool (opset1, opset8 without its indices output) and AvgPool -> MaxPool / AveragePool.
#include "onnx/export/exporters.h"

namespace q8::onnxexp {

namespace {

void pool_attrs(Context& ctx, onnx::NodeProto& n) {
  const Node& node = ctx.node();
  const auto& kernel = node.attr<std::vector<int64_t>>("kernel");
  set_attr(n, "kernel_shape", kernel);
  set_attr(n, "strides", node.attr<std::vector<int64_t>>("strides"));
  if (node.attr<std::string>("rounding_type") == "ceil") set_attr(n, "ceil_mode", int64_t{1});
  std::string pad = node.attr<std::string>("auto_pad");
  if (pad == "same_upper" || pad == "same_lower" || pad == "valid") {
    set_attr(n, "auto_pad",
             pad == "valid"        ? std::string("VALID")
             : pad == "same_upper" ? "SAME_UPPER"
                                   : "SAME_LOWER");
    return;
  }
  std::vector<int64_t> pads = node.attr<std::vector<int64_t>>("pads_begin");
  const auto& end = node.attr<std::vector<int64_t>>("pads_end");
  pads.insert(pads.end(), end.begin(), end.end());
  if (pads.size() != 2 * kernel.size()) ctx.fail("pads_begin/pads_end do not match the kernel rank");
  set_attr(n, "pads", pads);
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
