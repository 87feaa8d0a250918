#pragma once
// The reference executor: runs a Graph node by node with the reference kernels.
// It is the oracle for conversions (mo's IR vs the source model) and for fast kernels.
#include <functional>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace q8::runtime {

struct NamedTensor {
  std::string name;
  Tensor value;
};

// Called after each node with its outputs (observers for pot statistics, debugging).
using NodeObserver = std::function<void(const Node&, const std::vector<Tensor>&)>;

// Inputs are matched to Parameters by name (a single unnamed input goes to the only
// Parameter); a missing, extra, or wrongly shaped/typed input is a bad-input error.
// Returns one entry per Result in id order, named after the producing node's output
// (its first tensor name if it has one, else the node name, with ".N" for output N > 0).
std::vector<NamedTensor> run_reference(const Graph& g, const std::vector<NamedTensor>& inputs,
                                       const NodeObserver& observer = nullptr);

// Evaluates one node on concrete inputs (widening f16/bf16 to f32 first, except for
// Convert). Used by constant folding. Errors name the node.
std::vector<Tensor> evaluate(const Node& n, const std::vector<Tensor>& inputs);

// The name run_reference gives an output of a node.
std::string output_name(const Node& producer, int index);

}  // namespace q8::runtime
