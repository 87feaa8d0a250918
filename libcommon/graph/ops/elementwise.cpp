// Elementwise math, activations, comparisons and logic (OpenVINO opsets 1..8).
#include "graph/ops/ops.h"

namespace q8::ops {
using namespace decl;

namespace {
AttrDef broadcast() {
  return E("auto_broadcast", "numpy", {"none", "numpy", "pdpd"});
}

void unary(OpRegistry& r, const char* type, int opset = 1) {
  r.add({type, opset, {}, 1, 1, 1});
}
void binary(OpRegistry& r, const char* type, int opset = 1) {
  r.add({type, opset, {broadcast()}, 2, 2, 1});
}
}  // namespace

void register_elementwise(OpRegistry& r) {
  for (const char* t :
       {"Abs",      "Acos", "Asin",    "Atan", "Ceiling", "Cos",  "Cosh", "Erf", "Exp",  "Floor",     "Log",
        "Negative", "ReLU", "Sigmoid", "Sign", "Sin",     "Sinh", "Sqrt", "Tan", "Tanh", "LogicalNot"})
    unary(r, t);
  for (const char* t : {"Acosh", "Asinh", "Atanh"}) unary(r, t, 3);
  for (const char* t : {"SoftPlus", "HSwish", "Mish"}) unary(r, t, 4);
  unary(r, "HSigmoid", 5);
  r.add({"Swish", 4, {}, 1, 2, 1});
  r.add({"Gelu", 2, {}, 1, 1, 1});
  r.add({"Gelu", 7, {E("approximation_mode", "ERF", {"ERF", "TANH", "erf", "tanh"})}, 1, 1, 1});
  r.add({"Round", 5, {E("mode", {"half_to_even", "half_away_from_zero"})}, 1, 1, 1});
  r.add({"Clamp", 1, {F("min"), F("max")}, 1, 1, 1});
  r.add({"Elu", 1, {F("alpha")}, 1, 1, 1});
  r.add({"Selu", 1, {}, 3, 3, 1});
  r.add({"PReLU", 1, {}, 2, 2, 1});
  r.add({"HardSigmoid", 1, {}, 3, 3, 1});
  r.add({"GRN", 1, {F("bias")}, 1, 1, 1});
  r.add({"SoftMax", 1, {I("axis", 1)}, 1, 1, 1});
  r.add({"SoftMax", 8, {I("axis", 1)}, 1, 1, 1});
  r.add({"LogSoftmax", 5, {I("axis", 1)}, 1, 1, 1});

  for (const char* t : {"Add", "Subtract", "Multiply", "Maximum", "Minimum", "Power", "SquaredDifference",
                        "FloorMod", "Mod", "Equal", "NotEqual", "Less", "LessEqual", "Greater",
                        "GreaterEqual", "LogicalAnd", "LogicalOr", "LogicalXor"})
    binary(r, t);
  r.add({"Divide", 1, {broadcast(), B("m_pythondiv", true)}, 2, 2, 1});
}

}  // namespace q8::ops
