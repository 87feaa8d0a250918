#pragma once
// Typed op attributes. Each kind has exactly one text form (the IR's `<data>` syntax),
// used by both the IR reader and writer so a round trip is lossless.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tensor/element_type.h"
#include "tensor/shape.h"

namespace q8 {

// The order matches AttrValue's alternatives.
enum class AttrKind { kBool, kInt, kFloat, kString, kInts, kFloats, kStrings, kElementType, kShape };

using AttrValue = std::variant<bool, int64_t, double, std::string, std::vector<int64_t>, std::vector<double>,
                               std::vector<std::string>, ElementType, PartialShape>;

const char* kind_name(AttrKind kind);
inline AttrKind kind_of(const AttrValue& v) {
  return static_cast<AttrKind>(v.index());
}

// IR text form: "true"/"false", "3", "0.5", "1,2", "f32", "1,3,?,224".
std::string attr_to_text(const AttrValue& v);
// Parses IR text; nullopt when it is not a valid value of `kind` (booleans also accept 0/1/True/False).
std::optional<AttrValue> attr_from_text(AttrKind kind, std::string_view text);

}  // namespace q8
