#pragma once
// The in-memory model every tool works on: nodes with an op declaration, typed
// attributes, input ports (producer + output index) and typed output ports.
// Const nodes hold their data. Frontends and the IR reader produce a Graph, passes
// rewrite it, the IR writer and the runtime consume it.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "graph/attribute.h"
#include "graph/op_registry.h"
#include "tensor/tensor.h"

namespace q8 {

class Node;

// One output of a node: what an input port is connected to.
struct Output {
  Node* node = nullptr;
  int index = 0;
  bool operator==(const Output&) const = default;
};

struct PortInfo {
  ElementType type = ElementType::kUndefined;
  PartialShape shape;
  std::vector<std::string> names;  // framework tensor names (IR v11 `names`, .mapping)
  bool operator==(const PortInfo&) const = default;
};

class Node {
 public:
  Node(int id, const OpDef* def, std::string name) : id_(id), def_(def), name_(std::move(name)) {}

  int id() const { return id_; }
  const OpDef& def() const { return *def_; }
  const std::string& type() const { return def_->type; }
  std::string version() const { return def_->version(); }
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  // "layer 'conv1' (id 3, Convolution opset1)": how errors name a node.
  std::string describe() const;

  // Attributes: set_attr checks the name and kind against the declaration.
  const std::map<std::string, AttrValue>& attrs() const { return attrs_; }
  bool has_attr(const std::string& name) const { return attrs_.count(name) != 0; }
  void set_attr(const std::string& name, AttrValue value);
  template <typename T>
  const T& attr(const std::string& name) const {
    return std::get<T>(attr_value(name, static_cast<AttrKind>(AttrValue(T{}).index())));
  }

  std::vector<Output> inputs;
  std::vector<PortInfo> outputs;
  Tensor value;  // Const only

  Output output(int index = 0) { return Output{this, index}; }
  Output input(int index) const { return inputs.at(static_cast<size_t>(index)); }

 private:
  const AttrValue& attr_value(const std::string& name, AttrKind expected) const;
  int id_;
  const OpDef* def_;
  std::string name_;
  std::map<std::string, AttrValue> attrs_;
};

// Model-level metadata: the IR's elements after <edges> (`<meta_data>`, `<rt_info>`,
// `<quantization_parameters>`), kept as a tree of elements with attributes and text.
struct MetaEntry {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attrs;  // in file order
  std::string text;
  std::vector<MetaEntry> children;
  bool operator==(const MetaEntry&) const = default;

  const MetaEntry* child(const std::string& child_name) const;
  // The `value` attribute of a descendant by path ("cli_parameters/data_type"), if any.
  std::optional<std::string> value_at(const std::string& path) const;
  // Sets the `value` attribute at `path`, creating elements as needed.
  void set_value(const std::string& path, const std::string& value);
};

class Graph {
 public:
  Graph() = default;
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
  Graph(Graph&&) = default;
  Graph& operator=(Graph&&) = default;

  std::string name;
  std::vector<MetaEntry> meta;

  // Adds a node of op `type` (newest declaration, or the one of `version` "opsetN").
  // `id` < 0 assigns the next free id.
  Node* add(const std::string& type, std::string name, const std::string& version = "", int id = -1);
  Node* add(const OpDef* def, std::string name, int id = -1);
  Node* add_parameter(std::string name, ElementType type, const PartialShape& shape);
  Node* add_const(std::string name, Tensor value);
  Node* add_result(std::string name, Output source);

  const std::vector<std::unique_ptr<Node>>& nodes() const { return nodes_; }
  Node* find(int id) const;
  Node* find_by_name(const std::string& name) const;
  size_t size() const { return nodes_.size(); }

  std::vector<Node*> parameters() const;  // in id order
  std::vector<Node*> results() const;
  // (consumer, input index) pairs of one output, in consumer id order.
  std::vector<std::pair<Node*, int>> consumers(Output out) const;

  // Producers before consumers; ties broken by id, so the order is deterministic.
  // A cycle is a bad-input error naming a node on it.
  std::vector<Node*> topological_order() const;

  // Removes nodes for which `pred` is true; they must have no remaining consumers.
  void remove_if(const std::function<bool(const Node&)>& pred);
  // Removes every node no Result depends on; Parameters stay even when unused.
  void prune();

 private:
  std::vector<std::unique_ptr<Node>> nodes_;
  std::map<int, Node*> by_id_;
  int next_id_ = 0;
};

// Structural equality of two graphs, node by node in topological order (ids may differ).
// On a difference returns false and explains it in *why.
bool graphs_equal(const Graph& a, const Graph& b, std::string* why);

}  // namespace q8
