#pragma once
// Loading, saving and checking ONNX models with the onnx and protobuf libraries.
#include <onnx/onnx_pb.h>

#include <string>
#include <string_view>

namespace q8::onnxio {

// Parses an .onnx file. Missing, empty, truncated or non-ONNX files -> bad-input error naming the path.
onnx::ModelProto load_model(const std::string& path);
// Parses from memory; `name` is used in error messages.
onnx::ModelProto parse_model(std::string_view bytes, const std::string& name);

// Serializes deterministically (same model -> same bytes).
std::string serialize_model(const onnx::ModelProto& model);
// Serializes and writes atomically (temp file + rename).
void save_model(const onnx::ModelProto& model, const std::string& path);

// Runs the ONNX checker (full check). Failure -> bad-input error with the checker's message.
void check_model(const onnx::ModelProto& model, const std::string& name);
// Runs ONNX shape inference in strict mode, filling graph.value_info (and output types).
// Failure -> bad-input error with the inference message.
void infer_shapes(onnx::ModelProto& model, const std::string& name);

// Opset of the default ("" / "ai.onnx") domain; 0 when absent.
int64_t default_opset(const onnx::ModelProto& model);

// "float32", "int64", ... for an onnx TensorProto_DataType value; "undefined(N)" otherwise.
std::string elem_type_name(int32_t elem_type);
// Parses a type name ("float32"/"float"/"f32", "int64"/"i64", "float16"/"f16", ...). Unknown -> usage error.
int32_t elem_type_from_name(const std::string& name);

}  // namespace q8::onnxio
