#pragma once
// NHWC <-> NCHW: TF's layout-sensitive ops run on NCHW inside a pair of Transposes, so the body
// keeps TF's NHWC semantics and every axis-taking op can keep TF's axes. Also TF's window
// attributes (strides/ksize/dilations in data_format order, SAME/VALID/EXPLICIT padding).
#include <string>
#include <vector>

#include "tf/import/context.h"

namespace q8::tffe {

extern const std::vector<int64_t> kToNchw;  // NHWC -> NCHW permutation
extern const std::vector<int64_t> kToNhwc;  // NCHW -> NHWC permutation

// True for data_format "NHWC" (TF's default), false for "NCHW"; anything else is an error.
bool is_nhwc(Context& ctx);

// Transposes a 4-D output; constants are permuted in place, without a Transpose node.
Output transpose(Context& ctx, Output x, const std::vector<int64_t>& perm);
// The data as NCHW for an op that wants it, and the op's NCHW result back in the node's layout.
Output to_nchw(Context& ctx, Output x, bool nhwc);
Output from_nchw(Context& ctx, Output y, bool nhwc);

// `t` with its axes permuted: result dim i is input dim perm[i].
Tensor permuted(const Tensor& t, const std::vector<int64_t>& perm);

// strides / dilations / ksize given for all four dims in data_format order -> the two spatial values.
std::vector<int64_t> spatial_pair(Context& ctx, const std::string& attr, bool nhwc);

// OpenVINO window attributes for TF padding: SAME -> same_upper (TF puts the odd pad at the end),
// VALID -> valid, EXPLICIT -> explicit pads from `explicit_paddings`.
Attrs padding_attrs(Context& ctx, bool nhwc);

}  // namespace q8::tffe
