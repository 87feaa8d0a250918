#include "onnx/modify_graph.h"

#include "base/error.h"
#include "base/strings.h"
#include "onnx/onnx_io.h"

namespace q8::onnxmod {

namespace {
// Calls fn(graph) for every GraphProto held in a node attribute (If/Loop/Scan bodies).
template <typename Fn>
void for_each_subgraph(const onnx::NodeProto& node, Fn&& fn) {
  for (const auto& attr : node.attribute()) {
    if (attr.has_g()) fn(attr.g());
    for (const auto& g : attr.graphs()) fn(g);
  }
}

void collect_tensor_names(const onnx::GraphProto& graph, NameSet& out) {
  for (const auto& v : graph.input()) out.insert(v.name());
  for (const auto& v : graph.output()) out.insert(v.name());
  for (const auto& v : graph.value_info()) out.insert(v.name());
  for (const auto& t : graph.initializer()) out.insert(t.name());
  for (const auto& t : graph.sparse_initializer()) out.insert(t.values().name());
  for (const auto& node : graph.node()) {
    for (const auto& n : node.input())
      if (!n.empty()) out.insert(n);
    for (const auto& n : node.output())
      if (!n.empty()) out.insert(n);
    for_each_subgraph(node, [&](const onnx::GraphProto& g) { collect_tensor_names(g, out); });
  }
}

void collect_node_names(const onnx::GraphProto& graph, NameSet& out) {
  for (const auto& node : graph.node()) {
    if (!node.name().empty()) out.insert(node.name());
    for_each_subgraph(node, [&](const onnx::GraphProto& g) { collect_node_names(g, out); });
  }
}

// Names a subgraph reads from the enclosing scope: read but neither produced inside nor
// declared as its inputs or initializers.
void collect_outer_reads(const onnx::GraphProto& graph, std::vector<std::string>& out) {
  NameSet defined;
  for (const auto& v : graph.input()) defined.insert(v.name());
  for (const auto& t : graph.initializer()) defined.insert(t.name());
  for (const auto& node : graph.node()) {
    for (const auto& n : node_reads(node))
      if (!defined.count(n)) out.push_back(n);
    for (const auto& n : node.output()) defined.insert(n);
  }
  for (const auto& v : graph.output())
    if (!defined.count(v.name())) out.push_back(v.name());
}

onnx::TypeProto initializer_type(const onnx::TensorProto& t) {
  onnx::TypeProto type;
  auto* tensor = type.mutable_tensor_type();
  tensor->set_elem_type(t.data_type());
  auto* shape = tensor->mutable_shape();
  for (auto d : t.dims()) shape->add_dim()->set_dim_value(d);
  return type;
}
}  // namespace

NameSet tensor_names(const onnx::GraphProto& graph) {
  NameSet out;
  collect_tensor_names(graph, out);
  return out;
}

NameSet node_names(const onnx::GraphProto& graph) {
  NameSet out;
  collect_node_names(graph, out);
  return out;
}

NameSet initializer_names(const onnx::GraphProto& graph) {
  NameSet out;
  for (const auto& t : graph.initializer()) out.insert(t.name());
  return out;
}

std::string unique_name(const std::string& base, NameSet& used) {
  std::string name = base;
  for (int i = 1; used.count(name); ++i) name = base + "_" + std::to_string(i);
  used.insert(name);
  return name;
}

TypeMap inferred_types(const onnx::ModelProto& model) {
  onnx::ModelProto copy = model;
  onnxio::infer_shapes(copy, "input model");
  TypeMap types;
  for (const auto& t : copy.graph().initializer()) types[t.name()] = initializer_type(t);
  // Declared and inferred value_infos win over initializer-derived types.
  for (const auto* list : {&copy.graph().input(), &copy.graph().value_info(), &copy.graph().output()})
    for (const auto& v : *list)
      if (v.has_type()) types[v.name()] = v.type();
  return types;
}

std::string shape_text(const onnx::TypeProto& type) {
  if (!type.has_tensor_type() || !type.tensor_type().has_shape()) return "(unknown rank)";
  std::vector<std::string> dims;
  for (const auto& d : type.tensor_type().shape().dim()) {
    if (d.has_dim_value())
      dims.push_back(std::to_string(d.dim_value()));
    else if (d.has_dim_param() && !d.dim_param().empty())
      dims.push_back(d.dim_param());
    else
      dims.push_back("?");
  }
  return "[" + join(dims, ",") + "]";
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  for (const auto& n : names) quoted.push_back("'" + n + "'");
  return quoted.empty() ? "(none)" : join(quoted, ", ");
}

std::vector<std::string> output_names(const onnx::GraphProto& graph) {
  std::vector<std::string> names;
  for (const auto& v : graph.output()) names.push_back(v.name());
  return names;
}

std::vector<std::string> node_reads(const onnx::NodeProto& node) {
  std::vector<std::string> reads;
  for (const auto& n : node.input())
    if (!n.empty()) reads.push_back(n);
  for_each_subgraph(node, [&](const onnx::GraphProto& g) { collect_outer_reads(g, reads); });
  return reads;
}

}  // namespace q8::onnxmod
