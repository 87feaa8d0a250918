// Ops that join, split, pad or re-block a tensor: Concat, Split, VariadicSplit, Pad,
// DepthToSpace, SpaceToDepth, BatchToSpace, SpaceToBatch, ShuffleChannels.
#include <algorithm>

#include "base/error.h"
#include "graph/infer/infer.h"
#include "graph/infer/infer_util.h"

namespace q8::infer {

namespace {

// A static dim divided by `by` (bad input unless it divides), a dynamic dim stays dynamic.
Dim divide(const Dim& d, int64_t by, const std::string& what) {
  if (by <= 0) throw_bad_input(what + ": divisor " + std::to_string(by) + " must be positive");
  if (!d.is_static()) return Dim::dynamic();
  if (d.min % by != 0)
    throw_bad_input(what + ": " + std::to_string(d.min) + " is not divisible by " + std::to_string(by));
  return Dim::fixed(d.min / by);
}

// Adds a static offset to a dim (pads, crops); static dims must stay non-negative.
Dim offset(const Dim& d, int64_t by) {
  if (!d.is_static()) return Dim::dynamic();
  if (d.min + by < 0) throw_bad_input("dim " + std::to_string(d.min) + " becomes negative after padding");
  return Dim::fixed(d.min + by);
}

std::vector<PortInfo> concat(const Node& n, const InferInputs& in) {
  PartialShape out = PartialShape::dynamic_rank();
  int64_t axis = n.attr<int64_t>("axis");
  Dim sum = Dim::fixed(0);
  for (size_t i = 0; i < in.ports.size(); ++i) {
    const PartialShape& s = shape_of(in, i);
    if (type_of(in, i) != type_of(in, 0)) throw_bad_input("Concat inputs have different element types");
    if (s.rank_dynamic) {
      sum = Dim::dynamic();
      continue;
    }
    auto a = static_cast<size_t>(normalize_axis(axis, static_cast<int64_t>(s.rank()), "axis"));
    if (!out.rank_dynamic && out.rank() != s.rank())
      throw_bad_input("Concat inputs have different ranks: " + out.to_string() + " and " + s.to_string());
    if (out.rank_dynamic) out = s;
    for (size_t d = 0; d < s.rank(); ++d)
      if (d != a)
        out.dims[d] = merge_dims(out.dims[d], s.dims[d], "Concat input " + std::to_string(i) + " dim");
    sum = dim_add(sum, s.dims[a]);
  }
  if (!out.rank_dynamic) out.dims[static_cast<size_t>(normalize_axis(axis, out.rank(), "axis"))] = sum;
  return one(type_of(in, 0), out);
}

// The split axis of a Split/VariadicSplit whose data rank is known, when the axis is a Const.
std::optional<size_t> split_axis(const InferInputs& in, const PartialShape& s) {
  require_scalar(in, 1, "axis");
  auto axis = const_scalar(in, 1, "axis");
  if (!axis || s.rank_dynamic) return std::nullopt;
  return static_cast<size_t>(normalize_axis(*axis, static_cast<int64_t>(s.rank()), "axis"));
}

std::vector<PortInfo> split(const Node& n, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  int64_t parts = n.attr<int64_t>("num_splits");
  if (parts <= 0) throw_bad_input("num_splits must be positive");
  PartialShape piece = s.rank_dynamic ? s : dynamic_shape(s.rank());
  if (auto axis = split_axis(in, s)) {
    piece = s;
    piece.dims[*axis] = divide(s.dims[*axis], parts, "split dim");
  }
  return std::vector<PortInfo>(static_cast<size_t>(parts), PortInfo{type_of(in, 0), piece, {}});
}

std::vector<PortInfo> variadic_split(const Node& n, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  auto lengths = const_ints(in, 2);
  auto axis = split_axis(in, s);
  PartialShape unknown = s.rank_dynamic ? s : dynamic_shape(s.rank());
  if (!lengths) {
    // The outputs the model declares are all we know of their number.
    return std::vector<PortInfo>(n.outputs.size(), PortInfo{type_of(in, 0), unknown, {}});
  }
  std::vector<PortInfo> outs(lengths->size(), PortInfo{type_of(in, 0), unknown, {}});
  if (!axis) return outs;
  const Dim& whole = s.dims[*axis];
  int64_t known = 0;
  auto minus = std::count(lengths->begin(), lengths->end(), -1);
  if (minus > 1) throw_bad_input("split_lengths has more than one -1");
  for (int64_t l : *lengths) {
    if (l < -1) throw_bad_input("split_lengths has a negative length " + std::to_string(l));
    if (l != -1) known += l;
  }
  if (whole.is_static() && (minus ? known > whole.min : known != whole.min))
    throw_bad_input("split_lengths add up to " + std::to_string(known) + ", the split dim is " +
                    std::to_string(whole.min));
  for (size_t i = 0; i < lengths->size(); ++i) {
    outs[i].shape = s;
    int64_t l = (*lengths)[i];
    outs[i].shape.dims[*axis] = l != -1 ? Dim::fixed(l) : offset(whole, -known);
  }
  return outs;
}

// Pad and BatchToSpace/SpaceToBatch read one value per data dim from Const inputs.
std::optional<std::vector<int64_t>> per_dim(const InferInputs& in, size_t i, size_t rank,
                                            const std::string& what) {
  require_rank(shape_of(in, i), {1}, what);
  auto v = const_ints(in, i);
  if (v && v->size() != rank)
    throw_bad_input(what + " has " + std::to_string(v->size()) + " values for rank " + std::to_string(rank));
  return v;
}

std::vector<PortInfo> pad(const Node&, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  if (has_input(in, 3)) require_scalar(in, 3, "pad_value");
  if (s.rank_dynamic) return one(type_of(in, 0), s);
  auto begin = per_dim(in, 1, s.rank(), "pads_begin"), end = per_dim(in, 2, s.rank(), "pads_end");
  PartialShape out = dynamic_shape(s.rank());
  for (size_t i = 0; i < s.rank() && begin && end; ++i)
    out.dims[i] = offset(s.dims[i], (*begin)[i] + (*end)[i]);
  return one(type_of(in, 0), out);
}

std::vector<PortInfo> depth_space(const Node& n, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  int64_t bs = n.attr<int64_t>("block_size");
  if (bs <= 0) throw_bad_input("block_size must be positive");
  if (s.rank_dynamic) return one(type_of(in, 0), s);
  if (s.rank() < 3) throw_bad_input("data must have rank >= 3, got " + s.to_string());
  int64_t blocks = 1;
  for (size_t i = 2; i < s.rank(); ++i) blocks *= bs;
  bool to_space = n.def().type == "DepthToSpace";
  PartialShape out = s;
  out.dims[1] = to_space ? divide(s.dims[1], blocks, "channels") : dim_mul(s.dims[1], Dim::fixed(blocks));
  for (size_t i = 2; i < s.rank(); ++i)
    out.dims[i] = to_space ? dim_mul(s.dims[i], Dim::fixed(bs)) : divide(s.dims[i], bs, "spatial dim");
  return one(type_of(in, 0), out);
}

std::vector<PortInfo> batch_space(const Node& n, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  if (s.rank_dynamic) return one(type_of(in, 0), s);
  if (s.rank() < 2) throw_bad_input("data must have rank >= 2, got " + s.to_string());
  auto block = per_dim(in, 1, s.rank(), "block_shape");
  auto begin = per_dim(in, 2, s.rank(), "pads/crops begin"), end = per_dim(in, 3, s.rank(), "pads/crops end");
  if (!block || !begin || !end) return one(type_of(in, 0), dynamic_shape(s.rank()));
  int64_t blocks = 1;
  for (int64_t b : *block) {
    if (b <= 0) throw_bad_input("block_shape values must be positive");
    blocks *= b;
  }
  bool to_space = n.def().type == "BatchToSpace";
  PartialShape out = s;
  out.dims[0] = to_space ? divide(s.dims[0], blocks, "batch") : dim_mul(s.dims[0], Dim::fixed(blocks));
  for (size_t i = 1; i < s.rank(); ++i) {
    int64_t b = (*block)[i], edges = (*begin)[i] + (*end)[i];
    out.dims[i] = to_space ? offset(dim_mul(s.dims[i], Dim::fixed(b)), -edges)
                           : divide(offset(s.dims[i], edges), b, "padded dim " + std::to_string(i));
  }
  return one(type_of(in, 0), out);
}

std::vector<PortInfo> shuffle_channels(const Node& n, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  if (!s.rank_dynamic) {
    auto axis = normalize_axis(n.attr<int64_t>("axis"), static_cast<int64_t>(s.rank()), "axis");
    divide(s.dims[static_cast<size_t>(axis)], n.attr<int64_t>("group"), "shuffled dim");
  }
  return one(type_of(in, 0), s);
}

}  // namespace

void register_layout(OpRegistry& r) {
  r.set_infer("Concat", concat);
  r.set_infer("Split", split);
  r.set_infer("VariadicSplit", variadic_split);
  r.set_infer("Pad", pad);
  r.set_infer("DepthToSpace", depth_space);
  r.set_infer("SpaceToDepth", depth_space);
  r.set_infer("BatchToSpace", batch_space);
  r.set_infer("SpaceToBatch", batch_space);
  r.set_infer("ShuffleChannels", shuffle_channels);
}

}  // namespace q8::infer
