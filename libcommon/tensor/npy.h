#pragma once
// NumPy .npy files (format 1.0/2.0/3.0, C order, little-endian), the exchange format of
// int8-run infer's inputs and outputs.
#include <string>
#include <string_view>

#include "tensor/tensor.h"

namespace q8 {

// Bad magic, unsupported dtype (anything but f2/f4/f8/i1/i2/i4/i8/u1/u2/u4/u8/b1), Fortran
// order, big-endian data or a size mismatch -> bad-input error naming `name`.
Tensor parse_npy(const std::string& bytes, const std::string& name);
// The header of a whole .npy file held in `bytes` (e.g. a memory map), checked against its size:
// the data is bytes[data_offset, data_offset + byte_size(type, shape)).
struct NpyHeader {
  ElementType type = ElementType::kF32;
  Shape shape;
  size_t data_offset = 0;
};
NpyHeader parse_npy_header(std::string_view bytes, const std::string& name);
Tensor read_npy(const std::string& path);
// Format 1.0, header padded to 64 bytes. Deterministic.
std::string to_npy(const Tensor& t);

}  // namespace q8
