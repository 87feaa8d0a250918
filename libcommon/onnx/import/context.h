#pragma once
// What an importer sees while it converts one ONNX node: the node, the opset, its inputs as
// graph Outputs (with constant values when known), typed attribute getters, and helpers that
// add OpenVINO nodes whose output ports are inferred immediately, so later steps can use shapes.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "graph/graph.h"

namespace q8::onnxfe {

// ONNX tensor name -> the graph output that carries it.
using TensorMap = std::map<std::string, Output>;

// A QuantizeLinear output remembered so a following DequantizeLinear with the same parameters
// becomes the FakeQuantize itself instead of a round trip through integers.
struct QuantizedTensor {
  Output fake_quantized;  // float output of the FakeQuantize
  Output scale, zero_point;
};

// State shared by every node of one import.
struct ImportState {
  Graph* graph = nullptr;
  int64_t opset = 0;
  TensorMap tensors;
  std::set<std::string> used_names;
  std::map<std::string, QuantizedTensor> quantized;  // keyed by the QuantizeLinear output tensor
};

using Attrs = std::vector<std::pair<std::string, AttrValue>>;

class Context {
 public:
  Context(ImportState& state, const onnx::NodeProto& node);

  const onnx::NodeProto& node() const { return node_; }
  const std::string& op_type() const { return node_.op_type(); }
  int64_t opset() const { return state_.opset; }
  std::map<std::string, QuantizedTensor>& quantized() { return state_.quantized; }
  // The ONNX node name, or its first output's name when the node is unnamed.
  const std::string& name() const { return name_; }
  // "node 'conv1' (op Conv, opset 13)": how errors name the ONNX node.
  std::string describe() const;
  [[noreturn]] void fail(const std::string& message) const;

  // Inputs: ONNX marks an omitted optional input with an empty name.
  int input_count() const { return node_.input_size(); }
  bool has_input(int i) const;
  Output input(int i) const;  // bad-input error when absent
  // The value of input i when it is a Const (initializer or Constant), else nullopt.
  std::optional<Tensor> const_value(int i) const;
  // Like const_value but an error naming `what` when the input is not constant.
  Tensor require_const(int i, const std::string& what) const;
  // Constant input i as integers / floats; `def` when the input is absent.
  std::optional<std::vector<int64_t>> const_ints(int i) const;

  // Outputs.
  int output_count() const { return node_.output_size(); }
  bool has_output(int i) const { return i < node_.output_size() && !node_.output(i).empty(); }
  void set_output(int i, Output out);

  // Attributes (defaults when absent; a present attribute of the wrong type is an error).
  bool has_attr(const std::string& name) const { return find_attr(name) != nullptr; }
  int64_t attr_int(const std::string& name, int64_t def) const;
  int64_t attr_int(const std::string& name) const;
  float attr_float(const std::string& name, float def) const;
  std::string attr_string(const std::string& name, const std::string& def) const;
  std::vector<int64_t> attr_ints(const std::string& name, const std::vector<int64_t>& def = {}) const;
  std::vector<float> attr_floats(const std::string& name, const std::vector<float>& def = {}) const;
  std::optional<Tensor> attr_tensor(const std::string& name) const;

  // Adds an OpenVINO node named after this ONNX node and infers its outputs at once.
  // `outputs` sizes a variadic op's ports before inference (VariadicSplit with computed lengths).
  Node* add(const std::string& type, const std::vector<Output>& inputs, const Attrs& attrs = {},
            const std::string& version = "", int outputs = -1);
  Output op(const std::string& type, const std::vector<Output>& inputs, const Attrs& attrs = {},
            const std::string& version = "") {
    return add(type, inputs, attrs, version)->output(0);
  }
  Output constant(const Tensor& value);
  Output const_i64(const std::vector<int64_t>& values);  // 1-D
  Output scalar_i64(int64_t value);
  Output scalar_f32(float value);
  // A scalar of `type` (the element type of the tensor it will be combined with).
  Output scalar_like(double value, ElementType type);
  Output convert(Output x, ElementType to);

  const PortInfo& port(Output o) const { return o.node->outputs.at(static_cast<size_t>(o.index)); }
  ElementType type_of(Output o) const { return port(o).type; }
  const PartialShape& shape_of(Output o) const { return port(o).shape; }
  // Static rank of `o`; an error naming `why` when the rank is unknown.
  int64_t rank_of(Output o, const char* why) const;
  // Normalizes a possibly negative axis against `rank`; an error when out of range.
  int64_t axis(int64_t a, int64_t rank) const;

 private:
  const onnx::AttributeProto* find_attr(const std::string& name) const;
  const onnx::AttributeProto& typed_attr(const std::string& name, int type) const;
  std::string fresh_name(const std::string& base);

  ImportState& state_;
  const onnx::NodeProto& node_;
  std::string name_;
  std::vector<Node*> created_;
};

// The ONNX importer of one op type.
using Importer = void (*)(Context& ctx);

// Looks up the importer of `op_type` in the table (nullptr when unsupported).
Importer find_importer(const std::string& op_type);
std::vector<std::string> table_op_types();

// ONNX TensorProto <-> q8 tensors and element types.
ElementType element_type_from_onnx(int32_t elem_type, const std::string& what);
Tensor tensor_from_proto(const onnx::TensorProto& t);

}  // namespace q8::onnxfe
