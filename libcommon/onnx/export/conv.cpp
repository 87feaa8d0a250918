// Convolution and GroupConvolution -> Conv. Weights go through Context::weights, so quantized
// weights reach Conv as int8 + DequantizeLinear (ONNX Runtime's QDQ pattern for QLinearConv).
#include "onnx/export/exporters.h"
#include "tensor/convert.h"

namespace q8::onnxexp {

namespace {

// strides, dilations, pads (pads_begin + pads_end) or auto_pad, kernel_shape.
void conv_like_attrs(Context& ctx, onnx::NodeProto& n, const Shape& kernel) {
  set_window_attrs(ctx, n, kernel);
  const Node& node = ctx.node();
  if (node.has_attr("dilations")) set_attr(n, "dilations", node.attr<std::vector<int64_t>>("dilations"));
}

// A following Add of a per-channel constant (mo splits the bias off Conv) becomes Conv's bias
// input, so ONNX Runtime sees DequantizeLinear -> Conv -> [Relu] -> QuantizeLinear and runs QLinearConv.
// Returns {bias tensor, output name}; the bias is empty when there is none.
std::pair<std::string, std::string> fold_bias(Context& ctx, int64_t channels) {
  const Node* add = ctx.sole_consumer("Add");
  if (add && add->attr<std::string>("auto_broadcast") == "numpy") {
    const Node& conv = ctx.node();
    for (int i = 0; i < 2; ++i) {
      if (add->input(1 - i).node != &conv) continue;
      auto b = ctx.value_of(add->input(i));
      const PartialShape& out = conv.outputs.at(0).shape;
      if (!b || out.rank_dynamic || b->shape().size() > out.rank() || b->size() != channels) break;
      // All dims 1 except the channel dim (axis 1 of the output, shapes right-aligned).
      bool per_channel = true;
      size_t off = out.rank() - b->shape().size();
      for (size_t d = 0; d < b->shape().size(); ++d)
        per_channel = per_channel && (d + off == 1 ? b->shape()[d] == channels : b->shape()[d] == 1);
      if (!per_channel || channels == 1) break;
      std::string bias = ctx.initializer("bias", make_f32({channels}, to_floats(*b)));
      return {bias, ctx.absorb(add)};
    }
  }
  return {"", ctx.output_name()};
}

Shape static_weights(Context& ctx) {
  const PortInfo& w = ctx.port(1);
  if (!w.shape.is_static()) ctx.fail("weights shape " + w.shape.to_string() + " must be static");
  return w.shape.to_shape();
}

}  // namespace

void export_convolution(Context& ctx) {
  Shape ws = static_weights(ctx);
  if (ws.size() < 3) ctx.fail("weights must have rank >= 3");
  std::string x = ctx.input(0), w = ctx.weights(ctx.node().input(1), ws);
  auto [bias, out] = fold_bias(ctx, ws[0]);
  auto& n = ctx.emit(
      "Conv", bias.empty() ? std::vector<std::string>{x, w} : std::vector<std::string>{x, w, bias}, {out});
  conv_like_attrs(ctx, n, Shape(ws.begin() + 2, ws.end()));
}

// Weights [G, O/G, I/G, k...] become Conv's [O, I/G, k...] with group = G.
void export_group_convolution(Context& ctx) {
  Shape ws = static_weights(ctx);
  if (ws.size() < 4) ctx.fail("weights must have rank >= 4");
  Shape conv{ws[0] * ws[1]};
  conv.insert(conv.end(), ws.begin() + 2, ws.end());
  std::string x = ctx.input(0), w = ctx.weights(ctx.node().input(1), conv);
  auto [bias, out] = fold_bias(ctx, conv[0]);
  auto& n = ctx.emit(
      "Conv", bias.empty() ? std::vector<std::string>{x, w} : std::vector<std::string>{x, w, bias}, {out});
  set_attr(n, "group", ws[0]);
  conv_like_attrs(ctx, n, Shape(ws.begin() + 3, ws.end()));
}

}  // namespace q8::onnxexp
