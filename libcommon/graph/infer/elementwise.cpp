// Elementwise ops: unary math and activations keep their input's type and shape, binary ops
// broadcast per auto_broadcast, comparisons and logic give booleans.
#include "graph/infer/infer.h"
#include "graph/infer/infer_util.h"

#include "base/error.h"

namespace q8::infer {

namespace {

PartialShape binary_shape(const Node& n, const InferInputs& in) {
  return broadcast(shape_of(in, 0), shape_of(in, 1), n.attr<std::string>("auto_broadcast"));
}

void require_same_types(const InferInputs& in) {
  ElementType a = type_of(in, 0), b = type_of(in, 1);
  if (is_static_type(a) && is_static_type(b) && a != b)
    throw_bad_input("inputs have different element types " + to_string(a) + " and " + to_string(b));
}

std::vector<PortInfo> arithmetic(const Node& n, const InferInputs& in) {
  require_same_types(in);
  return one(type_of(in, 0), binary_shape(n, in));
}

std::vector<PortInfo> comparison(const Node& n, const InferInputs& in) {
  require_same_types(in);
  return one(ElementType::kBoolean, binary_shape(n, in));
}

std::vector<PortInfo> softmax(const Node& n, const InferInputs& in) {
  const PartialShape& s = shape_of(in, 0);
  int64_t axis = n.attr<int64_t>("axis");
  // SoftMax-1 only takes non-negative axes; opset 8 and LogSoftmax count negative ones from the end.
  if (n.def().type == "SoftMax" && n.def().opset == 1 && axis < 0)
    throw_bad_input("axis " + std::to_string(axis) + " must be non-negative in SoftMax-1");
  if (!s.rank_dynamic) normalize_axis(axis, static_cast<int64_t>(s.rank()), "axis");
  return one(type_of(in, 0), s);
}

// PReLU: the slope broadcasts into the data (a 1-D slope matches the channel dim).
std::vector<PortInfo> prelu(const Node&, const InferInputs& in) {
  const PartialShape &x = shape_of(in, 0), &slope = shape_of(in, 1);
  if (!x.rank_dynamic && !slope.rank_dynamic && slope.rank() == 1 && x.rank() >= 2) {
    merge_dims(x.dims[1], slope.dims[0], "slope length does not match the channel dim");
    return one(type_of(in, 0), x);
  }
  PartialShape out = broadcast(x, slope, "numpy");
  if (!x.rank_dynamic && !out.rank_dynamic && out.rank() != x.rank())
    throw_bad_input("slope " + slope.to_string() + " does not broadcast into data " + x.to_string());
  return one(type_of(in, 0), x);
}

// Selu, HardSigmoid, Swish: the extra inputs are scalars (alpha, lambda, beta).
std::vector<PortInfo> with_scalar_params(const Node&, const InferInputs& in) {
  for (size_t i = 1; i < in.ports.size(); ++i) require_scalar(in, i, "parameter input " + std::to_string(i));
  return one(type_of(in, 0), shape_of(in, 0));
}

std::vector<PortInfo> clamp(const Node& n, const InferInputs& in) {
  if (n.attr<double>("min") > n.attr<double>("max")) throw_bad_input("Clamp min is greater than max");
  return same_as_input(n, in);
}

}  // namespace

void register_elementwise(OpRegistry& r) {
  for (const char* t : {"Abs",      "Acos",   "Asin", "Atan",     "Ceiling",    "Cos",     "Cosh",  "Erf",
                        "Exp",      "Floor",  "Log",  "Negative", "ReLU",       "Sigmoid", "Sign",  "Sin",
                        "Sinh",     "Sqrt",   "Tan",  "Tanh",     "LogicalNot", "Acosh",   "Asinh", "Atanh",
                        "SoftPlus", "HSwish", "Mish", "HSigmoid", "Gelu",       "Round",   "Elu",   "GRN"})
    r.set_infer(t, same_as_input);
  r.set_infer("Clamp", clamp);
  for (const char* t : {"Selu", "HardSigmoid", "Swish"}) r.set_infer(t, with_scalar_params);
  r.set_infer("PReLU", prelu);
  for (const char* t : {"SoftMax", "LogSoftmax"}) r.set_infer(t, softmax);
  for (const char* t : {"Add", "Subtract", "Multiply", "Divide", "Maximum", "Minimum", "Power",
                        "SquaredDifference", "FloorMod", "Mod"})
    r.set_infer(t, arithmetic);
  for (const char* t : {"Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual", "LogicalAnd",
                        "LogicalOr", "LogicalXor"})
    r.set_infer(t, comparison);
}

}  // namespace q8::infer
