// TF tensors and types -> q8 tensors and element types (Const values, Placeholder dtypes).
#include <bit>
#include <cstring>

#include "base/error.h"
#include "tf/dtype_names.h"
#include "tf/import/context.h"

namespace q8::tffe {

static_assert(std::endian::native == std::endian::little, "tensor_content is little-endian");

ElementType element_type_from_tf(int dtype, const std::string& what) {
  switch (dtype) {
    case tf::DT_FLOAT:
      return ElementType::kF32;
    case tf::DT_DOUBLE:
      return ElementType::kF64;
    case tf::DT_HALF:
      return ElementType::kF16;
    case tf::DT_BFLOAT16:
      return ElementType::kBF16;
    case tf::DT_INT8:
      return ElementType::kI8;
    case tf::DT_INT16:
      return ElementType::kI16;
    case tf::DT_INT32:
      return ElementType::kI32;
    case tf::DT_INT64:
      return ElementType::kI64;
    case tf::DT_UINT8:
      return ElementType::kU8;
    case tf::DT_UINT16:
      return ElementType::kU16;
    case tf::DT_UINT32:
      return ElementType::kU32;
    case tf::DT_UINT64:
      return ElementType::kU64;
    case tf::DT_BOOL:
      return ElementType::kBoolean;
    default:
      throw_bad_input(what + ": TF type " + tf::dtype_name(dtype) + " has no OpenVINO equivalent");
  }
}

PartialShape shape_from_proto(const tf::TensorShapeProto& s) {
  if (s.unknown_rank()) return PartialShape::dynamic_rank();
  PartialShape p;
  for (const auto& d : s.dim()) p.dims.push_back(d.size() >= 0 ? Dim::fixed(d.size()) : Dim::dynamic());
  return p;
}

namespace {

// Writes `values` (converted to T) into the tensor; a shorter list repeats its last value.
template <typename T, typename Src>
void fill(Tensor& out, const Src& values) {
  int64_t n = out.size();
  if (values.size() == 0) return;  // all zeros: the tensor starts zero-filled
  if (static_cast<int64_t>(values.size()) > n)
    throw_bad_input("the tensor has " + std::to_string(values.size()) + " values for " + std::to_string(n) +
                    " elements");
  T* dst = out.mutable_data<T>();
  for (int64_t i = 0; i < n; ++i)
    dst[i] = static_cast<T>(values[static_cast<int>(std::min<int64_t>(i, values.size() - 1))]);
}

void fill_typed(Tensor& out, const tf::TensorProto& t) {
  switch (out.type()) {
    case ElementType::kF32:
      return fill<float>(out, t.float_val());
    case ElementType::kF64:
      return fill<double>(out, t.double_val());
    case ElementType::kI64:
      return fill<int64_t>(out, t.int64_val());
    case ElementType::kBoolean:
      return fill<uint8_t>(out, t.bool_val());
    case ElementType::kI32:
      return fill<int32_t>(out, t.int_val());
    case ElementType::kI16:
      return fill<int16_t>(out, t.int_val());
    case ElementType::kI8:
      return fill<int8_t>(out, t.int_val());
    case ElementType::kU8:
      return fill<uint8_t>(out, t.int_val());
    case ElementType::kU16:
      return fill<uint16_t>(out, t.int_val());
    // half_val holds the 16-bit patterns of both fp16 and bf16.
    case ElementType::kF16:
    case ElementType::kBF16:
      return fill<uint16_t>(out, t.half_val());
    default:
      throw_bad_input("values of type " + to_string(out.type()) + " must be given in tensor_content");
  }
}

}  // namespace

Tensor tensor_from_proto(const tf::TensorProto& t) {
  ElementType type = element_type_from_tf(t.dtype(), "tensor");
  PartialShape ps = shape_from_proto(t.tensor_shape());
  if (!ps.is_static()) throw_bad_input("a constant tensor needs a static shape, got " + ps.to_string());
  // The claimed size is checked (overflow, the tensor limit, tensor_content's length) before any
  // allocation. A short value list is a splat (TF's semantics), so only the limit bounds it.
  const Shape shape = ps.to_shape();
  const size_t need = checked_byte_size(type, shape);
  if (!t.tensor_content().empty()) {
    if (t.tensor_content().size() != need)
      throw_bad_input("tensor_content has " + std::to_string(t.tensor_content().size()) + " bytes, shape " +
                      ps.to_string() + " of " + to_string(type) + " needs " + std::to_string(need));
    return Tensor::from_bytes(type, shape, t.tensor_content().data(), need);
  }
  Tensor out(type, shape);
  fill_typed(out, t);
  return out;
}

}  // namespace q8::tffe
