// Model boundary ops, type conversion, ShapeOf, Range, Select and the ops whose output
// keeps (or mostly keeps) the data input's shape.
#include <cmath>

#include "base/error.h"
#include "graph/infer/infer.h"
#include "graph/infer/infer_util.h"

namespace q8::infer {

namespace {

std::vector<PortInfo> from_attrs(const Node& n, const InferInputs&) {
  return one(n.attr<ElementType>("element_type"), n.attr<PartialShape>("shape"));
}

std::vector<PortInfo> result(const Node&, const InferInputs&) {
  return {};
}

std::vector<PortInfo> convert(const Node& n, const InferInputs& in) {
  return one(n.attr<ElementType>("destination_type"), shape_of(in, 0));
}

std::vector<PortInfo> convert_like(const Node&, const InferInputs& in) {
  return one(type_of(in, 1), shape_of(in, 0));
}

ElementType index_type(const Node& n, const std::string& attr) {
  ElementType t = n.attr<ElementType>(attr);
  if (t != ElementType::kI32 && t != ElementType::kI64)
    throw_bad_input(attr + " must be i32 or i64, got " + to_string(t));
  return t;
}

std::vector<PortInfo> shape_of_op(const Node& n, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  ElementType t = n.def().opset >= 3 ? index_type(n, "output_type") : ElementType::kI64;
  Dim rank = s.rank_dynamic ? Dim::dynamic() : Dim::fixed(static_cast<int64_t>(s.rank()));
  return one(t, make_shape({rank}));
}

// Number of elements of Range(start, stop, step), computed in double like the spec; an integer
// output type truncates the bounds first.
int64_t range_length(double start, double stop, double step, bool integral) {
  if (!std::isfinite(start) || !std::isfinite(stop) || !std::isfinite(step))
    throw_bad_input("Range bounds must be finite");
  if (integral) start = std::trunc(start), stop = std::trunc(stop), step = std::trunc(step);
  if (step == 0) throw_bad_input("Range step must not be zero");
  if ((step > 0 && start >= stop) || (step < 0 && start <= stop)) return 0;
  return static_cast<int64_t>(std::ceil(std::fabs(stop - start) / std::fabs(step)));
}

std::vector<PortInfo> range(const Node& n, const InferInputs& in) {
  for (size_t i = 0; i < 3; ++i) require_scalar(in, i, i == 0 ? "start" : i == 1 ? "stop" : "step");
  ElementType t = n.def().opset >= 4 ? n.attr<ElementType>("output_type") : type_of(in, 0);
  if (n.def().opset < 4 && (type_of(in, 1) != t || type_of(in, 2) != t))
    throw_bad_input("Range-1 start, stop and step must have the same element type");
  auto start = const_floats(in, 0), stop = const_floats(in, 1), step = const_floats(in, 2);
  if (!start || !stop || !step) return one(t, dynamic_shape(1));
  if (start->size() != 1 || stop->size() != 1 || step->size() != 1)
    throw_bad_input("Range start, stop and step must be scalars");
  bool integral = is_static_type(t) && !type_info(t).is_float;
  return one(t, Shape{range_length(start->front(), stop->front(), step->front(), integral)});
}

std::vector<PortInfo> select(const Node& n, const InferInputs& in) {
  if (type_of(in, 1) != type_of(in, 2))
    throw_bad_input("Select then/else element types differ: " + to_string(type_of(in, 1)) + " vs " +
                    to_string(type_of(in, 2)));
  const std::string& mode = n.attr<std::string>("auto_broadcast");
  PartialShape out;
  if (mode == "pdpd") {
    // PDPD: else broadcasts into then, then the condition into the result.
    out = broadcast(broadcast(shape_of(in, 1), shape_of(in, 2), mode), shape_of(in, 0), mode);
  } else {
    out = broadcast(broadcast(shape_of(in, 0), shape_of(in, 1), mode), shape_of(in, 2), mode);
  }
  return one(type_of(in, 1), out);
}

// NonZero: [rank, number of non-zero elements], the latter bounded by the element count.
std::vector<PortInfo> non_zero(const Node& n, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  ElementType t = index_type(n, "output_type");
  if (s.rank_dynamic) return one(t, dynamic_shape(2));
  Dim count = num_elements(s);
  return one(t, make_shape({Dim::fixed(static_cast<int64_t>(s.rank())), Dim{0, count.max}}));
}

std::vector<PortInfo> bucketize(const Node& n, const InferInputs& in) {
  require_rank(shape_of(in, 1), {1}, "buckets");
  return one(index_type(n, "output_type"), shape_of(in, 0));
}

std::vector<PortInfo> cum_sum(const Node&, const InferInputs& in) {
  if (has_input(in, 1)) require_scalar(in, 1, "axis");
  const PartialShape& s = shape_of(in, 0);
  auto axis = has_input(in, 1) ? const_scalar(in, 1, "axis") : std::nullopt;
  if (axis && !s.rank_dynamic) normalize_axis(*axis, static_cast<int64_t>(s.rank()), "axis");
  return one(type_of(in, 0), s);
}

std::vector<PortInfo> roll(const Node&, const InferInputs& in) {
  require_rank(shape_of(in, 1), {0, 1}, "shift");
  require_rank(shape_of(in, 2), {0, 1}, "axes");
  const PartialShape& s = shape_of(in, 0);
  if (auto axes = const_ints(in, 2); axes && !s.rank_dynamic)
    for (int64_t a : *axes) normalize_axis(a, static_cast<int64_t>(s.rank()), "axis");
  return one(type_of(in, 0), s);
}

std::vector<PortInfo> reverse(const Node& n, const InferInputs& in) {
  require_rank(shape_of(in, 1), {1}, "axes");
  const PartialShape& s = shape_of(in, 0);
  auto axes = const_ints(in, 1);
  if (axes && !s.rank_dynamic) {
    auto rank = static_cast<int64_t>(s.rank());
    if (n.attr<std::string>("mode") == "mask") {
      if (static_cast<int64_t>(axes->size()) != rank)
        throw_bad_input("Reverse mask has " + std::to_string(axes->size()) + " values for rank " +
                        std::to_string(rank));
    } else {
      for (int64_t a : *axes) normalize_axis(a, rank, "axis");
    }
  }
  return one(type_of(in, 0), s);
}

std::vector<PortInfo> reverse_sequence(const Node& n, const InferInputs& in) {
  const PartialShape &s = shape_of(in, 0), &lengths = shape_of(in, 1);
  require_rank(lengths, {1}, "seq_lengths");
  if (s.rank_dynamic) return one(type_of(in, 0), s);
  auto rank = static_cast<int64_t>(s.rank());
  int64_t batch = normalize_axis(n.attr<int64_t>("batch_axis"), rank, "batch_axis");
  normalize_axis(n.attr<int64_t>("seq_axis"), rank, "seq_axis");
  PartialShape out = s;
  if (!lengths.rank_dynamic)
    out.dims[static_cast<size_t>(batch)] =
        merge_dims(s.dims[static_cast<size_t>(batch)], lengths.dims[0], "seq_lengths length vs batch dim");
  return one(type_of(in, 0), out);
}

std::vector<PortInfo> random_uniform(const Node& n, const InferInputs& in) {
  ElementType t = n.attr<ElementType>("output_type");
  require_scalar(in, 1, "min");
  require_scalar(in, 2, "max");
  if (auto dims = const_ints(in, 0)) {
    for (int64_t d : *dims)
      if (d < 0) throw_bad_input("RandomUniform shape has a negative dim " + std::to_string(d));
    return one(t, Shape(*dims));
  }
  auto len = length_of_1d(in, 0, "shape");
  return one(t, len ? dynamic_shape(*len) : PartialShape::dynamic_rank());
}

std::vector<PortInfo> one_hot(const Node& n, const InferInputs& in) {
  for (size_t i = 1; i < 4; ++i) require_scalar(in, i, i == 1 ? "depth" : i == 2 ? "on_value" : "off_value");
  const PartialShape& s = shape_of(in, 0);
  ElementType t = type_of(in, 2);
  if (s.rank_dynamic) return one(t, s);
  int64_t axis = normalize_axis(n.attr<int64_t>("axis"), static_cast<int64_t>(s.rank()) + 1, "axis");
  Dim depth = Dim::dynamic();
  if (auto d = const_scalar(in, 1, "depth")) {
    if (*d < 0) throw_bad_input("OneHot depth must be non-negative, got " + std::to_string(*d));
    depth = Dim::fixed(*d);
  }
  PartialShape out = s;
  out.dims.insert(out.dims.begin() + axis, depth);
  return one(t, out);
}

// DFT/IDFT: complex data [..., 2]; signal_size replaces the transformed dims where given (not -1).
std::vector<PortInfo> dft(const Node&, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  if (s.rank_dynamic) return one(type_of(in, 0), s);
  if (s.rank() < 2 || !compatible(s.dims.back(), Dim::fixed(2)))
    throw_bad_input("DFT data must have rank >= 2 and a last dim of 2, got " + s.to_string());
  require_rank(shape_of(in, 1), {1}, "axes");
  if (!has_input(in, 2)) return one(type_of(in, 0), s);
  PartialShape out = s;
  auto axes = const_ints(in, 1);
  auto sizes = const_ints(in, 2);
  if (!axes || !sizes) {
    for (size_t i = 0; i + 1 < out.rank(); ++i) out.dims[i] = Dim::dynamic();
    return one(type_of(in, 0), out);
  }
  if (sizes->size() != axes->size()) throw_bad_input("DFT signal_size and axes have different lengths");
  auto norm = normalize_axes(*axes, static_cast<int64_t>(s.rank()) - 1, "axis");
  for (size_t i = 0; i < norm.size(); ++i)
    if ((*sizes)[i] != -1) out.dims[static_cast<size_t>(norm[i])] = Dim::fixed((*sizes)[i]);
  return one(type_of(in, 0), out);
}

}  // namespace

void register_core(OpRegistry& r) {
  r.set_infer("Parameter", from_attrs);
  r.set_infer("Const", from_attrs);
  r.set_infer("Result", result);
  r.set_infer("Convert", convert);
  r.set_infer("ConvertLike", convert_like);
  r.set_infer("ShapeOf", shape_of_op);
  r.set_infer("Range", range);
  r.set_infer("Select", select);
  r.set_infer("NonZero", non_zero);
  r.set_infer("Bucketize", bucketize);
  r.set_infer("CumSum", cum_sum);
  r.set_infer("Roll", roll);
  r.set_infer("Reverse", reverse);
  r.set_infer("ReverseSequence", reverse_sequence);
  r.set_infer("RandomUniform", random_uniform);
  r.set_infer("OneHot", one_hot);
  r.set_infer("DFT", dft);
  r.set_infer("IDFT", dft);
  r.set_infer("Einsum", einsum);
}

}  // namespace q8::infer
