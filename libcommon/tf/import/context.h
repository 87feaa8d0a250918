#pragma once
// What an importer sees while it converts one TF node: the NodeDef, its data inputs as graph
// Outputs (constant values when known), typed attribute getters with TF's defaults, and helpers
// that add OpenVINO nodes whose output ports are inferred at once, so later steps can use shapes.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "graph/graph.h"
#include "tf/frontend.h"
#include "tf/graph_def.pb.h"

namespace q8::tffe {

// TF tensor name ("node:0", always with the index) -> the graph output that carries it.
using TensorMap = std::map<std::string, Output>;

// State shared by every node of one import.
struct ImportState {
  Graph* graph = nullptr;
  TensorMap tensors;
  std::set<std::string> used_names;
};

using Attrs = std::vector<std::pair<std::string, AttrValue>>;

// A data input "node:1" / "node" split into node name and output index.
struct TensorRef {
  std::string node;
  int index = 0;
};
// Parses "node", "node:2"; control inputs ("^node") give nullopt.
std::optional<TensorRef> parse_tensor_ref(const std::string& input);
// "node" for output 0, "node:1" otherwise: the names ports carry and users type.
std::string tensor_name(const std::string& node, int index);

class Context {
 public:
  Context(ImportState& state, const tf::NodeDef& node);

  const tf::NodeDef& node() const { return node_; }
  const std::string& op_type() const { return node_.op(); }
  const std::string& name() const { return node_.name(); }
  // "node 'conv1/Conv2D' (op Conv2D)": how errors name the TF node.
  std::string describe() const;
  [[noreturn]] void fail(const std::string& message) const;

  // Data inputs (control dependencies are left out).
  int input_count() const { return static_cast<int>(inputs_.size()); }
  Output input(int i) const;
  std::optional<Tensor> const_value(int i) const;
  Tensor require_const(int i, const std::string& what) const;
  std::vector<int64_t> require_ints(int i, const std::string& what) const;

  void set_output(int i, Output out);

  // Attributes; `def` when absent (TF's registered default), an error when of another kind.
  bool has_attr(const std::string& name) const { return node_.attr().count(name) != 0; }
  int64_t attr_int(const std::string& name, int64_t def) const;
  float attr_float(const std::string& name, float def) const;
  bool attr_bool(const std::string& name, bool def) const;
  std::string attr_string(const std::string& name, const std::string& def) const;
  std::vector<int64_t> attr_ints(const std::string& name, const std::vector<int64_t>& def = {}) const;
  ElementType attr_type(const std::string& name, ElementType def) const;
  const tf::AttrValue& attr(const std::string& name) const;  // required

  Node* add(const std::string& type, const std::vector<Output>& inputs, const Attrs& attrs = {},
            const std::string& version = "");
  Output op(const std::string& type, const std::vector<Output>& inputs, const Attrs& attrs = {},
            const std::string& version = "") {
    return add(type, inputs, attrs, version)->output(0);
  }
  Output constant(const Tensor& value);
  Output const_i64(const std::vector<int64_t>& values);  // 1-D
  Output scalar_i64(int64_t value);
  // A scalar of `type` (the element type of the tensor it will be combined with).
  Output scalar_like(double value, ElementType type);
  // A Parameter named after this node (cut points and Placeholders).
  Node* add_parameter(ElementType type, const PartialShape& shape);

  const PortInfo& port(Output o) const { return o.node->outputs.at(static_cast<size_t>(o.index)); }
  ElementType type_of(Output o) const { return port(o).type; }
  const PartialShape& shape_of(Output o) const { return port(o).shape; }
  int64_t rank_of(Output o, const char* why) const;
  int64_t axis(int64_t a, int64_t rank) const;

 private:
  const tf::AttrValue* find_attr(const std::string& name, tf::AttrValue::ValueCase expected) const;
  std::string fresh_name(const std::string& base);

  ImportState& state_;
  const tf::NodeDef& node_;
  std::vector<TensorRef> inputs_;
  std::vector<Node*> created_;
};

// The TF importer of one op type.
using Importer = void (*)(Context& ctx);
Importer find_importer(const std::string& op_type);
std::vector<std::string> table_op_types();

// TF DataType -> element type; DT_STRING and other non-numeric types are bad input naming `what`.
ElementType element_type_from_tf(int dtype, const std::string& what);
// TensorProto -> Tensor: tensor_content, or the typed *_val fields (a shorter list repeats its last
// value to fill the shape, TF's broadcast form; an empty one means zeros).
Tensor tensor_from_proto(const tf::TensorProto& t);
// TensorShapeProto -> PartialShape (-1 dims dynamic, unknown_rank -> dynamic rank).
PartialShape shape_from_proto(const tf::TensorShapeProto& s);

}  // namespace q8::tffe
