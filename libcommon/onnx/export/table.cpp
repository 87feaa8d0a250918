// The exporter table: OpenVINO op type -> exporter. One line per op, so what export-qdq
// supports is read here and nowhere else. (Parameter, Const and Result are the driver's.)
#include <map>

#include "onnx/export/exporters.h"

namespace q8::onnxexp {

namespace {

const std::map<std::string, Exporter>& table() {
  static const std::map<std::string, Exporter> t = {
      // conv.cpp
      {"Convolution", export_convolution},
      {"GroupConvolution", export_group_convolution},
      // elementwise.cpp
      {"Abs", export_unary},
      {"Acos", export_unary},
      {"Acosh", export_unary},
      {"Asin", export_unary},
      {"Asinh", export_unary},
      {"Atan", export_unary},
      {"Atanh", export_unary},
      {"Ceiling", export_unary},
      {"Cos", export_unary},
      {"Cosh", export_unary},
      {"Erf", export_unary},
      {"Exp", export_unary},
      {"Floor", export_unary},
      {"Log", export_unary},
      {"LogicalNot", export_unary},
      {"Negative", export_unary},
      {"ReLU", export_unary},
      {"Sigmoid", export_unary},
      {"Sign", export_unary},
      {"Sin", export_unary},
      {"Sinh", export_unary},
      {"SoftPlus", export_unary},
      {"Sqrt", export_unary},
      {"Tan", export_unary},
      {"Tanh", export_unary},
      {"Add", export_binary},
      {"Subtract", export_binary},
      {"Multiply", export_binary},
      {"Divide", export_binary},
      {"Maximum", export_binary},
      {"Minimum", export_binary},
      {"Power", export_binary},
      {"SquaredDifference", export_binary},
      {"Equal", export_binary},
      {"NotEqual", export_binary},
      {"Less", export_binary},
      {"LessEqual", export_binary},
      {"Greater", export_binary},
      {"GreaterEqual", export_binary},
      {"LogicalAnd", export_binary},
      {"LogicalOr", export_binary},
      {"LogicalXor", export_binary},
      {"Select", export_select},
      {"Convert", export_convert},
      {"Round", export_round},
      // activation.cpp
      {"Clamp", export_clamp},
      {"PReLU", export_prelu},
      {"Elu", export_elu},
      {"HSigmoid", export_hsigmoid},
      {"HardSigmoid", export_hard_sigmoid},
      {"HSwish", export_hswish},
      {"Swish", export_swish},
      {"Mish", export_mish},
      {"Gelu", export_gelu},
      {"SoftMax", export_softmax},
      {"LogSoftmax", export_softmax},
      // matmul.cpp
      {"MatMul", export_matmul},
      // norm.cpp
      {"BatchNormInference", export_batch_norm},
      {"MVN", export_mvn},
      // pool.cpp
      {"MaxPool", export_max_pool},
      {"AvgPool", export_avg_pool},
      // quant.cpp
      {"FakeQuantize", export_fake_quantize},
      // reduce.cpp
      {"ReduceMean", export_reduce},
      {"ReduceMax", export_reduce},
      {"ReduceMin", export_reduce},
      {"ReduceSum", export_reduce},
      {"ReduceProd", export_reduce},
      {"ReduceL1", export_reduce},
      {"ReduceL2", export_reduce},
      // resize.cpp
      {"Interpolate", export_interpolate},
      // shape.cpp
      {"Reshape", export_reshape},
      {"Transpose", export_transpose},
      {"Squeeze", export_squeeze},
      {"Unsqueeze", export_unsqueeze},
      {"Concat", export_concat},
      {"ShapeOf", export_shape_of},
      {"Gather", export_gather},
      {"Split", export_split},
      {"VariadicSplit", export_variadic_split},
      // slice.cpp
      {"StridedSlice", export_strided_slice},
      {"Slice", export_slice},
      {"Pad", export_pad},
  };
  return t;
}

}  // namespace

Exporter find_exporter(const std::string& type) {
  auto it = table().find(type);
  return it == table().end() ? nullptr : it->second;
}

std::vector<std::string> table_op_types() {
  std::vector<std::string> out;
  for (const auto& [type, fn] : table()) out.push_back(type);
  return out;
}

}  // namespace q8::onnxexp
