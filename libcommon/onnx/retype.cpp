#include "onnx/retype.h"

#include <map>
#include <set>

#include "base/error.h"
#include "base/log.h"
#include "base/strings.h"
#include "onnx/onnx_io.h"

namespace q8::onnxio {

namespace {

std::string describe(const onnx::NodeProto& node, int index) {
  const std::string who = node.name().empty() ? "#" + std::to_string(index) : "'" + node.name() + "'";
  return "node " + who + " (" + node.op_type() + ")";
}

// Every tensor and node name of `graph` and its sub-graphs: a fresh name must avoid all of them.
void collect_names(const onnx::GraphProto& graph, std::set<std::string>& names) {
  for (const auto& v : graph.input()) names.insert(v.name());
  for (const auto& v : graph.output()) names.insert(v.name());
  for (const auto& v : graph.value_info()) names.insert(v.name());
  for (const auto& t : graph.initializer()) names.insert(t.name());
  for (const auto& node : graph.node()) {
    names.insert(node.name());
    names.insert(node.input().begin(), node.input().end());
    names.insert(node.output().begin(), node.output().end());
    for (const auto& a : node.attribute()) {
      if (a.has_g()) collect_names(a.g(), names);
      for (const auto& g : a.graphs()) collect_names(g, names);
    }
  }
}

std::string fresh_name(std::set<std::string>& used, const std::string& base) {
  std::string name = base;
  for (int i = 1; used.count(name); ++i) name = base + "_" + std::to_string(i);
  used.insert(name);
  return name;
}

// Points every reader of tensor `from` (sub-graphs read outer tensors by name too) at `to`.
void rename_readers(onnx::GraphProto& graph, const std::string& from, const std::string& to) {
  for (auto& node : *graph.mutable_node()) {
    for (auto& in : *node.mutable_input())
      if (in == from) in = to;
    for (auto& a : *node.mutable_attribute()) {
      if (a.has_g()) rename_readers(*a.mutable_g(), from, to);
      for (auto& g : *a.mutable_graphs()) rename_readers(g, from, to);
    }
  }
}

int graph_output_index(const onnx::GraphProto& graph, const std::string& tensor) {
  for (int i = 0; i < graph.output_size(); ++i)
    if (graph.output(i).name() == tensor) return i;
  return -1;
}

std::string graph_output_names(const onnx::GraphProto& graph) {
  std::vector<std::string> names;
  for (const auto& v : graph.output()) names.push_back("'" + v.name() + "'");
  return join(names, ", ");
}

bool writes_graph_output(const onnx::GraphProto& graph, const onnx::NodeProto& node) {
  for (const auto& out : node.output())
    if (graph_output_index(graph, out) >= 0) return true;
  return false;
}

onnx::NodeProto make_cast(const std::string& name, const std::string& in, const std::string& out, int32_t to,
                          int64_t opset) {
  onnx::NodeProto cast;
  cast.set_name(name);
  cast.set_op_type("Cast");
  cast.add_input(in);
  cast.add_output(out);
  auto* attr = cast.add_attribute();
  attr->set_name("to");
  if (opset >= 6) {
    attr->set_type(onnx::AttributeProto::INT);
    attr->set_i(to);
  } else {  // Cast-1 named the type as a string ("FLOAT")
    attr->set_type(onnx::AttributeProto::STRING);
    attr->set_s(onnx::TensorProto_DataType_Name(static_cast<onnx::TensorProto_DataType>(to)));
  }
  return cast;
}

}  // namespace

namespace {

std::vector<int> select_nodes(const onnx::GraphProto& graph, const RetypeSpec& spec,
                              const std::string& name) {
  std::vector<int> picked;
  for (int i = 0; i < graph.node_size(); ++i) {
    const auto& node = graph.node(i);
    if (!spec.node_name.empty() ? node.name() == spec.node_name : node.op_type() == spec.op_type)
      picked.push_back(i);
  }
  if (!picked.empty()) return picked;
  if (!spec.node_name.empty()) {
    std::vector<std::string> writers;
    for (int i = 0; i < graph.node_size(); ++i)
      if (writes_graph_output(graph, graph.node(i))) writers.push_back(describe(graph.node(i), i));
    throw_bad_input(name + ": no node named '" + spec.node_name +
                    "' (nodes writing graph outputs: " + join(writers, ", ") + ")");
  }
  std::set<std::string> present;
  for (const auto& node : graph.node()) present.insert(node.op_type());
  throw_bad_input(name + ": no node of op type '" + spec.op_type +
                  "'; op types present: " + join({present.begin(), present.end()}, ", "));
}

// Keeps the nodes that write a graph output; others are an error for --node, skipped for --op.
std::vector<int> keep_output_writers(const onnx::GraphProto& graph, const std::vector<int>& picked,
                                     const RetypeSpec& spec, const std::string& name) {
  std::vector<int> kept;
  for (int index : picked) {
    const auto& node = graph.node(index);
    if (!spec.op_type.empty() && node.op_type() != spec.op_type)
      throw_bad_input(name + ": node '" + node.name() + "' is a " + node.op_type() + ", not " + spec.op_type);
    if (writes_graph_output(graph, node)) {
      kept.push_back(index);
    } else if (!spec.node_name.empty()) {
      throw_bad_input(name + ": " + describe(node, index) +
                      " writes no graph output; ONNX retyping casts graph outputs only (graph outputs: " +
                      graph_output_names(graph) + ")");
    } else {
      log::warn(name + ": skipping " + describe(node, index) + ": it writes no graph output");
    }
  }
  if (kept.empty())
    throw_bad_input(name + ": no " + spec.op_type +
                    " node writes a graph output (graph outputs: " + graph_output_names(graph) + ")");
  return kept;
}

struct Retyper {
  onnx::GraphProto& graph;
  int32_t to;
  int64_t opset;
  std::set<std::string> used;
  std::map<int, std::vector<onnx::NodeProto>> casts_after;  // node index -> Casts to insert after it
  std::vector<RetypeChange> changes;

