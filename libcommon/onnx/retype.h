#pragma once
// change-dtype for ONNX: ArgMax/ArgMin (and many ops) have a fixed output type in ONNX, so
// retyping inserts a Cast after the selected node's graph output. The graph output keeps its
// NAME (the Cast writes it); the node's own output gets a fresh name that internal consumers
// keep reading, so they still see the original type.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace q8::onnxio {

struct RetypeSpec {
  std::string op_type;    // nodes of this op type; with node_name: what that node must be
  std::string node_name;  // exactly this node (at least one of the two is set)
  int32_t to = 0;         // onnx::TensorProto_DataType
};

struct RetypeChange {
  std::string node, op, output;  // output: the graph output now written by the Cast
  std::string renamed_to;        // the node's output tensor after renaming
  int32_t from = 0;              // 0 when the graph output declared no type
};

// Retypes in place. No matching node, or (for --node) a node none of whose outputs is a
// graph output -> bad-input error naming the file (`name`) and node, listing what exists.
std::vector<RetypeChange> retype_outputs(onnx::ModelProto& model, const RetypeSpec& spec,
                                         const std::string& name);

// Parses `bytes`, retypes, checks the result (ONNX checker + strict shape inference) and
// returns the serialized model (deterministic).
std::string retype_onnx(const std::string& bytes, const RetypeSpec& spec, const std::string& name);

// Cheap content sniff used to pick a file format: does `bytes` start like an ONNX ModelProto
// (ir_version first)? A true answer is not a validation.
bool looks_like_onnx(std::string_view bytes);

}  // namespace q8::onnxio
