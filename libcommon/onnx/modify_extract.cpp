#include <map>

#include "base/error.h"
#include "base/log.h"
#include "onnx/modify.h"
#include "onnx/modify_graph.h"

namespace q8::onnxmod {

namespace {
struct Source {
  std::map<std::string, int> producer;  // tensor -> index of the node writing it
  std::map<std::string, const onnx::TensorProto*> initializers;
};

Source index_graph(const onnx::GraphProto& graph) {
  Source s;
  for (int i = 0; i < graph.node_size(); ++i)
    for (const auto& out : graph.node(i).output())
      if (!out.empty()) s.producer[out] = i;
  for (const auto& t : graph.initializer()) s.initializers[t.name()] = &t;
  return s;
}

// Walks back from the outputs to the cut; marks the nodes and initializers needed.
struct Selection {
  std::vector<bool> nodes;
  NameSet initializers, inputs_used;
};

Selection select(const onnx::GraphProto& graph, const Source& src, const NameSet& inputs,
                 const std::vector<std::string>& outputs) {
  Selection sel{std::vector<bool>(static_cast<size_t>(graph.node_size()), false), {}, {}};
  for (const auto& out : outputs) {
    std::vector<std::string> stack{out};
    NameSet seen;
    while (!stack.empty()) {
      const std::string t = stack.back();
      stack.pop_back();
      if (!seen.insert(t).second) continue;
      if (inputs.count(t)) {
        sel.inputs_used.insert(t);
      } else if (src.initializers.count(t)) {
        sel.initializers.insert(t);
      } else if (auto it = src.producer.find(t); it != src.producer.end()) {
        sel.nodes[static_cast<size_t>(it->second)] = true;
        for (const auto& r : node_reads(graph.node(it->second))) stack.push_back(r);
      } else {
        throw_bad_input("output '" + out + "' is not computable from the given inputs: it needs tensor '" +
                        t + "', which is not in --inputs and no node computes it");
      }
    }
  }
  return sel;
}

// A kept node must not also write a tensor that became a graph input (ONNX names are SSA).
void check_cut(const onnx::GraphProto& graph, const Selection& sel, const NameSet& inputs) {
  for (int i = 0; i < graph.node_size(); ++i) {
    if (!sel.nodes[static_cast<size_t>(i)]) continue;
    for (const auto& out : graph.node(i).output())
      if (inputs.count(out))
        throw_bad_input("input '" + out + "' is written by node '" + graph.node(i).name() + "' (" +
                        graph.node(i).op_type() +
                        "), which the outputs also need; cut at its inputs instead");
  }
}

void check_exist(const NameSet& all, const std::vector<std::string>& names, const char* flag) {
  if (names.empty()) throw_usage(std::string("extract: ") + flag + " lists no tensor");
  for (const auto& n : names)
    if (!all.count(n))
      throw_bad_input(std::string(flag) + ": tensor '" + n + "' does not exist in the model");
}

onnx::ValueInfoProto typed(const TypeMap& types, const std::string& name) {
  auto it = types.find(name);
  if (it == types.end() || !it->second.has_tensor_type() || it->second.tensor_type().elem_type() == 0)
    throw_bad_input("tensor '" + name +
                    "': shape inference gives it no type, cannot make it a graph input/output");
  onnx::ValueInfoProto v;
  v.set_name(name);
  *v.mutable_type() = it->second;
  return v;
}

// Everything of the model except the graph body.
onnx::ModelProto model_shell(const onnx::ModelProto& model) {
  onnx::ModelProto out = model;
  out.clear_graph();
  out.mutable_graph()->set_name(model.graph().name());
  return out;
}
}  // namespace

onnx::ModelProto extract(const onnx::ModelProto& model, const std::vector<std::string>& inputs,
                         const std::vector<std::string>& outputs) {
  const auto& graph = model.graph();
  const NameSet all = tensor_names(graph);
  check_exist(all, inputs, "--inputs");
  check_exist(all, outputs, "--outputs");
  const NameSet input_set(inputs.begin(), inputs.end());
  const Selection sel = select(graph, index_graph(graph), input_set, outputs);
  check_cut(graph, sel, input_set);
  const TypeMap types = inferred_types(model);

  onnx::ModelProto out = model_shell(model);
  auto& g = *out.mutable_graph();
  for (const auto& in : inputs) {
    if (!sel.inputs_used.count(in)) log::warn("extract: input '" + in + "' is not needed by the outputs");
    *g.add_input() = typed(types, in);
  }
  // Keep the original order: it is topological and keeps the output deterministic.
  for (int i = 0; i < graph.node_size(); ++i)
    if (sel.nodes[static_cast<size_t>(i)]) *g.add_node() = graph.node(i);
  for (const auto& t : graph.initializer())
    if (sel.initializers.count(t.name())) {
      *g.add_initializer() = t;
      // IR < 4 requires every initializer to be a graph input as well.
      if (model.ir_version() < 4) *g.add_input() = typed(types, t.name());
    }
  for (const auto& o : outputs) *g.add_output() = typed(types, o);
  return out;
}

}  // namespace q8::onnxmod
