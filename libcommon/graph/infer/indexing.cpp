// Index-driven ops: Gather-1/7/8, GatherND-5/8, GatherElements, the Scatter*Update family and TopK.
#include <algorithm>

#include "base/error.h"
#include "graph/infer/infer.h"
#include "graph/infer/infer_util.h"

namespace q8::infer {

namespace {

using Dims = std::vector<Dim>;

Dims slice_dims(const PartialShape& s, size_t from, size_t to) {
  return Dims(s.dims.begin() + static_cast<long>(from), s.dims.begin() + static_cast<long>(to));
}

void append(PartialShape& out, const Dims& dims) {
  out.dims.insert(out.dims.end(), dims.begin(), dims.end());
}

// Gather's batch_dims counts from the end of the indices' dims when negative.
size_t gather_batch_dims(const Node& n, const PartialShape& indices) {
  int64_t b = n.def().opset >= 7 ? n.attr<int64_t>("batch_dims") : 0;
  auto q = static_cast<int64_t>(indices.rank());
  if (b < 0) b += q;
  if (b < 0 || b > q)
    throw_bad_input("batch_dims " + std::to_string(n.attr<int64_t>("batch_dims")) +
                    " is out of range for indices " + indices.to_string());
  return static_cast<size_t>(b);
}

// out = data[:axis] + indices[batch_dims:] + data[axis+1:], the batch dims shared by both.
std::vector<PortInfo> gather(const Node& n, const InferInputs& in) {
  const PartialShape &data = shape_of(in, 0), &idx = shape_of(in, 1);
  require_scalar(in, 2, "axis");
  ElementType t = type_of(in, 0);
  if (data.rank_dynamic || idx.rank_dynamic) return one(t, PartialShape::dynamic_rank());
  size_t b = gather_batch_dims(n, idx);
  auto axis_value = const_scalar(in, 2, "axis");
  if (!axis_value) return one(t, dynamic_shape(data.rank() + idx.rank() - 1 - b));
  auto axis = static_cast<size_t>(normalize_axis(*axis_value, static_cast<int64_t>(data.rank()), "axis"));
  if (b > axis) throw_bad_input("batch_dims " + std::to_string(b) + " exceeds axis " + std::to_string(axis));
  PartialShape out;
  append(out, slice_dims(data, 0, axis));
  for (size_t i = 0; i < b; ++i)
    out.dims[i] = merge_dims(out.dims[i], idx.dims[i], "batch dim of data and indices");
  append(out, slice_dims(idx, b, idx.rank()));
  append(out, slice_dims(data, axis + 1, data.rank()));
  return one(t, out);
}

std::vector<PortInfo> gather_nd(const Node& n, const InferInputs& in) {
  const PartialShape &data = shape_of(in, 0), &idx = shape_of(in, 1);
  ElementType t = type_of(in, 0);
  if (data.rank_dynamic || idx.rank_dynamic || idx.rank() == 0 || !idx.dims.back().is_static())
    return one(t, PartialShape::dynamic_rank());
  auto b = static_cast<size_t>(n.attr<int64_t>("batch_dims"));
  auto k = static_cast<size_t>(idx.dims.back().min);
  if (b >= std::min(data.rank(), idx.rank()) && b != 0)
    throw_bad_input("batch_dims " + std::to_string(b) + " must be less than both ranks");
  if (b + k > data.rank())
    throw_bad_input("indices " + idx.to_string() + " index past the dims of data " + data.to_string());
  PartialShape out;
  if (n.def().opset < 8 && b > 0) {
    // GatherND-5 flattens the batch dims into one.
    Dim batch = Dim::fixed(1);
    for (size_t i = 0; i < b; ++i) batch = dim_mul(batch, merge_dims(data.dims[i], idx.dims[i], "batch dim"));
    out.dims.push_back(batch);
    append(out, slice_dims(idx, b, idx.rank() - 1));
  } else {
    append(out, slice_dims(idx, 0, idx.rank() - 1));
  }
  append(out, slice_dims(data, b + k, data.rank()));
  return one(t, out);
}

std::vector<PortInfo> gather_elements(const Node& n, const InferInputs& in) {
  const PartialShape &data = shape_of(in, 0), &idx = shape_of(in, 1);
  if (data.rank_dynamic || idx.rank_dynamic) return one(type_of(in, 0), idx);
  if (data.rank() != idx.rank())
    throw_bad_input("data " + data.to_string() + " and indices " + idx.to_string() + " have different ranks");
  auto axis = static_cast<size_t>(normalize_axis(n.attr<int64_t>("axis"), data.rank(), "axis"));
  PartialShape out = idx;
  for (size_t i = 0; i < idx.rank(); ++i)
    if (i != axis) out.dims[i] = merge_dims(data.dims[i], idx.dims[i], "dim " + std::to_string(i));
  return one(type_of(in, 0), out);
}

std::vector<PortInfo> scatter_update(const Node& n, const InferInputs& in) {
  const PartialShape& data = shape_of(in, 0);
  if (n.def().type == "ScatterNDUpdate") {
    const PartialShape& idx = shape_of(in, 1);
    if (!data.rank_dynamic && !idx.rank_dynamic && idx.rank() > 0 && idx.dims.back().is_static() &&
        idx.dims.back().min > static_cast<int64_t>(data.rank()))
      throw_bad_input("indices " + idx.to_string() + " index past the dims of data " + data.to_string());
    return one(type_of(in, 0), data);
  }
  require_scalar(in, 3, "axis");
  auto axis = const_scalar(in, 3, "axis");
  if (axis && !data.rank_dynamic) normalize_axis(*axis, static_cast<int64_t>(data.rank()), "axis");
  if (n.def().type == "ScatterElementsUpdate" && !compatible(shape_of(in, 1), shape_of(in, 2)))
    throw_bad_input("indices " + shape_of(in, 1).to_string() + " and updates " + shape_of(in, 2).to_string() +
                    " must have the same shape");
  return one(type_of(in, 0), data);
}

// TopK: the axis dim becomes k (at most the dim itself); values keep the type, indices get
// index_element_type.
std::vector<PortInfo> top_k(const Node& n, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  require_scalar(in, 1, "k");
  ElementType it = n.attr<ElementType>("index_element_type");
  if (it != ElementType::kI32 && it != ElementType::kI64)
    throw_bad_input("index_element_type must be i32 or i64, got " + to_string(it));
  PartialShape out = s;
  if (!s.rank_dynamic) {
    auto axis = static_cast<size_t>(normalize_axis(n.attr<int64_t>("axis"), s.rank(), "axis"));
    const Dim& d = s.dims[axis];
    auto k = const_scalar(in, 1, "k");
    if (k && *k < 0) throw_bad_input("k must be non-negative, got " + std::to_string(*k));
    if (!k)
      out.dims[axis] = Dim{0, d.max};
    else if (d.is_static())
      out.dims[axis] = Dim::fixed(std::min(*k, d.min));
    else
      out.dims[axis] = Dim{std::min(*k, d.min), d.max < 0 ? *k : std::min(*k, d.max)};
  }
  return {PortInfo{type_of(in, 0), out, {}}, PortInfo{it, out, {}}};
}

}  // namespace

void register_indexing(OpRegistry& r) {
  r.set_infer("Gather", gather);
  r.set_infer("GatherND", gather_nd);
  r.set_infer("GatherElements", gather_elements);
  for (const char* t : {"ScatterUpdate", "ScatterElementsUpdate", "ScatterNDUpdate"})
    r.set_infer(t, scatter_update);
  r.set_infer("TopK", top_k);
}

}  // namespace q8::infer
