#include "passes/preprocess.h"

#include "base/error.h"
#include "base/log.h"
#include "graph/shape_infer.h"
#include "tensor/convert.h"

namespace q8::passes {
namespace {

int64_t channel_count(const Node& param) {
  const PartialShape& s = param.outputs[0].shape;
  if (s.rank_dynamic || s.rank() < 2 || !s.dims[1].is_static())
    throw_usage("input '" + param.name() +
                "': preprocessing needs a static channel dimension (axis 1), shape is " + s.to_string());
  return s.dims[1].min;
}

Tensor channel_constant(const std::vector<double>& v, int64_t channels, size_t rank, ElementType type,
                        const std::string& what, const std::string& input) {
  if (v.size() != 1 && static_cast<int64_t>(v.size()) != channels)
    throw_usage("input '" + input + "': " + what + " has " + std::to_string(v.size()) +
                " values, the input has " + std::to_string(channels) + " channels");
  Shape s(rank, 1);
  s[1] = static_cast<int64_t>(v.size());
  std::vector<float> f(v.begin(), v.end());
  return convert(make_f32(s, f), type);
}

Output add_step(Graph& g, const std::string& type, const std::string& name, Output x, Tensor c) {
  Node* k = g.add_const(name + "/const", std::move(c));
  Node* op = g.add(type, name);
  if (op->def().attr("auto_broadcast")) op->set_attr("auto_broadcast", std::string("numpy"));
  op->inputs = {x, k->output()};
  infer_node(*op);
  return op->output();
}

Output add_reverse(Graph& g, const std::string& name, Output x) {
  Node* idx = g.add_const(name + "/indices", make_i64({3}, {2, 1, 0}));
  Node* axis = g.add_const(name + "/axis", make_i64({}, {1}));
  Node* gather = g.add("Gather", name, "opset8");
  gather->set_attr("batch_dims", int64_t{0});
  gather->inputs = {x, idx->output(), axis->output()};
  infer_node(*gather);
  return gather->output();
}

void apply_one(Graph& g, Node& param, const InputPreprocess& p) {
  auto consumers = g.consumers(param.output());
  int64_t channels = channel_count(param);
  size_t rank = param.outputs[0].shape.rank();
  ElementType type = param.outputs[0].type;
  Output x = param.output();
  if (p.reverse_channels) {
    if (channels == 3)
      x = add_reverse(g, param.name() + "/reverse_input_channels", x);
    else
      log::warn("input '" + param.name() + "' has " + std::to_string(channels) +
                " channels; --reverse_input_channels applies to 3-channel inputs only, ignored");
  }
  if (!p.mean.empty())
    x = add_step(g, "Subtract", param.name() + "/mean_values", x,
                 channel_constant(p.mean, channels, rank, type, "--mean_values", param.name()));
  if (!p.scale.empty())
    x = add_step(g, "Divide", param.name() + "/scale_values", x,
                 channel_constant(p.scale, channels, rank, type, "--scale_values", param.name()));
  for (auto& [consumer, index] : consumers) consumer->inputs[static_cast<size_t>(index)] = x;
}

}  // namespace

void apply_preprocessing(Graph& g, const std::vector<InputPreprocess>& specs) {
  for (const auto& p : specs) {
    Node* param = nullptr;
    for (Node* n : g.parameters())
      if (n->name() == p.input) param = n;
    if (!param) throw_usage("preprocessing names input '" + p.input + "', which the model does not have");
    if (p.mean.empty() && p.scale.empty() && !p.reverse_channels) continue;
    apply_one(g, *param, p);
  }
}

}  // namespace q8::passes
