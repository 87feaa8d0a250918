// The import driver: initializers -> Const, inputs -> Parameter (with mo's overrides), the
// nodes needed for the requested outputs in topological order through the importer table,
// then one Result per output. Every problem with the model is found before any node is built.
#include <algorithm>
#include <queue>

#include "base/error.h"
#include "base/strings.h"
#include "onnx/frontend.h"
#include "onnx/import/context.h"
#include "onnx/onnx_io.h"

namespace q8::onnxfe {

namespace {

// Opsets 7 to 17 are the target; older models import too where an op's meaning did not
// change (importers reject the legacy attributes that changed it).
constexpr int64_t kMinOpset = 1;
constexpr size_t kMaxListed = 40;  // names listed in an error before "... and N more"

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < kMaxListed; ++i) out += (i ? ", '" : "'") + names[i] + "'";
  if (names.size() > kMaxListed) out += ", ... and " + std::to_string(names.size() - kMaxListed) + " more";
  return out.empty() ? "none" : out;
}

PartialShape shape_from_proto(const onnx::ValueInfoProto& v) {
  const auto& tt = v.type().tensor_type();
  if (!tt.has_shape()) return PartialShape::dynamic_rank();
  PartialShape s;
  for (const auto& d : tt.shape().dim())
    s.dims.push_back(d.has_dim_value() && d.dim_value() >= 0 ? Dim::fixed(d.dim_value()) : Dim::dynamic());
  return s;
}

void check_overrides(const onnx::GraphProto& g, const std::set<std::string>& inits,
                     const ImportOptions& opts) {
  std::vector<std::string> inputs;
  for (const auto& in : g.input())
    if (!inits.count(in.name())) inputs.push_back(in.name());
  for (const auto& o : opts.inputs)
    if (std::find(inputs.begin(), inputs.end(), o.name) == inputs.end())
      throw_bad_input("the model has no input '" + o.name + "' (inputs: " + quoted_list(inputs) + ")");
}

const InputOverride* find_override(const ImportOptions& opts, const std::string& name) {
  for (const auto& o : opts.inputs)
    if (o.name == name) return &o;
  return nullptr;
}

void add_inputs(ImportState& st, const onnx::GraphProto& g, const ImportOptions& opts) {
  std::set<std::string> inits;
  for (const auto& t : g.initializer()) inits.insert(t.name());
  check_overrides(g, inits, opts);
  for (const auto& t : g.initializer()) {
    Tensor value = with_context("initializer '" + t.name() + "'", [&] { return tensor_from_proto(t); });
    Node* n = st.graph->add_const(t.name(), std::move(value));
    n->outputs[0].names = {t.name()};
    st.used_names.insert(t.name());
    st.tensors[t.name()] = n->output(0);
  }
  for (const auto& in : g.input()) {
    if (inits.count(in.name())) continue;  // IR < 4 lists initializers as inputs too: they stay constants
    if (!in.type().has_tensor_type()) throw_bad_input("input '" + in.name() + "' is not a tensor");
    ElementType type =
        element_type_from_onnx(in.type().tensor_type().elem_type(), "input '" + in.name() + "'");
    PartialShape shape = shape_from_proto(in);
    if (const InputOverride* o = find_override(opts, in.name())) {
      if (o->shape) shape = *o->shape;
      if (o->type) type = *o->type;
    }
    Node* n = st.graph->add_parameter(in.name(), type, shape);
    n->outputs[0].names = {in.name()};
    st.used_names.insert(in.name());
    st.tensors[in.name()] = n->output(0);
  }
}

// The model's outputs, or the --output cut points (each must be some tensor of the model).
std::vector<std::string> wanted_outputs(const onnx::GraphProto& g, const ImportOptions& opts) {
  std::vector<std::string> outs;
  if (opts.outputs.empty()) {
    for (const auto& o : g.output()) outs.push_back(o.name());
    return outs;
  }
  std::set<std::string> known;
  std::vector<std::string> produced;
  for (const auto& in : g.input()) known.insert(in.name());
  for (const auto& t : g.initializer()) known.insert(t.name());
  for (const auto& n : g.node())
    for (const auto& o : n.output())
      if (!o.empty() && known.insert(o).second) produced.push_back(o);
  for (const auto& name : opts.outputs)
    if (!known.count(name))
      throw_bad_input("the model has no tensor '" + name +
                      "' to cut at (node outputs: " + quoted_list(produced) + ")");
  return opts.outputs;
}

