#pragma once
// A tensor with data: element type, static shape and a 64-byte aligned, shared,
// immutable-by-convention byte buffer (copies share it; use clone() to own a copy).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "tensor/element_type.h"
#include "tensor/shape.h"

namespace q8 {

// The largest tensor the library allocates, in bytes (default 4 GiB): a model or file claiming a
// bigger one is a bad-input error before any allocation. Tests and the fuzz targets lower it.
size_t max_tensor_bytes();
void set_max_tensor_bytes(size_t bytes);
// byte_size(type, num_elements(shape)), checked: an element count that overflows or a size over
// max_tensor_bytes() is a bad-input error naming the type and shape.
size_t checked_byte_size(ElementType type, const Shape& shape);

class Tensor {
 public:
  Tensor() = default;
  Tensor(ElementType type, Shape shape);  // zero-filled
  // Copies `size` bytes (must equal byte_size(type, num_elements(shape))).
  static Tensor from_bytes(ElementType type, Shape shape, const void* data, size_t size);
  // No copy: the tensor reads `data`, which `owner` keeps alive (e.g. a mapped weights file). `data`
  // must be aligned for the element type (views are not 64-byte aligned like owned buffers).
  static Tensor view(ElementType type, Shape shape, std::shared_ptr<void> owner, const void* data,
                     size_t size);

  ElementType type() const { return type_; }
  const Shape& shape() const { return shape_; }
  int64_t size() const { return num_elements(shape_); }
  size_t byte_size() const { return bytes_; }
  bool empty() const { return !buffer_; }

  const std::byte* bytes() const { return buffer_.get(); }
  std::byte* mutable_bytes() { return buffer_.get(); }
  template <typename T>
  const T* data() const {
    return reinterpret_cast<const T*>(buffer_.get());
  }
  template <typename T>
  T* mutable_data() {
    return reinterpret_cast<T*>(buffer_.get());
  }

  Tensor clone() const;
  // Same type, shape and bytes.
  bool same_as(const Tensor& other) const;
  // Element i converted to double (any numeric type, incl. f16/bf16/sub-byte).
  double value_as_double(int64_t i) const;

 private:
  Tensor(ElementType type, Shape shape, bool zero);

  ElementType type_ = ElementType::kUndefined;
  Shape shape_;
  size_t bytes_ = 0;
  std::shared_ptr<std::byte[]> buffer_;
};

}  // namespace q8
