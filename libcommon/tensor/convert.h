#pragma once
// Element type conversion of whole tensors (the Convert op, fp16 weight compression,
// widening f16/bf16 to f32 for the reference kernels).
#include <vector>

#include "tensor/tensor.h"

namespace q8 {

// Converts every element. Float -> integer truncates toward zero and saturates at the
// target's range (OpenVINO Convert semantics); -> boolean is `x != 0`; NaN -> integer is 0.
Tensor convert(const Tensor& t, ElementType to);

// Typed copies of any numeric tensor's values.
std::vector<float> to_floats(const Tensor& t);
std::vector<int64_t> to_ints(const Tensor& t);

Tensor make_f32(const Shape& shape, const std::vector<float>& values);
Tensor make_i64(const Shape& shape, const std::vector<int64_t>& values);
Tensor make_i32(const Shape& shape, const std::vector<int32_t>& values);

}  // namespace q8
