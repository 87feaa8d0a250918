#include <gtest/gtest.h>

#include "tensor/element_type.h"
#include "tensor/fp16.h"
#include "tensor/shape.h"
#include "tensor/tensor.h"

namespace q8 {
namespace {

TEST(ElementType, IrAndPrecisionNamesRoundTrip) {
  for (ElementType t : {ElementType::kBoolean, ElementType::kBF16, ElementType::kF16, ElementType::kF32,
                        ElementType::kF64, ElementType::kI4, ElementType::kI8, ElementType::kI16,
                        ElementType::kI32, ElementType::kI64, ElementType::kU1, ElementType::kU4,
                        ElementType::kU8, ElementType::kU16, ElementType::kU32, ElementType::kU64}) {
    EXPECT_EQ(element_type_from_ir(to_string(t)), t);
    EXPECT_EQ(element_type_from_precision(precision_name(t)), t);
  }
  EXPECT_EQ(element_type_from_precision("FP16"), ElementType::kF16);
  EXPECT_FALSE(element_type_from_ir("f33"));
}

TEST(ElementType, ByteSizesIncludingPackedTypes) {
  EXPECT_EQ(byte_size(ElementType::kF32, 10), 40);
  EXPECT_EQ(byte_size(ElementType::kF16, 3), 6);
  EXPECT_EQ(byte_size(ElementType::kU1, 9), 2);
  EXPECT_EQ(byte_size(ElementType::kI4, 3), 2);
  EXPECT_EQ(byte_size(ElementType::kBoolean, 3), 3);
}

TEST(Shape, BroadcastFollowsNumpy) {
  EXPECT_EQ(broadcast_shapes({1, 3, 1, 1}, {1, 3, 224, 224}), (Shape{1, 3, 224, 224}));
  EXPECT_EQ(broadcast_shapes({5}, {2, 1}), (Shape{2, 5}));
  EXPECT_FALSE(broadcast_shapes({3}, {4}));
  EXPECT_EQ(num_elements({}), 1);
  EXPECT_EQ(num_elements({2, 0, 3}), 0);
}

TEST(PartialShape, ParsesIrForms) {
  auto p = parse_partial_shape("1, 3,?,-1,1..10,2..");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->to_string(), "[1,3,?,?,1..10,2..]");
  EXPECT_FALSE(p->is_static());
  EXPECT_TRUE(parse_partial_shape("")->is_static());  // scalar
  EXPECT_TRUE(parse_partial_shape("...")->rank_dynamic);
  EXPECT_FALSE(parse_partial_shape("1,x"));
  EXPECT_FALSE(parse_partial_shape("5..2"));
  EXPECT_TRUE(compatible(*parse_partial_shape("1,?"), PartialShape(Shape{1, 7})));
  EXPECT_FALSE(compatible(*parse_partial_shape("1,1..5"), PartialShape(Shape{1, 7})));
}

TEST(Tensor, ValuesOfEveryNumericType) {
  uint16_t h = float_to_half(-2.5f);
  Tensor t = Tensor::from_bytes(ElementType::kF16, {1}, &h, 2);
  EXPECT_EQ(t.value_as_double(0), -2.5);
  int8_t i8[3] = {-128, 0, 127};
  Tensor q = Tensor::from_bytes(ElementType::kI8, {3}, i8, 3);
  EXPECT_EQ(q.value_as_double(0), -128);
  uint8_t packed = 0xF7;  // i4 elements 7 (low nibble) then -1
  Tensor i4 = Tensor::from_bytes(ElementType::kI4, {2}, &packed, 1);
  EXPECT_EQ(i4.value_as_double(0), 7);
  EXPECT_EQ(i4.value_as_double(1), -1);
  EXPECT_TRUE(q.same_as(q.clone()));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(q.bytes()) % 64, 0u);
}

TEST(Tensor, WrongByteCountIsRejected) {
  float v[2] = {1, 2};
  EXPECT_ANY_THROW(Tensor::from_bytes(ElementType::kF32, {3}, v, sizeof v));
}

}  // namespace
}  // namespace q8
