#pragma once
// Shape and type inference over a Graph, driven by the InferFn each op declaration carries
// (graph/infer/*.cpp, one file per op family, following the OpenVINO opset specifications).
#include "graph/graph.h"

namespace q8 {

// Recomputes n.outputs (type and shape) from its inputs; tensor names on the ports are kept.
// Errors name the node. An op without shape inference is an error too.
void infer_node(Node& n);
// Every node in topological order.
void infer_shapes(Graph& g);

}  // namespace q8
