#include "ir/summary.h"

#include <nlohmann/json.hpp>

namespace q8::ir {

Summary summarize(const Graph& g, int ir_version) {
  Summary s;
  s.name = g.name;
  s.ir_version = ir_version;
  s.layers = g.size();
  for (const Node* p : g.parameters())
    s.inputs.push_back({p->name(), to_string(p->outputs[0].type), p->outputs[0].shape.to_string()});
  for (const Node* r : g.results()) {
    const Output& src = r->inputs.at(0);
    const PortInfo& port = src.node->outputs.at(static_cast<size_t>(src.index));
    s.outputs.push_back({src.node->name(), to_string(port.type), port.shape.to_string()});
  }
  for (const auto& n : g.nodes()) {
    s.ops[n->type() + " " + n->version()]++;
    if (n->type() == "Const")
      s.const_bytes[to_string(n->value.type())] += static_cast<int64_t>(n->value.byte_size());
    if (n->type() == "FakeQuantize") s.fake_quantize++;
  }
  return s;
}

std::string to_text(const Summary& s) {
  std::string out = "model: " + s.name + " (IR v" + std::to_string(s.ir_version) + ", " +
                    std::to_string(s.layers) + " layers)\n";
  for (const auto& t : s.inputs) out += "input:  " + t.name + " " + t.type + t.shape + "\n";
  for (const auto& t : s.outputs) out += "output: " + t.name + " " + t.type + t.shape + "\n";
  out += "FakeQuantize: " + std::to_string(s.fake_quantize) + "\n";
  for (const auto& [type, bytes] : s.const_bytes)
    out += "weights " + type + ": " + std::to_string(bytes) + " bytes\n";
  out += "ops:\n";
  for (const auto& [op, count] : s.ops) out += "  " + std::to_string(count) + "\t" + op + "\n";
  return out;
}

std::string to_json(const Summary& s) {
  nlohmann::ordered_json j;
  j["name"] = s.name;
  j["ir_version"] = s.ir_version;
  j["layers"] = s.layers;
  auto tensors = [](const std::vector<TensorSummary>& v) {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (const auto& t : v) a.push_back({{"name", t.name}, {"type", t.type}, {"shape", t.shape}});
    return a;
  };
  j["inputs"] = tensors(s.inputs);
  j["outputs"] = tensors(s.outputs);
  j["fake_quantize"] = s.fake_quantize;
  j["const_bytes"] = s.const_bytes;
  j["ops"] = s.ops;
  return j.dump(2) + "\n";
}

}  // namespace q8::ir
