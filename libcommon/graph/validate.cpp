#include "graph/validate.h"

#include <algorithm>

#include "base/error.h"

namespace q8 {
namespace {

void check_attrs(const Node& n) {
  const OpDef& def = n.def();
  for (const auto& a : def.attrs) {
    auto it = n.attrs().find(a.name);
    if (it == n.attrs().end()) {
      if (a.required()) throw_bad_input(n.describe() + ": missing required attribute '" + a.name + "'");
      continue;  // optional, or filled from its default when read
    }
    if (kind_of(it->second) != a.kind)
      throw_bad_input(n.describe() + ": attribute '" + a.name + "' must be a " + kind_name(a.kind));
    if (!a.allowed.empty()) {
      const auto& s = std::get<std::string>(it->second);
      if (std::find(a.allowed.begin(), a.allowed.end(), s) == a.allowed.end())
        throw_bad_input(n.describe() + ": attribute '" + a.name + "' has value '" + s +
                        "', expected one of " + attr_to_text(AttrValue(a.allowed)));
    }
  }
  for (const auto& [name, v] : n.attrs())
    if (!def.attr(name)) throw_bad_input(n.describe() + ": unknown attribute '" + name + "'");
}

void check_ports(const Graph& g, const Node& n) {
  const OpDef& def = n.def();
  int count = static_cast<int>(n.inputs.size());
  if (count < def.min_inputs || (def.max_inputs >= 0 && count > def.max_inputs)) {
    std::string expected = def.max_inputs == def.min_inputs ? std::to_string(def.min_inputs)
                           : def.max_inputs < 0
                               ? "at least " + std::to_string(def.min_inputs)
                               : std::to_string(def.min_inputs) + ".." + std::to_string(def.max_inputs);
    throw_bad_input(n.describe() + ": has " + std::to_string(count) + " inputs, the op takes " + expected);
  }
  if (def.outputs >= 0 && static_cast<int>(n.outputs.size()) != def.outputs)
    throw_bad_input(n.describe() + ": has " + std::to_string(n.outputs.size()) + " outputs, the op has " +
                    std::to_string(def.outputs));
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    const Output& in = n.inputs[i];
    if (!in.node || g.find(in.node->id()) != in.node)
      throw_bad_input(n.describe() + ": input port " + std::to_string(i) + " is not connected");
    if (in.index < 0 || in.index >= static_cast<int>(in.node->outputs.size()))
      throw_bad_input(n.describe() + ": input port " + std::to_string(i) + " reads output " +
                      std::to_string(in.index) + " of " + in.node->describe() + ", which does not exist");
  }
  for (size_t i = 0; i < n.outputs.size(); ++i)
    if (!is_static_type(n.outputs[i].type) && n.outputs[i].type != ElementType::kDynamic)
      throw_bad_input(n.describe() + ": output port " + std::to_string(i) + " has no element type");
}

void check_const(const Node& n) {
  if (n.value.empty()) throw_bad_input(n.describe() + ": constant has no data");
  ElementType t = n.attr<ElementType>("element_type");
  const PartialShape& s = n.attr<PartialShape>("shape");
  if (!s.is_static()) throw_bad_input(n.describe() + ": constant shape " + s.to_string() + " is not static");
  if (n.value.type() != t || n.value.shape() != s.to_shape())
    throw_bad_input(n.describe() + ": constant data is " + to_string(n.value.type()) +
                    to_string(n.value.shape()) + " but the layer declares " + to_string(t) + s.to_string());
  const PortInfo& out = n.outputs.at(0);
  if (out.type != t || !(out.shape == s))
    throw_bad_input(n.describe() + ": output port is " + to_string(out.type) + out.shape.to_string() +
                    " but the constant is " + to_string(t) + s.to_string());
}

void check_parameter(const Node& n) {
  ElementType t = n.attr<ElementType>("element_type");
  const PartialShape& s = n.attr<PartialShape>("shape");
  const PortInfo& out = n.outputs.at(0);
  if (out.type != t || !compatible(out.shape, s))
    throw_bad_input(n.describe() + ": output port is " + to_string(out.type) + out.shape.to_string() +
                    " but the parameter declares " + to_string(t) + s.to_string());
}

}  // namespace

void validate(const Graph& g) {
  for (const auto& up : g.nodes()) {
    const Node& n = *up;
    check_attrs(n);
    check_ports(g, n);
    if (n.type() == "Const") check_const(n);
    if (n.type() == "Parameter") check_parameter(n);
  }
  g.topological_order();  // throws on a cycle
}

}  // namespace q8
