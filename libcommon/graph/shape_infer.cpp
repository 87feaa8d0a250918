#include "graph/shape_infer.h"

#include "base/error.h"

namespace q8 {

void infer_node(Node& n) {
  InferFn fn = n.def().infer;
  if (!fn) throw_bad_input(n.describe() + ": no shape inference for this op");
  InferInputs in;
  for (const Output& src : n.inputs) {
    if (!src.node) throw_internal(n.describe() + ": unconnected input");
    in.ports.push_back(&src.node->outputs.at(static_cast<size_t>(src.index)));
    in.values.push_back(src.node->type() == "Const" ? &src.node->value : nullptr);
  }
  std::vector<PortInfo> outs = with_context(n.describe(), [&] { return fn(n, in); });
  if (n.def().outputs >= 0 && static_cast<int>(outs.size()) != n.def().outputs)
    throw_internal(n.describe() + ": shape inference returned " + std::to_string(outs.size()) + " outputs");
  for (size_t i = 0; i < outs.size() && i < n.outputs.size(); ++i) outs[i].names = n.outputs[i].names;
  n.outputs = std::move(outs);
}

void infer_shapes(Graph& g) {
  for (Node* n : g.topological_order()) infer_node(*n);
}

}  // namespace q8
