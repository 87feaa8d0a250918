// Unary math and activations, Convert and ConvertLike. Float inputs arrive as f32;
// integer inputs keep their type and the result is converted back (saturating).
#include <cmath>
#include <functional>
#include <numbers>

#include "runtime/ref/families.h"
#include "runtime/ref/util.h"

namespace q8::ref {
namespace {

using UnaryFn = double (*)(double);

// Applies f to every element, keeping the input's element type.
Tensor map_values(const Tensor& in, const std::function<double(double)>& f) {
  Tensor out(in.type(), in.shape());
  dispatch_type(in.type(), [&](auto tag) {
    using T = decltype(tag);
    const T* src = in.data<T>();
    T* dst = out.mutable_data<T>();
    for (int64_t i = 0, n = in.size(); i < n; ++i) dst[i] = saturate_cast<T>(f(static_cast<double>(src[i])));
  });
  return out;
}

template <UnaryFn F>
std::vector<Tensor> unary(const Node&, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  return {map_values(in[0], F)};
}

double sigmoid(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}
double softplus(double x) {
  return x > 20 ? x : std::log1p(std::exp(x));  // exp overflows long before log1p loses precision
}
double gelu_erf(double x) {
  return 0.5 * x * (1.0 + std::erf(x / std::numbers::sqrt2));
}
double gelu_tanh(double x) {
  return 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / std::numbers::pi) * (x + 0.044715 * x * x * x)));
}
double hsigmoid(double x) {
  return std::min(std::max(x + 3.0, 0.0), 6.0) / 6.0;
}

// The unary ops without attributes, by IR type name.
struct UnaryEntry {
  const char* type;
  Kernel kernel;
};
const UnaryEntry kUnary[] = {
    {"Abs", unary<[](double x) { return std::fabs(x); }>},
    {"Acos", unary<[](double x) { return std::acos(x); }>},
    {"Acosh", unary<[](double x) { return std::acosh(x); }>},
    {"Asin", unary<[](double x) { return std::asin(x); }>},
    {"Asinh", unary<[](double x) { return std::asinh(x); }>},
    {"Atan", unary<[](double x) { return std::atan(x); }>},
    {"Atanh", unary<[](double x) { return std::atanh(x); }>},
    {"Ceiling", unary<[](double x) { return std::ceil(x); }>},
    {"Cos", unary<[](double x) { return std::cos(x); }>},
    {"Cosh", unary<[](double x) { return std::cosh(x); }>},
    {"Erf", unary<[](double x) { return std::erf(x); }>},
    {"Exp", unary<[](double x) { return std::exp(x); }>},
    {"Floor", unary<[](double x) { return std::floor(x); }>},
    {"Log", unary<[](double x) { return std::log(x); }>},
    {"Negative", unary<[](double x) { return -x; }>},
    {"ReLU", unary<[](double x) { return (x > 0) ? x : 0.0; }>},
    {"Sigmoid", unary<sigmoid>},
    {"Sign", unary<[](double x) { return (x > 0)   ? 1.0
                                         : (x < 0) ? -1.0
                                                   : 0.0; }>},
    {"Sin", unary<[](double x) { return std::sin(x); }>},
    {"Sinh", unary<[](double x) { return std::sinh(x); }>},
    {"Sqrt", unary<[](double x) { return std::sqrt(x); }>},
    {"Tan", unary<[](double x) { return std::tan(x); }>},
    {"Tanh", unary<[](double x) { return std::tanh(x); }>},
    {"SoftPlus", unary<softplus>},
    {"HSwish", unary<[](double x) { return x * hsigmoid(x); }>},
    {"HSigmoid", unary<hsigmoid>},
    {"Mish", unary<[](double x) { return x * std::tanh(softplus(x)); }>},
};

std::vector<Tensor> logical_not(const Node&, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  Tensor out(ElementType::kBoolean, in[0].shape());
  auto* dst = out.mutable_data<uint8_t>();
  for (int64_t i = 0, n = in[0].size(); i < n; ++i) dst[i] = in[0].value_as_double(i) == 0 ? 1 : 0;
  return {out};
}

