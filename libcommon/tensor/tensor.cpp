#include "tensor/tensor.h"

#include <atomic>
#include <cstdlib>

#include "base/error.h"
#include "tensor/fp16.h"

namespace q8 {
namespace {
std::atomic<size_t> g_max_tensor_bytes{size_t{4} << 30};

// `zero`: callers that overwrite every byte skip the fill (for large weights the fill costs
// as much as the copy: both fault in every page).
std::shared_ptr<std::byte[]> allocate(size_t bytes, bool zero) {
  size_t rounded = ((bytes + 63) / 64) * 64;
  if (rounded == 0) rounded = 64;
  void* p = std::aligned_alloc(64, rounded);
  if (!p) throw std::bad_alloc();
  if (zero) {
    std::memset(p, 0, rounded);
  } else {
    std::memset(static_cast<char*>(p) + bytes, 0, rounded - bytes);  // padding stays defined
  }
  return std::shared_ptr<std::byte[]>(static_cast<std::byte*>(p), [](std::byte* q) { std::free(q); });
}

template <typename T>
double load(const std::byte* base, int64_t i) {
  T v;
  std::memcpy(&v, base + i * static_cast<int64_t>(sizeof(T)), sizeof(T));
  return static_cast<double>(v);
}
}  // namespace

size_t max_tensor_bytes() {
  return g_max_tensor_bytes.load(std::memory_order_relaxed);
}

void set_max_tensor_bytes(size_t bytes) {
  g_max_tensor_bytes.store(bytes, std::memory_order_relaxed);
}

size_t checked_byte_size(ElementType type, const Shape& shape) {
  auto bytes = static_cast<uint64_t>(byte_size(type, num_elements(shape)));
  if (bytes > max_tensor_bytes())
    throw_bad_input("tensor " + to_string(type) + to_string(shape) + " needs " + std::to_string(bytes) +
                    " bytes, more than the limit of " + std::to_string(max_tensor_bytes()));
  return static_cast<size_t>(bytes);
}

Tensor::Tensor(ElementType type, Shape shape) : Tensor(type, std::move(shape), true) {}

Tensor::Tensor(ElementType type, Shape shape, bool zero) : type_(type), shape_(std::move(shape)) {
  bytes_ = checked_byte_size(type_, shape_);
  buffer_ = allocate(bytes_, zero);
}

Tensor Tensor::view(ElementType type, Shape shape, std::shared_ptr<void> owner, const void* data,
                    size_t size) {
  Tensor t;
  t.type_ = type;
  t.shape_ = std::move(shape);
  t.bytes_ = static_cast<size_t>(q8::byte_size(type, num_elements(t.shape_)));  // no allocation: no limit
  if (size != t.bytes_)
    throw_internal("tensor view of " + to_string(type) + to_string(t.shape_) + " needs " +
                   std::to_string(t.bytes_) + " bytes, got " + std::to_string(size));
  t.buffer_ = std::shared_ptr<std::byte[]>(owner, static_cast<std::byte*>(const_cast<void*>(data)));
  return t;
}

Tensor Tensor::from_bytes(ElementType type, Shape shape, const void* data, size_t size) {
  Tensor t(type, std::move(shape), false);
  if (size != t.bytes_)
    throw_internal("tensor of " + to_string(type) + to_string(t.shape_) + " needs " +
                   std::to_string(t.bytes_) + " bytes, got " + std::to_string(size));
  if (size) std::memcpy(t.buffer_.get(), data, size);
  return t;
}

Tensor Tensor::clone() const {
  if (empty()) return {};
  return from_bytes(type_, shape_, buffer_.get(), bytes_);
}

bool Tensor::same_as(const Tensor& other) const {
  if (type_ != other.type_ || shape_ != other.shape_ || bytes_ != other.bytes_) return false;
  if (bytes_ == 0) return true;
  return std::memcmp(buffer_.get(), other.buffer_.get(), bytes_) == 0;
}

double Tensor::value_as_double(int64_t i) const {
  const std::byte* b = buffer_.get();
  uint16_t h;
  switch (type_) {
    case ElementType::kF32:
      return load<float>(b, i);
    case ElementType::kF64:
      return load<double>(b, i);
    case ElementType::kF16:
      std::memcpy(&h, b + 2 * i, 2);
      return half_to_float(h);
    case ElementType::kBF16:
      std::memcpy(&h, b + 2 * i, 2);
      return bf16_to_float(h);
    case ElementType::kI8:
      return load<int8_t>(b, i);
    case ElementType::kU8:
      return load<uint8_t>(b, i);
    case ElementType::kBoolean:
      return load<uint8_t>(b, i) != 0;
    case ElementType::kI16:
      return load<int16_t>(b, i);
    case ElementType::kU16:
      return load<uint16_t>(b, i);
    case ElementType::kI32:
      return load<int32_t>(b, i);
    case ElementType::kU32:
      return load<uint32_t>(b, i);
    case ElementType::kI64:
      return load<int64_t>(b, i);
    case ElementType::kU64:
      return load<uint64_t>(b, i);
    case ElementType::kU1:
      return (static_cast<uint8_t>(b[i / 8]) >> (7 - i % 8)) & 1;
    case ElementType::kU4:
      return (static_cast<uint8_t>(b[i / 2]) >> (4 * (i % 2))) & 0xf;
    case ElementType::kI4: {
      int v = (static_cast<uint8_t>(b[i / 2]) >> (4 * (i % 2))) & 0xf;
      return v >= 8 ? v - 16 : v;
    }
    default:
      throw_internal("value_as_double: unsupported element type " + to_string(type_));
  }
}

}  // namespace q8