// Nodes that the wanted outputs depend on, in an order where producers come first.
std::vector<const onnx::NodeProto*> needed_nodes(const onnx::GraphProto& g,
                                                 const std::vector<std::string>& outs) {
  std::map<std::string, int> producer;
  for (int i = 0; i < g.node_size(); ++i)
    for (const auto& o : g.node(i).output())
      if (!o.empty()) producer[o] = i;
  std::vector<bool> needed(static_cast<size_t>(g.node_size()), false);
  std::vector<std::string> todo(outs.begin(), outs.end());
  while (!todo.empty()) {
    std::string t = todo.back();
    todo.pop_back();
    auto it = producer.find(t);
    if (it == producer.end() || needed[static_cast<size_t>(it->second)]) continue;
    needed[static_cast<size_t>(it->second)] = true;
    for (const auto& in : g.node(it->second).input())
      if (!in.empty()) todo.push_back(in);
  }
  // Kahn's algorithm in file order: ONNX requires sorted nodes, but exporters sometimes slip.
  std::vector<int> pending(static_cast<size_t>(g.node_size()), 0);
  std::map<std::string, std::vector<int>> readers;
  for (int i = 0; i < g.node_size(); ++i) {
    if (!needed[static_cast<size_t>(i)]) continue;
    for (const auto& in : g.node(i).input())
      if (producer.count(in) && needed[static_cast<size_t>(producer[in])]) {
        ++pending[static_cast<size_t>(i)];
        readers[in].push_back(i);
      }
  }
  std::priority_queue<int, std::vector<int>, std::greater<>> ready;
  for (int i = 0; i < g.node_size(); ++i)
    if (needed[static_cast<size_t>(i)] && pending[static_cast<size_t>(i)] == 0) ready.push(i);
  std::vector<const onnx::NodeProto*> order;
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    order.push_back(&g.node(i));
    for (const auto& o : g.node(i).output())
      for (int r : readers[o])
        if (--pending[static_cast<size_t>(r)] == 0) ready.push(r);
  }
  if (order.size() != static_cast<size_t>(std::count(needed.begin(), needed.end(), true)))
    throw_bad_input("the graph has a cycle");
  return order;
}

std::string describe_node(const onnx::NodeProto& n, int64_t opset) {
  std::string name = !n.name().empty() ? n.name() : (n.output_size() ? n.output(0) : "");
  std::string domain = n.domain().empty() || n.domain() == "ai.onnx" ? "" : n.domain() + ".";
  return "node '" + name + "' (op " + domain + n.op_type() + ", opset " + std::to_string(opset) + ")";
}

bool default_domain(const onnx::NodeProto& n) {
  return n.domain().empty() || n.domain() == "ai.onnx";
}

void check_supported(const std::vector<const onnx::NodeProto*>& nodes, int64_t opset) {
  std::vector<std::string> bad;
  for (const auto* n : nodes)
    if (!default_domain(*n) || !find_importer(n->op_type())) bad.push_back(describe_node(*n, opset));
  if (bad.empty()) return;
  throw_bad_input(std::to_string(bad.size()) + " unsupported ONNX node" + (bad.size() > 1 ? "s" : "") + ": " +
                  join(bad, "; "));
}

void convert_node(ImportState& st, const onnx::NodeProto& n) {
  Context ctx(st, n);
  with_context(ctx.describe(), [&] {
    find_importer(n.op_type())(ctx);
    for (int i = 0; i < n.output_size(); ++i)
      if (ctx.has_output(i) && !st.tensors.count(n.output(i)))
        throw_internal("the importer did not produce output '" + n.output(i) + "'");
  });
}

// Drops nodes no Result depends on (importers build helper paths a later node may make
// redundant, e.g. QuantizeLinear's integer output when a DequantizeLinear follows).
}  // namespace

Graph import_model(const onnx::ModelProto& model, const ImportOptions& opts, const std::string& name) {
  Graph g;
  g.name = name;
  ImportState st;
  st.graph = &g;
  st.opset = onnxio::default_opset(model);
  if (st.opset < kMinOpset) throw_bad_input("the model declares no ONNX opset of the default domain");
  const onnx::GraphProto& graph = model.graph();
  std::vector<std::string> outs = wanted_outputs(graph, opts);
  auto nodes = needed_nodes(graph, outs);
  check_supported(nodes, st.opset);
  add_inputs(st, graph, opts);
  for (const auto* n : nodes) convert_node(st, *n);
  for (const auto& o : outs) {
    auto it = st.tensors.find(o);
    if (it == st.tensors.end()) throw_bad_input("output '" + o + "' is not produced by the graph");
    g.add_result(o + "/sink_port_0", it->second);
  }
  g.prune();
  return g;
}

std::vector<std::string> supported_ops() {
  auto ops = table_op_types();
  std::sort(ops.begin(), ops.end());
  return ops;
}

}  // namespace q8::onnxfe
