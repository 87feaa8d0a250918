#pragma once
// mo's ONNX frontend: ONNX ModelProto -> Graph of OpenVINO opset ops, with shapes inferred.
// An explicit importer table (onnx/import/, one file per op family) maps each ONNX op type to
// a function that emits the equivalent OpenVINO ops; opsets 7 to 17 of the default domain.
#include <onnx/onnx_pb.h>

#include <optional>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace q8::onnxfe {

struct InputOverride {
  std::string name;                   // an ONNX graph input
  std::optional<PartialShape> shape;  // replaces the model's shape (mo --input_shape)
  std::optional<ElementType> type;    // replaces the model's element type
};

struct ImportOptions {
  std::vector<InputOverride> inputs;  // only these inputs are changed; others keep their declared shape/type
  std::vector<std::string>
      outputs;  // cut the graph at these tensors (mo --output); empty: the model's outputs
};

// Parameters are named after the ONNX inputs, every node output port carries its ONNX tensor
// name in PortInfo::names, Results are named "<tensor>/sink_port_0". Unsupported ops are
// collected over the whole model and reported in one bad-input error naming, for each, the
// node, its op type and the opset. A name in `opts` that does not exist names what exists.
Graph import_model(const onnx::ModelProto& model, const ImportOptions& opts, const std::string& name);

// ONNX op types the importer table covers, sorted (for reports and the conformance runner).
std::vector<std::string> supported_ops();

}  // namespace q8::onnxfe
