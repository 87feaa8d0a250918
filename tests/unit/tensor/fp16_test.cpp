// fp16/bf16 conversions, checked exhaustively over all 65536 halves and against the
// CPU's own F16C conversion where the CPU has it.
#include <gtest/gtest.h>
#include <immintrin.h>

#include <cmath>
#include <cstring>

#include "tensor/fp16.h"

namespace q8 {
namespace {

uint32_t bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
float from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}
bool is_nan_half(uint16_t h) {
  return (h & 0x7c00u) == 0x7c00u && (h & 0x3ffu) != 0;
}

// Value of a half computed from its definition, independent of the code under test.
double half_value(uint16_t h) {
  int sign = (h >> 15) ? -1 : 1;
  int exp = (h >> 10) & 0x1f;
  int man = h & 0x3ff;
  if (exp == 0) return sign * std::ldexp(man, -24);
  if (exp == 31) return man ? NAN : sign * INFINITY;
  return sign * std::ldexp(1024 + man, exp - 25);
}

TEST(Fp16, AllHalvesConvertToTheirExactValue) {
  for (uint32_t h = 0; h < 65536; ++h) {
    float f = half_to_float(static_cast<uint16_t>(h));
    if (is_nan_half(static_cast<uint16_t>(h))) {
      ASSERT_TRUE(std::isnan(f)) << h;
      continue;
    }
    ASSERT_EQ(static_cast<double>(f), half_value(static_cast<uint16_t>(h))) << std::hex << h;
    ASSERT_EQ(std::signbit(f), (h & 0x8000u) != 0) << h;
  }
}

TEST(Fp16, AllHalvesRoundTrip) {
  for (uint32_t h = 0; h < 65536; ++h) {
    uint16_t back = float_to_half(half_to_float(static_cast<uint16_t>(h)));
    if (is_nan_half(static_cast<uint16_t>(h))) {
      ASSERT_TRUE(is_nan_half(back)) << h;
      ASSERT_EQ(back & 0x8000u, h & 0x8000u);
    } else {
      ASSERT_EQ(back, h) << std::hex << h;
    }
  }
}

// Between every two neighbouring finite halves: the midpoint rounds to the even one,
// anything a float-ulp above/below rounds to the nearer one.
TEST(Fp16, MidpointsRoundToNearestEven) {
  for (uint32_t h = 0; h < 0x7bff; ++h) {
    for (uint32_t sign : {0u, 0x8000u}) {
      uint16_t lo = static_cast<uint16_t>(h | sign), hi = static_cast<uint16_t>((h + 1) | sign);
      float a = half_to_float(lo), b = half_to_float(hi);
      float mid = static_cast<float>((static_cast<double>(a) + b) / 2);  // exact in float
      uint16_t even = (lo & 1u) ? hi : lo;
      ASSERT_EQ(float_to_half(mid), even) << std::hex << lo;
      // One float ulp towards zero / away from zero (bit patterns order magnitudes for both signs).
      ASSERT_EQ(float_to_half(from_bits(bits(mid) - 1)), lo) << std::hex << lo;
      ASSERT_EQ(float_to_half(from_bits(bits(mid) + 1)), hi) << std::hex << lo;
    }
  }
}

TEST(Fp16, OverflowUnderflowAndSpecials) {
  EXPECT_EQ(float_to_half(65504.0f), 0x7bff);
  EXPECT_EQ(float_to_half(65519.99f), 0x7bff);
  EXPECT_EQ(float_to_half(65520.0f), 0x7c00);  // the tie rounds to even = inf
  EXPECT_EQ(float_to_half(1e10f), 0x7c00);
  EXPECT_EQ(float_to_half(-1e10f), 0xfc00);
  EXPECT_EQ(float_to_half(INFINITY), 0x7c00);
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -24)), 0x0001);  // smallest subnormal
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -25)), 0x0000);  // tie to even zero
  EXPECT_EQ(float_to_half(std::ldexp(1.5f, -25)), 0x0001);
  EXPECT_EQ(float_to_half(-0.0f), 0x8000);
  EXPECT_EQ(float_to_half(1e-30f), 0x0000);
  EXPECT_TRUE(is_nan_half(float_to_half(NAN)));
  EXPECT_TRUE(is_nan_half(float_to_half(from_bits(0x7f800001u))));  // signalling NaN stays NaN
}

__attribute__((target("f16c"))) uint16_t hardware_half(float f) {
  return static_cast<uint16_t>(_cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT));
}

TEST(Fp16, MatchesF16cOnASweepOfFloats) {
  if (!__builtin_cpu_supports("f16c")) GTEST_SKIP() << "CPU has no F16C";
  // Every 251st float bit pattern covers all exponents and many mantissas (17M values).
  for (uint64_t u = 0; u <= 0xffffffffull; u += 251) {
    float f = from_bits(static_cast<uint32_t>(u));
    uint16_t ours = float_to_half(f), hw = hardware_half(f);
    if (std::isnan(f)) {
      ASSERT_TRUE(is_nan_half(ours));
      continue;
    }
    ASSERT_EQ(ours, hw) << std::hex << u;
  }
}

TEST(Bf16, RoundsToNearestEven) {
  EXPECT_EQ(float_to_bf16(1.0f), 0x3f80);
  EXPECT_EQ(bf16_to_float(0x3f80), 1.0f);
  EXPECT_EQ(float_to_bf16(from_bits(0x3f808000u)), 0x3f80);  // tie, even stays
  EXPECT_EQ(float_to_bf16(from_bits(0x3f818000u)), 0x3f82);  // tie, odd rounds up
  EXPECT_EQ(float_to_bf16(from_bits(0x3f808001u)), 0x3f81);
  EXPECT_TRUE(std::isnan(bf16_to_float(float_to_bf16(NAN))));
  for (uint32_t h = 0; h < 65536; ++h) {
    float f = bf16_to_float(static_cast<uint16_t>(h));
    if (!std::isnan(f)) ASSERT_EQ(float_to_bf16(f), h);
  }
}

}  // namespace
}  // namespace q8
