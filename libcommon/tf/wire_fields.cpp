#include "tf/wire_fields.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <limits>

#include "base/error.h"

namespace q8::tf::wire {

using google::protobuf::internal::WireFormatLite;

namespace {

// Reads one field starting at the stream's position; false at a clean end of input.
bool read_field(google::protobuf::io::CodedInputStream& in, size_t size, Field& f, const std::string& what) {
  f.begin = static_cast<size_t>(in.CurrentPosition());
  if (f.begin == size) return false;
  const uint32_t tag = in.ReadTagNoLastTag();
  if (tag == 0)
    throw_bad_input(what + ": malformed protobuf data (bad tag at byte " + std::to_string(f.begin) + ")");
  f.number = WireFormatLite::GetTagFieldNumber(tag);
  f.wire_type = WireFormatLite::GetTagWireType(tag);
  f.value = static_cast<size_t>(in.CurrentPosition());
  if (f.number == 0 || f.wire_type == WireFormatLite::WIRETYPE_END_GROUP)
    throw_bad_input(what + ": malformed protobuf data (invalid tag at byte " + std::to_string(f.begin) + ")");
  if (f.wire_type == kLengthDelimited) {
    uint32_t length = 0;
    if (!in.ReadVarint32(&length) || length > size - static_cast<size_t>(in.CurrentPosition()))
      throw_bad_input(what + ": truncated protobuf data (field " + std::to_string(f.number) + " at byte " +
                      std::to_string(f.begin) + " runs past the end)");
    f.payload = static_cast<size_t>(in.CurrentPosition());
    in.Skip(static_cast<int>(length));
  } else {
    f.payload = f.value;
    if (!WireFormatLite::SkipField(&in, tag))
      throw_bad_input(what + ": malformed or truncated protobuf data (field " + std::to_string(f.number) +
                      " at byte " + std::to_string(f.begin) + ")");
  }
  f.end = static_cast<size_t>(in.CurrentPosition());
  return true;
}

}  // namespace

std::vector<Field> split_fields(std::string_view bytes, const std::string& what) {
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
    throw_bad_input(what + ": larger than 2 GiB, the protobuf limit");
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  in.SetTotalBytesLimit(std::numeric_limits<int>::max());
  std::vector<Field> fields;
  Field f;
  while (read_field(in, bytes.size(), f, what)) fields.push_back(f);
  return fields;
}

void append_varint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void append_message_field(std::string& out, uint32_t number, std::string_view payload) {
  append_varint(out,
                WireFormatLite::MakeTag(static_cast<int>(number), WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
  append_varint(out, payload.size());
  out.append(payload);
}

void append_with_tag(std::string& out, std::string_view tag, std::string_view payload) {
  out.append(tag);
  append_varint(out, payload.size());
  out.append(payload);
}

}  // namespace q8::tf::wire
