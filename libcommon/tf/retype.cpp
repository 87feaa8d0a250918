#include "tf/retype.h"

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <set>

#include "base/error.h"
#include "base/log.h"
#include "base/strings.h"
#include "tf/dtype_names.h"
#include "tf/graph_def_io.h"
#include "tf/wire_edit.h"

namespace q8::tf {

namespace {

struct TypeAttr {
  std::string op, attr;
  std::vector<DataType> accepted_by_tf;  // empty: any type
};

// Ops whose output type is a single attr. The accepted lists are TensorFlow's op
// registrations; q8 writes other types anyway (the seed's harness reads ArgMax as float).
const std::vector<TypeAttr>& type_attrs() {
  static const std::vector<TypeAttr> table = {
      {"ArgMax", "output_type", {DT_INT16, DT_UINT16, DT_INT32, DT_INT64}},
      {"ArgMin", "output_type", {DT_INT16, DT_UINT16, DT_INT32, DT_INT64}},
      {"Shape", "out_type", {DT_INT32, DT_INT64}},
      {"ShapeN", "out_type", {DT_INT32, DT_INT64}},
      {"Size", "out_type", {DT_INT32, DT_INT64}},
      {"Cast", "DstT", {}},
  };
  return table;
}

std::string known_ops() {
  std::vector<std::string> ops;
  for (const auto& t : type_attrs()) ops.push_back(t.op);
  return join(ops, ", ");
}

std::string list_some(const std::vector<std::string>& items, size_t max_items) {
  std::vector<std::string> shown(items.begin(), items.begin() + std::min(items.size(), max_items));
  std::string text = join(shown, ", ");
  if (items.size() > max_items) text += ", ... (" + std::to_string(items.size()) + " in all)";
  return text;
}

[[noreturn]] void no_node_of_type(const GraphDef& graph, const std::string& op, const std::string& name) {
  std::set<std::string> present;
  for (const auto& node : graph.node()) present.insert(node.op());
  throw_bad_input(name + ": no node of op type '" + op +
                  "'; op types present: " + list_some({present.begin(), present.end()}, 40));
}

[[noreturn]] void no_node_named(const GraphDef& graph, const std::string& node_name,
                                const std::string& name) {
  std::vector<std::string> candidates;
  for (const auto& node : graph.node())
    if (!known_type_attr(node.op()).empty())
      candidates.push_back("'" + node.name() + "' (" + node.op() + ")");
  std::string hint = candidates.empty() ? "the graph has no " + known_ops() + " nodes"
                                        : "nodes with a known type attr: " + list_some(candidates, 10);
  throw_bad_input(name + ": no node named '" + node_name + "' (" + hint + ")");
}

std::vector<int> select_nodes(const GraphDef& graph, const RetypeSpec& spec, const std::string& name) {
  std::vector<int> picked;
  for (int i = 0; i < graph.node_size(); ++i) {
    const NodeDef& node = graph.node(i);
    if (!spec.node_name.empty() ? node.name() == spec.node_name : node.op() == spec.op_type)
      picked.push_back(i);
  }
  if (picked.empty()) {
    if (!spec.node_name.empty()) no_node_named(graph, spec.node_name, name);
    no_node_of_type(graph, spec.op_type, name);
  }
  return picked;
}

RetypeChange plan_node(const NodeDef& node, int index, const RetypeSpec& spec, const std::string& name) {
  const std::string where = name + ": node '" + node.name() + "'";
  if (!spec.op_type.empty() && node.op() != spec.op_type)
    throw_bad_input(where + " is a " + node.op() + ", not " + spec.op_type);
  RetypeChange change{index, node.name(), node.op(), spec.attr, DT_INVALID, spec.to};
  if (change.attr.empty()) change.attr = known_type_attr(node.op());
  if (change.attr.empty())
    throw_bad_input(where + " is a " + node.op() + ", not an op with a known output type attr (" +
                    known_ops() + "); name the attr to set with --attr");
  auto it = node.attr().find(change.attr);
  if (it != node.attr().end()) {
    if (it->second.value_case() != AttrValue::kType)
      throw_bad_input(where + " (" + node.op() + "): attr '" + change.attr + "' does not hold a data type");
    change.from = it->second.type();
  }
  return change;
}

void warn_if_tf_rejects(const RetypeChange& c) {
  for (const auto& t : type_attrs()) {
    if (t.op != c.op || t.attr != c.attr || t.accepted_by_tf.empty()) continue;
    for (DataType ok : t.accepted_by_tf)
      if (ok == c.to) return;
    log::warn("node '" + c.node + "': TensorFlow's " + c.op + " does not accept " + c.attr + "=" +
              dtype_name(c.to) +
              "; the graph is meant for a consumer that reads the attr (e.g. a converter or harness)");
  }
}

// The edited file must parse to exactly the input graph with the new attrs set.
void verify(GraphDef expected, const std::vector<AttrEdit>& edits, const std::string& out,
            const std::string& name) {
  for (const auto& e : edits) (*expected.mutable_node(e.node_index)->mutable_attr())[e.attr] = e.value;
  GraphDef actual = parse_graph_def(out, name + " (edited)");
  if (!google::protobuf::util::MessageDifferencer::Equals(expected, actual))
    throw_internal(name + ": the wire-level attr edit changed more than the attr");
}

}  // namespace

std::string known_type_attr(const std::string& op) {
  for (const auto& t : type_attrs())
    if (t.op == op) return t.attr;
  return "";
}

std::vector<RetypeChange> plan_retype(const GraphDef& graph, const RetypeSpec& spec,
                                      const std::string& name) {
  if (spec.op_type.empty() && spec.node_name.empty()) throw_usage("give --op TYPE or --node NAME");
  if (spec.to == DT_INVALID) throw_usage("no target data type (--to)");
  std::vector<RetypeChange> changes;
  for (int index : select_nodes(graph, spec, name))
    changes.push_back(plan_node(graph.node(index), index, spec, name));
  return changes;
}

std::string retype_graph_def(const std::string& bytes, const RetypeSpec& spec, const std::string& name) {
  GraphDef graph = parse_graph_def(bytes, name);
  std::vector<AttrEdit> edits;
  for (const auto& c : plan_retype(graph, spec, name)) {
    const std::string from = c.from == DT_INVALID ? "(absent)" : dtype_name(c.from);
    if (c.from == c.to) {
      log::info("node '" + c.node + "' (" + c.op + "): " + c.attr + " is already " + dtype_name(c.to));
      continue;
    }
    warn_if_tf_rejects(c);
    log::info("node '" + c.node + "' (" + c.op + "): " + c.attr + " " + from + " -> " + dtype_name(c.to));
    AttrEdit edit{c.node_index, c.attr, {}};
    edit.value.set_type(static_cast<DataType>(c.to));
    edits.push_back(std::move(edit));
  }
  if (edits.empty()) return bytes;
  std::string out = edit_node_attrs(bytes, edits, name);
  verify(std::move(graph), edits, out, name);
  return out;
}

}  // namespace q8::tf
