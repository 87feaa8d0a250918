#include "runtime/reference.h"

#include <map>

#include "base/error.h"
#include "runtime/ref/kernels.h"
#include "tensor/convert.h"

namespace q8::runtime {

std::string output_name(const Node& producer, int index) {
  const PortInfo& port = producer.outputs.at(static_cast<size_t>(index));
  if (!port.names.empty()) return port.names.front();
  return index == 0 ? producer.name() : producer.name() + "." + std::to_string(index);
}

std::vector<Tensor> evaluate(const Node& n, const std::vector<Tensor>& inputs) {
  if (n.type() == "Const") return {n.value};
  ref::Kernel kernel = ref::KernelTable::instance().find(n.type());
  if (!kernel) throw_bad_input(n.describe() + ": no reference kernel for this op");
  std::vector<Tensor> widened;
  widened.reserve(inputs.size());
  bool keep_types = n.type() == "Convert";
  for (const Tensor& t : inputs) {
    bool narrow_float = t.type() == ElementType::kF16 || t.type() == ElementType::kBF16;
    widened.push_back(narrow_float && !keep_types ? convert(t, ElementType::kF32) : t);
  }
  std::vector<Tensor> outs = with_context(n.describe(), [&] { return kernel(n, widened); });
  if (outs.size() != n.outputs.size())
    throw_internal(n.describe() + ": reference kernel produced " + std::to_string(outs.size()) +
                   " outputs, the node has " + std::to_string(n.outputs.size()));
  return outs;
}

namespace {

const Tensor& find_input(const Graph& g, const Node& param, const std::vector<NamedTensor>& inputs) {
  for (const auto& in : inputs)
    if (in.name == param.name()) return in.value;
  for (const auto& in : inputs)
    for (const auto& name : param.outputs[0].names)
      if (in.name == name) return in.value;
  if (inputs.size() == 1 && g.parameters().size() == 1 && inputs[0].name.empty()) return inputs[0].value;
  throw_bad_input("no value given for model input '" + param.name() + "'");
}

void check_input(const Node& param, const Tensor& value) {
  const PortInfo& port = param.outputs[0];
  if (value.type() != port.type)
    throw_bad_input("input '" + param.name() + "' must be " + to_string(port.type) + ", got " +
                    to_string(value.type()));
  if (!compatible(port.shape, PartialShape(value.shape())))
    throw_bad_input("input '" + param.name() + "' must have shape " + port.shape.to_string() + ", got " +
                    to_string(value.shape()));
}

void check_no_extra_inputs(const Graph& g, const std::vector<NamedTensor>& inputs) {
  if (inputs.size() == 1 && inputs[0].name.empty()) return;
  for (const auto& in : inputs) {
    bool known = false;
    for (const Node* p : g.parameters()) {
      known |= p->name() == in.name;
      for (const auto& name : p->outputs[0].names) known |= name == in.name;
    }
    if (!known) {
      std::string names;
      for (const Node* p : g.parameters()) names += (names.empty() ? "'" : ", '") + p->name() + "'";
      throw_bad_input("the model has no input '" + in.name + "' (inputs: " + names + ")");
    }
  }
}

}  // namespace

std::vector<NamedTensor> run_reference(const Graph& g, const std::vector<NamedTensor>& inputs,
                                       const NodeObserver& observer) {
  check_no_extra_inputs(g, inputs);
  auto order = g.topological_order();
  std::map<const Node*, int> pending_reads;  // values are freed after their last reader
  for (const Node* n : order)
    for (const Output& in : n->inputs) pending_reads[in.node]++;
  std::map<const Node*, std::vector<Tensor>> values;
  std::vector<NamedTensor> results;
  for (const Node* n : order) {
    std::vector<Tensor> args;
    for (const Output& in : n->inputs) args.push_back(values.at(in.node).at(static_cast<size_t>(in.index)));
    std::vector<Tensor> outs;
    if (n->type() == "Parameter") {
      const Tensor& v = find_input(g, *n, inputs);
      check_input(*n, v);
      outs = {v};
    } else if (n->type() == "Result") {
      results.push_back({output_name(*n->inputs[0].node, n->inputs[0].index), args.at(0)});
    } else {
      outs = evaluate(*n, args);
    }
    if (observer) observer(*n, outs);
    for (const Output& in : n->inputs)
      if (--pending_reads[in.node] == 0) values.erase(in.node);
    if (!outs.empty()) values[n] = std::move(outs);
  }
  return results;
}

}  // namespace q8::runtime
