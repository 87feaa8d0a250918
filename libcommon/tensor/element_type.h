#pragma once
// Element types of tensors, with the names the OpenVINO IR uses for them:
// `element_type="f32"` in layer data and `precision="FP32"` on ports.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace q8 {

enum class ElementType : uint8_t {
  kUndefined,
  kDynamic,
  kBoolean,
  kBF16,
  kF16,
  kF32,
  kF64,
  kI4,
  kI8,
  kI16,
  kI32,
  kI64,
  kU1,
  kU4,
  kU8,
  kU16,
  kU32,
  kU64,
};

struct ElementTypeInfo {
  ElementType type;
  const char* ir_name;    // "f32"
  const char* precision;  // "FP32"
  int bits;               // 0 for undefined/dynamic
  bool is_float;
  bool is_signed;
};

const ElementTypeInfo& type_info(ElementType t);
inline std::string to_string(ElementType t) {
  return type_info(t).ir_name;
}
inline const char* precision_name(ElementType t) {
  return type_info(t).precision;
}

// "f32", "i64", "boolean", ... (IR element_type names; also accepts upper-case precision names).
std::optional<ElementType> element_type_from_ir(std::string_view name);
// "FP32", "I64", "BOOL", ... (IR port precision names).
std::optional<ElementType> element_type_from_precision(std::string_view name);

// Bytes needed for `count` elements; sub-byte types (u1, u4, i4) are packed.
int64_t byte_size(ElementType t, int64_t count);
inline bool is_static_type(ElementType t) {
  return t != ElementType::kUndefined && t != ElementType::kDynamic;
}

}  // namespace q8
