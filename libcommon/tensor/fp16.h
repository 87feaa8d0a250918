#pragma once
// IEEE 754 binary16 and bfloat16 conversions, bit-exact and independent of the CPU:
// float -> half rounds to nearest, ties to even, keeps subnormals, overflows to inf,
// and keeps NaN a (quiet) NaN with the top payload bits.
#include <cstdint>

namespace q8 {

float half_to_float(uint16_t h);
uint16_t float_to_half(float f);

float bf16_to_float(uint16_t b);
uint16_t float_to_bf16(float f);  // round to nearest even; NaN stays NaN

}  // namespace q8
