#include "passes/channel_constants.h"

#include "passes/passes.h"
#include "tensor/convert.h"

namespace q8::passes {

std::optional<std::vector<float>> channel_values(const Tensor& t, size_t rank, size_t axis,
                                                 int64_t channels) {
  const Shape& s = t.shape();
  if (s.size() > rank) return std::nullopt;
  size_t offset = rank - s.size();
  int64_t along = 1;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == 1) continue;
    if (i + offset != axis || s[i] != channels) return std::nullopt;
    along = s[i];
  }
  std::vector<float> v = to_floats(t);
  if (along == 1) return std::vector<float>(static_cast<size_t>(channels), v.at(0));
  return v;
}

Node* sole_consumer(const Graph& g, Output out) {
  auto c = g.consumers(out);
  return c.size() == 1 ? c[0].first : nullptr;
}

Node* const_input(const Node& n, int index) {
  if (index >= static_cast<int>(n.inputs.size())) return nullptr;
  Node* p = n.inputs[static_cast<size_t>(index)].node;
  return p->type() == "Const" ? p : nullptr;
}

std::optional<WeightedOp> weighted_op(const Node& n) {
  Node* w = const_input(n, 1);
  if (!w || w->value.type() != ElementType::kF32) return std::nullopt;
  const Shape& ws = w->value.shape();
  if (n.type() == "Convolution" && ws.size() >= 3) return WeightedOp{ws[0], 1, w};
  if (n.type() == "GroupConvolution" && ws.size() >= 4) return WeightedOp{ws[0] * ws[1], 1, w};
  if (n.type() == "MatMul" && ws.size() == 2 && n.outputs[0].shape.rank() >= 2) {
    bool tb = n.attr<bool>("transpose_b");
    return WeightedOp{tb ? ws[0] : ws[1], n.outputs[0].shape.rank() - 1, w};
  }
  return std::nullopt;
}

void scale_weights(Graph& g, Node& op, const WeightedOp& w, const std::vector<float>& scale) {
  Tensor t = w.weights->value.clone();
  float* d = t.mutable_data<float>();
  const Shape& s = t.shape();
  int64_t total = t.size();
  bool matmul_cols = op.type() == "MatMul" && !op.attr<bool>("transpose_b");
  if (matmul_cols) {  // [K, N]: output channel is the column
    for (int64_t i = 0; i < total; ++i) d[i] *= scale[static_cast<size_t>(i % s[1])];
  } else {  // output channel is the leading index (GroupConvolution: G * O/G flattened)
    int64_t per_channel = total / w.channels;
    for (int64_t i = 0; i < total; ++i) d[i] *= scale[static_cast<size_t>(i / per_channel)];
  }
  Node* c = g.add_const(w.weights->name(), std::move(t));
  op.inputs[1] = c->output();
}

}  // namespace q8::passes
