#include "graph/infer/infer_util.h"

#include <algorithm>

#include "base/error.h"
#include "tensor/convert.h"

namespace q8::infer {

const PartialShape& shape_of(const InferInputs& in, size_t i) {
  if (!has_input(in, i)) throw_bad_input("missing input " + std::to_string(i));
  return in.ports[i]->shape;
}

ElementType type_of(const InferInputs& in, size_t i) {
  if (!has_input(in, i)) throw_bad_input("missing input " + std::to_string(i));
  return in.ports[i]->type;
}

std::optional<std::vector<int64_t>> const_ints(const InferInputs& in, size_t i) {
  if (i >= in.values.size() || !in.values[i] || in.values[i]->empty()) return std::nullopt;
  return to_ints(*in.values[i]);
}

std::optional<std::vector<double>> const_floats(const InferInputs& in, size_t i) {
  if (i >= in.values.size() || !in.values[i] || in.values[i]->empty()) return std::nullopt;
  const Tensor& t = *in.values[i];
  std::vector<double> v(static_cast<size_t>(t.size()));
  for (int64_t k = 0; k < t.size(); ++k) v[static_cast<size_t>(k)] = t.value_as_double(k);
  return v;
}

std::optional<int64_t> const_scalar(const InferInputs& in, size_t i, const std::string& what) {
  auto v = const_ints(in, i);
  if (!v) return std::nullopt;
  if (v->size() != 1) throw_bad_input(what + " must hold one value, got " + std::to_string(v->size()));
  return v->front();
}

PartialShape make_shape(std::vector<Dim> dims) {
  PartialShape s;
  s.dims = std::move(dims);
  return s;
}

PartialShape dynamic_shape(size_t rank) {
  PartialShape s;
  s.dims.assign(rank, Dim::dynamic());
  return s;
}

std::vector<PortInfo> same_as_input(const Node&, const InferInputs& in) {
  return one(type_of(in, 0), shape_of(in, 0));
}

int64_t normalize_axis(int64_t axis, int64_t rank, const std::string& what) {
  if (axis < -rank || axis >= rank)
    throw_bad_input(what + " " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  return axis < 0 ? axis + rank : axis;
}

std::vector<int64_t> normalize_axes(const std::vector<int64_t>& axes, int64_t rank, const std::string& what) {
  std::vector<int64_t> out;
  for (int64_t a : axes) {
    int64_t n = normalize_axis(a, rank, what);
    if (std::find(out.begin(), out.end(), n) != out.end())
      throw_bad_input(what + " " + std::to_string(a) + " is given twice");
    out.push_back(n);
  }
  return out;
}

void require_rank(const PartialShape& s, std::vector<size_t> ranks, const std::string& what) {
  if (s.rank_dynamic || std::find(ranks.begin(), ranks.end(), s.rank()) != ranks.end()) return;
  std::string expected;
  for (size_t r : ranks) expected += (expected.empty() ? "" : " or ") + std::to_string(r);
  throw_bad_input(what + " must have rank " + expected + ", got " + s.to_string());
}

void require_scalar(const InferInputs& in, size_t i, const std::string& what) {
  const PartialShape& s = shape_of(in, i);
  if (s.rank_dynamic || s.rank() == 0) return;
  if (s.rank() == 1 && compatible(s.dims[0], Dim::fixed(1))) return;
  throw_bad_input(what + " must be a scalar, got " + s.to_string());
}

std::optional<size_t> length_of_1d(const InferInputs& in, size_t i, const std::string& what) {
  const PartialShape& s = shape_of(in, i);
  require_rank(s, {1}, what);
  if (s.rank_dynamic || !s.dims[0].is_static()) return std::nullopt;
  return static_cast<size_t>(s.dims[0].min);
}

namespace {
// Dims of a malformed model can be anything up to 2^63 - 1: sums and products are checked.
[[noreturn]] void throw_overflow(Dim a, Dim b, const char* op) {
  throw_bad_input("dimension " + a.to_string() + " " + op + " " + b.to_string() + " overflows 64 bits");
}
int64_t add_checked(int64_t x, int64_t y, Dim a, Dim b) {
  int64_t r = 0;
  if (__builtin_add_overflow(x, y, &r)) throw_overflow(a, b, "+");
  return r;
}
int64_t mul_checked(int64_t x, int64_t y, Dim a, Dim b) {
  int64_t r = 0;
  if (__builtin_mul_overflow(x, y, &r)) throw_overflow(a, b, "*");
  return r;
}
}  // namespace

Dim dim_add(Dim a, Dim b) {
  const int64_t max = a.max < 0 || b.max < 0 ? -1 : add_checked(a.max, b.max, a, b);
  return {std::max<int64_t>(0, add_checked(a.min, b.min, a, b)), max};
}

Dim dim_mul(Dim a, Dim b) {
  // A zero-sized operand gives an empty tensor whatever the other dim is.
  if (a == Dim::fixed(0) || b == Dim::fixed(0)) return Dim::fixed(0);
  const int64_t max = a.max < 0 || b.max < 0 ? -1 : mul_checked(a.max, b.max, a, b);
  return {mul_checked(a.min, b.min, a, b), max};
}

Dim merge_dims(Dim a, Dim b, const std::string& what) {
  if (!compatible(a, b)) throw_bad_input(what + ": " + a.to_string() + " vs " + b.to_string());
  int64_t max = a.max < 0 ? b.max : (b.max < 0 ? a.max : std::min(a.max, b.max));
  return {std::max(a.min, b.min), max};
}

Dim num_elements(const PartialShape& s) {
  if (s.rank_dynamic) return Dim::dynamic();
  Dim n = Dim::fixed(1);
  for (const Dim& d : s.dims) n = dim_mul(n, d);
  return n;
}

int64_t window_out(int64_t in, int64_t pads, int64_t dilated_kernel, int64_t stride, bool ceil) {
  int64_t span = in + pads - dilated_kernel;
  if (span < 0)
    throw_bad_input("window of size " + std::to_string(dilated_kernel) +
                    " is larger than the padded input (" + std::to_string(in + pads) + ")");
  return (ceil ? (span + stride - 1) / stride : span / stride) + 1;
}

namespace {
// One broadcast dim pair (numpy rules); dynamic dims are assumed to fit.
Dim broadcast_dim(const Dim& a, const Dim& b) {
  if (a == Dim::fixed(1)) return b;
  if (b == Dim::fixed(1)) return a;
  if (a.is_static() && b.is_static()) {
    if (a.min != b.min)
      throw_bad_input("cannot broadcast dims " + std::to_string(a.min) + " and " + std::to_string(b.min));
    return a;
  }
  if (a.is_static()) return a;
  if (b.is_static()) return b;
  return a == b ? a : Dim::dynamic();
}
}  // namespace

PartialShape broadcast(const PartialShape& a, const PartialShape& b, const std::string& mode) {
  auto error = [&](const std::string& why) {
    throw_bad_input("shapes " + a.to_string() + " and " + b.to_string() + " " + why);
  };
  if (mode == "none") {
    if (!compatible(a, b)) error("must be equal (auto_broadcast none)");
    if (a.rank_dynamic) return b;
    PartialShape out = a;
    for (size_t i = 0; i < a.rank() && !b.rank_dynamic; ++i)
      out.dims[i] = merge_dims(a.dims[i], b.dims[i], "dim");
    return out;
  }
  if (a.rank_dynamic || b.rank_dynamic) return PartialShape::dynamic_rank();
  if (mode == "pdpd") {
    // PDPD broadcasts the second operand into the first (trailing alignment, axis -1).
    if (b.rank() > a.rank()) error("do not broadcast (pdpd: the second has a larger rank)");
    size_t off = a.rank() - b.rank();
    for (size_t i = 0; i < b.rank(); ++i) {
      const Dim &da = a.dims[off + i], &db = b.dims[i];
      if (db != Dim::fixed(1) && !compatible(da, db)) error("do not broadcast (pdpd)");
    }
    return a;
  }
  if (mode != "numpy") throw_bad_input("unknown auto_broadcast '" + mode + "'");
  size_t rank = std::max(a.rank(), b.rank());
  PartialShape out = dynamic_shape(rank);
  for (size_t i = 0; i < rank; ++i) {
    Dim da = i < rank - a.rank() ? Dim::fixed(1) : a.dims[i - (rank - a.rank())];
    Dim db = i < rank - b.rank() ? Dim::fixed(1) : b.dims[i - (rank - b.rank())];
    out.dims[i] = with_context("shapes " + a.to_string() + " and " + b.to_string() + " do not broadcast",
                               [&] { return broadcast_dim(da, db); });
  }
  return out;
}

}  // namespace q8::infer
