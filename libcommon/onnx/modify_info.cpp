#include <map>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "onnx/modify.h"
#include "onnx/modify_graph.h"
#include "onnx/onnx_io.h"

namespace q8::onnxmod {

namespace {
struct TensorInfo {
  std::string name, type, shape;
  nlohmann::ordered_json dims;  // numbers, dim_param strings, or null when unknown
};

struct Summary {
  std::vector<TensorInfo> inputs, outputs;
  int64_t initializer_count = 0, initializer_bytes = 0;
  std::map<std::string, int64_t> op_types;  // sorted by op type
};

TensorInfo tensor_info(const onnx::ValueInfoProto& v) {
  TensorInfo info{v.name(), "undefined", shape_text(v.type()), nlohmann::ordered_json::array()};
  if (!v.type().has_tensor_type()) return info;
  info.type = onnxio::elem_type_name(v.type().tensor_type().elem_type());
  for (const auto& d : v.type().tensor_type().shape().dim()) {
    if (d.has_dim_value())
      info.dims.push_back(d.dim_value());
    else if (!d.dim_param().empty())
      info.dims.push_back(d.dim_param());
    else
      info.dims.push_back(nullptr);
  }
  if (!v.type().tensor_type().has_shape()) info.dims = nullptr;
  return info;
}

int64_t element_bytes(int32_t elem_type) {
  switch (elem_type) {
    case onnx::TensorProto::UINT8:
    case onnx::TensorProto::INT8:
    case onnx::TensorProto::BOOL:
      return 1;
    case onnx::TensorProto::UINT16:
    case onnx::TensorProto::INT16:
    case onnx::TensorProto::FLOAT16:
    case onnx::TensorProto::BFLOAT16:
      return 2;
    case onnx::TensorProto::FLOAT:
    case onnx::TensorProto::INT32:
    case onnx::TensorProto::UINT32:
      return 4;
    case onnx::TensorProto::COMPLEX128:
      return 16;
    default:
      return 8;  // DOUBLE, INT64, UINT64, COMPLEX64
  }
}

// Size of the tensor's data however it is stored (raw_data, typed fields, external file).
int64_t tensor_bytes(const onnx::TensorProto& t) {
  if (t.data_type() == onnx::TensorProto::STRING) {
    int64_t bytes = 0;
    for (const auto& s : t.string_data()) bytes += static_cast<int64_t>(s.size());
    return bytes;
  }
  int64_t count = 1;
  for (auto d : t.dims()) count *= d;
  return count * element_bytes(t.data_type());
}

Summary summarize(const onnx::GraphProto& graph) {
  Summary s;
  const NameSet inits = initializer_names(graph);
  // Old IR versions list initializers as graph inputs too; they are weights, not inputs.
  for (const auto& v : graph.input())
    if (!inits.count(v.name())) s.inputs.push_back(tensor_info(v));
  for (const auto& v : graph.output()) s.outputs.push_back(tensor_info(v));
  for (const auto& t : graph.initializer()) {
    ++s.initializer_count;
    s.initializer_bytes += tensor_bytes(t);
  }
  for (const auto& node : graph.node()) {
    const std::string domain = node.domain().empty() || node.domain() == "ai.onnx" ? "" : node.domain() + ".";
    ++s.op_types[domain + node.op_type()];
  }
  return s;
}

std::string domain_name(const std::string& domain) {
  return domain.empty() ? "ai.onnx" : domain;
}

void append_tensors(std::string& out, const char* title, const std::vector<TensorInfo>& tensors) {
  out += std::string(title) + ": " + std::to_string(tensors.size()) + "\n";
  for (const auto& t : tensors) out += "  " + t.name + "  " + t.type + "  " + t.shape + "\n";
}

nlohmann::ordered_json tensors_json(const std::vector<TensorInfo>& tensors) {
  auto arr = nlohmann::ordered_json::array();
  for (const auto& t : tensors) arr.push_back({{"name", t.name}, {"type", t.type}, {"shape", t.dims}});
  return arr;
}
}  // namespace

std::string info_text(const onnx::ModelProto& model, const std::string& name) {
  const Summary s = summarize(model.graph());
  std::string out = "file: " + name + "\n";
  out += "ir_version: " + std::to_string(model.ir_version()) + "\n";
  out += "producer: " + std::string(trim(model.producer_name() + " " + model.producer_version())) + "\n";
  out += "graph: " + model.graph().name() + "\n";
  for (const auto& op : model.opset_import())
    out += "opset: " + domain_name(op.domain()) + " " + std::to_string(op.version()) + "\n";
  append_tensors(out, "inputs", s.inputs);
  append_tensors(out, "outputs", s.outputs);
  out += "initializers: " + std::to_string(s.initializer_count) + " (" + std::to_string(s.initializer_bytes) +
         " bytes)\n";
  out += "nodes: " + std::to_string(model.graph().node_size()) + "\n";
  out += "op types:\n";
  for (const auto& [op, count] : s.op_types) out += "  " + op + " " + std::to_string(count) + "\n";
  return out;
}

std::string info_json(const onnx::ModelProto& model, const std::string& name) {
  const Summary s = summarize(model.graph());
  nlohmann::ordered_json j;
  j["file"] = name;
  j["ir_version"] = model.ir_version();
  j["producer_name"] = model.producer_name();
  j["producer_version"] = model.producer_version();
  j["graph"] = model.graph().name();
  j["opsets"] = nlohmann::ordered_json::array();
  for (const auto& op : model.opset_import())
    j["opsets"].push_back({{"domain", domain_name(op.domain())}, {"version", op.version()}});
  j["inputs"] = tensors_json(s.inputs);
  j["outputs"] = tensors_json(s.outputs);
  j["initializers"] = {{"count", s.initializer_count}, {"bytes", s.initializer_bytes}};
  j["nodes"] = model.graph().node_size();
  j["op_types"] = nlohmann::ordered_json::object();
  for (const auto& [op, count] : s.op_types) j["op_types"][op] = count;
  // Names are arbitrary bytes in ONNX; invalid UTF-8 must not abort the dump.
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace q8::onnxmod
