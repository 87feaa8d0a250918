#pragma once
// Helpers shared by the shape inference functions: input access, constant inputs,
// axis normalization, dimension arithmetic on partial shapes and broadcasting.
#include <optional>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace q8::infer {

// ---- inputs ----
inline bool has_input(const InferInputs& in, size_t i) {
  return i < in.ports.size();
}
const PartialShape& shape_of(const InferInputs& in, size_t i);
ElementType type_of(const InferInputs& in, size_t i);
// The values of input i when it is a Const (any numeric type), else nullopt.
std::optional<std::vector<int64_t>> const_ints(const InferInputs& in, size_t i);
std::optional<std::vector<double>> const_floats(const InferInputs& in, size_t i);
// A Const input holding exactly one value (scalar or [1]); a Const with more is an error.
std::optional<int64_t> const_scalar(const InferInputs& in, size_t i, const std::string& what);

// ---- outputs ----
inline std::vector<PortInfo> one(ElementType t, PartialShape s) {
  return {PortInfo{t, std::move(s), {}}};
}
// A shape from its dims.
PartialShape make_shape(std::vector<Dim> dims);
// A shape of `rank` fully dynamic dims.
PartialShape dynamic_shape(size_t rank);
// Output 0 has the type and shape of input 0 (activations, normalizations, scatter, ...).
std::vector<PortInfo> same_as_input(const Node& n, const InferInputs& in);

// ---- checks ----
// Maps axis in [-rank, rank) to [0, rank); out of range is a bad-input error naming `what`.
int64_t normalize_axis(int64_t axis, int64_t rank, const std::string& what);
std::vector<int64_t> normalize_axes(const std::vector<int64_t>& axes, int64_t rank, const std::string& what);
// Bad input unless `s` has a dynamic rank or one of the accepted ranks.
void require_rank(const PartialShape& s, std::vector<size_t> ranks, const std::string& what);
// Bad input unless input i is a static or dynamic 0-D/1-element tensor.
void require_scalar(const InferInputs& in, size_t i, const std::string& what);
// The number of values a 1-D input holds, when its length is static.
std::optional<size_t> length_of_1d(const InferInputs& in, size_t i, const std::string& what);

// ---- dimension arithmetic: static operands give static results, others dynamic or bounded ----
Dim dim_add(Dim a, Dim b);
Dim dim_mul(Dim a, Dim b);
// The single dim both describe (intersection of the ranges); error naming `what` when disjoint.
Dim merge_dims(Dim a, Dim b, const std::string& what);
// Elements of a partial shape: static when every dim is static.
Dim num_elements(const PartialShape& s);
// "sliding window" size: floor((in + pads - dilated_kernel) / stride) + 1 (ceil when `ceil`).
int64_t window_out(int64_t in, int64_t pads, int64_t dilated_kernel, int64_t stride, bool ceil);

// ---- broadcasting ----
// Broadcast of two port shapes per auto_broadcast "numpy", "pdpd" (b into a) or "none" (equal shapes).
PartialShape broadcast(const PartialShape& a, const PartialShape& b, const std::string& mode);

// ---- op functions that live in their own file but are registered with a family ----
std::vector<PortInfo> einsum(const Node& n, const InferInputs& in);  // einsum.cpp, registered by core

}  // namespace q8::infer
