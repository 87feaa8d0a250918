// The export driver: names every output once, walks the graph in topological order and lets
// the exporter table write each node; constants (and whole constant sub-graphs such as weight
// decompression) are written lazily, when a consumer first asks for them.
#include "onnx/export/context.h"

#include "base/error.h"
#include "base/log.h"
#include "tensor/convert.h"

namespace q8::onnxexp {

namespace {

void set_type(onnx::TypeProto* type, ElementType t, const PartialShape& shape) {
  auto* tt = type->mutable_tensor_type();
  tt->set_elem_type(onnx_type(t));
  if (shape.rank_dynamic) return;
  auto* s = tt->mutable_shape();
  for (const Dim& d : shape.dims) {
    auto* dim = s->add_dim();
    if (d.is_static()) dim->set_dim_value(d.min);
  }
}

bool is_reshape_like(const std::string& type) {
  return type == "Reshape" || type == "Squeeze" || type == "Unsqueeze";
}

}  // namespace

int32_t onnx_type(ElementType t) {
  using TP = onnx::TensorProto;
  switch (t) {
    case ElementType::kF16:
    case ElementType::kBF16:
    case ElementType::kF32:
      return TP::FLOAT;
    case ElementType::kF64:
      return TP::DOUBLE;
    case ElementType::kI8:
      return TP::INT8;
    case ElementType::kI16:
      return TP::INT16;
    case ElementType::kI32:
      return TP::INT32;
    case ElementType::kI64:
      return TP::INT64;
    case ElementType::kU8:
      return TP::UINT8;
    case ElementType::kU16:
      return TP::UINT16;
    case ElementType::kU32:
      return TP::UINT32;
    case ElementType::kU64:
      return TP::UINT64;
    case ElementType::kBoolean:
      return TP::BOOL;
    default:
      return 0;
  }
}

void set_attr(onnx::NodeProto& n, const std::string& name, int64_t v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}
void set_attr(onnx::NodeProto& n, const std::string& name, float v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}
void set_attr(onnx::NodeProto& n, const std::string& name, const std::string& v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(v);
}
void set_attr(onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}

Context::Context(const Graph& g, const ExportOptions& options, ExportReport& report)
    : g_(g), options_(options), report_(report) {
  if (options.opset < kMinOpset || options.opset > kMaxOpset)
    throw_usage("--opset must be " + std::to_string(kMinOpset) + ".." + std::to_string(kMaxOpset) + ", got " +
                std::to_string(options.opset));
  // IR version 7 goes with opsets 13-14, 8 with 15-17 (ONNX 1.8 .. 1.12).
  model_.set_ir_version(options.opset <= 14 ? 7 : 8);
  model_.set_producer_name("q8 onnx-modify export-qdq");
  auto* op = model_.add_opset_import();
  op->set_domain("");
  op->set_version(options.opset);
  graph_ = model_.mutable_graph();
  graph_->set_name(g.name.empty() ? "model" : g.name);
}

void Context::fail(const std::string& message) const {
  throw_bad_input(node_ ? node_->describe() + ": " + message : message);
}

void Context::warn(const std::string& message) {
  std::string m = node_ ? node_->describe() + ": " + message : message;
  log::warn(m);
  report_.warnings.push_back(m);
}

std::string Context::reserve(const std::string& preferred) {
  std::string base = preferred.empty() ? "tensor" : preferred;
  std::string name = base;
  for (int i = 1; used_.count(name); ++i) name = base + "_" + std::to_string(i);
  used_.insert(name);
  return name;
}

std::string Context::fresh(const std::string& hint) {
  return reserve(node_->name() + "/" + hint);
}

void Context::run() {
  std::vector<Node*> order = g_.topological_order();
  for (size_t i = 0; i < order.size(); ++i) order_[order[i]] = static_cast<int>(i);
  // Graph inputs keep their names; other outputs are named as the reference executor names
  // them (first tensor name, else the layer name), so results compare by name.
  for (Node* p : g_.parameters()) {
    names_[{p, 0}] = reserve(p->name());
    done_[{p, 0}] = names_[{p, 0}];
  }
  for (Node* n : order) {
    if (n->type() == "Parameter" || n->type() == "Result") continue;
    for (size_t i = 0; i < n->outputs.size(); ++i) {
      const PortInfo& port = n->outputs[i];
      std::string preferred = !port.names.empty() ? port.names.front()
                              : i == 0            ? n->name()
                                                  : n->name() + "." + std::to_string(i);
      names_[{n, static_cast<int>(i)}] = reserve(preferred);
    }
  }
  add_graph_io();
  for (Node* n : order) {
    if (n->type() == "Parameter" || n->type() == "Result" || is_constant(n) || absorbed_.count(n)) continue;
    export_node(n);
  }
  std::set<std::string> outputs;
  for (Node* r : g_.results()) {
    node_ = r;
    Output src = r->input(0);
    std::string have = tensor(src), want = names_.at({src.node, src.index});
    if (have != want) {
      // A graph output must be produced under its own name (an alias, an input, a constant).
      emit("Identity", {have}, {want});
      done_[{src.node, src.index}] = want;
    }
    node_ = nullptr;
    if (!outputs.insert(want).second) continue;
    auto* vi = graph_->add_output();
    vi->set_name(want);
    const PortInfo& port = src.node->outputs.at(static_cast<size_t>(src.index));
    if (!onnx_type(port.type))
      fail(r->describe() + ": output type " + to_string(port.type) + " has no ONNX type");
    set_type(vi->mutable_type(), port.type, port.shape);
  }
}

void Context::add_graph_io() {
  for (Node* p : g_.parameters()) {
    const PortInfo& port = p->outputs.at(0);
    if (!onnx_type(port.type))
      throw_bad_input(p->describe() + ": input type " + to_string(port.type) + " has no ONNX type");
    auto* vi = graph_->add_input();
    vi->set_name(names_.at({p, 0}));
    set_type(vi->mutable_type(), port.type, port.shape);
  }
}

bool Context::is_constant(const Node* n) const {
  auto it = constant_.find(n);
  if (it != constant_.end()) return it->second;
  bool c = n->type() == "Const";
  if (!c && n->type() != "Parameter" && n->type() != "ShapeOf" && !n->inputs.empty()) {
    c = true;
    for (const Output& in : n->inputs) c = c && is_constant(in.node);
  }
  constant_[n] = c;
  return c;
}

void Context::export_node(const Node* n) {
  const Node* saved = node_;
  node_ = n;
  Exporter fn = find_exporter(n->type());
  if (!fn) fail("op " + n->type() + " cannot be exported to ONNX (export-qdq does not support it)");
  fn(*this);
  for (size_t i = 0; i < n->outputs.size(); ++i) {
    auto key = std::make_pair(n, static_cast<int>(i));
    if (!done_.count(key)) done_[key] = names_.at(key);
  }
  node_ = saved;
}

std::string Context::tensor(Output out) {
  auto key = std::make_pair(static_cast<const Node*>(out.node), out.index);
  auto it = done_.find(key);
  if (it != done_.end()) return it->second;
  const Node* p = out.node;
  if (!is_constant(p)) throw_internal(p->describe() + ": used before it was exported");
  const std::string& name = names_.at(key);
  if (auto qw = quant_weight(out); qw && p->type() != "Const") {
    const Node* saved = node_;
    node_ = p;
    emit_weight(*qw, name);
    node_ = saved;
  } else if (auto v = value_of(out); v && (p->type() == "Const" || p->type() == "Convert")) {
    auto* t = graph_->add_initializer();
    t->set_name(name);
    Tensor value = *v;
    if (value.type() == ElementType::kF16 || value.type() == ElementType::kBF16)
      value = convert(value, ElementType::kF32);
    if (!onnx_type(value.type()))
      throw_bad_input(p->describe() + ": constant of type " + to_string(value.type()) + " has no ONNX type");
    t->set_data_type(onnx_type(value.type()));
    for (int64_t d : value.shape()) t->add_dims(d);
    t->set_raw_data(std::string(reinterpret_cast<const char*>(value.bytes()), value.byte_size()));
  } else {
    export_node(p);
  }
  done_[key] = name;
  return name;
}

std::string Context::input(int i) {
  if (!has_input(i)) fail("input " + std::to_string(i) + " is missing");
  return tensor(node_->input(i));
}

const PortInfo& Context::port(int i) const {
  Output in = node_->input(i);
  return in.node->outputs.at(static_cast<size_t>(in.index));
}

int64_t Context::input_rank(int i) const {
  const PortInfo& p = port(i);
  if (p.shape.rank_dynamic) fail("input " + std::to_string(i) + " has a dynamic rank");
  return static_cast<int64_t>(p.shape.rank());
}

std::optional<Tensor> Context::value_of(Output out) const {
  const Node* p = out.node;
  if (p->type() == "Const") return p->value;
  if (!is_constant(p)) return std::nullopt;
  const PortInfo& port = p->outputs.at(static_cast<size_t>(out.index));
  if (p->type() == "Convert") {
    auto v = value_of(p->input(0));
    if (!v) return std::nullopt;
    return convert(*v, p->attr<ElementType>("destination_type"));
  }
  if (is_reshape_like(p->type()) && port.shape.is_static()) {
    auto v = value_of(p->input(0));
    if (!v) return std::nullopt;
    return Tensor::from_bytes(v->type(), port.shape.to_shape(), v->bytes(), v->byte_size());
  }
  return std::nullopt;
}

std::optional<Tensor> Context::const_value(int i) const {
  if (!has_input(i)) return std::nullopt;
  return value_of(node_->input(i));
}

Tensor Context::require_const(int i, const std::string& what) const {
  auto v = const_value(i);
  if (!v) fail(what + " (input " + std::to_string(i) + ") must be a constant");
  return *v;
}

std::vector<int64_t> Context::const_ints(int i, const std::string& what) const {
  return to_ints(require_const(i, what));
}

std::string Context::output_name(int index) const {
  return names_.at({node_, index});
}

bool Context::output_used(int index) const {
  return !g_.consumers(Output{const_cast<Node*>(node_), index}).empty();
}

const Node* Context::sole_consumer(const std::string& type) const {
  auto c = g_.consumers(Output{const_cast<Node*>(node_), 0});
  return c.size() == 1 && c[0].first->type() == type ? c[0].first : nullptr;
}

std::string Context::absorb(const Node* consumer) {
  absorbed_.insert(consumer);
  std::string name = names_.at({consumer, 0});
  done_[{consumer, 0}] = name;
  return name;
}

void Context::alias(int index, const std::string& tensor) {
  done_[{node_, index}] = tensor;
}

onnx::NodeProto& Context::emit(const std::string& op, const std::vector<std::string>& inputs,
                               std::vector<std::string> outputs) {
  if (outputs.empty()) outputs.push_back(fresh(op));
  auto* n = graph_->add_node();
  n->set_op_type(op);
  n->set_name(outputs.front());  // tensor names are unique, so node names are too
  for (const auto& in : inputs) n->add_input(in);
  for (const auto& out : outputs) n->add_output(out);
  return *n;
}

std::string Context::initializer(const std::string& hint, const Tensor& value) {
  std::string name = fresh(hint);
  Tensor v = value;
  if (v.type() == ElementType::kF16 || v.type() == ElementType::kBF16) v = convert(v, ElementType::kF32);
  if (!onnx_type(v.type())) fail("constant of type " + to_string(v.type()) + " has no ONNX type");
  auto* t = graph_->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx_type(v.type()));
  for (int64_t d : v.shape()) t->add_dims(d);
  t->set_raw_data(std::string(reinterpret_cast<const char*>(v.bytes()), v.byte_size()));
  return name;
}

