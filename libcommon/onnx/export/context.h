#pragma once
// What an exporter sees while it writes one OpenVINO node as ONNX nodes: the node, its inputs
// as ONNX tensor names (constants become initializers on first use, quantized weights an int8
// initializer + DequantizeLinear), constant values, and helpers that add ONNX nodes and
// initializers with unique, deterministic names.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "onnx/export_qdq.h"

namespace q8::onnxexp {

class Context;
// Writes ctx.node() as ONNX nodes producing ctx.output_name(i) for each used output i.
using Exporter = void (*)(Context& ctx);
// nullptr when `type` has no exporter.
Exporter find_exporter(const std::string& type);
std::vector<std::string> table_op_types();

// Integer levels of a quantized constant with, per element, the affine map back to floats:
// value = (q - zero) * scale. Produced by weights.cpp for FakeQuantize-on-constant and for
// compressed weights; emitted as int8 + DequantizeLinear when scale and zero vary along one axis.
struct QuantWeight {
  Shape shape;
  std::vector<int32_t> q;     // int8 range
  std::vector<double> scale;  // per element
  std::vector<double> zero;   // per element, integer-valued, int8 range
  std::vector<float> exact;   // the values as the IR computes them (the f32 fallback)
};

class Context {
 public:
  Context(const Graph& g, const ExportOptions& options, ExportReport& report);

  // Exports every node of the graph into model().
  void run();
  onnx::ModelProto& model() { return model_; }

  // The node being exported.
  const Node& node() const { return *node_; }
  int64_t opset() const { return options_.opset; }
  [[noreturn]] void fail(const std::string& message) const;
  void warn(const std::string& message);
  ExportReport& report() { return report_; }

  // Inputs of the current node.
  int input_count() const { return static_cast<int>(node_->inputs.size()); }
  bool has_input(int i) const { return i < input_count(); }
  std::string input(int i);  // the ONNX tensor carrying input i (emitted on demand)
  std::string tensor(Output out);
  const PortInfo& port(int i) const;  // type and shape of input i
  int64_t input_rank(int i) const;    // error when dynamic
  // The value of input i when it is a constant (a Const, through Converts), else nullopt.
  std::optional<Tensor> const_value(int i) const;
  Tensor require_const(int i, const std::string& what) const;
  std::vector<int64_t> const_ints(int i, const std::string& what) const;
  std::optional<Tensor> value_of(Output out) const;

  // Outputs of the current node: the name each output must be written under.
  std::string output_name(int index = 0) const;
  bool output_used(int index) const;
  // The only consumer of output 0 of the current node when it is of op `type`, else nullptr.
  const Node* sole_consumer(const std::string& type) const;
  // `consumer` is written as part of the current node (e.g. a bias Add folded into Conv): the
  // driver skips it, and the current node writes its output 0 under the returned name.
  std::string absorb(const Node* consumer);
  // Output `index` carries an already existing tensor (a no-op such as Convert f16 -> f32).
  void alias(int index, const std::string& tensor);

  // Adds an ONNX node `op` reading `inputs` and writing `outputs` (empty: one fresh temporary).
  onnx::NodeProto& emit(const std::string& op, const std::vector<std::string>& inputs,
                        std::vector<std::string> outputs = {});
  // A unique name "<layer name>/<hint>" for a temporary tensor.
  std::string fresh(const std::string& hint);
  // Initializers (f16/bf16 become f32), named fresh(hint).
  std::string initializer(const std::string& hint, const Tensor& value);
  std::string ints(const std::string& hint, const std::vector<int64_t>& values, bool scalar = false);
  std::string floats(const std::string& hint, const std::vector<float>& values, bool scalar = false);

  // Weights in `shape` (same element count, row-major order kept) and optionally with the last
  // two axes swapped: a quantized weight becomes int8 + DequantizeLinear, a constant an
  // initializer, anything else a Reshape/Transpose of the tensor.
  std::string weights(Output out, const Shape& shape, bool transpose_last2 = false);
  // The quantized form of a constant output (FakeQuantize on a constant, compressed weights),
  // looking through Reshape/Squeeze/Unsqueeze of constants; nullopt when it is not quantized.
  std::optional<QuantWeight> quant_weight(Output out);

 private:
  bool is_constant(const Node* n) const;
  void export_node(const Node* n);
  std::string reserve(const std::string& preferred);
  std::string emit_weight(const QuantWeight& w, const std::string& name);
  void add_graph_io();

  const Graph& g_;
  ExportOptions options_;
  ExportReport& report_;
  onnx::ModelProto model_;
  onnx::GraphProto* graph_ = nullptr;
  const Node* node_ = nullptr;
  std::map<const Node*, int> order_;                          // topological position, for messages and ties
  std::map<std::pair<const Node*, int>, std::string> names_;  // the name each output is written under
  std::map<std::pair<const Node*, int>, std::string> done_;   // outputs already available as tensors
  mutable std::map<const Node*, bool> constant_;
  std::set<std::string> used_;
  std::set<const Node*> absorbed_;
};

// Attribute helpers.
void set_attr(onnx::NodeProto& n, const std::string& name, int64_t v);
void set_attr(onnx::NodeProto& n, const std::string& name, float v);
void set_attr(onnx::NodeProto& n, const std::string& name, const std::string& v);
void set_attr(onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& v);
// The current node's kernel_shape, strides and padding (auto_pad, or pads_begin + pads_end) for an
// ONNX Conv/MaxPool/AveragePool with a kernel of `kernel.size()` spatial dims.
void set_window_attrs(Context& ctx, onnx::NodeProto& n, const std::vector<int64_t>& kernel);

// ONNX TensorProto data type for an element type (f16/bf16 -> FLOAT); 0 when unsupported.
int32_t onnx_type(ElementType t);

}  // namespace q8::onnxexp
