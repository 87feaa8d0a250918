#include <cctype>
#include <cstring>
#include <map>
#include <optional>

#include "base/error.h"
#include "base/log.h"
#include "base/strings.h"
#include "onnx/modify.h"
#include "onnx/modify_graph.h"
#include "onnx/onnx_io.h"

namespace q8::onnxmod {

namespace {
// A batch is a positive number or a symbolic name (identifier-like, as dim_params usually are).
onnx::TensorShapeProto_Dimension parse_batch(const std::string& text) {
  onnx::TensorShapeProto_Dimension dim;
  if (auto n = parse_int(text)) {
    if (*n < 1) throw_usage("--batch must be >= 1 or a symbolic name, got '" + text + "'");
    dim.set_dim_value(*n);
    return dim;
  }
  bool ident = !text.empty() && (std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_');
  for (char c : text) ident = ident && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!ident) throw_usage("--batch must be >= 1 or a symbolic name like N, got '" + text + "'");
  dim.set_dim_param(text);
  return dim;
}

std::string dim_text(const onnx::TensorShapeProto_Dimension& d) {
  return d.has_dim_value() ? std::to_string(d.dim_value()) : d.dim_param().empty() ? "?" : d.dim_param();
}

// The old batch: dim 0 of the first real graph input with a known numeric dim 0.
int64_t old_batch(const onnx::GraphProto& graph, const NameSet& inits) {
  for (const auto& v : graph.input()) {
    if (inits.count(v.name()) || !v.type().tensor_type().has_shape()) continue;
    const auto& shape = v.type().tensor_type().shape();
    if (shape.dim_size() > 0 && shape.dim(0).has_dim_value()) return shape.dim(0).dim_value();
  }
  return -1;
}

bool set_dim0(onnx::ValueInfoProto& v, const onnx::TensorShapeProto_Dimension& batch, const char* what) {
  if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape() ||
      v.type().tensor_type().shape().dim_size() == 0) {
    log::warn(std::string("set-batch: ") + what + " '" + v.name() + "' has no known dim 0; left as is");
    return false;
  }
  *v.mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(0) = batch;
  return true;
}
}  // namespace

namespace {
// First element of an int64 shape tensor, however it is stored.
std::optional<int64_t> first_int64(const onnx::TensorProto& t) {
  if (t.data_type() != onnx::TensorProto::INT64) return std::nullopt;
  if (t.int64_data_size() > 0) return t.int64_data(0);
  if (t.raw_data().size() < sizeof(int64_t)) return std::nullopt;
  int64_t v = 0;  // raw_data is little-endian, as is every host we build for
  std::memcpy(&v, t.raw_data().data(), sizeof v);
  return v;
}

// Shape tensors come from initializers or from Constant nodes (what exporters emit).
std::map<std::string, const onnx::TensorProto*> constant_tensors(const onnx::GraphProto& graph) {
  std::map<std::string, const onnx::TensorProto*> out;
  for (const auto& t : graph.initializer()) out[t.name()] = &t;
  for (const auto& node : graph.node())
    if (node.op_type() == "Constant" && node.output_size() == 1)
      for (const auto& attr : node.attribute())
        if (attr.name() == "value" && attr.has_t()) out[node.output(0)] = &attr.t();
  return out;
}

void warn_hard_coded_reshapes(const onnx::GraphProto& graph, int64_t old,
                              const onnx::TensorShapeProto_Dimension& batch) {
  if (old < 0 || (batch.has_dim_value() && batch.dim_value() == old)) return;
  const auto constants = constant_tensors(graph);
  for (const auto& node : graph.node()) {
    if (node.op_type() != "Reshape" || node.input_size() < 2) continue;
    auto it = constants.find(node.input(1));
    if (it == constants.end()) continue;
    if (first_int64(*it->second) == old)
      log::warn("set-batch: Reshape '" + node.name() + "' has a constant shape '" + node.input(1) +
                "' starting with the old batch " + std::to_string(old) +
                "; it will not follow the new batch");
  }
}

// Inference may prove the graph cannot produce the requested batch (hard-coded shapes):
// compare what it derived with the batch and with the output's declared dims.
void settle_output(onnx::ValueInfoProto& v, const onnx::TensorShapeProto& declared,
                   const onnx::TensorShapeProto_Dimension& batch) {
  auto* shape = v.mutable_type()->mutable_tensor_type()->mutable_shape();
  for (int d = 0; d < shape->dim_size() && d < declared.dim_size(); ++d) {
    const auto& want = d == 0 ? batch : declared.dim(d);
    auto* got = shape->mutable_dim(d);
    // A symbolic batch that comes out as a number is pinned too.
    const bool pinned =
        got->has_dim_value() && (want.has_dim_value() ? got->dim_value() != want.dim_value() : d == 0);
    if (pinned)
      throw_bad_input("output '" + v.name() + "' gets dim " + std::to_string(d) + " = " + dim_text(*got) +
                      " from shape inference, not " + dim_text(want) + " (batch " + dim_text(batch) +
                      "): the graph hard-codes its batch");
    if (!got->has_dim_value() || d == 0) *got = want;
  }
}
}  // namespace

void set_batch(onnx::ModelProto& model, const std::string& batch_text) {
  const auto batch = parse_batch(batch_text);
  auto& graph = *model.mutable_graph();
  const NameSet inits = initializer_names(graph);
  warn_hard_coded_reshapes(graph, old_batch(graph, inits), batch);
  for (auto& v : *graph.mutable_input())
    if (!inits.count(v.name())) set_dim0(v, batch, "input");
  // Outputs keep only their rank, so inference reports what the graph really computes.
  std::vector<onnx::TensorShapeProto> declared;
  for (auto& v : *graph.mutable_output()) {
    declared.push_back(v.type().tensor_type().shape());
    if (!set_dim0(v, onnx::TensorShapeProto_Dimension(), "output")) continue;
    for (auto& d : *v.mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim()) d.Clear();
  }
  graph.clear_value_info();
  onnxio::infer_shapes(model, "model with batch " + dim_text(batch));
  for (int i = 0; i < graph.output_size(); ++i) {
    const auto& shape = declared[static_cast<size_t>(i)];
    if (shape.dim_size() > 0) settle_output(*graph.mutable_output(i), shape, batch);
  }
}

}  // namespace q8::onnxmod
