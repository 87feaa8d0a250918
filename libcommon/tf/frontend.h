#pragma once
// mo's TensorFlow frontend: a frozen GraphDef -> Graph of OpenVINO opset ops, with shapes inferred.
// An explicit importer table (tf/import/, one file per op family) maps each TF op type to a
// function that emits the equivalent OpenVINO ops. The body keeps TF's NHWC semantics: every
// layout-sensitive op is wrapped in Transposes to and from NCHW, and 4-D inputs become NCHW
// Parameters (as mo.py does); passes::transpose_sinking then removes the Transposes that cancel.
#include <optional>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "tf/graph_def.pb.h"

namespace q8::tffe {

struct InputOverride {
  // A Placeholder, or any node ("node" or "node:1") the graph is cut at: it becomes a Parameter.
  std::string name;
  std::optional<PartialShape> shape;  // as TF sees it (NHWC for images); required when cutting
  std::optional<ElementType> type;
};

struct ImportOptions {
  std::vector<InputOverride> inputs;  // changed or new inputs; other Placeholders keep their shape
  std::vector<std::string> outputs;   // cut at these tensors (mo --output); empty: nodes nobody reads
};

// Parameters are named after their TF node and carry NCHW shapes when 4-D, every node output
// port carries its TF tensor name ("node" for output 0, "node:1", ...), Results are named
// "<tensor>/sink_port_0". Unsupported ops are collected over everything the outputs need and
// reported in one bad-input error naming each node and its op type. A name in `opts` that does
// not exist names what exists.
Graph import_graph_def(const tf::GraphDef& graph, const ImportOptions& opts, const std::string& name);

// TF op types the importer table covers, sorted.
std::vector<std::string> supported_ops();

}  // namespace q8::tffe
