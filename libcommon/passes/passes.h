#pragma once
// Graph transformations mo runs between import and writing the IR. Each pass keeps the
// graph valid and its outputs' values unchanged (up to float rounding where noted), and
// re-infers the shapes it touches.
#include <functional>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace q8::passes {

struct Pass {
  std::string name;
  std::function<void(Graph&)> run;
};
// Runs the passes in order; logs each with its time at debug level.
void run_passes(Graph& g, const std::vector<Pass>& passes);

// Replaces nodes whose inputs are all constants by the constant they compute (reference
// kernels). FakeQuantize is never folded: it marks what the runtime quantizes.
void fold_constants(Graph& g);
// ShapeOf of a statically shaped input becomes a constant (mo without --keep_shape_ops).
void fold_shape_of(Graph& g);
// Removes nodes that no Result depends on.
void remove_dead_nodes(Graph& g);
// Drops ops that do nothing: Convert to the same type, Reshape/Squeeze/Unsqueeze/Broadcast to
// the same static shape, Transpose with the identity order, single-input Concat.
void eliminate_noops(Graph& g);
// BatchNormInference after a Convolution/GroupConvolution/MatMul becomes scaled weights plus
// an Add of the shifted bias; elsewhere it becomes Multiply + Add with constant vectors.
void fuse_batch_norm(Graph& g);
// Multiply by a per-output-channel constant after a Convolution/GroupConvolution/MatMul is folded
// into the weights; consecutive constant Adds and constant Multiplies are merged.
void fuse_mul_add(Graph& g);
// All f32 tensors become f16: Parameters, constant data (round to nearest even), Convert targets
// and port precisions (IR v10 FP16 style). Integer tensors are unchanged.
void compress_to_fp16(Graph& g);

// Moves Transposes with constant orders towards the outputs through elementwise ops (the other
// operand transposed alike or a constant permuted to match), Concat, reductions, Squeeze and Pad,
// merges consecutive Transposes and drops those that cancel; a Transpose left that only moves
// size-1 dims becomes a Reshape. TF graphs (NHWC body wrapped around NCHW ops) end with Transposes
// only where the layout really changes, e.g. before a flatten.
void transpose_sinking(Graph& g);

// Rewires every consumer of `from` to read `to` (tensor names on `from` move to `to`).
void replace_output(Graph& g, Output from, Output to);
// Replaces single-output node `n` by `to` and disconnects `n`, so it no longer counts as a
// consumer of its inputs (remove_dead_nodes deletes it later).
void bypass(Graph& g, Node& n, Output to);

}  // namespace q8::passes
