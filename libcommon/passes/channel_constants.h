#pragma once
// Helpers for fusions that move per-channel constants into weights.
#include <optional>
#include <vector>

#include "graph/graph.h"

namespace q8::passes {

// When `t`, broadcast numpy-style against a tensor of rank `rank`, varies only along `axis`
// (or not at all), returns its `channels` values along that axis; otherwise nullopt.
std::optional<std::vector<float>> channel_values(const Tensor& t, size_t rank, size_t axis, int64_t channels);

// The single consumer of `out`, or nullptr when it has none or several.
Node* sole_consumer(const Graph& g, Output out);

// The Const node feeding input `index` of `n`, or nullptr.
Node* const_input(const Node& n, int index);

// Output channel count and axis of a Convolution/GroupConvolution/MatMul output, and a
// function scaling its weights per output channel; nullopt when the weights are not a Const
// or the layout is not understood.
struct WeightedOp {
  int64_t channels;
  size_t axis;  // in the op's output
  Node* weights;
};
std::optional<WeightedOp> weighted_op(const Node& n);
// Multiplies the weights of a weighted op per output channel by `scale` (a new Const node
// replaces the old one when other nodes share it).
void scale_weights(Graph& g, Node& op, const WeightedOp& w, const std::vector<float>& scale);

}  // namespace q8::passes
