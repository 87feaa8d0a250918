#pragma once
// Helpers shared by the onnx-modify operations: name bookkeeping and type lookups.
#include <onnx/onnx_pb.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace q8::onnxmod {

using NameSet = std::set<std::string>;
using TypeMap = std::map<std::string, onnx::TypeProto>;

// Every tensor name of the graph and of its subgraphs (inputs, outputs, initializers,
// value_info, node inputs/outputs).
NameSet tensor_names(const onnx::GraphProto& graph);
// Every non-empty node name of the graph and of its subgraphs.
NameSet node_names(const onnx::GraphProto& graph);
NameSet initializer_names(const onnx::GraphProto& graph);

// `base` when unused, else the first free `base_1`, `base_2`, ...; the result is added to `used`.
std::string unique_name(const std::string& base, NameSet& used);

// Types of every tensor of the top-level graph after shape inference on a copy of `model`
// (inputs, outputs, value_info, initializers). Inference failure -> bad-input error.
TypeMap inferred_types(const onnx::ModelProto& model);

// "[1,N,?]" (dim_param by name, unknown dims as ?); "(unknown rank)" without a shape.
std::string shape_text(const onnx::TypeProto& type);
// "'a', 'b', 'c'" for error messages.
std::string quoted_list(const std::vector<std::string>& names);
std::vector<std::string> output_names(const onnx::GraphProto& graph);

// Inputs a node reads, including outer-scope tensors read by its subgraphs.
std::vector<std::string> node_reads(const onnx::NodeProto& node);

}  // namespace q8::onnxmod
