#include <cmath>

#include "graph/shape_infer.h"
#include "passes/channel_constants.h"
#include "passes/passes.h"
#include "tensor/convert.h"

namespace q8::passes {
namespace {

struct BatchNorm {
  Output data;
  std::vector<float> scale, shift;  // y = x * scale + shift, per channel
};

// BatchNormInference-1 takes (gamma, beta, data, mean, variance); -5 takes (data, gamma, beta, mean,
// variance).
std::optional<BatchNorm> read_batch_norm(const Node& bn) {
  bool v1 = bn.def().opset == 1;
  int data = v1 ? 2 : 0, gamma = v1 ? 0 : 1, beta = v1 ? 1 : 2;
  Node *g = const_input(bn, gamma), *b = const_input(bn, beta), *m = const_input(bn, 3),
       *v = const_input(bn, 4);
  if (!g || !b || !m || !v) return std::nullopt;
  auto gv = to_floats(g->value), bv = to_floats(b->value), mv = to_floats(m->value), vv = to_floats(v->value);
  double eps = bn.attr<double>("epsilon");
  BatchNorm out{bn.inputs[static_cast<size_t>(data)], {}, {}};
  for (size_t c = 0; c < gv.size(); ++c) {
    float s = static_cast<float>(gv[c] / std::sqrt(static_cast<double>(vv[c]) + eps));
    out.scale.push_back(s);
    out.shift.push_back(bv[c] - mv[c] * s);
  }
  return out;
}

Tensor channel_tensor(const std::vector<float>& v, size_t rank, size_t axis) {
  Shape s(rank, 1);
  s[axis] = static_cast<int64_t>(v.size());
  return make_f32(s, v);
}

Node* add_binary(Graph& g, const std::string& type, const std::string& name, Output x, const Tensor& c) {
  Node* k = g.add_const(name + "/const", c);
  Node* op = g.add(type, name);
  op->set_attr("auto_broadcast", std::string("numpy"));
  op->inputs = {x, k->output()};
  infer_node(*op);
  return op;
}

void rewrite(Graph& g, Node& bn, const BatchNorm& b) {
  size_t rank = bn.outputs[0].shape.rank();
  Output x = b.data;
  Node* producer = x.node;
  auto w = weighted_op(*producer);
  bool fuse =
      w && w->axis == 1 && w->channels == static_cast<int64_t>(b.scale.size()) && sole_consumer(g, x) == &bn;
  Output out;
  if (fuse) {
    scale_weights(g, *producer, *w, b.scale);
    out = add_binary(g, "Add", bn.name(), x, channel_tensor(b.shift, rank, 1))->output();
  } else {
    Node* mul = add_binary(g, "Multiply", bn.name() + "/scale", x, channel_tensor(b.scale, rank, 1));
    out = add_binary(g, "Add", bn.name(), mul->output(), channel_tensor(b.shift, rank, 1))->output();
  }
  bypass(g, bn, out);
}

}  // namespace

void fuse_batch_norm(Graph& g) {
  for (Node* n : g.topological_order()) {
    if (n->type() != "BatchNormInference" || n->outputs[0].shape.rank() < 2) continue;
    if (auto b = read_batch_norm(*n)) rewrite(g, *n, *b);
  }
  remove_dead_nodes(g);
}

}  // namespace q8::passes
