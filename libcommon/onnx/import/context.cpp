#include "onnx/import/context.h"

#include <algorithm>

#include "base/error.h"
#include "graph/shape_infer.h"
#include "tensor/convert.h"

namespace q8::onnxfe {

Context::Context(ImportState& state, const onnx::NodeProto& node) : state_(state), node_(node) {
  name_ = !node.name().empty() ? node.name() : (node.output_size() > 0 ? node.output(0) : node.op_type());
}

std::string Context::describe() const {
  return "node '" + name_ + "' (op " + node_.op_type() + ", opset " + std::to_string(state_.opset) + ")";
}

void Context::fail(const std::string& message) const {
  throw_bad_input(message);
}

bool Context::has_input(int i) const {
  return i >= 0 && i < node_.input_size() && !node_.input(i).empty();
}

Output Context::input(int i) const {
  if (!has_input(i)) fail("input " + std::to_string(i) + " is required");
  auto it = state_.tensors.find(node_.input(i));
  if (it == state_.tensors.end()) fail("input '" + node_.input(i) + "' is not produced by any node or input");
  return it->second;
}

std::optional<Tensor> Context::const_value(int i) const {
  if (!has_input(i)) return std::nullopt;
  Output o = input(i);
  if (o.node->type() != "Const") return std::nullopt;
  return o.node->value;
}

Tensor Context::require_const(int i, const std::string& what) const {
  auto v = const_value(i);
  if (!v) fail(what + " (input " + std::to_string(i) + ") must be a constant (an initializer or Constant)");
  return *v;
}

std::optional<std::vector<int64_t>> Context::const_ints(int i) const {
  auto v = const_value(i);
  if (!v) return std::nullopt;
  return to_ints(*v);
}

void Context::set_output(int i, Output out) {
  if (!has_output(i)) return;
  const std::string& tensor = node_.output(i);
  PortInfo& port = out.node->outputs.at(static_cast<size_t>(out.index));
  if (std::find(port.names.begin(), port.names.end(), tensor) == port.names.end())
    port.names.push_back(tensor);
  state_.tensors[tensor] = out;
  // The node producing the first output carries the ONNX node's own name (as mo names layers).
  bool ours = std::find(created_.begin(), created_.end(), out.node) != created_.end();
  if (i == 0 && ours && out.node->name() != name_ && !state_.used_names.count(name_)) {
    state_.used_names.erase(out.node->name());
    out.node->set_name(name_);
    state_.used_names.insert(name_);
  }
}

const onnx::AttributeProto* Context::find_attr(const std::string& name) const {
  for (const auto& a : node_.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

const onnx::AttributeProto& Context::typed_attr(const std::string& name, int type) const {
  const onnx::AttributeProto* a = find_attr(name);
  if (a->type() != type && a->type() != onnx::AttributeProto::UNDEFINED)
    fail("attribute '" + name + "' has type " + onnx::AttributeProto::AttributeType_Name(a->type()) +
         ", expected " +
         onnx::AttributeProto::AttributeType_Name(static_cast<onnx::AttributeProto::AttributeType>(type)));
  return *a;
}

int64_t Context::attr_int(const std::string& name, int64_t def) const {
  return has_attr(name) ? typed_attr(name, onnx::AttributeProto::INT).i() : def;
}

int64_t Context::attr_int(const std::string& name) const {
  if (!has_attr(name)) fail("attribute '" + name + "' is required");
  return typed_attr(name, onnx::AttributeProto::INT).i();
}

float Context::attr_float(const std::string& name, float def) const {
  return has_attr(name) ? typed_attr(name, onnx::AttributeProto::FLOAT).f() : def;
}

std::string Context::attr_string(const std::string& name, const std::string& def) const {
  return has_attr(name) ? typed_attr(name, onnx::AttributeProto::STRING).s() : def;
}

std::vector<int64_t> Context::attr_ints(const std::string& name, const std::vector<int64_t>& def) const {
  if (!has_attr(name)) return def;
  const auto& a = typed_attr(name, onnx::AttributeProto::INTS);
  return {a.ints().begin(), a.ints().end()};
}

std::vector<float> Context::attr_floats(const std::string& name, const std::vector<float>& def) const {
  if (!has_attr(name)) return def;
  const auto& a = typed_attr(name, onnx::AttributeProto::FLOATS);
  return {a.floats().begin(), a.floats().end()};
}

std::optional<Tensor> Context::attr_tensor(const std::string& name) const {
  if (!has_attr(name)) return std::nullopt;
  return tensor_from_proto(typed_attr(name, onnx::AttributeProto::TENSOR).t());
}

std::string Context::fresh_name(const std::string& base) {
  std::string name = base;
  for (int n = 1; state_.used_names.count(name); ++n) name = base + "_" + std::to_string(n);
  state_.used_names.insert(name);
  return name;
}

Node* Context::add(const std::string& type, const std::vector<Output>& inputs, const Attrs& attrs,
                   const std::string& version, int outputs) {
  Node* n = state_.graph->add(type, fresh_name(name_ + "/" + type), version);
  n->inputs = inputs;
  if (outputs >= 0) n->outputs.resize(static_cast<size_t>(outputs));
  for (const auto& [k, v] : attrs) n->set_attr(k, v);
  infer_node(*n);
  created_.push_back(n);
  return n;
}

Output Context::constant(const Tensor& value) {
  Node* n = state_.graph->add_const(fresh_name(name_ + "/Const"), value);
  created_.push_back(n);
  return n->output(0);
}

Output Context::const_i64(const std::vector<int64_t>& values) {
  return constant(make_i64({static_cast<int64_t>(values.size())}, values));
}

Output Context::scalar_i64(int64_t value) {
  return constant(make_i64({}, {value}));
}

Output Context::scalar_f32(float value) {
  return constant(make_f32({}, {value}));
}

Output Context::scalar_like(double value, ElementType type) {
  // Integer scalars go through i64 so large values stay exact.
  if (type_info(type).is_float) return constant(q8::convert(make_f32({}, {static_cast<float>(value)}), type));
  return constant(q8::convert(make_i64({}, {static_cast<int64_t>(value)}), type));
}

Output Context::convert(Output x, ElementType to) {
  if (type_of(x) == to) return x;
  return op("Convert", {x}, {{"destination_type", to}});
}

int64_t Context::rank_of(Output o, const char* why) const {
  const PartialShape& s = shape_of(o);
  if (s.rank_dynamic) fail(std::string("the rank of the input must be known ") + why);
  return static_cast<int64_t>(s.rank());
}

int64_t Context::axis(int64_t a, int64_t rank) const {
  if (a < -rank || a >= rank)
    fail("axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
  return a < 0 ? a + rank : a;
}

}  // namespace q8::onnxfe
