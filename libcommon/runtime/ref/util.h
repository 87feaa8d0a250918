#pragma once
// Helpers shared by the reference kernels: index arithmetic, axis handling, numpy
// broadcasting and dispatch over element types.
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "base/error.h"
#include "graph/graph.h"
#include "tensor/convert.h"
#include "tensor/tensor.h"

namespace q8::ref {

// Convolution and pooling kernels work on up to 3 spatial dims, right-aligned (leading ones are 1).
constexpr size_t kDims = 3;
using Dims3 = std::array<int64_t, kDims>;

// Row-major strides in elements.
Shape strides_of(const Shape& s);
// Product of s[begin, end).
int64_t product(const Shape& s, size_t begin, size_t end);
// Maps an axis in [-rank, rank) to [0, rank); anything else is a bad-input error.
int64_t normalize_axis(int64_t axis, int64_t rank);
// Normalizes every axis, rejecting duplicates; keeps the given order.
std::vector<int64_t> normalize_axes(const std::vector<int64_t>& axes, int64_t rank);
// Bytes per element; sub-byte types (u1, u4, i4) are rejected as bad input.
size_t element_bytes(ElementType t);
// Throws unless there are at least `count` inputs (a malformed node, not bad data).
void expect_inputs(const std::vector<Tensor>& in, size_t count);
// The value of a scalar (or one-element) tensor.
double scalar_of(const Tensor& t);
// The first element as an exact integer (no trip through double: INT64_MAX stays INT64_MAX).
int64_t scalar_int(const Tensor& t);
// Strides of `in` seen from the numpy-broadcast shape `out` (0 on broadcast dims).
Shape broadcast_strides(const Shape& in, const Shape& out);
// numpy broadcast of two shapes; bad input when they do not broadcast.
Shape broadcast_or_throw(const Shape& a, const Shape& b);
// `s` with every dim in `axes` (normalized) set to 1: the keep_dims shape of a reduction.
Shape reduced_shape(const Shape& s, const std::vector<int64_t>& axes);
// Views `s` as [outer, dim(axis), inner] around one axis.
void split_at_axis(const Shape& s, int64_t axis, int64_t& outer, int64_t& dim, int64_t& inner);

// Gathers elements of `src` at multi-indices given by an odometer: copies `src`
// into a tensor of shape `out` where each dim reads src at offset src_strides[d] * i.
// Used for transposes and broadcasts of any element type.
Tensor strided_copy(const Tensor& src, const Shape& out, const Shape& src_strides, int64_t src_offset = 0);

// Calls fn(out_index, offsets) for every element of `out`, where offsets[k] is the
// element offset into input k whose shape broadcasts (numpy rules) to `out`.
template <size_t N, typename Fn>
void for_each_broadcast(const Shape& out, const std::array<Shape, N>& in_shapes, Fn&& fn) {
  const size_t rank = out.size();
  std::array<Shape, N> st;
  for (size_t k = 0; k < N; ++k) st[k] = broadcast_strides(in_shapes[k], out);
  const int64_t total = num_elements(out);
  Shape idx(rank, 0);
  std::array<int64_t, N> off{};
  for (int64_t o = 0; o < total; ++o) {
    fn(o, off);
    for (size_t d = rank; d-- > 0;) {
      ++idx[d];
      for (size_t k = 0; k < N; ++k) off[k] += st[k][d];
      if (idx[d] < out[d]) break;
      for (size_t k = 0; k < N; ++k) off[k] -= st[k][d] * out[d];
      idx[d] = 0;
    }
  }
}

// Calls fn(index, flat) for every multi-index of `shape` in row-major order.
template <typename Fn>
void for_each_index(const Shape& shape, Fn&& fn) {
  const int64_t total = num_elements(shape);
  Shape idx(shape.size(), 0);
  for (int64_t o = 0; o < total; ++o) {
    fn(static_cast<const Shape&>(idx), o);
    for (size_t d = shape.size(); d-- > 0;) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

// Copies element `from` of src to element `to` of dst (same element type).
inline void copy_element(const Tensor& src, int64_t from, Tensor& dst, int64_t to, size_t bytes) {
  std::memcpy(dst.mutable_bytes() + to * static_cast<int64_t>(bytes),
              src.bytes() + from * static_cast<int64_t>(bytes), bytes);
}
// The same data under another shape (element counts must match).
Tensor reshaped(const Tensor& t, const Shape& shape);

// Calls fn(T{}) with the C++ type storing elements of `t` (boolean as uint8_t).
template <typename Fn>
decltype(auto) dispatch_type(ElementType t, Fn&& fn) {
  switch (t) {
    case ElementType::kF32:
      return fn(float{});
    case ElementType::kF64:
      return fn(double{});
    case ElementType::kI8:
      return fn(int8_t{});
    case ElementType::kI16:
      return fn(int16_t{});
    case ElementType::kI32:
      return fn(int32_t{});
    case ElementType::kI64:
      return fn(int64_t{});
    case ElementType::kU8:
    case ElementType::kBoolean:
      return fn(uint8_t{});
    case ElementType::kU16:
      return fn(uint16_t{});
    case ElementType::kU32:
      return fn(uint32_t{});
    case ElementType::kU64:
      return fn(uint64_t{});
    default:
      throw_bad_input("element type " + to_string(t) + " is not supported by this kernel");
  }
}

// static_cast that saturates at T's range and maps NaN to 0 for integer T.
template <typename T>
T saturate_cast(double v) {
  if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(v);
  } else {
    if (v != v) return T(0);
    if (v <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
    if (v >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
    return static_cast<T>(v);
  }
}

// Float math on any numeric input: values as f32, results converted back to `type`
// (integer results saturate, as Convert does).
Tensor floats_to_type(const Shape& shape, const std::vector<float>& values, ElementType type);

}  // namespace q8::ref
