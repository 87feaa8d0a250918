#include "graph/shape_infer.h"
#include "passes/channel_constants.h"
#include "passes/passes.h"
#include "runtime/reference.h"
#include "tensor/convert.h"

namespace q8::passes {
namespace {

// For a binary op with exactly one Const input: the other input and the Const.
struct ConstOperand {
  Output x;
  Node* c;
};
std::optional<ConstOperand> const_operand(const Node& n) {
  if (n.inputs.size() != 2) return std::nullopt;
  Node *a = const_input(n, 0), *b = const_input(n, 1);
  if ((a == nullptr) == (b == nullptr)) return std::nullopt;
  return a ? ConstOperand{n.inputs[1], a} : ConstOperand{n.inputs[0], b};
}

bool is_numpy_binary(const Node& n, const char* type) {
  return n.type() == type && n.attr<std::string>("auto_broadcast") == "numpy" &&
         n.outputs[0].type == ElementType::kF32;
}

// Output rank of the tensor flowing through `out`.
size_t rank_of(Output out) {
  return out.node->outputs.at(static_cast<size_t>(out.index)).shape.rank();
}

// Conv -> Multiply(m): m goes into the weights.
bool fold_scale_into_weights(Graph& g, Node& mul, const ConstOperand& op) {
  Node* producer = op.x.node;
  auto w = weighted_op(*producer);
  if (!w || sole_consumer(g, op.x) != &mul) return false;
  auto m = channel_values(op.c->value, rank_of(op.x), w->axis, w->channels);
  if (!m) return false;
  scale_weights(g, *producer, *w, *m);
  bypass(g, mul, op.x);
  return true;
}

// Conv -> Add(b) -> Multiply(m): becomes Conv(W*m) -> Add(b*m).
bool fold_scale_through_bias(Graph& g, Node& mul, const ConstOperand& op) {
  Node* add = op.x.node;
  if (!is_numpy_binary(*add, "Add") || sole_consumer(g, op.x) != &mul) return false;
  auto bias = const_operand(*add);
  if (!bias || !weighted_op(*bias->x.node) || sole_consumer(g, bias->x) != add) return false;
  auto w = weighted_op(*bias->x.node);
  size_t rank = rank_of(op.x);
  auto m = channel_values(op.c->value, rank, w->axis, w->channels);
  auto b = channel_values(bias->c->value, rank, w->axis, w->channels);
  if (!m || !b) return false;
  scale_weights(g, *bias->x.node, *w, *m);
  std::vector<float> scaled(b->size());
  for (size_t i = 0; i < b->size(); ++i) scaled[i] = (*b)[i] * (*m)[i];
  Shape s(rank, 1);
  s[w->axis] = w->channels;
  Node* nb = g.add_const(bias->c->name(), make_f32(s, scaled));
  add->inputs = {bias->x, nb->output()};
  infer_node(*add);
  bypass(g, mul, add->output());
  return true;
}

// op(op(x, c1), c2) -> op(x, c) with c = op(c1, c2) computed now, so longer chains keep merging.
bool merge_chain(Graph& g, Node& n, const ConstOperand& op) {
  Node* inner = op.x.node;
  if (!is_numpy_binary(*inner, n.type().c_str()) || sole_consumer(g, op.x) != &n) return false;
  auto first = const_operand(*inner);
  if (!first) return false;
  Node* combine = g.add(n.type(), n.name() + "/merged_const");
  combine->inputs = {first->c->output(), op.c->output()};
  infer_node(*combine);
  Tensor value = runtime::evaluate(*combine, {first->c->value, op.c->value}).at(0);
  combine->inputs.clear();  // now dead; remove_dead_nodes drops it
  Node* merged = g.add_const(n.name() + "/merged_const", std::move(value));
  n.inputs = {first->x, merged->output()};
  infer_node(n);
  return true;
}

}  // namespace

void fuse_mul_add(Graph& g) {
  for (Node* n : g.topological_order()) {
    bool mul = is_numpy_binary(*n, "Multiply"), add = is_numpy_binary(*n, "Add");
    if (!mul && !add) continue;
    auto op = const_operand(*n);
    if (!op) continue;
    if (mul && (fold_scale_into_weights(g, *n, *op) || fold_scale_through_bias(g, *n, *op))) continue;
    merge_chain(g, *n, *op);
  }
  remove_dead_nodes(g);
  fold_constants(g);
}

}  // namespace q8::passes
