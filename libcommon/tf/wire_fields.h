#pragma once
// The protobuf wire format one level deep: splits a serialized message into its top-level
// fields as byte ranges, so an editor can copy untouched fields verbatim and re-encode
// only what it changes. Knows nothing about GraphDef.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace q8::tf::wire {

constexpr int kLengthDelimited = 2;  // WireFormatLite::WIRETYPE_LENGTH_DELIMITED

struct Field {
  uint32_t number = 0;
  int wire_type = 0;
  size_t begin = 0;    // first byte of the tag
  size_t value = 0;    // first byte after the tag (the length prefix for wire type 2)
  size_t payload = 0;  // first byte of the contents (after the length prefix for wire type 2)
  size_t end = 0;      // one past the last byte
  bool is_message(uint32_t n) const { return number == n && wire_type == kLengthDelimited; }
};

// Top-level fields of `bytes` in file order. Malformed wire data -> bad-input error
// prefixed with `what` (e.g. "model.pb: node #12").
std::vector<Field> split_fields(std::string_view bytes, const std::string& what);

inline std::string_view payload_of(std::string_view bytes, const Field& f) {
  return bytes.substr(f.payload, f.end - f.payload);
}
inline std::string_view bytes_of(std::string_view bytes, const Field& f) {
  return bytes.substr(f.begin, f.end - f.begin);
}

void append_varint(std::string& out, uint64_t value);
// Appends tag (field `number`, wire type 2), length and `payload`.
void append_message_field(std::string& out, uint32_t number, std::string_view payload);
// Appends `tag` (the original tag bytes, kept verbatim), a fresh length and `payload`.
void append_with_tag(std::string& out, std::string_view tag, std::string_view payload);

}  // namespace q8::tf::wire
