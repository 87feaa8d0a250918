#pragma once
// change-dtype for TensorFlow: retype an op's output by rewriting its type attr
// (ArgMax/ArgMin output_type, Shape/ShapeN/Size out_type, Cast DstT, or any attr named
// explicitly). The seed's job: ResNet-50's ArgMax INT64 -> FP32 (output_type = DT_FLOAT).
// Only that attr changes; every other byte of the file is kept (see wire_edit.h).
#include <string>
#include <vector>

#include "tf/graph_def.pb.h"

namespace q8::tf {

struct RetypeSpec {
  std::string op_type;    // every node of this op type; with node_name: what that node must be
  std::string node_name;  // exactly this node (at least one of the two is set)
  DataType to = DT_INVALID;
  std::string attr;  // attr to set; empty = the op's known type attr
};

struct RetypeChange {
  int node_index = 0;  // position in GraphDef.node
  std::string node, op, attr;
  int from = DT_INVALID;  // DT_INVALID when the attr was absent (TF's default applied)
  int to = DT_INVALID;
};

// Type attr of the output of `op` ("output_type" for ArgMax, ...); empty if q8 knows none.
std::string known_type_attr(const std::string& op);

// The edit `spec` asks for in `graph`; `name` prefixes errors. No node matching, a node
// with no known type attr, or a named attr that does not hold a type -> bad-input error
// naming the file and node and listing what exists.
std::vector<RetypeChange> plan_retype(const GraphDef& graph, const RetypeSpec& spec, const std::string& name);

// Applies `spec` to serialized GraphDef `bytes` and returns the new file contents.
// Checks its own work: the result parses and equals the input with only the attrs changed.
std::string retype_graph_def(const std::string& bytes, const RetypeSpec& spec, const std::string& name);

}  // namespace q8::tf
