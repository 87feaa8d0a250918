// Reductions: OpenVINO's axes input becomes the opset-13 form (ReduceSum takes axes as an
// input, the others as an attribute).
#include "onnx/export/exporters.h"

namespace q8::onnxexp {

void export_reduce(Context& ctx) {
  const Node& node = ctx.node();
  std::vector<int64_t> axes = ctx.const_ints(1, "axes");
  std::string op = node.type();
  int64_t keep = node.attr<bool>("keep_dims") ? 1 : 0;
  if (axes.empty()) {
    // An empty axes list reduces nothing in OpenVINO but everything in ONNX.
    ctx.emit("Identity", {ctx.input(0)}, {ctx.output_name()});
    return;
  }
  if (op == "ReduceSum") {
    auto& n = ctx.emit(op, {ctx.input(0), ctx.ints("axes", axes)}, {ctx.output_name()});
    set_attr(n, "keepdims", keep);
    return;
  }
  auto& n = ctx.emit(op, {ctx.input(0)}, {ctx.output_name()});
  set_attr(n, "axes", axes);
  set_attr(n, "keepdims", keep);
}

}  // namespace q8::onnxexp
