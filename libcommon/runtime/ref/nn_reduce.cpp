// Reductions over the axes given by input 1 (negative axes allowed, empty = no-op),
// with keep_dims. Arithmetic reductions accumulate in double and keep the input type;
// the logical ones take and give booleans.
#include <algorithm>
#include <cmath>
#include <limits>

#include "runtime/ref/families.h"
#include "runtime/ref/util.h"

namespace q8::ref {
namespace {

enum class Reduce { kMean, kMax, kMin, kSum, kProd, kL1, kL2, kAnd, kOr };

double initial(Reduce r) {
  switch (r) {
    case Reduce::kMax:
      return -std::numeric_limits<double>::infinity();
    case Reduce::kMin:
      return std::numeric_limits<double>::infinity();
    case Reduce::kProd:
    case Reduce::kAnd:
      return 1;
    default:
      return 0;
  }
}

double accumulate(Reduce r, double acc, double v) {
  switch (r) {
    case Reduce::kMax:
      return std::max(acc, v);
    case Reduce::kMin:
      return std::min(acc, v);
    case Reduce::kProd:
      return acc * v;
    case Reduce::kL1:
      return acc + std::fabs(v);
    case Reduce::kL2:
      return acc + v * v;
    case Reduce::kAnd:
      return acc != 0 && v != 0;
    case Reduce::kOr:
      return acc != 0 || v != 0;
    default:
      return acc + v;
  }
}

template <Reduce R>
std::vector<Tensor> reduce(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  const Tensor& x = in[0];
  const Shape& s = x.shape();
  auto axes = normalize_axes(to_ints(in[1]), static_cast<int64_t>(s.size()));
  Shape rs = reduced_shape(s, axes);
  std::vector<double> acc(static_cast<size_t>(num_elements(rs)), initial(R));
  dispatch_type(x.type(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = x.data<T>();
    for_each_broadcast<1>(s, {rs}, [&](int64_t o, const std::array<int64_t, 1>& r) {
      acc[r[0]] = accumulate(R, acc[r[0]], static_cast<double>(p[o]));
    });
  });
  int64_t count = num_elements(s) / std::max<int64_t>(num_elements(rs), 1);
  for (auto& a : acc) {
    if (R == Reduce::kMean) a /= static_cast<double>(count);
    if (R == Reduce::kL2) a = std::sqrt(a);
  }
  Shape out_shape;
  for (size_t d = 0; d < s.size(); ++d)
    if (n.attr<bool>("keep_dims") ||
        std::find(axes.begin(), axes.end(), static_cast<int64_t>(d)) == axes.end())
      out_shape.push_back(rs[d]);
  ElementType type = (R == Reduce::kAnd || R == Reduce::kOr) ? ElementType::kBoolean : x.type();
  Tensor out(type, out_shape);
  dispatch_type(type, [&](auto tag) {
    using T = decltype(tag);
    T* p = out.mutable_data<T>();
    for (size_t i = 0; i < acc.size(); ++i) p[i] = saturate_cast<T>(acc[i]);
  });
  return {out};
}

}  // namespace

void register_reduce(KernelTable& t) {
  t.add("ReduceMean", reduce<Reduce::kMean>);
  t.add("ReduceMax", reduce<Reduce::kMax>);
  t.add("ReduceMin", reduce<Reduce::kMin>);
  t.add("ReduceSum", reduce<Reduce::kSum>);
  t.add("ReduceProd", reduce<Reduce::kProd>);
  t.add("ReduceL1", reduce<Reduce::kL1>);
  t.add("ReduceL2", reduce<Reduce::kL2>);
  t.add("ReduceLogicalAnd", reduce<Reduce::kAnd>);
  t.add("ReduceLogicalOr", reduce<Reduce::kOr>);
}

}  // namespace q8::ref
