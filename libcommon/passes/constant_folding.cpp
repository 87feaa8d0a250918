#include "base/error.h"
#include "graph/shape_infer.h"
#include "passes/passes.h"
#include "runtime/reference.h"
#include "tensor/convert.h"

namespace q8::passes {
namespace {

bool foldable(const Node& n) {
  const std::string& t = n.type();
  if (t == "Const" || t == "Parameter" || t == "Result" || t == "FakeQuantize") return false;
  if (n.inputs.empty()) return false;
  for (const Output& in : n.inputs)
    if (in.node->type() != "Const") return false;
  return true;
}

std::string const_name(const Node& n, size_t index) {
  return n.outputs.size() == 1 ? n.name() : n.name() + "." + std::to_string(index);
}

void fold(Graph& g, Node& n) {
  std::vector<Tensor> args;
  for (const Output& in : n.inputs) args.push_back(in.node->value);
  std::vector<Tensor> outs = runtime::evaluate(n, args);
  for (size_t i = 0; i < outs.size(); ++i) {
    if (g.consumers(n.output(static_cast<int>(i))).empty()) continue;
    ElementType port_type = n.outputs[i].type;
    Tensor value = is_static_type(port_type) ? convert(outs[i], port_type) : outs[i];
    Node* c = g.add_const(const_name(n, i), value);
    replace_output(g, n.output(static_cast<int>(i)), c->output());
  }
}

}  // namespace

void fold_constants(Graph& g) {
  for (Node* n : g.topological_order())
    if (foldable(*n)) fold(g, *n);
  remove_dead_nodes(g);
}

void fold_shape_of(Graph& g) {
  for (Node* n : g.topological_order()) {
    if (n->type() != "ShapeOf") continue;
    const PortInfo& in = n->inputs[0].node->outputs.at(static_cast<size_t>(n->inputs[0].index));
    if (!in.shape.is_static()) continue;
    Shape dims = in.shape.to_shape();
    Tensor value = convert(make_i64({static_cast<int64_t>(dims.size())}, dims), n->outputs[0].type);
    Node* c = g.add_const(n->name(), value);
    replace_output(g, n->output(), c->output());
  }
  remove_dead_nodes(g);
}

}  // namespace q8::passes