  void retype_output(int index, int k) {
    auto& node = *graph.mutable_node(index);
    const std::string out = node.output(k);
    auto& declared =
        *graph.mutable_output(graph_output_index(graph, out))->mutable_type()->mutable_tensor_type();
    const int32_t from = declared.elem_type();
    if (from == to) {
      log::info(describe(node, index) + ": output '" + out + "' is already " + elem_type_name(to));
      return;
    }
    const std::string renamed = fresh_name(used, out + "_" + (from ? elem_type_name(from) : "uncast"));
    rename_readers(graph, out, renamed);
    for (auto& vi : *graph.mutable_value_info())
      if (vi.name() == out) vi.set_name(renamed);
    node.set_output(k, renamed);
    casts_after[index].push_back(make_cast(fresh_name(used, out + "_cast"), renamed, out, to, opset));
    declared.set_elem_type(to);
    changes.push_back({node.name(), node.op_type(), out, renamed, from});
    log::info(describe(node, index) + ": output '" + out + "' " +
              (from ? elem_type_name(from) : "(untyped)") + " -> " + elem_type_name(to) +
              " (Cast inserted; node now writes '" + renamed + "')");
  }

  // Rebuilds the node list with each Cast right after its producer (keeps topological order).
  void insert_casts() {
    google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
    nodes.Swap(graph.mutable_node());
    for (int i = 0; i < nodes.size(); ++i) {
      *graph.add_node() = std::move(nodes[i]);
      for (auto& cast : casts_after[i]) *graph.add_node() = std::move(cast);
    }
  }
};

}  // namespace

std::vector<RetypeChange> retype_outputs(onnx::ModelProto& model, const RetypeSpec& spec,
                                         const std::string& name) {
  if (spec.op_type.empty() && spec.node_name.empty()) throw_usage("give --op TYPE or --node NAME");
  const int64_t opset = default_opset(model);
  if (opset <= 0) throw_bad_input(name + ": the model imports no ai.onnx opset, so no Cast can be inserted");
  auto& graph = *model.mutable_graph();
  Retyper r{graph, spec.to, opset, {}, {}, {}};
  collect_names(graph, r.used);
  for (int index : keep_output_writers(graph, select_nodes(graph, spec, name), spec, name)) {
    for (int k = 0; k < graph.node(index).output_size(); ++k)
      if (graph_output_index(graph, graph.node(index).output(k)) >= 0) r.retype_output(index, k);
  }
  r.insert_casts();
  return r.changes;
}

std::string retype_onnx(const std::string& bytes, const RetypeSpec& spec, const std::string& name) {
  onnx::ModelProto model = parse_model(bytes, name);
  check_model(model, name);
  retype_outputs(model, spec, name);
  onnx::ModelProto checked = model;  // inference fills value_info; the saved model stays minimal
  check_model(checked, name + " (retyped)");
  infer_shapes(checked, name + " (retyped)");
  return serialize_model(model);
}

bool looks_like_onnx(std::string_view bytes) {
  // Tag of field 1 (ir_version) with wire type 0 (varint): protobuf writes it first.
  return !bytes.empty() && static_cast<unsigned char>(bytes[0]) == 0x08;
}

}  // namespace q8::onnxio
