#include <numeric>

#include "passes/passes.h"
#include "tensor/convert.h"

namespace q8::passes {
namespace {

const PortInfo& port_of(const Output& o) {
  return o.node->outputs.at(static_cast<size_t>(o.index));
}

bool same_static_shape(const PortInfo& a, const PortInfo& b) {
  return a.shape.is_static() && b.shape.is_static() && a.shape == b.shape && a.type == b.type;
}

bool is_identity_transpose(const Node& n) {
  const Node* order = n.inputs[1].node;
  if (order->type() != "Const") return false;
  auto perm = to_ints(order->value);
  for (size_t i = 0; i < perm.size(); ++i)
    if (perm[i] != static_cast<int64_t>(i)) return false;
  return !perm.empty();
}

bool is_noop(const Node& n) {
  const std::string& t = n.type();
  if (n.inputs.empty() || n.outputs.size() != 1) return false;
  const PortInfo& in = port_of(n.inputs[0]);
  const PortInfo& out = n.outputs[0];
  if (t == "Convert") return in.type == out.type;
  if (t == "Reshape" || t == "Squeeze" || t == "Unsqueeze" || t == "Broadcast")
    return same_static_shape(in, out);
  if (t == "Transpose") return is_identity_transpose(n);
  if (t == "Concat") return n.inputs.size() == 1;
  return false;
}

}  // namespace

void eliminate_noops(Graph& g) {
  for (Node* n : g.topological_order()) {
    if (!is_noop(*n)) continue;
    // A no-op feeding a Result directly keeps its node name as the output name: leave it.
    bool feeds_result = false;
    for (auto& [consumer, idx] : g.consumers(n->output())) feeds_result |= consumer->type() == "Result";
    if (feeds_result) continue;
    bypass(g, *n, n->inputs[0]);
  }
  remove_dead_nodes(g);
}

}  // namespace q8::passes
