#include "onnx/onnx_io.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include <limits>
#include <map>

#include "base/error.h"
#include "base/file.h"
#include "base/strings.h"

namespace q8::onnxio {

onnx::ModelProto parse_model(std::string_view bytes, const std::string& name) {
  if (bytes.empty()) throw_bad_input(name + ": empty file, expected an ONNX model");
  onnx::ModelProto model;
  google::protobuf::io::ArrayInputStream raw(bytes.data(), static_cast<int>(bytes.size()));
  google::protobuf::io::CodedInputStream coded(&raw);
  coded.SetTotalBytesLimit(std::numeric_limits<int>::max());
  if (!model.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage())
    throw_bad_input(name + ": not a valid ONNX model (protobuf parse failed: truncated or not ONNX)");
  if (!model.has_graph() || model.ir_version() <= 0)
    throw_bad_input(name + ": not an ONNX model (no graph or ir_version)");
  return model;
}

onnx::ModelProto load_model(const std::string& path) {
  return parse_model(read_file(path), path);
}

std::string serialize_model(const onnx::ModelProto& model) {
  std::string out;
  google::protobuf::io::StringOutputStream raw(&out);
  {
    google::protobuf::io::CodedOutputStream coded(&raw);
    coded.SetSerializationDeterministic(true);
    if (!model.SerializeToCodedStream(&coded)) throw_internal("ONNX serialization failed");
  }
  return out;
}

void save_model(const onnx::ModelProto& model, const std::string& path) {
  write_file_atomic(path, serialize_model(model));
}

namespace {
// The ONNX library's messages span several lines; a tool prints one.
std::string one_line(const std::string& s) {
  std::string msg;
  for (const auto& line : split(s, '\n'))
    if (!trim(line).empty()) msg += (msg.empty() ? "" : "; ") + std::string(trim(line));
  return msg;
}
}  // namespace

void check_model(const onnx::ModelProto& model, const std::string& name) {
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& e) {
    throw_bad_input(name + ": ONNX checker: " + one_line(e.what()));
  }
}

void infer_shapes(onnx::ModelProto& model, const std::string& name) {
  try {
    onnx::ShapeInferenceOptions opts(/*check_type_val=*/true, /*strict_mode_val=*/1, /*data_prop_val=*/true);
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), opts);
  } catch (const std::exception& e) {
    throw_bad_input(name + ": ONNX shape inference: " + one_line(e.what()));
  }
}

int64_t default_opset(const onnx::ModelProto& model) {
  for (const auto& op : model.opset_import())
    if (op.domain().empty() || op.domain() == "ai.onnx") return op.version();
  return 0;
}

namespace {
const std::map<int32_t, std::string>& type_names() {
  static const std::map<int32_t, std::string> names = {
      {onnx::TensorProto::FLOAT, "float32"},       {onnx::TensorProto::UINT8, "uint8"},
      {onnx::TensorProto::INT8, "int8"},           {onnx::TensorProto::UINT16, "uint16"},
      {onnx::TensorProto::INT16, "int16"},         {onnx::TensorProto::INT32, "int32"},
      {onnx::TensorProto::INT64, "int64"},         {onnx::TensorProto::STRING, "string"},
      {onnx::TensorProto::BOOL, "bool"},           {onnx::TensorProto::FLOAT16, "float16"},
      {onnx::TensorProto::DOUBLE, "float64"},      {onnx::TensorProto::UINT32, "uint32"},
      {onnx::TensorProto::UINT64, "uint64"},       {onnx::TensorProto::BFLOAT16, "bfloat16"},
      {onnx::TensorProto::COMPLEX64, "complex64"}, {onnx::TensorProto::COMPLEX128, "complex128"},
  };
  return names;
}
}  // namespace

std::string elem_type_name(int32_t elem_type) {
  auto it = type_names().find(elem_type);
  return it != type_names().end() ? it->second : "undefined(" + std::to_string(elem_type) + ")";
}

int32_t elem_type_from_name(const std::string& name) {
  static const std::map<std::string, int32_t> aliases = {
      {"float", onnx::TensorProto::FLOAT},   {"f32", onnx::TensorProto::FLOAT},
      {"fp32", onnx::TensorProto::FLOAT},    {"half", onnx::TensorProto::FLOAT16},
      {"f16", onnx::TensorProto::FLOAT16},   {"fp16", onnx::TensorProto::FLOAT16},
      {"double", onnx::TensorProto::DOUBLE}, {"f64", onnx::TensorProto::DOUBLE},
      {"i8", onnx::TensorProto::INT8},       {"u8", onnx::TensorProto::UINT8},
      {"i32", onnx::TensorProto::INT32},     {"i64", onnx::TensorProto::INT64},
      {"bf16", onnx::TensorProto::BFLOAT16}, {"boolean", onnx::TensorProto::BOOL},
  };
  for (const auto& [id, n] : type_names())
    if (n == name) return id;
  auto it = aliases.find(name);
  if (it != aliases.end()) return it->second;
  throw_usage(
      "unknown element type '" + name +
      "' (expected float32, float16, bfloat16, float64, int8, uint8, int16, int32, int64, bool, ...)");
}

}  // namespace q8::onnxio
