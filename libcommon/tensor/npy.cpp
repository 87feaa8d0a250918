#include "tensor/npy.h"

#include <cstring>

#include "base/error.h"
#include "base/file.h"
#include "base/strings.h"

namespace q8 {
namespace {

struct Descr {
  const char* code;  // without the byte-order character
  ElementType type;
};
constexpr Descr kDescrs[] = {
    {"f2", ElementType::kF16}, {"f4", ElementType::kF32}, {"f8", ElementType::kF64},
    {"i1", ElementType::kI8},  {"i2", ElementType::kI16}, {"i4", ElementType::kI32},
    {"i8", ElementType::kI64}, {"u1", ElementType::kU8},  {"u2", ElementType::kU16},
    {"u4", ElementType::kU32}, {"u8", ElementType::kU64}, {"b1", ElementType::kBoolean},
};

// The value text of `key` in the header dict: 'descr': '<f4' -> <f4 ; 'shape': (1, 3) -> 1, 3
std::string header_value(const std::string& header, const std::string& key, const std::string& name) {
  size_t k = header.find("'" + key + "'");
  if (k == std::string::npos) throw_bad_input(name + ": .npy header has no '" + key + "'");
  size_t colon = header.find(':', k);
  size_t start = header.find_first_not_of(' ', colon + 1);
  if (colon == std::string::npos || start == std::string::npos)
    throw_bad_input(name + ": malformed .npy header");
  char open = header[start];
  char close = open == '(' ? ')' : open == '\'' ? '\'' : ',';
  size_t end = header.find(close, start + 1);
  if (end == std::string::npos) throw_bad_input(name + ": malformed .npy header");
  if (open == '(' || open == '\'') return header.substr(start + 1, end - start - 1);
  return std::string(trim(header.substr(start, end - start)));
}

ElementType dtype(const std::string& descr, const std::string& name) {
  if (descr.size() == 3 && (descr[0] == '<' || descr[0] == '|' || descr[0] == '=')) {
    for (const auto& d : kDescrs)
      if (descr.substr(1) == d.code) return d.type;
  }
  throw_bad_input(name + ": .npy dtype '" + descr + "' is not supported (little-endian numeric types only)");
}

Shape shape_of(const std::string& text, const std::string& name) {
  Shape s;
  for (const auto& part : split(text, ',')) {
    if (trim(part).empty()) continue;
    auto v = parse_int(part);
    if (!v || *v < 0) throw_bad_input(name + ": bad .npy shape (" + text + ")");
    s.push_back(*v);
  }
  return s;
}

}  // namespace

NpyHeader parse_npy_header(std::string_view bytes, const std::string& name) {
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) throw_bad_input(name + ": not a .npy file");
  int major = static_cast<unsigned char>(bytes[6]);
  size_t len_bytes = major == 1 ? 2 : 4, header_len = 0;
  if (bytes.size() < 8 + len_bytes) throw_bad_input(name + ": truncated .npy header");
  for (size_t i = 0; i < len_bytes; ++i)
    header_len |= static_cast<size_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
  NpyHeader h;
  h.data_offset = 8 + len_bytes + header_len;
  if (h.data_offset > bytes.size()) throw_bad_input(name + ": truncated .npy header");
  std::string header(bytes.substr(8 + len_bytes, header_len));
  if (header_value(header, "fortran_order", name) != "False")
    throw_bad_input(name + ": Fortran-order .npy arrays are not supported");
  h.type = dtype(header_value(header, "descr", name), name);
  h.shape = shape_of(header_value(header, "shape", name), name);
  size_t need = static_cast<size_t>(byte_size(h.type, num_elements(h.shape)));
  if (bytes.size() - h.data_offset != need)
    throw_bad_input(name + ": .npy data is " + std::to_string(bytes.size() - h.data_offset) + " bytes, " +
                    to_string(h.type) + to_string(h.shape) + " needs " + std::to_string(need));
  return h;
}

Tensor parse_npy(const std::string& bytes, const std::string& name) {
  NpyHeader h = parse_npy_header(bytes, name);
  return Tensor::from_bytes(h.type, h.shape, bytes.data() + h.data_offset, bytes.size() - h.data_offset);
}

Tensor read_npy(const std::string& path) {
  return parse_npy(read_file(path), path);
}

std::string to_npy(const Tensor& t) {
  const char* code = nullptr;
  for (const auto& d : kDescrs)
    if (d.type == t.type()) code = d.code;
  if (!code) throw_internal("no .npy dtype for " + to_string(t.type()));
  std::string shape;
  for (int64_t d : t.shape()) shape += std::to_string(d) + ", ";
  if (t.shape().size() > 1) shape.resize(shape.size() - 2);
  if (t.shape().size() == 1) shape.resize(shape.size() - 1);
  char order =
      t.type() == ElementType::kI8 || t.type() == ElementType::kU8 || t.type() == ElementType::kBoolean ? '|'
                                                                                                        : '<';
  std::string header =
      "{'descr': '" + std::string(1, order) + code + "', 'fortran_order': False, 'shape': (" + shape + "), }";
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(1);
  out += static_cast<char>(0);
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  out.append(reinterpret_cast<const char*>(t.bytes()), t.byte_size());
  return out;
}

}  // namespace q8
