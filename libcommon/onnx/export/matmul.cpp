// MatMul -> MatMul, with transpose_a/transpose_b folded into constant (and quantized) operands
// or written as a Transpose of the last two axes.
#include "onnx/export/exporters.h"

namespace q8::onnxexp {

namespace {

std::string operand(Context& ctx, int i, bool transpose) {
  const PortInfo& p = ctx.port(i);
  if (p.shape.rank_dynamic) ctx.fail("MatMul operand " + std::to_string(i) + " has a dynamic rank");
  transpose = transpose && p.shape.rank() >= 2;  // OpenVINO ignores the flag on 1-D operands
  if (p.shape.is_static()) return ctx.weights(ctx.node().input(i), p.shape.to_shape(), transpose);
  std::string t = ctx.input(i);
  if (!transpose) return t;
  std::vector<int64_t> perm;
  for (size_t d = 0; d < p.shape.rank(); ++d) perm.push_back(static_cast<int64_t>(d));
  std::swap(perm[perm.size() - 1], perm[perm.size() - 2]);
  auto& tr = ctx.emit("Transpose", {t});
  set_attr(tr, "perm", perm);
  return tr.output(0);
}

}  // namespace

void export_matmul(Context& ctx) {
  const Node& n = ctx.node();
  std::string a = operand(ctx, 0, n.attr<bool>("transpose_a"));
  std::string b = operand(ctx, 1, n.attr<bool>("transpose_b"));
  ctx.emit("MatMul", {a, b}, {ctx.output_name()});
}

}  // namespace q8::onnxexp
