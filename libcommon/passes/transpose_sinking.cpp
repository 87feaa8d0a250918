// Moves Transposes towards the outputs through ops that commute with a permutation, merges
// consecutive Transposes and drops the ones that cancel. TF graphs arrive with every
// layout-sensitive op wrapped in NHWC->NCHW ... NCHW->NHWC pairs; after this pass only the
// Transposes where the layout really matters (before a Reshape/flatten, at an output) remain.
#include <algorithm>
#include <numeric>
#include <optional>
#include <set>

#include "graph/shape_infer.h"
#include "passes/passes.h"
#include "runtime/reference.h"
#include "tensor/convert.h"

namespace q8::passes {

namespace {

using Perm = std::vector<int64_t>;

const std::set<std::string> kUnary = {"ReLU",   "Clamp",    "Sigmoid", "Tanh",      "Sqrt",     "Exp",
                                      "Abs",    "Negative", "Elu",     "Erf",       "Gelu",     "Swish",
                                      "HSwish", "Floor",    "Ceiling", "Convert",   "SoftPlus", "HSigmoid",
                                      "Mish",   "Log",      "Sign",    "LogicalNot"};
const std::set<std::string> kBinary = {"Add",     "Subtract", "Multiply", "Divide",
                                       "Maximum", "Minimum",  "Power",    "SquaredDifference"};
const std::set<std::string> kReduce = {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd"};

// The permutation of a Transpose with a constant order.
std::optional<Perm> perm_of(Output o) {
  const Node& n = *o.node;
  if (n.type() != "Transpose" || n.inputs[1].node->type() != "Const") return std::nullopt;
  return to_ints(n.inputs[1].node->value);
}

Perm inverse(const Perm& p) {
  Perm inv(p.size());
  for (size_t i = 0; i < p.size(); ++i) inv[static_cast<size_t>(p[i])] = static_cast<int64_t>(i);
  return inv;
}

bool is_identity(const Perm& p) {
  for (size_t i = 0; i < p.size(); ++i)
    if (p[i] != static_cast<int64_t>(i)) return false;
  return true;
}

Node* perm_const(Graph& g, const std::string& name, const Perm& p) {
  return g.add_const(name + "/order", make_i64({static_cast<int64_t>(p.size())}, p));
}

Output add_transpose(Graph& g, const std::string& name, Output x, const Perm& p) {
  Node* t = g.add("Transpose", name);
  t->inputs = {x, perm_const(g, name, p)->output()};
  infer_node(*t);
  return t->output();
}

// Constant `c` with leading 1-dims up to the permutation's rank, permuted by `p` (reference kernel).
std::optional<Output> permuted_const(Graph& g, const Node& c, const Perm& p) {
  Shape s = c.value.shape();
  if (s.size() > p.size()) return std::nullopt;
  s.insert(s.begin(), p.size() - s.size(), 1);
  Tensor v = Tensor::from_bytes(c.value.type(), s, c.value.bytes(), c.value.byte_size());
  Node* shaped = g.add_const(c.name() + "/ranked", v);
  Node* order = perm_const(g, c.name(), p);
  Node* t = g.add("Transpose", c.name() + "/permuted");
  t->inputs = {shaped->output(), order->output()};
  Tensor out = runtime::evaluate(*t, {v, order->value}).at(0);
  return g.add_const(c.name() + "/permuted", out)->output();
}

// Everything that read n's output 0 reads `p`-Transpose of it instead (names move along).
void transpose_after(Graph& g, Node& n, const Perm& p) {
  infer_node(n);
  auto readers = g.consumers(n.output());
  if (is_identity(p)) return;
  Output t = add_transpose(g, n.name() + "/transpose", n.output(), p);
  for (auto& [consumer, index] : readers) consumer->inputs[static_cast<size_t>(index)] = t;
  t.node->outputs[0].names = n.outputs[0].names;
  n.outputs[0].names.clear();
}

// The output permutation after removing `axes` (input-side axes of a rank-p.size() tensor).
Perm drop_axes(const Perm& p, const std::set<int64_t>& in_axes) {
  Perm out;
  for (int64_t a : p)
    if (!in_axes.count(a))
      out.push_back(a - std::count_if(in_axes.begin(), in_axes.end(), [&](int64_t r) { return r < a; }));
  return out;
}

bool sink_unary(Graph& g, Node& n) {
  auto p = perm_of(n.inputs[0]);
  if (!p) return false;
  n.inputs[0] = n.inputs[0].node->inputs[0];
  transpose_after(g, n, *p);
  return true;
}

// Both operands transposed the same way, or one transposed and the other a constant that can be
// permuted back (a per-channel NHWC bias [C] becomes [1, C, 1, 1]).
bool sink_binary(Graph& g, Node& n) {
  auto first = perm_of(n.inputs[0]) ? perm_of(n.inputs[0]) : perm_of(n.inputs[1]);
  if (!first) return false;
  Perm p = *first;
  std::vector<Output> in = n.inputs;
  for (auto& x : in) {
    auto px = perm_of(x);
    if (px && *px == p) {
      x = x.node->inputs[0];
      continue;
    }
    if (x.node->type() != "Const") return false;
    auto c = permuted_const(g, *x.node, inverse(p));
    if (!c) return false;
    x = *c;
  }
  n.inputs = in;
  transpose_after(g, n, p);
  return true;
}

// Concat of values transposed the same way (or constants of the full rank): permute the axis.
bool sink_concat(Graph& g, Node& n) {
  std::optional<Perm> p;
  for (const auto& x : n.inputs)
    if ((p = perm_of(x))) break;
  if (!p) return false;
  auto rank = static_cast<int64_t>(p->size());
  std::vector<Output> in;
  for (const auto& x : n.inputs) {
    auto px = perm_of(x);
    if (px && *px == *p) {
      in.push_back(x.node->inputs[0]);
    } else if (x.node->type() == "Const" && static_cast<int64_t>(x.node->value.shape().size()) == rank) {
      in.push_back(*permuted_const(g, *x.node, inverse(*p)));
    } else {
      return false;
    }
  }
  int64_t axis = n.attr<int64_t>("axis");
  n.inputs = in;
  n.set_attr("axis", (*p)[static_cast<size_t>(axis < 0 ? axis + rank : axis)]);
  transpose_after(g, n, *p);
  return true;
}

// Reductions and Squeeze with constant axes: the axes are permuted; the dims they drop leave the
// output permutation.
bool sink_reduce(Graph& g, Node& n) {
  auto p = perm_of(n.inputs[0]);
  if (!p || n.inputs[1].node->type() != "Const") return false;
  auto rank = static_cast<int64_t>(p->size());
  std::set<int64_t> axes;
  for (int64_t a : to_ints(n.inputs[1].node->value))
    axes.insert((*p)[static_cast<size_t>(a < 0 ? a + rank : a)]);
  Perm sorted(axes.begin(), axes.end());
  Node* c = g.add_const(n.name() + "/axes", make_i64({static_cast<int64_t>(sorted.size())}, sorted));
  n.inputs = {n.inputs[0].node->inputs[0], c->output()};
  bool keep = n.type() != "Squeeze" && n.attr<bool>("keep_dims");
  transpose_after(g, n, keep ? *p : drop_axes(*p, axes));
  return true;
}

// Pad with constant pads: pad i of the transposed tensor is pad p[i] of the original.
bool sink_pad(Graph& g, Node& n) {
  auto p = perm_of(n.inputs[0]);
  if (!p || n.inputs[1].node->type() != "Const" || n.inputs[2].node->type() != "Const") return false;
  for (int k : {1, 2}) {
    auto pads = to_ints(n.inputs[static_cast<size_t>(k)].node->value);
    if (pads.size() != p->size()) return false;
    Perm moved(pads.size());
    for (size_t i = 0; i < pads.size(); ++i) moved[static_cast<size_t>((*p)[i])] = pads[i];
    Node* c = g.add_const(n.name() + (k == 1 ? "/pads_begin" : "/pads_end"),
                          make_i64({static_cast<int64_t>(moved.size())}, moved));
    n.inputs[static_cast<size_t>(k)] = c->output();
  }
  n.inputs[0] = n.inputs[0].node->inputs[0];
  transpose_after(g, n, *p);
  return true;
}

// Transpose(Transpose(x, p1), p2) = Transpose(x, p1[p2]); nothing at all when that is the identity.
bool merge_transposes(Graph& g, Node& n) {
  auto p2 = perm_of(n.output());
  auto p1 = perm_of(n.inputs[0]);
  if (!p1 || !p2 || p1->size() != p2->size()) return false;
  Perm q(p2->size());
  for (size_t j = 0; j < q.size(); ++j) q[j] = (*p1)[static_cast<size_t>((*p2)[j])];
  Output x = n.inputs[0].node->inputs[0];
  if (is_identity(q)) {
    replace_output(g, n.output(), x);
  } else {
    n.inputs = {x, perm_const(g, n.name(), q)->output()};
    infer_node(n);
  }
  return true;
}

bool sink_through(Graph& g, Node& n) {
  const std::string& t = n.type();
  if (t == "Transpose") return merge_transposes(g, n);
  if (kUnary.count(t) && n.inputs.size() == 1) return sink_unary(g, n);
  if (kBinary.count(t)) return sink_binary(g, n);
  if (t == "Concat") return sink_concat(g, n);
  if (kReduce.count(t) || (t == "Squeeze" && n.inputs.size() == 2)) return sink_reduce(g, n);
  if (t == "Pad") return sink_pad(g, n);
  return false;
}

// A Transpose that only moves dims of size 1 keeps the data order: it is a Reshape.
void transpose_to_reshape(Graph& g, Node& n) {
  auto p = perm_of(n.output());
  if (!p) return;
  const PartialShape& in = n.inputs[0].node->outputs.at(static_cast<size_t>(n.inputs[0].index)).shape;
  if (!in.is_static() || in.rank() != p->size()) return;
  Shape s = in.to_shape();
  int64_t last = -1;
  for (int64_t a : *p) {
    if (s[static_cast<size_t>(a)] == 1) continue;
    if (a < last) return;
    last = a;
  }
  Shape out = n.outputs[0].shape.to_shape();
  Node* r = g.add("Reshape", n.name() + "/reshape");
  r->inputs = {n.inputs[0],
               g.add_const(n.name() + "/shape", make_i64({static_cast<int64_t>(out.size())}, out))->output()};
  r->set_attr("special_zero", false);
  infer_node(*r);
  replace_output(g, n.output(), r->output());
}

}  // namespace

void transpose_sinking(Graph& g) {
  for (bool changed = true; changed;) {
    changed = false;
    remove_dead_nodes(g);
    for (Node* n : g.topological_order()) changed = sink_through(g, *n) || changed;
  }
  for (Node* n : g.topological_order()) transpose_to_reshape(g, *n);
  remove_dead_nodes(g);
}

}  // namespace q8::passes
