#include "tf/import/context.h"

#include <algorithm>

#include "base/error.h"
#include "graph/shape_infer.h"
#include "tensor/convert.h"

namespace q8::tffe {

std::optional<TensorRef> parse_tensor_ref(const std::string& input) {
  if (input.empty() || input[0] == '^') return std::nullopt;
  size_t colon = input.rfind(':');
  if (colon == std::string::npos) return TensorRef{input, 0};
  std::string index = input.substr(colon + 1);
  if (index.empty() || !std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return TensorRef{input, 0};
  return TensorRef{input.substr(0, colon), std::stoi(index)};
}

std::string tensor_name(const std::string& node, int index) {
  return index == 0 ? node : node + ":" + std::to_string(index);
}

Context::Context(ImportState& state, const tf::NodeDef& node) : state_(state), node_(node) {
  for (const auto& in : node.input())
    if (auto ref = parse_tensor_ref(in)) inputs_.push_back(*ref);
}

std::string Context::describe() const {
  return "node '" + node_.name() + "' (op " + node_.op() + ")";
}

void Context::fail(const std::string& message) const {
  throw_bad_input(message);
}

Output Context::input(int i) const {
  if (i < 0 || i >= input_count())
    fail("input " + std::to_string(i) + " is required (the node has " + std::to_string(input_count()) + ")");
  const TensorRef& ref = inputs_[static_cast<size_t>(i)];
  auto it = state_.tensors.find(ref.node + ":" + std::to_string(ref.index));
  if (it == state_.tensors.end())
    fail("input '" + tensor_name(ref.node, ref.index) + "' is not produced by any imported node");
  return it->second;
}

std::optional<Tensor> Context::const_value(int i) const {
  Output o = input(i);
  if (o.node->type() != "Const") return std::nullopt;
  return o.node->value;
}

Tensor Context::require_const(int i, const std::string& what) const {
  auto v = const_value(i);
  if (!v) fail(what + " (input " + std::to_string(i) + ") must be a constant");
  return *v;
}

std::vector<int64_t> Context::require_ints(int i, const std::string& what) const {
  return to_ints(require_const(i, what));
}

void Context::set_output(int i, Output out) {
  std::string tensor = tensor_name(node_.name(), i);
  PortInfo& port = out.node->outputs.at(static_cast<size_t>(out.index));
  if (std::find(port.names.begin(), port.names.end(), tensor) == port.names.end())
    port.names.push_back(tensor);
  state_.tensors[node_.name() + ":" + std::to_string(i)] = out;
  // The node producing the first output carries the TF node's own name (as mo names layers).
  bool ours = std::find(created_.begin(), created_.end(), out.node) != created_.end();
  if (i == 0 && ours && out.node->name() != node_.name() && !state_.used_names.count(node_.name())) {
    state_.used_names.erase(out.node->name());
    out.node->set_name(node_.name());
    state_.used_names.insert(node_.name());
  }
}

const tf::AttrValue* Context::find_attr(const std::string& name, tf::AttrValue::ValueCase expected) const {
  auto it = node_.attr().find(name);
  if (it == node_.attr().end()) return nullptr;
  if (it->second.value_case() != expected)
    fail("attribute '" + name + "' has value kind " + std::to_string(it->second.value_case()) +
         ", expected " + std::to_string(expected));
  return &it->second;
}

const tf::AttrValue& Context::attr(const std::string& name) const {
  auto it = node_.attr().find(name);
  if (it == node_.attr().end()) fail("attribute '" + name + "' is required");
  return it->second;
}

int64_t Context::attr_int(const std::string& name, int64_t def) const {
  const auto* a = find_attr(name, tf::AttrValue::kI);
  return a ? a->i() : def;
}

float Context::attr_float(const std::string& name, float def) const {
  const auto* a = find_attr(name, tf::AttrValue::kF);
  return a ? a->f() : def;
}

bool Context::attr_bool(const std::string& name, bool def) const {
  const auto* a = find_attr(name, tf::AttrValue::kB);
  return a ? a->b() : def;
}

std::string Context::attr_string(const std::string& name, const std::string& def) const {
  const auto* a = find_attr(name, tf::AttrValue::kS);
  return a ? a->s() : def;
}

std::vector<int64_t> Context::attr_ints(const std::string& name, const std::vector<int64_t>& def) const {
  const auto* a = find_attr(name, tf::AttrValue::kList);
  if (!a) return def;
  return {a->list().i().begin(), a->list().i().end()};
}

ElementType Context::attr_type(const std::string& name, ElementType def) const {
  const auto* a = find_attr(name, tf::AttrValue::kType);
  return a ? element_type_from_tf(a->type(), "attribute '" + name + "'") : def;
}

std::string Context::fresh_name(const std::string& base) {
  std::string name = base;
  for (int n = 1; state_.used_names.count(name); ++n) name = base + "_" + std::to_string(n);
  state_.used_names.insert(name);
  return name;
}

Node* Context::add(const std::string& type, const std::vector<Output>& inputs, const Attrs& attrs,
                   const std::string& version) {
  Node* n = state_.graph->add(type, fresh_name(node_.name() + "/" + type), version);
  n->inputs = inputs;
  for (const auto& [k, v] : attrs) n->set_attr(k, v);
  infer_node(*n);
  created_.push_back(n);
  return n;
}

Output Context::constant(const Tensor& value) {
  Node* n = state_.graph->add_const(fresh_name(node_.name() + "/Const"), value);
  created_.push_back(n);
  return n->output(0);
}

Output Context::const_i64(const std::vector<int64_t>& values) {
  return constant(make_i64({static_cast<int64_t>(values.size())}, values));
}

Output Context::scalar_i64(int64_t value) {
  return constant(make_i64({}, {value}));
}

Output Context::scalar_like(double value, ElementType type) {
  if (type_info(type).is_float) return constant(q8::convert(make_f32({}, {static_cast<float>(value)}), type));
  return constant(q8::convert(make_i64({}, {static_cast<int64_t>(value)}), type));
}

Node* Context::add_parameter(ElementType type, const PartialShape& shape) {
  Node* p = state_.graph->add_parameter(fresh_name(node_.name()), type, shape);
  created_.push_back(p);
  return p;
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

}  // namespace q8::tffe
