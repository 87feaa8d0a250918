#pragma once
// Every exporter, by the file that implements it. table.cpp maps OpenVINO op types to them.
#include "onnx/export/context.h"

namespace q8::onnxexp {

// conv.cpp
void export_convolution(Context& ctx);
void export_group_convolution(Context& ctx);

// elementwise.cpp
void export_unary(Context& ctx);
void export_binary(Context& ctx);
void export_select(Context& ctx);
void export_convert(Context& ctx);
void export_round(Context& ctx);

// activation.cpp
void export_clamp(Context& ctx);
void export_prelu(Context& ctx);
void export_elu(Context& ctx);
void export_hsigmoid(Context& ctx);
void export_hard_sigmoid(Context& ctx);
void export_hswish(Context& ctx);
void export_swish(Context& ctx);
void export_mish(Context& ctx);
void export_gelu(Context& ctx);
void export_softmax(Context& ctx);

// matmul.cpp
void export_matmul(Context& ctx);

// norm.cpp
void export_batch_norm(Context& ctx);
void export_mvn(Context& ctx);

// pool.cpp
void export_max_pool(Context& ctx);
void export_avg_pool(Context& ctx);

// quant.cpp
void export_fake_quantize(Context& ctx);

// reduce.cpp
void export_reduce(Context& ctx);

// resize.cpp
void export_interpolate(Context& ctx);

// shape.cpp
void export_reshape(Context& ctx);
void export_transpose(Context& ctx);
void export_squeeze(Context& ctx);
void export_unsqueeze(Context& ctx);
void export_concat(Context& ctx);
void export_shape_of(Context& ctx);
void export_gather(Context& ctx);
void export_split(Context& ctx);
void export_variadic_split(Context& ctx);

// slice.cpp
void export_strided_slice(Context& ctx);
void export_slice(Context& ctx);
void export_pad(Context& ctx);

// Shared by the exporters: input i as an int64 tensor (a constant becomes an int64 initializer,
// anything else is cast).
std::string int64_input(Context& ctx, int i);

}  // namespace q8::onnxexp
