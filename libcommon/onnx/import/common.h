#pragma once
// Building blocks several importers share: reshaping per-channel parameters, flattening,
// scalars from 1-element tensors, padding attributes and the convolution builder.
#include <optional>
#include <string>
#include <vector>

#include "onnx/import/context.h"

namespace q8::onnxfe {

// The same data with another shape (element counts must match).
Tensor reshaped(const Tensor& t, const Shape& shape);

// Reshapes a 1-D per-channel tensor of length C so it broadcasts against a rank-`rank`
// tensor along `axis` ([1, C, 1, 1] for axis 1, rank 4). Constants are reshaped in place.
Output along_axis(Context& ctx, Output param, int64_t axis, int64_t rank);

// ONNX Flatten: [d0..d(axis-1), d(axis)..] -> [prod(before), prod(after)].
Output flatten_2d(Context& ctx, Output x, int64_t axis);

// A 0-D tensor from a 1-element tensor (ONNX often passes scalars as shape [1]).
Output to_scalar(Context& ctx, Output x);

// ShapeOf with i64 output.
Output shape_of(Context& ctx, Output x);

// Axes [from, rank) as an i64 constant.
Output axes_range(Context& ctx, int64_t from, int64_t rank);

// ONNX auto_pad (NOTSET, SAME_UPPER, SAME_LOWER, VALID) -> OpenVINO's spelling.
std::string ov_auto_pad(Context& ctx);

// pads_begin/pads_end from ONNX `pads` ([b1..bn, e1..en]; zeros when absent).
struct Pads {
  std::vector<int64_t> begin, end;
};
Pads split_pads(Context& ctx, const std::vector<int64_t>& pads, size_t spatial);

// Convolution of x with w (+ bias) using the current node's Conv attributes (Conv and QLinearConv).
Output build_conv(Context& ctx, Output x, Output w, std::optional<Output> bias);

// Adds a bias of length C along axis 1.
Output add_channel_bias(Context& ctx, Output y, Output bias);

}  // namespace q8::onnxfe
