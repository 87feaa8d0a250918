#include "tensor/convert.h"

#include <cmath>
#include <limits>

#include "base/error.h"
#include "tensor/fp16.h"

namespace q8 {
namespace {

template <typename T>
T saturate(double v) {
  if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(v);
  } else {
    if (std::isnan(v)) return T(0);
    double t = std::trunc(v);
    if (t <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
    if (t >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
    return static_cast<T>(t);
  }
}

template <typename T>
void store_all(const Tensor& src, Tensor& dst) {
  T* out = dst.mutable_data<T>();
  for (int64_t i = 0, n = src.size(); i < n; ++i) out[i] = saturate<T>(src.value_as_double(i));
}

}  // namespace

Tensor convert(const Tensor& t, ElementType to) {
  if (t.type() == to) return t;
  Tensor out(to, t.shape());
  int64_t n = t.size();
  switch (to) {
    case ElementType::kF32:
      if (t.type() == ElementType::kF16) {  // the hot case (FP16 IR), no double round trip
        const auto* h = t.data<uint16_t>();
        float* f = out.mutable_data<float>();
        for (int64_t i = 0; i < n; ++i) f[i] = half_to_float(h[i]);
      } else {
        store_all<float>(t, out);
      }
      break;
    case ElementType::kF16: {
      auto* h = out.mutable_data<uint16_t>();
      for (int64_t i = 0; i < n; ++i) h[i] = float_to_half(static_cast<float>(t.value_as_double(i)));
      break;
    }
    case ElementType::kBF16: {
      auto* h = out.mutable_data<uint16_t>();
      for (int64_t i = 0; i < n; ++i) h[i] = float_to_bf16(static_cast<float>(t.value_as_double(i)));
      break;
    }
    case ElementType::kF64:
      store_all<double>(t, out);
      break;
    case ElementType::kI8:
      store_all<int8_t>(t, out);
      break;
    case ElementType::kI16:
      store_all<int16_t>(t, out);
      break;
    case ElementType::kI32:
      store_all<int32_t>(t, out);
      break;
    case ElementType::kI64:
      store_all<int64_t>(t, out);
      break;
    case ElementType::kU8:
      store_all<uint8_t>(t, out);
      break;
    case ElementType::kU16:
      store_all<uint16_t>(t, out);
      break;
    case ElementType::kU32:
      store_all<uint32_t>(t, out);
      break;
    case ElementType::kU64:
      store_all<uint64_t>(t, out);
      break;
    case ElementType::kBoolean: {
      auto* b = out.mutable_data<uint8_t>();
      for (int64_t i = 0; i < n; ++i) b[i] = t.value_as_double(i) != 0 ? 1 : 0;
      break;
    }
    default:
      throw_internal("conversion to " + to_string(to) + " is not supported");
  }
  return out;
}

std::vector<float> to_floats(const Tensor& t) {
  std::vector<float> v(static_cast<size_t>(t.size()));
  if (t.type() == ElementType::kF32) {
    std::copy(t.data<float>(), t.data<float>() + t.size(), v.begin());
    return v;
  }
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(t.value_as_double(static_cast<int64_t>(i)));
  return v;
}

std::vector<int64_t> to_ints(const Tensor& t) {
  if (t.type() == ElementType::kI64)  // exact beyond 2^53
    return std::vector<int64_t>(t.data<int64_t>(), t.data<int64_t>() + t.size());
  std::vector<int64_t> v(static_cast<size_t>(t.size()));
  for (size_t i = 0; i < v.size(); ++i) v[i] = saturate<int64_t>(t.value_as_double(static_cast<int64_t>(i)));
  return v;
}

Tensor make_f32(const Shape& shape, const std::vector<float>& values) {
  return Tensor::from_bytes(ElementType::kF32, shape, values.data(), values.size() * sizeof(float));
}
Tensor make_i64(const Shape& shape, const std::vector<int64_t>& values) {
  return Tensor::from_bytes(ElementType::kI64, shape, values.data(), values.size() * sizeof(int64_t));
}
Tensor make_i32(const Shape& shape, const std::vector<int32_t>& values) {
  return Tensor::from_bytes(ElementType::kI32, shape, values.data(), values.size() * sizeof(int32_t));
}

}  // namespace q8
