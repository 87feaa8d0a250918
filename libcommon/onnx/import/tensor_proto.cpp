// ONNX TensorProto -> Tensor: raw_data or the typed repeated fields, for every type with an
// OpenVINO element type.
#include <cstring>

#include "base/error.h"
#include "onnx/import/context.h"
#include "onnx/onnx_io.h"

namespace q8::onnxfe {

ElementType element_type_from_onnx(int32_t elem_type, const std::string& what) {
  using P = onnx::TensorProto;
  switch (elem_type) {
    case P::FLOAT:
      return ElementType::kF32;
    case P::DOUBLE:
      return ElementType::kF64;
    case P::FLOAT16:
      return ElementType::kF16;
    case P::BFLOAT16:
      return ElementType::kBF16;
    case P::INT8:
      return ElementType::kI8;
    case P::INT16:
      return ElementType::kI16;
    case P::INT32:
      return ElementType::kI32;
    case P::INT64:
      return ElementType::kI64;
    case P::UINT8:
      return ElementType::kU8;
    case P::UINT16:
      return ElementType::kU16;
    case P::UINT32:
      return ElementType::kU32;
    case P::UINT64:
      return ElementType::kU64;
    case P::BOOL:
      return ElementType::kBoolean;
    default:
      throw_bad_input(what + ": element type " + onnxio::elem_type_name(elem_type) +
                      " has no OpenVINO equivalent");
  }
}

namespace {

// Typed fields hold each element widened (int32_data carries int8..uint16, bool and the bits
// of float16/bfloat16); this narrows them into the tensor's own layout.
template <typename Field>
void narrow_into(Tensor& t, const Field& field) {
  const int64_t n = t.size();
  std::byte* dst = t.mutable_bytes();
  const size_t width = static_cast<size_t>(byte_size(t.type(), 1));
  for (int64_t i = 0; i < n; ++i) {
    auto v = field.Get(static_cast<int>(i));
    if (t.type() == ElementType::kF32) {
      float f = static_cast<float>(v);
      std::memcpy(dst + i * 4, &f, 4);
    } else if (t.type() == ElementType::kF64) {
      double d = static_cast<double>(v);
      std::memcpy(dst + i * 8, &d, 8);
    } else {
      // Integer layouts: the low `width` bytes of the value (little-endian host).
      uint64_t bits = static_cast<uint64_t>(static_cast<int64_t>(v));
      std::memcpy(dst + i * static_cast<int64_t>(width), &bits, width);
    }
  }
}

// The typed field holding the values of a tensor of `data_type` (without raw_data).
template <typename Fn>
auto with_typed_field(const onnx::TensorProto& p, Fn&& fn) {
  using P = onnx::TensorProto;
  switch (p.data_type()) {
    case P::FLOAT:
      return fn(p.float_data());
    case P::DOUBLE:
      return fn(p.double_data());
    case P::INT64:
      return fn(p.int64_data());
    case P::UINT32:
    case P::UINT64:
      return fn(p.uint64_data());
    default:
      return fn(p.int32_data());  // small ints, bool, f16/bf16 bits
  }
}

}  // namespace

Tensor tensor_from_proto(const onnx::TensorProto& p) {
  const std::string what = "tensor '" + p.name() + "'";
  if (p.data_location() == onnx::TensorProto::EXTERNAL)
    throw_bad_input(what +
                    " keeps its data in an external file, which mo does not read; save the model "
                    "with the data inside the .onnx file");
  ElementType type = element_type_from_onnx(p.data_type(), what);
  Shape shape(p.dims().begin(), p.dims().end());
  for (int64_t d : shape)
    if (d < 0) throw_bad_input(what + " has a negative dimension");
  // The claimed shape is checked against the data actually present before anything is allocated.
  const int64_t count = with_context(what, [&] { return num_elements(shape); });
  if (p.has_raw_data()) {  // the common case for weights: one copy, no zero fill first
    auto need = static_cast<size_t>(with_context(what, [&] { return byte_size(type, count); }));
    if (p.raw_data().size() != need)
      throw_bad_input(what + " has " + std::to_string(p.raw_data().size()) +
                      " bytes of data, its shape needs " + std::to_string(need));
    return Tensor::from_bytes(type, shape, p.raw_data().data(), need);
  }
  const int64_t values = with_typed_field(p, [](const auto& field) { return int64_t{field.size()}; });
  if (values != count)
    throw_bad_input(what + " has " + std::to_string(values) + " values, its shape needs " +
                    std::to_string(count));
  Tensor t = with_context(what, [&] { return Tensor(type, shape); });
  with_typed_field(p, [&](const auto& field) { narrow_into(t, field); });
  return t;
}

}  // namespace q8::onnxfe
