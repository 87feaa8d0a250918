// Elementwise math and activations: one OpenVINO op each, except Relu6 (Clamp) and Rsqrt (Power).
#include <map>

#include "tf/import/importers.h"

namespace q8::tffe {

namespace {

const std::map<std::string, std::string> kBinary = {
    {"Add", "Add"},         {"AddV2", "Add"},      {"Sub", "Subtract"},
    {"Mul", "Multiply"},    {"RealDiv", "Divide"}, {"Maximum", "Maximum"},
    {"Minimum", "Minimum"}, {"Pow", "Power"},      {"SquaredDifference", "SquaredDifference"},
};

const std::map<std::string, std::string> kUnary = {
    {"Relu", "ReLU"}, {"Tanh", "Tanh"}, {"Sigmoid", "Sigmoid"}, {"Sqrt", "Sqrt"},
    {"Exp", "Exp"},   {"Abs", "Abs"},   {"Neg", "Negative"},
};

}  // namespace

void import_binary(Context& ctx) {
  ctx.set_output(0, ctx.op(kBinary.at(ctx.op_type()), {ctx.input(0), ctx.input(1)}));
}

void import_unary(Context& ctx) {
  ctx.set_output(0, ctx.op(kUnary.at(ctx.op_type()), {ctx.input(0)}));
}

void import_relu6(Context& ctx) {
  ctx.set_output(0, ctx.op("Clamp", {ctx.input(0)}, {{"min", 0.0}, {"max", 6.0}}));
}

void import_rsqrt(Context& ctx) {
  Output x = ctx.input(0);
  ctx.set_output(0, ctx.op("Power", {x, ctx.scalar_like(-0.5, ctx.type_of(x))}));
}

std::vector<std::string> binary_op_types() {
  std::vector<std::string> out;
  for (const auto& [k, v] : kBinary) out.push_back(k);
  return out;
}

std::vector<std::string> unary_op_types() {
  std::vector<std::string> out;
  for (const auto& [k, v] : kUnary) out.push_back(k);
  return out;
}

}  // namespace q8::tffe
