// The importer table: TF op type -> importer. Placeholder is here for the supported-op list;
// the driver calls import_input for it (it needs the user's overrides).
#include <map>

#include "tf/import/importers.h"

namespace q8::tffe {

namespace {

void import_placeholder(Context& ctx) {
  import_input(ctx, 0, nullptr);
}

std::map<std::string, Importer> build_table() {
  std::map<std::string, Importer> t = {
      {"Placeholder", import_placeholder},
      {"Const", import_const},
      {"Identity", import_identity},
      {"IdentityN", import_identity},
      {"StopGradient", import_identity},
      {"Snapshot", import_identity},
      {"NoOp", import_no_op},
      {"Conv2D", import_conv2d},
      {"DepthwiseConv2dNative", import_depthwise_conv2d},
      {"MaxPool", import_max_pool},
      {"AvgPool", import_avg_pool},
      {"FusedBatchNorm", import_fused_batch_norm},
      {"FusedBatchNormV2", import_fused_batch_norm},
      {"FusedBatchNormV3", import_fused_batch_norm},
      {"BiasAdd", import_bias_add},
      {"Relu6", import_relu6},
      {"Rsqrt", import_rsqrt},
      {"ArgMax", import_arg_max},
      {"MatMul", import_mat_mul},
      {"Softmax", import_softmax},
      {"Reshape", import_reshape},
      {"Squeeze", import_squeeze},
      {"ExpandDims", import_expand_dims},
      {"Transpose", import_transpose},
      {"Shape", import_shape},
      {"Cast", import_cast},
      {"Pad", import_pad},
      {"PadV2", import_pad},
      {"MirrorPad", import_pad},
      {"ConcatV2", import_concat_v2},
      {"Pack", import_pack},
      {"StridedSlice", import_strided_slice},
  };
  for (const auto& op : binary_op_types()) t[op] = import_binary;
  for (const auto& op : unary_op_types()) t[op] = import_unary;
  for (const auto& op : reduce_op_types()) t[op] = import_reduce;
  return t;
}

const std::map<std::string, Importer>& table() {
  static const std::map<std::string, Importer> t = build_table();
  return t;
}

}  // namespace

Importer find_importer(const std::string& op_type) {
  auto it = table().find(op_type);
  return it == table().end() ? nullptr : it->second;
}

std::vector<std::string> table_op_types() {
  std::vector<std::string> out;
  for (const auto& [k, v] : table()) out.push_back(k);
  return out;
}

}  // namespace q8::tffe
