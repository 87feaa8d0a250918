#include "tensor/element_type.h"

#include <array>
#include <cstdint>

#include "base/error.h"

namespace q8 {
namespace {
constexpr std::array<ElementTypeInfo, 18> kTypes = {{
    {ElementType::kUndefined, "undefined", "UNSPECIFIED", 0, false, false},
    {ElementType::kDynamic, "dynamic", "DYNAMIC", 0, false, false},
    {ElementType::kBoolean, "boolean", "BOOL", 8, false, false},
    {ElementType::kBF16, "bf16", "BF16", 16, true, true},
    {ElementType::kF16, "f16", "FP16", 16, true, true},
    {ElementType::kF32, "f32", "FP32", 32, true, true},
    {ElementType::kF64, "f64", "FP64", 64, true, true},
    {ElementType::kI4, "i4", "I4", 4, false, true},
    {ElementType::kI8, "i8", "I8", 8, false, true},
    {ElementType::kI16, "i16", "I16", 16, false, true},
    {ElementType::kI32, "i32", "I32", 32, false, true},
    {ElementType::kI64, "i64", "I64", 64, false, true},
    {ElementType::kU1, "u1", "BIN", 1, false, false},
    {ElementType::kU4, "u4", "U4", 4, false, false},
    {ElementType::kU8, "u8", "U8", 8, false, false},
    {ElementType::kU16, "u16", "U16", 16, false, false},
    {ElementType::kU32, "u32", "U32", 32, false, false},
    {ElementType::kU64, "u64", "U64", 64, false, false},
}};
}  // namespace

const ElementTypeInfo& type_info(ElementType t) {
  const auto& info = kTypes[static_cast<size_t>(t)];
  return info;
}

std::optional<ElementType> element_type_from_ir(std::string_view name) {
  for (const auto& info : kTypes)
    if (name == info.ir_name) return info.type;
  if (name == "bool") return ElementType::kBoolean;
  return element_type_from_precision(name);
}

std::optional<ElementType> element_type_from_precision(std::string_view name) {
  for (const auto& info : kTypes)
    if (name == info.precision) return info.type;
  if (name == "U1") return ElementType::kU1;
  if (name == "BOOLEAN") return ElementType::kBoolean;
  return std::nullopt;
}

int64_t byte_size(ElementType t, int64_t count) {
  int bits = type_info(t).bits;
  if (bits == 0) throw_internal("byte size of element type '" + to_string(t) + "' is not defined");
  int64_t total_bits = 0;
  if (__builtin_mul_overflow(count, int64_t{bits}, &total_bits) || total_bits > INT64_MAX - 7)
    throw_bad_input(std::to_string(count) + " elements of " + to_string(t) + " overflow a 64-bit byte count");
  return (total_bits + 7) / 8;
}

}  // namespace q8