std::vector<Tensor> gelu(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  bool tanh_mode = n.def().opset >= 7 && (n.attr<std::string>("approximation_mode") == "TANH" ||
                                          n.attr<std::string>("approximation_mode") == "tanh");
  return {map_values(in[0], tanh_mode ? gelu_tanh : gelu_erf)};
}

std::vector<Tensor> round(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  // std::nearbyint rounds half to even in the default rounding mode.
  bool even = n.attr<std::string>("mode") == "half_to_even";
  return {map_values(in[0], even ? static_cast<UnaryFn>(std::nearbyint) : static_cast<UnaryFn>(std::round))};
}

std::vector<Tensor> clamp(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  double lo = n.attr<double>("min"), hi = n.attr<double>("max");
  if (type_info(in[0].type()).is_float == false) {  // integer bounds are the integers inside [min, max]
    lo = std::ceil(lo);
    hi = std::floor(hi);
  }
  return {map_values(in[0], [=](double x) { return std::min(std::max(x, lo), hi); })};
}

std::vector<Tensor> elu(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  double alpha = n.attr<double>("alpha");
  return {map_values(in[0], [=](double x) { return x > 0 ? x : alpha * (std::exp(x) - 1.0); })};
}

std::vector<Tensor> selu(const Node&, const std::vector<Tensor>& in) {
  expect_inputs(in, 3);
  double alpha = scalar_of(in[1]), lambda = scalar_of(in[2]);
  return {map_values(in[0], [=](double x) { return lambda * (x > 0 ? x : alpha * (std::exp(x) - 1.0)); })};
}

std::vector<Tensor> hard_sigmoid(const Node&, const std::vector<Tensor>& in) {
  expect_inputs(in, 3);
  double alpha = scalar_of(in[1]), beta = scalar_of(in[2]);
  return {map_values(in[0], [=](double x) { return std::max(0.0, std::min(1.0, alpha * x + beta)); })};
}

std::vector<Tensor> swish(const Node&, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  double beta = in.size() > 1 ? scalar_of(in[1]) : 1.0;
  return {map_values(in[0], [=](double x) { return x * sigmoid(beta * x); })};
}

// GRN: each value divided by the L2 norm over the channel axis (1) plus bias.
std::vector<Tensor> grn(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  const Shape& s = in[0].shape();
  if (s.size() < 2) throw_bad_input("GRN needs an input of rank >= 2, got " + to_string(s));
  int64_t outer = s[0], c = s[1], inner = product(s, 2, s.size());
  std::vector<float> x = to_floats(in[0]);
  double bias = n.attr<double>("bias");
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      float* base = x.data() + o * c * inner + i;
      double sum = bias;
      for (int64_t k = 0; k < c; ++k) sum += double(base[k * inner]) * base[k * inner];
      double norm = std::sqrt(sum);
      for (int64_t k = 0; k < c; ++k) base[k * inner] = static_cast<float>(base[k * inner] / norm);
    }
  return {floats_to_type(s, x, in[0].type())};
}

std::vector<Tensor> convert_kernel(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  return {convert(in[0], n.attr<ElementType>("destination_type"))};
}

// The executor widens an f16 "like" input to f32, so the node's declared output type wins.
std::vector<Tensor> convert_like(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  ElementType to = in[1].type();
  if (!n.outputs.empty() && is_static_type(n.outputs[0].type)) to = n.outputs[0].type;
  return {convert(in[0], to)};
}

}  // namespace

void register_unary(KernelTable& t) {
  for (const auto& e : kUnary) t.add(e.type, e.kernel);
  t.add("LogicalNot", logical_not);
  t.add("Gelu", gelu);
  t.add("Round", round);
  t.add("Clamp", clamp);
  t.add("Elu", elu);
  t.add("Selu", selu);
  t.add("HardSigmoid", hard_sigmoid);
  t.add("Swish", swish);
  t.add("GRN", grn);
  t.add("Convert", convert_kernel);
  t.add("ConvertLike", convert_like);
}

void register_elementwise(KernelTable& t) {
  register_unary(t);
  register_binary(t);
}

}  // namespace q8::ref
