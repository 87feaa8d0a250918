// The importer table: ONNX op type (default domain) -> importer. One line per op, so what
// the frontend supports is read here and nowhere else.
#include <map>

#include "onnx/import/importers.h"

namespace q8::onnxfe {

namespace {

const std::map<std::string, Importer>& table() {
  static const std::map<std::string, Importer> t = {
      // elementwise.cpp
      {"Abs", import_unary},
      {"Acos", import_unary},
      {"Acosh", import_unary},
      {"Asin", import_unary},
      {"Asinh", import_unary},
      {"Atan", import_unary},
      {"Atanh", import_unary},
      {"Ceil", import_unary},
      {"Cos", import_unary},
      {"Cosh", import_unary},
      {"Erf", import_unary},
      {"Exp", import_unary},
      {"Floor", import_unary},
      {"HardSwish", import_unary},
      {"Log", import_unary},
      {"Mish", import_unary},
      {"Neg", import_unary},
      {"Not", import_unary},
      {"Relu", import_unary},
      {"Sigmoid", import_unary},
      {"Sign", import_unary},
      {"Sin", import_unary},
      {"Sinh", import_unary},
      {"Softplus", import_unary},
      {"Sqrt", import_unary},
      {"Tan", import_unary},
      {"Tanh", import_unary},
      {"Add", import_binary},
      {"And", import_binary},
      {"Equal", import_binary},
      {"Greater", import_binary},
      {"GreaterOrEqual", import_binary},
      {"Less", import_binary},
      {"LessOrEqual", import_binary},
      {"Mul", import_binary},
      {"Or", import_binary},
      {"Sub", import_binary},
      {"Xor", import_binary},
      {"Div", import_div},
      {"Pow", import_pow},
      {"Mod", import_mod},
      {"Max", import_variadic},
      {"Mean", import_variadic},
      {"Min", import_variadic},
      {"Sum", import_variadic},
      {"Where", import_where},
      {"Reciprocal", import_reciprocal},
      {"Softsign", import_softsign},
      {"IsNaN", import_isnan},
      {"IsInf", import_isinf},
      // activation.cpp
      {"LeakyRelu", import_leaky_relu},
      {"PRelu", import_prelu},
      {"Elu", import_elu},
      {"Selu", import_selu},
      {"Celu", import_celu},
      {"HardSigmoid", import_hard_sigmoid},
      {"ThresholdedRelu", import_thresholded_relu},
      {"Shrink", import_shrink},
      {"Clip", import_clip},
      {"Softmax", import_softmax},
      {"LogSoftmax", import_log_softmax},
      // conv.cpp
      {"Conv", import_conv},
      {"ConvTranspose", import_conv_transpose},
      // pool.cpp
      {"MaxPool", import_max_pool},
      {"AveragePool", import_average_pool},
      {"GlobalAveragePool", import_global_pool},
      {"GlobalMaxPool", import_global_pool},
      // norm.cpp
      {"BatchNormalization", import_batch_norm},
      {"InstanceNormalization", import_instance_norm},
      {"LayerNormalization", import_layer_norm},
      {"MeanVarianceNormalization", import_mean_variance_norm},
      {"LRN", import_lrn},
      {"LpNormalization", import_lp_norm},
      // matmul.cpp
      {"MatMul", import_matmul},
      {"Gemm", import_gemm},
      // reduce.cpp
      {"ReduceL1", import_reduce},
      {"ReduceL2", import_reduce},
      {"ReduceLogSum", import_reduce},
      {"ReduceMax", import_reduce},
      {"ReduceMean", import_reduce},
      {"ReduceMin", import_reduce},
      {"ReduceProd", import_reduce},
      {"ReduceSum", import_reduce},
      {"ReduceSumSquare", import_reduce},
      {"ReduceLogSumExp", import_reduce_log_sum_exp},
      {"ArgMax", import_arg_min_max},
      {"ArgMin", import_arg_min_max},
      // shape.cpp
      {"Reshape", import_reshape},
      {"Flatten", import_flatten},
      {"Squeeze", import_squeeze},
      {"Unsqueeze", import_unsqueeze},
      {"Transpose", import_transpose},
      {"Shape", import_shape},
      {"Size", import_size},
      {"Expand", import_expand},
      {"ConstantOfShape", import_constant_of_shape},
      {"Range", import_range},
      {"Tile", import_tile},
      {"DepthToSpace", import_depth_to_space},
      {"SpaceToDepth", import_space_to_depth},
      // slice.cpp
      {"Concat", import_concat},
      {"Split", import_split},
      {"Slice", import_slice},
      {"Pad", import_pad},
      // gather.cpp
      {"Gather", import_gather},
      {"GatherElements", import_gather_elements},
      {"GatherND", import_gather_nd},
      {"Scatter", import_scatter_elements},
      {"ScatterElements", import_scatter_elements},
      {"ScatterND", import_scatter_nd},
      {"OneHot", import_one_hot},
      {"NonZero", import_non_zero},
      {"CumSum", import_cum_sum},
      {"ReverseSequence", import_reverse_sequence},
      // detection.cpp
      {"TopK", import_topk},
      {"NonMaxSuppression", import_nms},
      {"RoiAlign", import_roi_align},
      {"MaxRoiPool", import_max_roi_pool},
      // resize.cpp
      {"Resize", import_resize},
      {"Upsample", import_upsample},
      // quant.cpp
      {"QuantizeLinear", import_quantize_linear},
      {"DequantizeLinear", import_dequantize_linear},
      {"QLinearConv", import_qlinear_conv},
      {"QLinearMatMul", import_qlinear_matmul},
      // misc.cpp
      {"Constant", import_constant},
      {"Identity", import_identity},
      {"Dropout", import_dropout},
      {"Cast", import_cast},
      {"CastLike", import_cast_like},
      {"Einsum", import_einsum},
  };
  return t;
}

}  // namespace

Importer find_importer(const std::string& op_type) {
  auto it = table().find(op_type);
  return it == table().end() ? nullptr : it->second;
}

std::vector<std::string> table_op_types() {
  std::vector<std::string> out;
  for (const auto& [type, fn] : table()) out.push_back(type);
  return out;
}

}  // namespace q8::onnxfe
