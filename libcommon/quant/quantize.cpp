#include "quant/quantize.h"

#include <algorithm>
#include <numeric>

#include "base/error.h"
#include "base/strings.h"
#include "graph/shape_infer.h"
#include "ir/ir.h"
#include "runtime/reference.h"
#include "tensor/convert.h"

namespace q8::quant {
namespace {

// The Const behind `o`, looking through decompression Converts (FP16 weights in IR v11).
const Node* const_behind(Output o) {
  while (o.node && o.node->type() == "Convert") o = o.node->inputs.at(0);
  return o.node && o.node->type() == "Const" ? o.node : nullptr;
}

// A residual Add (or a feature-map Concat) joins the outputs of compute layers (possibly after an
// activation or pooling); Adds and Concats of other arithmetic (box decoding, normalisation, outputs)
// stay in floating point, as in POT's CPU patterns.
bool from_compute_layer(Output o) {
  static const std::set<std::string> kTypes{
      "Convolution", "GroupConvolution", "MatMul",  "Add",   "ReLU", "Relu",
      "Clamp",       "MaxPool",          "AvgPool", "Concat"};
  return o.node && kTypes.count(o.node->type());
}

bool is_float(const PortInfo& p) {
  return p.type == ElementType::kF32 || p.type == ElementType::kF16;
}

int find_root(std::vector<int>& parent, int i) {
  while (parent[static_cast<size_t>(i)] != i)
    i = parent[static_cast<size_t>(i)] = parent[static_cast<size_t>(parent[static_cast<size_t>(i)])];
  return i;
}

// Shape of a per-output-channel range constant for the weights of `layer`, and the axis.
void weight_layout(const Node& n, int weight_input, const Shape& w, QuantLayer& layer) {
  layer.range_shape.assign(w.size(), 1);
  layer.channel_axis = -1;  // per tensor
  if (n.type() == "Convolution" && w.size() >= 3) {
    layer.channel_axis = 0;
  } else if (n.type() == "GroupConvolution" && w.size() >= 4) {
    layer.channel_axis = 0;  // groups and outputs per group: the first two axes together
    layer.range_shape[1] = w[1];
  } else if (n.type() == "MatMul" && w.size() == 2 && weight_input == 1) {
    bool tb = n.has_attr("transpose_b") && n.attr<bool>("transpose_b");
    layer.channel_axis = tb ? 0 : 1;
  }
  if (layer.channel_axis >= 0)
    layer.range_shape[static_cast<size_t>(layer.channel_axis)] = w[static_cast<size_t>(layer.channel_axis)];
}

}  // namespace

QuantPlan find_plan(const Graph& g, const std::vector<std::string>& ignored) {
  std::vector<const Node*> fqs;
  for (const auto& n : g.nodes())
    if (n->type() == "FakeQuantize") fqs.push_back(n.get());
  if (!fqs.empty())
    throw_bad_input("the model is already quantized: " + std::to_string(fqs.size()) +
                    " FakeQuantize layers (" + fqs[0]->describe() +
                    ", ...); quantize the FP32/FP16 IR instead");
  std::set<std::string> skip(ignored.begin(), ignored.end());
  for (const auto& name : skip)
    if (!g.find_by_name(name)) throw_usage("ignored scope: no layer named '" + name + "' in the model");

  QuantPlan plan;
  std::map<std::pair<int, int>, int> site_of;
  std::vector<std::vector<int>> concat_groups;
  auto site = [&](Output o) {
    auto key = std::make_pair(o.node->id(), o.index);
    auto it = site_of.find(key);
    if (it != site_of.end()) return it->second;
    ActivationSite s;
    s.producer_id = o.node->id();
    s.port = o.index;
    s.name = runtime::output_name(*o.node, o.index);
    plan.sites.push_back(std::move(s));
    return site_of[key] = static_cast<int>(plan.sites.size() - 1);
  };

  for (const Node* n : g.topological_order()) {
    const std::string& t = n->type();
    std::vector<int> acts;
    int weight = -1;
    auto activation = [&](int i) {
      Output in = n->inputs.at(static_cast<size_t>(i));
      return !const_behind(in) && is_float(in.node->outputs.at(static_cast<size_t>(in.index)));
    };
    if (t == "Convolution" || t == "GroupConvolution") {
      if (!activation(0)) continue;
      acts = {0};
      if (const_behind(n->inputs.at(1))) weight = 1;
    } else if (t == "MatMul") {
      bool a0 = activation(0), a1 = activation(1);
      if (a0 && const_behind(n->inputs[1]))
        acts = {0}, weight = 1;
      else if (a1 && const_behind(n->inputs[0]))
        acts = {1}, weight = 0;
      else if (a0 && a1)
        acts = {0, 1};
      else
        continue;
    } else if (t == "Add") {
      if (!activation(0) || !activation(1) || !from_compute_layer(n->inputs[0]) ||
          !from_compute_layer(n->inputs[1]))
        continue;
      acts = {0, 1};
    } else if (t == "MaxPool" || t == "AvgPool") {
      if (!activation(0)) continue;
      acts = {0};
    } else if (t == "Concat") {
      // Only a Concat of feature maps (compute layer outputs: Inception/SqueezeNet/DenseNet branches)
      // stays int8; a Concat of box coordinates, labels or scores (SSD post-processing, seed 001's
      // concatenated output) is arithmetic POT leaves in floating point: quantizing labels breaks them.
      for (size_t i = 0; i < n->inputs.size(); ++i)
        if (activation(static_cast<int>(i)) && from_compute_layer(n->inputs[i])) acts.push_back(static_cast<int>(i));
      if (acts.size() != n->inputs.size() || acts.size() < 2) continue;  // constants mixed in: leave it
    } else {
      continue;
    }
    if (skip.count(n->name())) {
      plan.reverted.insert(n->name());
      continue;
    }
    QuantLayer layer;
    layer.node_id = n->id();
    layer.name = n->name();
    layer.type = t;
    for (int i : acts) {
      int s = site(n->inputs[static_cast<size_t>(i)]);
      plan.sites[static_cast<size_t>(s)].consumers.push_back({n->id(), i});
      layer.sites.push_back(s);
    }
    if (weight >= 0) {
      const Node* w = const_behind(n->inputs[static_cast<size_t>(weight)]);
      layer.weight_input = weight;
      layer.weight_const_id = w->id();
      weight_layout(*n, weight, w->value.shape(), layer);
      // A per-channel bias Add right after the layer (its only consumer): FastBiasCorrection's target.
      auto cons = g.consumers(Output{const_cast<Node*>(n), 0});
      const PartialShape& out = n->outputs.at(0).shape;
      int64_t channels =
          t == "MatMul" ? (out.rank() ? out.dims.back().min : 0) : (out.rank() > 1 ? out.dims[1].min : 0);
      if (cons.size() == 1 && cons[0].first->type() == "Add") {
        const Node* add = cons[0].first;
        const Node* b = const_behind(add->inputs.at(static_cast<size_t>(1 - cons[0].second)));
        if (b && b->value.shape().size() <= static_cast<size_t>(std::max<size_t>(out.rank(), 1)) &&
            num_elements(b->value.shape()) == channels && channels > 0) {
          layer.bias_const_id = b->id();
          layer.channels = channels;
        }
      }
    }
    if (t == "Concat") concat_groups.push_back(layer.sites);
    plan.layers.push_back(std::move(layer));
  }
  // Concat inputs share one range: union-find over sites, a group id per component.
  std::vector<int> parent(plan.sites.size());
  std::iota(parent.begin(), parent.end(), 0);
  for (const auto& group : concat_groups)
    for (size_t i = 1; i < group.size(); ++i)
      parent[static_cast<size_t>(find_root(parent, group[i]))] = find_root(parent, group[0]);
  for (const auto& group : concat_groups)
    for (int s : group) plan.sites[static_cast<size_t>(s)].group = find_root(parent, s);
  return plan;
}

namespace {

Node* add_fq(Graph& g, const std::string& name, Output x, const FqParams& fq, const Shape& range_shape) {
  ElementType type = x.node->outputs.at(static_cast<size_t>(x.index)).type;
  auto constant = [&](const std::string& suffix, const std::vector<float>& v) {
    if (static_cast<int64_t>(v.size()) != num_elements(range_shape))
      throw_internal(name + ": " + std::to_string(v.size()) + " range values for " +
                     q8::to_string(range_shape));
    return g.add_const(name + "/" + suffix, convert(make_f32(range_shape, v), type))->output();
  };
  Node* f = g.add("FakeQuantize", name);
  f->set_attr("levels", static_cast<int64_t>(fq.levels));
  f->set_attr("auto_broadcast", std::string("numpy"));
  f->inputs = {x, constant("input_low", fq.in_lo), constant("input_high", fq.in_hi),
               constant("output_low", fq.out_lo), constant("output_high", fq.out_hi)};
  infer_node(*f);
  return f;
}

}  // namespace

int apply_plan(Graph& g, const QuantPlan& plan) {
  std::map<int, const QuantLayer*> layer_by_id;
  for (const auto& l : plan.layers) layer_by_id[l.node_id] = &l;
  auto active = [&](int node_id) {
    auto it = layer_by_id.find(node_id);
    return it != layer_by_id.end() && !plan.reverted.count(it->second->name);
  };
  int inserted = 0;
  for (const auto& s : plan.sites) {
    std::vector<std::pair<int, int>> users;
    for (const auto& c : s.consumers)
      if (active(c.first)) users.push_back(c);
    if (users.empty()) continue;
    Node* producer = g.find(s.producer_id);
    if (!producer)
      throw_internal("apply_plan: node " + std::to_string(s.producer_id) + " is not in the graph");
    Output x{producer, s.port};
    const PartialShape& ps = producer->outputs.at(static_cast<size_t>(s.port)).shape;
    Shape range_shape(ps.rank_dynamic ? 0 : ps.rank(), 1);
    Node* f = add_fq(g, s.name + "/fq", x, s.fq, range_shape);
    for (const auto& [id, input] : users) g.find(id)->inputs.at(static_cast<size_t>(input)) = f->output();
    ++inserted;
  }
  for (const auto& l : plan.layers) {
    if (l.weight_input < 0 || plan.reverted.count(l.name)) continue;
    Node* n = g.find(l.node_id);
    Output w = n->inputs.at(static_cast<size_t>(l.weight_input));
    Node* f =
        add_fq(g, l.name + "/fq_weights_" + std::to_string(l.weight_input), w, l.weight_fq, l.range_shape);
    n->inputs[static_cast<size_t>(l.weight_input)] = f->output();
    ++inserted;
    if (l.bias_const_id >= 0 && !l.bias_shift.empty()) {
      Node* b = g.find(l.bias_const_id);
      std::vector<float> v = to_floats(b->value);
      if (v.size() != l.bias_shift.size()) throw_internal(l.name + ": bias correction of the wrong length");
      for (size_t i = 0; i < v.size(); ++i) v[i] += l.bias_shift[i];
      b->value = convert(make_f32(b->value.shape(), v), b->value.type());
    }
  }
  return inserted;
}

Graph clone(const Graph& g) {
  ir::Serialized s = ir::serialize(g);
  return std::move(ir::parse(s.xml, s.bin, g.name + ".xml", g.name + ".bin").graph);
}

}  // namespace q8::quant
