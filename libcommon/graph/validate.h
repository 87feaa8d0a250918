#pragma once
// Checks a Graph against the op declarations: attributes (presence, kind, allowed values),
// port counts, connections, Const data sizes, Parameter ports, and acyclicity.
// The first problem is a bad-input error naming the layer (id, name, op).
#include "graph/graph.h"

namespace q8 {

void validate(const Graph& g);

}  // namespace q8
