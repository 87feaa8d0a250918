#pragma once
// Every importer, by the file that implements it. table.cpp maps ONNX op types to them.
#include "onnx/import/context.h"

namespace q8::onnxfe {

// activation.cpp
void import_leaky_relu(Context& ctx);
void import_prelu(Context& ctx);
void import_elu(Context& ctx);
void import_selu(Context& ctx);
void import_celu(Context& ctx);
void import_hard_sigmoid(Context& ctx);
void import_thresholded_relu(Context& ctx);
void import_shrink(Context& ctx);
void import_clip(Context& ctx);
void import_softmax(Context& ctx);
void import_log_softmax(Context& ctx);

// conv.cpp
void import_conv(Context& ctx);
void import_conv_transpose(Context& ctx);

// detection.cpp
void import_topk(Context& ctx);
void import_nms(Context& ctx);
void import_roi_align(Context& ctx);
void import_max_roi_pool(Context& ctx);

// elementwise.cpp
void import_unary(Context& ctx);
void import_binary(Context& ctx);
void import_div(Context& ctx);
void import_pow(Context& ctx);
void import_mod(Context& ctx);
void import_variadic(Context& ctx);
void import_where(Context& ctx);
void import_reciprocal(Context& ctx);
void import_softsign(Context& ctx);
void import_isnan(Context& ctx);
void import_isinf(Context& ctx);

// gather.cpp
void import_gather(Context& ctx);
void import_gather_elements(Context& ctx);
void import_gather_nd(Context& ctx);
void import_scatter_elements(Context& ctx);
void import_scatter_nd(Context& ctx);
void import_one_hot(Context& ctx);
void import_non_zero(Context& ctx);
void import_cum_sum(Context& ctx);
void import_reverse_sequence(Context& ctx);

// matmul.cpp
void import_matmul(Context& ctx);
void import_gemm(Context& ctx);

// misc.cpp
void import_constant(Context& ctx);
void import_identity(Context& ctx);
void import_dropout(Context& ctx);
void import_cast(Context& ctx);
void import_cast_like(Context& ctx);
void import_einsum(Context& ctx);

// norm.cpp
void import_batch_norm(Context& ctx);
void import_instance_norm(Context& ctx);
void import_layer_norm(Context& ctx);
void import_mean_variance_norm(Context& ctx);
void import_lrn(Context& ctx);
void import_lp_norm(Context& ctx);

// pool.cpp
void import_max_pool(Context& ctx);
void import_average_pool(Context& ctx);
void import_global_pool(Context& ctx);

// quant.cpp
void import_quantize_linear(Context& ctx);
void import_dequantize_linear(Context& ctx);
void import_qlinear_conv(Context& ctx);
void import_qlinear_matmul(Context& ctx);

// reduce.cpp
void import_reduce(Context& ctx);
void import_reduce_log_sum_exp(Context& ctx);
void import_arg_min_max(Context& ctx);

// resize.cpp
void import_resize(Context& ctx);
void import_upsample(Context& ctx);

// shape.cpp
void import_reshape(Context& ctx);
void import_flatten(Context& ctx);
void import_squeeze(Context& ctx);
void import_unsqueeze(Context& ctx);
void import_transpose(Context& ctx);
void import_shape(Context& ctx);
void import_size(Context& ctx);
void import_expand(Context& ctx);
void import_constant_of_shape(Context& ctx);
void import_range(Context& ctx);
void import_tile(Context& ctx);
void import_depth_to_space(Context& ctx);
void import_space_to_depth(Context& ctx);

// slice.cpp
void import_concat(Context& ctx);
void import_split(Context& ctx);
void import_slice(Context& ctx);
void import_pad(Context& ctx);

}  // namespace q8::onnxfe
