#pragma once
// Step factories of the fast runtime. oneDNN steps (convolution, inner product, pooling) live in
// dnnl_steps.cpp, own kernels (quantize, reorders, elementwise, concat, reference fallback) in
// own_steps.cpp. Each factory gets the program (value formats are final) and returns nullptr with
// *why set when the case is not supported (the lowering then falls back).
#include <memory>
#include <string>
#include <vector>

#include "runtime/fast/internal.h"

namespace q8::runtime::fast {

// Activation fused as a post-op (oneDNN eltwise).
enum class Act { kRelu, kClip, kSigmoid, kSwish, kHSwish, kTanh, kElu, kGelu };
struct PostOp {
  bool sum = false;  // residual: dst += sum_scale * (prev - sum_zero_point); prev lives in dst's bytes
  Act act = Act::kRelu;
  float alpha = 0, beta = 0;  // eltwise parameters (clip bounds in dst units)
  float sum_scale = 1;
  int32_t sum_zero_point = 0;
};

struct ConvSpec {
  int src = -1, dst = -1;
  int sum_value = -1;          // value added by a sum post-op (copied into dst before the primitive runs)
  bool inner_product = false;  // MatMul [N,K] x [K,O]: weights dims {O,K}
  int64_t groups = 1;
  Shape weight_dims;  // {O,I,kh,kw} / {G,O/G,I/G,kh,kw} / {O,K}
  bool int8 = false;
  std::vector<float> w_f32;           // fp32 weights, weight_dims order
  const float* w_f32_data = nullptr;  // or fp32 weights read in place from `keep`
  Tensor keep;
  std::vector<int8_t> w_i8;      // int8 weights, weight_dims order
  std::vector<float> out_scale;  // int8: per output channel (or one) src*wei/dst scale
  std::vector<float> bias;       // per output channel, in dst-before-scale units (may be empty)
  std::vector<int64_t> strides, dilations, pads_begin, pads_end;  // dilations OpenVINO-style (1 = none)
  std::vector<PostOp> post_ops;
};
std::unique_ptr<Step> make_conv(const Program& p, const ConvSpec& s, std::string* why);

struct PoolSpec {
  int src = -1, dst = -1;
  bool max = true, exclude_pad = true;
  std::vector<int64_t> kernel, strides, pads_begin, pads_end;
};
std::unique_ptr<Step> make_pool(const Program& p, const PoolSpec& s, std::string* why);

// Converts a value to another format (layout, element type, quantization): f32/f16 <-> u8/i8
// (quantize with FakeQuantize's exact rounding, dequantize, requantize), plain <-> NHWC.
struct QuantParams {
  float in_lo = 0, in_hi = 0, out_lo = 0, out_hi = 0;  // the FakeQuantize being applied
  int64_t levels = 256;
};
std::unique_ptr<Step> make_convert(const Program& p, int src, int dst, const QuantParams* fq);

// Elementwise binary Add/Subtract/Multiply of two same-shape values (any formats with the same
// layout) into an f32 value, with an optional fused ReLU.
std::unique_ptr<Step> make_binary(const Program& p, const std::string& op, int a, int b, int dst, bool relu);

// Concat along channels (NHWC) or any axis (plain) of values with the same format.
std::unique_ptr<Step> make_concat(const Program& p, const std::vector<int>& srcs, int dst, int64_t axis);

// Global average over H,W of an NHWC value (any type) into f32 [N,C,1,1] / [N,C] plain.
std::unique_ptr<Step> make_global_avg(const Program& p, int src, int dst);

// Standalone activation on an f32 value.
std::unique_ptr<Step> make_activation(const Program& p, Act act, float alpha, float beta, int src, int dst);

// Per-channel (dim 1) chain on a 2-D or 4-D value of any real or quantized type, into an f32 value of
// the same layout: y = prelu(x) * scale + shift, then an optional FakeQuantize with per-channel ranges
// (result kept in f32). Each vector holds one value per channel; empty means identity.
struct ChannelSpec {
  int src = -1, dst = -1;
  std::vector<float> slope;         // PReLU negative slope
  std::vector<float> scale, shift;  // un-fused scale-shift (Multiply / Add by constants)
  std::vector<float> fq_in_lo, fq_in_hi, fq_out_lo, fq_out_hi;  // empty: no FakeQuantize
  int64_t fq_levels = 256;
};
std::unique_ptr<Step> make_channel_op(const Program& p, ChannelSpec s);

// A graph node on its reference kernel: inputs are plain values (any type) or constants.
struct RefInput {
  int value = -1;  // -1: constant
  Tensor constant;
};
std::unique_ptr<Step> make_reference(const Program& p, const Node& node, std::vector<RefInput> inputs,
                                     std::vector<int> outs);

// Copies value src into dst (same format; used for reshape-like ops on plain values when aliasing is
// impossible, and for outputs).
std::unique_ptr<Step> make_copy(const Program& p, int src, int dst);

// Writes a constant into a value on every run (a constant model output or operand).
std::unique_ptr<Step> make_constant(const Program& p, const Tensor& t, int dst);

// oneDNN helpers shared with plan.cpp.
void* new_stream();
void delete_stream(void* stream);
std::string dnnl_isa_name();
bool dnnl_isa_has_vnni();
size_t max_scratchpad(const Program& p);

}  // namespace q8::runtime::fast
