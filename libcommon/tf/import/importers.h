#pragma once
// Every TF importer, grouped by the file that defines it; table.cpp maps op types to them.
#include <string>
#include <vector>

#include "tf/import/context.h"

namespace q8::tffe {

// basic.cpp
void import_input(Context& ctx, int index, const InputOverride* o);  // Placeholder or cut point
void import_const(Context& ctx);
void import_identity(Context& ctx);
void import_no_op(Context& ctx);
// conv.cpp
void import_conv2d(Context& ctx);
void import_depthwise_conv2d(Context& ctx);
// pool.cpp
void import_max_pool(Context& ctx);
void import_avg_pool(Context& ctx);
// norm.cpp
void import_fused_batch_norm(Context& ctx);
void import_bias_add(Context& ctx);
// elementwise.cpp
void import_binary(Context& ctx);
void import_unary(Context& ctx);
void import_relu6(Context& ctx);
void import_rsqrt(Context& ctx);
std::vector<std::string> binary_op_types();
std::vector<std::string> unary_op_types();
// reduce.cpp
void import_reduce(Context& ctx);
void import_arg_max(Context& ctx);
void import_mat_mul(Context& ctx);
void import_softmax(Context& ctx);
std::vector<std::string> reduce_op_types();
// shape.cpp
void import_reshape(Context& ctx);
void import_squeeze(Context& ctx);
void import_expand_dims(Context& ctx);
void import_transpose(Context& ctx);
void import_shape(Context& ctx);
void import_cast(Context& ctx);
// slice.cpp
void import_pad(Context& ctx);
void import_concat_v2(Context& ctx);
void import_pack(Context& ctx);
void import_strided_slice(Context& ctx);

}  // namespace q8::tffe
