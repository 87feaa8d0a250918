#include <map>

#include "base/error.h"
#include "onnx/modify.h"
#include "onnx/modify_graph.h"

namespace q8::onnxmod {

namespace {
using NameMap = std::map<std::string, std::string>;

void apply(std::string* name, const NameMap& map) {
  auto it = map.find(*name);
  if (it != map.end()) *name = it->second;
}

// Tensor names live in many places; subgraphs may read outer-scope tensors by name.
void rename_tensors(onnx::GraphProto& graph, const NameMap& map) {
  for (auto& v : *graph.mutable_input()) apply(v.mutable_name(), map);
  for (auto& v : *graph.mutable_output()) apply(v.mutable_name(), map);
  for (auto& v : *graph.mutable_value_info()) apply(v.mutable_name(), map);
  for (auto& t : *graph.mutable_initializer()) apply(t.mutable_name(), map);
  for (auto& t : *graph.mutable_sparse_initializer()) apply(t.mutable_values()->mutable_name(), map);
  for (auto& node : *graph.mutable_node()) {
    for (auto& n : *node.mutable_input()) apply(&n, map);
    for (auto& n : *node.mutable_output()) apply(&n, map);
    for (auto& attr : *node.mutable_attribute()) {
      if (attr.has_g()) rename_tensors(*attr.mutable_g(), map);
      for (auto& g : *attr.mutable_graphs()) rename_tensors(g, map);
    }
  }
}

void rename_nodes(onnx::GraphProto& graph, const NameMap& map) {
  for (auto& node : *graph.mutable_node()) {
    apply(node.mutable_name(), map);
    for (auto& attr : *node.mutable_attribute()) {
      if (attr.has_g()) rename_nodes(*attr.mutable_g(), map);
      for (auto& g : *attr.mutable_graphs()) rename_nodes(g, map);
    }
  }
}

// Every OLD exists, every NEW is unused and distinct: the renaming is then a bijection
// onto fresh names, so applying it in one pass is order-independent.
NameMap validated(const Renames& renames, const NameSet& existing, const std::string& what) {
  NameMap map;
  NameSet targets;
  for (const auto& [from, to] : renames) {
    if (!existing.count(from)) throw_bad_input(what + " '" + from + "' does not exist in the model");
    if (existing.count(to))
      throw_bad_input("cannot rename " + what + " '" + from + "' to '" + to + "': '" + to +
                      "' is already used in the model");
    if (map.count(from)) throw_usage(what + " '" + from + "' is renamed twice");
    if (!targets.insert(to).second) throw_usage("two " + what + "s would be renamed to '" + to + "'");
    map[from] = to;
  }
  return map;
}
}  // namespace

std::pair<std::string, std::string> parse_rename(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    throw_usage("rename: expected OLD=NEW, got '" + text + "'");
  // Tensor names may themselves contain '='; the first one separates OLD from NEW.
  return {text.substr(0, eq), text.substr(eq + 1)};
}

void rename(onnx::ModelProto& model, const Renames& tensors, const Renames& nodes) {
  if (tensors.empty() && nodes.empty())
    throw_usage("rename: nothing to rename (give OLD=NEW or --node OLD=NEW)");
  const NameMap tensor_map = validated(tensors, tensor_names(model.graph()), "tensor");
  const NameMap node_map = validated(nodes, node_names(model.graph()), "node");
  rename_tensors(*model.mutable_graph(), tensor_map);
  rename_nodes(*model.mutable_graph(), node_map);
}

}  // namespace q8::onnxmod
