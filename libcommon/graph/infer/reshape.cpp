// Ops that rearrange a tensor's dims without touching values: Reshape, Squeeze, Unsqueeze,
// Transpose, Broadcast, Tile. Their shape comes from a value input (pattern, axes, order,
// target, repeats); when it is not a Const only the output rank can be known.
#include <algorithm>
#include <set>

#include "base/error.h"
#include "graph/infer/infer.h"
#include "graph/infer/infer_util.h"

namespace q8::infer {

namespace {

// A value input's length as a rank: dynamic dims of that rank, or a dynamic rank.
PartialShape unknown_of_length(const InferInputs& in, size_t i, const std::string& what, size_t extra = 0) {
  auto len = length_of_1d(in, i, what);
  return len ? dynamic_shape(*len + extra) : PartialShape::dynamic_rank();
}

// Reshape's -1 dim: the input's element count divided by the product of the other output dims.
Dim inferred_dim(const PartialShape& input, const PartialShape& out) {
  Dim total = num_elements(input), known = Dim::fixed(1);
  for (const Dim& d : out.dims)
    if (d != Dim{-1, -1}) known = dim_mul(known, d);
  if (!total.is_static() || !known.is_static()) return Dim::dynamic();
  if (known.min == 0 || total.min % known.min != 0)
    throw_bad_input("cannot reshape " + input.to_string() + " (" + std::to_string(total.min) +
                    " elements) with the other dims multiplying to " + std::to_string(known.min));
  return Dim::fixed(total.min / known.min);
}

std::vector<PortInfo> reshape(const Node& n, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  auto pattern = const_ints(in, 1);
  if (!pattern) return one(type_of(in, 0), unknown_of_length(in, 1, "target shape"));
  bool special_zero = n.attr<bool>("special_zero");
  PartialShape out;
  int minus_one = -1;
  for (size_t i = 0; i < pattern->size(); ++i) {
    int64_t v = (*pattern)[i];
    if (v == 0 && special_zero) {
      if (!s.rank_dynamic && i >= s.rank())
        throw_bad_input("target shape copies dim " + std::to_string(i) + " of " + s.to_string());
      out.dims.push_back(s.rank_dynamic ? Dim::dynamic() : s.dims[i]);
    } else if (v == -1) {
      if (minus_one >= 0) throw_bad_input("target shape has more than one -1");
      minus_one = static_cast<int>(i);
      out.dims.push_back(Dim{-1, -1});  // placeholder, filled below
    } else if (v < 0) {
      throw_bad_input("target shape has a negative dim " + std::to_string(v));
    } else {
      out.dims.push_back(Dim::fixed(v));
    }
  }
  if (minus_one >= 0) out.dims[static_cast<size_t>(minus_one)] = inferred_dim(s, out);
  Dim a = num_elements(s), b = num_elements(out);
  if (a.is_static() && b.is_static() && a.min != b.min)
    throw_bad_input("cannot reshape " + s.to_string() + " into " + out.to_string());
  return one(type_of(in, 0), out);
}

std::vector<PortInfo> squeeze(const Node&, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  if (s.rank_dynamic) return one(type_of(in, 0), s);
  PartialShape out;
  if (!has_input(in, 1)) {
    // Without axes every 1 goes; a dynamic dim may or may not be 1, so the rank is unknown.
    for (const Dim& d : s.dims) {
      if (!d.is_static()) return one(type_of(in, 0), PartialShape::dynamic_rank());
      if (d.min != 1) out.dims.push_back(d);
    }
    return one(type_of(in, 0), out);
  }
  require_rank(shape_of(in, 1), {0, 1}, "axes");
  auto axes = const_ints(in, 1);
  if (!axes) return one(type_of(in, 0), PartialShape::dynamic_rank());
  std::set<int64_t> drop;
  for (int64_t a : *axes) drop.insert(normalize_axis(a, static_cast<int64_t>(s.rank()), "axis"));
  for (size_t i = 0; i < s.rank(); ++i) {
    if (!drop.count(static_cast<int64_t>(i))) {
      out.dims.push_back(s.dims[i]);
    } else if (!compatible(s.dims[i], Dim::fixed(1))) {
      throw_bad_input("cannot squeeze dim " + std::to_string(i) + " of " + s.to_string() + ": it is not 1");
    }
  }
  return one(type_of(in, 0), out);
}

std::vector<PortInfo> unsqueeze(const Node&, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  require_rank(shape_of(in, 1), {0, 1}, "axes");
  auto axes = const_ints(in, 1);
  if (s.rank_dynamic) return one(type_of(in, 0), s);
  if (!axes) {
    const PartialShape& a = shape_of(in, 1);
    if (!a.rank_dynamic && a.rank() == 0) return one(type_of(in, 0), dynamic_shape(s.rank() + 1));
    return one(type_of(in, 0), unknown_of_length(in, 1, "axes", s.rank()));
  }
  auto rank = static_cast<int64_t>(s.rank() + axes->size());
  auto norm = normalize_axes(*axes, rank, "axis");
  PartialShape out;
  size_t next = 0;
  for (int64_t i = 0; i < rank; ++i)
    out.dims.push_back(std::count(norm.begin(), norm.end(), i) ? Dim::fixed(1) : s.dims[next++]);
  return one(type_of(in, 0), out);
}

std::vector<PortInfo> transpose(const Node&, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  require_rank(shape_of(in, 1), {1}, "order");
  auto order = const_ints(in, 1);
  if (s.rank_dynamic) return one(type_of(in, 0), s);
  if (!order) return one(type_of(in, 0), dynamic_shape(s.rank()));
  if (order->empty())  // an empty order reverses the dims
    for (size_t i = s.rank(); i-- > 0;) order->push_back(static_cast<int64_t>(i));
  if (order->size() != s.rank())
    throw_bad_input("order has " + std::to_string(order->size()) + " values for rank " +
                    std::to_string(s.rank()));
  auto perm = normalize_axes(*order, static_cast<int64_t>(s.rank()), "order value");
  PartialShape out;
  for (int64_t p : perm) out.dims.push_back(s.dims[static_cast<size_t>(p)]);
  return one(type_of(in, 0), out);
}

// Numpy (unidirectional) broadcast: every input dim, right-aligned, is 1 or the target's.
void check_into(const PartialShape& s, const PartialShape& target) {
  if (s.rank_dynamic) return;
  if (s.rank() > target.rank())
    throw_bad_input("cannot broadcast " + s.to_string() + " into the smaller rank of " + target.to_string());
  size_t off = target.rank() - s.rank();
  for (size_t i = 0; i < s.rank(); ++i)
    if (s.dims[i] != Dim::fixed(1) && !compatible(s.dims[i], target.dims[off + i]))
      throw_bad_input("cannot broadcast " + s.to_string() + " into " + target.to_string());
}

void check_explicit(const InferInputs& in, const PartialShape& s, const PartialShape& target) {
  auto axes = has_input(in, 2) ? const_ints(in, 2) : std::nullopt;
  if (!has_input(in, 2)) throw_bad_input("Broadcast mode explicit needs the axes_mapping input");
  if (!axes || s.rank_dynamic) return;
  if (axes->size() != s.rank())
    throw_bad_input("axes_mapping has " + std::to_string(axes->size()) + " values for input rank " +
                    std::to_string(s.rank()));
  int64_t prev = -1;
  for (size_t i = 0; i < axes->size(); ++i) {
    int64_t a = normalize_axis((*axes)[i], static_cast<int64_t>(target.rank()), "axes_mapping value");
    if (a <= prev) throw_bad_input("axes_mapping must be increasing");
    prev = a;
    if (s.dims[i] != Dim::fixed(1) && !compatible(s.dims[i], target.dims[static_cast<size_t>(a)]))
      throw_bad_input("input dim " + std::to_string(i) + " of " + s.to_string() + " does not match target " +
                      target.to_string());
  }
}

std::vector<PortInfo> broadcast_op(const Node& n, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  const std::string& mode = n.attr<std::string>("mode");
  auto values = const_ints(in, 1);
  if (!values) {
    PartialShape out = unknown_of_length(in, 1, "target shape");
    if (mode == "bidirectional" && !out.rank_dynamic)
      out = s.rank_dynamic ? PartialShape::dynamic_rank() : dynamic_shape(std::max(out.rank(), s.rank()));
    return one(type_of(in, 0), out);
  }
  for (int64_t v : *values)
    if (v < 0) throw_bad_input("target shape has a negative dim " + std::to_string(v));
  PartialShape target = PartialShape(Shape(*values));
  if (mode == "bidirectional") return one(type_of(in, 0), broadcast(s, target, "numpy"));
  if (mode == "explicit")
    check_explicit(in, s, target);
  else
    check_into(s, target);
  return one(type_of(in, 0), target);
}

std::vector<PortInfo> tile(const Node&, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  auto repeats = const_ints(in, 1);
  if (s.rank_dynamic) return one(type_of(in, 0), s);
  if (!repeats) {
    auto len = length_of_1d(in, 1, "repeats");
    return one(type_of(in, 0), len ? dynamic_shape(std::max(*len, s.rank())) : PartialShape::dynamic_rank());
  }
  size_t rank = std::max(repeats->size(), s.rank());
  repeats->insert(repeats->begin(), rank - repeats->size(), 1);  // both align to the right
  PartialShape out = dynamic_shape(rank);
  for (size_t i = 0; i < rank; ++i) {
    if ((*repeats)[i] < 0) throw_bad_input("repeats has a negative value");
    Dim d = i < rank - s.rank() ? Dim::fixed(1) : s.dims[i - (rank - s.rank())];
    out.dims[i] = dim_mul(d, Dim::fixed((*repeats)[i]));
  }
  return one(type_of(in, 0), out);
}

}  // namespace

void register_reshape(OpRegistry& r) {
  r.set_infer("Reshape", reshape);
  r.set_infer("Squeeze", squeeze);
  r.set_infer("Unsqueeze", unsqueeze);
  r.set_infer("Transpose", transpose);
  r.set_infer("Broadcast", broadcast_op);
  r.set_infer("Tile", tile);
}

}  // namespace q8::infer
