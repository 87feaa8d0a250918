// MatMul, FakeQuantize, normalizations and reductions.
#include <set>

#include "base/error.h"
#include "graph/infer/infer.h"
#include "graph/infer/infer_util.h"

namespace q8::infer {

namespace {

// MatMul operand as a matrix stack: a 1-D operand becomes a row (a) or a column (b) matrix,
// transposes swap the last two dims (they never apply to 1-D operands).
PartialShape as_matrix(const PartialShape& s, bool transpose, bool is_a) {
  PartialShape m = s;
  if (s.rank() == 1) {
    m.dims.insert(is_a ? m.dims.begin() : m.dims.end(), Dim::fixed(1));
  } else if (transpose) {
    std::swap(m.dims[m.rank() - 1], m.dims[m.rank() - 2]);
  }
  return m;
}

std::vector<PortInfo> matmul(const Node& n, const InferInputs& in) {
  const PartialShape &a = shape_of(in, 0), &b = shape_of(in, 1);
  if (a.rank_dynamic || b.rank_dynamic) return one(type_of(in, 0), PartialShape::dynamic_rank());
  if (a.rank() == 0 || b.rank() == 0) throw_bad_input("MatMul operands must not be scalars");
  PartialShape ma = as_matrix(a, n.attr<bool>("transpose_a"), true);
  PartialShape mb = as_matrix(b, n.attr<bool>("transpose_b"), false);
  size_t ra = ma.rank(), rb = mb.rank();
  merge_dims(ma.dims[ra - 1], mb.dims[rb - 2],
             "MatMul inner dims of " + a.to_string() + " and " + b.to_string() + " do not match");
  PartialShape batch_a, batch_b;
  batch_a.dims.assign(ma.dims.begin(), ma.dims.end() - 2);
  batch_b.dims.assign(mb.dims.begin(), mb.dims.end() - 2);
  PartialShape out = broadcast(batch_a, batch_b, "numpy");
  if (a.rank() > 1) out.dims.push_back(ma.dims[ra - 2]);
  if (b.rank() > 1) out.dims.push_back(mb.dims[rb - 1]);
  return one(type_of(in, 0), out);
}

std::vector<PortInfo> fake_quantize(const Node& n, const InferInputs& in) {
  if (n.attr<int64_t>("levels") < 2) throw_bad_input("FakeQuantize levels must be at least 2");
  const std::string& mode = n.attr<std::string>("auto_broadcast");
  PartialShape out = shape_of(in, 0);
  for (size_t i = 1; i < 5; ++i) out = broadcast(out, shape_of(in, i), mode);
  return one(type_of(in, 0), out);
}

// BatchNormInference: gamma, beta, mean and variance are [C] for data [N, C, ...]. Opset 1's
// data input sits after gamma and beta in OpenVINO's op, opset 5 puts it first; the data is
// the input of rank >= 2, which tells them apart in IR written either way.
std::vector<PortInfo> batch_norm(const Node&, const InferInputs& in) {
  size_t data = 0;
  const PartialShape& s2 = shape_of(in, 2);
  if (!shape_of(in, 0).rank_dynamic && shape_of(in, 0).rank() == 1 && (s2.rank_dynamic || s2.rank() >= 2))
    data = 2;
  const PartialShape& s = shape_of(in, data);
  if (!s.rank_dynamic && s.rank() < 2) throw_bad_input("BatchNormInference data must have rank >= 2");
  PartialShape out = s;
  for (size_t i = 0; i < 5; ++i) {
    if (i == data) continue;
    const PartialShape& p = shape_of(in, i);
    require_rank(p, {1}, "BatchNormInference parameter");
    if (!p.rank_dynamic && !out.rank_dynamic) out.dims[1] = merge_dims(out.dims[1], p.dims[0], "channel dim");
  }
  return one(type_of(in, data), out);
}

// LRN, MVN-6 and NormalizeL2 take an axes input whose values must index the data.
std::vector<PortInfo> with_axes(const Node&, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  require_rank(shape_of(in, 1), {0, 1}, "axes");
  if (auto axes = const_ints(in, 1); axes && !s.rank_dynamic)
    for (int64_t a : *axes) normalize_axis(a, static_cast<int64_t>(s.rank()), "axis");
  return one(type_of(in, 0), s);
}

std::vector<PortInfo> reduce(const Node& n, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  bool keep = n.attr<bool>("keep_dims");
  require_rank(shape_of(in, 1), {0, 1}, "axes");
  if (n.def().type.rfind("ReduceLogical", 0) == 0 && is_static_type(type_of(in, 0)) &&
      type_of(in, 0) != ElementType::kBoolean)
    throw_bad_input(n.def().type + " needs a boolean input, got " + to_string(type_of(in, 0)));
  if (s.rank_dynamic) return one(type_of(in, 0), s);
  auto axes = const_ints(in, 1);
  if (!axes) {
    if (keep) return one(type_of(in, 0), dynamic_shape(s.rank()));
    const PartialShape& a = shape_of(in, 1);
    bool len_known = !a.rank_dynamic && (a.rank() == 0 || a.dims[0].is_static());
    size_t len = len_known ? (a.rank() == 0 ? 1 : static_cast<size_t>(a.dims[0].min)) : 0;
    return one(type_of(in, 0),
               len_known && len <= s.rank() ? dynamic_shape(s.rank() - len) : PartialShape::dynamic_rank());
  }
  std::set<int64_t> reduced;
  for (int64_t a : *axes) reduced.insert(normalize_axis(a, static_cast<int64_t>(s.rank()), "axis"));
  PartialShape out;
  for (size_t i = 0; i < s.rank(); ++i) {
    if (!reduced.count(static_cast<int64_t>(i)))
      out.dims.push_back(s.dims[i]);
    else if (keep)
      out.dims.push_back(Dim::fixed(1));
  }
  return one(type_of(in, 0), out);
}

}  // namespace

void register_nn(OpRegistry& r) {
  r.set_infer("MatMul", matmul);
  r.set_infer("FakeQuantize", fake_quantize);
  r.set_infer("BatchNormInference", batch_norm);
  r.set_infer("MVN", same_as_input, 1);
  for (const char* t : {"LRN", "NormalizeL2"}) r.set_infer(t, with_axes);
  r.set_infer("MVN", with_axes, 6);
  for (const char* t : {"ReduceMean", "ReduceMax", "ReduceMin", "ReduceSum", "ReduceProd", "ReduceLogicalAnd",
                        "ReduceLogicalOr", "ReduceL1", "ReduceL2"})
    r.set_infer(t, reduce);
}

}  // namespace q8::infer