std::string Context::ints(const std::string& hint, const std::vector<int64_t>& values, bool scalar) {
  Shape s = scalar ? Shape{} : Shape{static_cast<int64_t>(values.size())};
  return initializer(hint, make_i64(s, values));
}

std::string Context::floats(const std::string& hint, const std::vector<float>& values, bool scalar) {
  Shape s = scalar ? Shape{} : Shape{static_cast<int64_t>(values.size())};
  return initializer(hint, make_f32(s, values));
}

void set_window_attrs(Context& ctx, onnx::NodeProto& n, const std::vector<int64_t>& kernel) {
  const Node& node = ctx.node();
  set_attr(n, "kernel_shape", kernel);
  set_attr(n, "strides", node.attr<std::vector<int64_t>>("strides"));
  std::string pad = node.attr<std::string>("auto_pad");
  if (pad == "same_upper" || pad == "same_lower" || pad == "valid") {
    set_attr(n, "auto_pad",
             pad == "valid"        ? std::string("VALID")
             : pad == "same_upper" ? "SAME_UPPER"
                                   : "SAME_LOWER");
    return;
  }
  std::vector<int64_t> pads = node.attr<std::vector<int64_t>>("pads_begin");
  const auto& end = node.attr<std::vector<int64_t>>("pads_end");
  pads.insert(pads.end(), end.begin(), end.end());
  if (pads.size() != 2 * kernel.size()) ctx.fail("pads_begin/pads_end do not match the kernel rank");
  set_attr(n, "pads", pads);
}

}  // namespace q8::onnxexp
