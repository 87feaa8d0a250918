// Binary elementwise ops with numpy broadcasting: arithmetic, comparisons (-> boolean),
// logic, plus Select and PReLU. Both inputs share a type; results keep it.
#include <cmath>
#include <type_traits>

#include "runtime/ref/families.h"
#include "runtime/ref/util.h"

namespace q8::ref {
namespace {

template <typename T>
T int_div_checked(T a, T b) {
  if (b == 0) throw_bad_input("integer division by zero");
  return static_cast<T>(a / b);
}

// Each op maps (a, b) of one element type to a value; bool results make a boolean tensor.
struct AddOp {
  template <typename T>
  static T apply(T a, T b) {
    return static_cast<T>(a + b);
  }
};
struct SubOp {
  template <typename T>
  static T apply(T a, T b) {
    return static_cast<T>(a - b);
  }
};
struct MulOp {
  template <typename T>
  static T apply(T a, T b) {
    return static_cast<T>(a * b);
  }
};
struct DivTruncOp {
  template <typename T>
  static T apply(T a, T b) {
    if constexpr (std::is_floating_point_v<T>)
      return a / b;
    else
      return int_div_checked(a, b);
  }
};
// Python semantics: integer quotients round toward negative infinity.
struct DivFloorOp {
  template <typename T>
  static T apply(T a, T b) {
    if constexpr (std::is_floating_point_v<T>) {
      return a / b;
    } else {
      T q = int_div_checked(a, b);
      if constexpr (std::is_signed_v<T>)
        if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
      return q;
    }
  }
};
struct MaxOp {
  template <typename T>
  static T apply(T a, T b) {
    return a > b ? a : b;
  }
};
struct MinOp {
  template <typename T>
  static T apply(T a, T b) {
    return a < b ? a : b;
  }
};
struct PowOp {
  template <typename T>
  static T apply(T a, T b) {
    return saturate_cast<T>(std::pow(static_cast<double>(a), static_cast<double>(b)));
  }
};
struct SqDiffOp {
  template <typename T>
  static T apply(T a, T b) {
    return static_cast<T>((a - b) * (a - b));
  }
};
// Result takes the divisor's sign (Python %).
struct FloorModOp {
  template <typename T>
  static T apply(T a, T b) {
    if constexpr (std::is_floating_point_v<T>) {
      T r = std::fmod(a, b);
      return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
    } else {
      if (b == 0) throw_bad_input("integer modulo by zero");
      T r = static_cast<T>(a % b);
      if constexpr (std::is_signed_v<T>)
        if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(r + b);
      return r;
    }
  }
};
// Result takes the dividend's sign (C fmod).
struct ModOp {
  template <typename T>
  static T apply(T a, T b) {
    if constexpr (std::is_floating_point_v<T>) {
      return std::fmod(a, b);
    } else {
      if (b == 0) throw_bad_input("integer modulo by zero");
      return static_cast<T>(a % b);
    }
  }
};
#define Q8_COMPARE_OP(Name, expr) \
  struct Name {                   \
    template <typename T>         \
    static bool apply(T a, T b) { \
      return expr;                \
    }                             \
  };
Q8_COMPARE_OP(EqualOp, a == b)
Q8_COMPARE_OP(NotEqualOp, a != b)
Q8_COMPARE_OP(LessOp, a < b)
Q8_COMPARE_OP(LessEqualOp, a <= b)
Q8_COMPARE_OP(GreaterOp, a > b)
Q8_COMPARE_OP(GreaterEqualOp, a >= b)
Q8_COMPARE_OP(AndOp, a != 0 && b != 0)
Q8_COMPARE_OP(OrOp, a != 0 || b != 0)
Q8_COMPARE_OP(XorOp, (a != 0) != (b != 0))
#undef Q8_COMPARE_OP

Shape output_shape(const Node& n, const Shape& a, const Shape& b) {
  if (n.has_attr("auto_broadcast") && n.attr<std::string>("auto_broadcast") == "none" && a != b)
    throw_bad_input("auto_broadcast is none but shapes " + to_string(a) + " and " + to_string(b) + " differ");
  return broadcast_or_throw(a, b);
}

template <typename Op>
std::vector<Tensor> binary(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  const Tensor& a = in[0];
  const Tensor b = in[1].type() == a.type() ? in[1] : convert(in[1], a.type());
  const Shape shape = output_shape(n, a.shape(), b.shape());
  return {dispatch_type(a.type(), [&](auto tag) {
    using T = decltype(tag);
    constexpr bool kBool = std::is_same_v<decltype(Op::apply(T{}, T{})), bool>;
    using S = std::conditional_t<kBool, uint8_t, T>;
    Tensor out(kBool ? ElementType::kBoolean : a.type(), shape);
    const T* pa = a.data<T>();
    const T* pb = b.data<T>();
    S* po = out.mutable_data<S>();
    for_each_broadcast<2>(shape, {a.shape(), b.shape()}, [&](int64_t o, const std::array<int64_t, 2>& off) {
      po[o] = static_cast<S>(Op::apply(pa[off[0]], pb[off[1]]));
    });
    return out;
  })};
}

std::vector<Tensor> divide(const Node& n, const std::vector<Tensor>& in) {
  return n.attr<bool>("m_pythondiv") ? binary<DivFloorOp>(n, in) : binary<DivTruncOp>(n, in);
}

std::vector<Tensor> select(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 3);
  const Tensor& c = in[0];
  const Tensor& a = in[1];
  const Tensor b = in[2].type() == a.type() ? in[2] : convert(in[2], a.type());
  Shape shape = broadcast_or_throw(c.shape(), broadcast_or_throw(a.shape(), b.shape()));
  if (n.attr<std::string>("auto_broadcast") == "none" && (a.shape() != b.shape() || c.shape() != a.shape()))
    throw_bad_input("Select with auto_broadcast none needs equal shapes");
  Tensor out(a.type(), shape);
  const size_t eb = element_bytes(a.type());
  std::vector<uint8_t> cond(static_cast<size_t>(c.size()));
  for (size_t i = 0; i < cond.size(); ++i) cond[i] = c.value_as_double(static_cast<int64_t>(i)) != 0;
  std::byte* po = out.mutable_bytes();
  for_each_broadcast<3>(
      shape, {c.shape(), a.shape(), b.shape()}, [&](int64_t o, const std::array<int64_t, 3>& off) {
        const std::byte* src =
            cond[static_cast<size_t>(off[0])] ? a.bytes() + off[1] * eb : b.bytes() + off[2] * eb;
        std::memcpy(po + o * eb, src, eb);
      });
  return {out};
}

// PReLU: a 1-D slope whose length is the channel count applies along axis 1 (the spec's
// per-channel case); any other slope broadcasts numpy-style.
std::vector<Tensor> prelu(const Node&, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  const Shape& xs = in[0].shape();
  Shape ss = in[1].shape();
  if (ss.size() == 1 && xs.size() >= 2 && ss[0] == xs[1] && ss[0] != 1) {
    ss = Shape(xs.size() - 1, 1);
    ss[0] = xs[1];
  }
  Shape shape = broadcast_or_throw(xs, ss);
  if (shape != xs)
    throw_bad_input("PReLU slope " + to_string(in[1].shape()) + " does not fit " + to_string(xs));
  std::vector<float> x = to_floats(in[0]), slope = to_floats(in[1]);
  std::vector<float> y(x.size());
  for_each_broadcast<2>(shape, {xs, ss}, [&](int64_t o, const std::array<int64_t, 2>& off) {
    float v = x[static_cast<size_t>(off[0])];
    y[static_cast<size_t>(o)] = v < 0 ? v * slope[static_cast<size_t>(off[1])] : v;
  });
  return {floats_to_type(shape, y, in[0].type())};
}

}  // namespace

void register_binary(KernelTable& t) {
  t.add("Add", binary<AddOp>);
  t.add("Subtract", binary<SubOp>);
  t.add("Multiply", binary<MulOp>);
  t.add("Divide", divide);
  t.add("Maximum", binary<MaxOp>);
  t.add("Minimum", binary<MinOp>);
  t.add("Power", binary<PowOp>);
  t.add("SquaredDifference", binary<SqDiffOp>);
  t.add("FloorMod", binary<FloorModOp>);
  t.add("Mod", binary<ModOp>);
  t.add("Equal", binary<EqualOp>);
  t.add("NotEqual", binary<NotEqualOp>);
  t.add("Less", binary<LessOp>);
  t.add("LessEqual", binary<LessEqualOp>);
  t.add("Greater", binary<GreaterOp>);
  t.add("GreaterEqual", binary<GreaterEqualOp>);
  t.add("LogicalAnd", binary<AndOp>);
  t.add("LogicalOr", binary<OrOp>);
  t.add("LogicalXor", binary<XorOp>);
  t.add("Select", select);
  t.add("PReLU", prelu);
}

}  // namespace q8::ref
