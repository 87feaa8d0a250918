#include "tf/dtype_names.h"

#include <map>

#include "base/error.h"

namespace q8::tf {

namespace {

const std::map<int, std::string>& canonical_names() {
  static const std::map<int, std::string> names = {
      {DT_FLOAT, "float32"},   {DT_DOUBLE, "float64"},      {DT_INT32, "int32"},
      {DT_UINT8, "uint8"},     {DT_INT16, "int16"},         {DT_INT8, "int8"},
      {DT_STRING, "string"},   {DT_COMPLEX64, "complex64"}, {DT_INT64, "int64"},
      {DT_BOOL, "bool"},       {DT_QINT8, "qint8"},         {DT_QUINT8, "quint8"},
      {DT_QINT32, "qint32"},   {DT_BFLOAT16, "bfloat16"},   {DT_QINT16, "qint16"},
      {DT_QUINT16, "quint16"}, {DT_UINT16, "uint16"},       {DT_COMPLEX128, "complex128"},
      {DT_HALF, "float16"},    {DT_RESOURCE, "resource"},   {DT_VARIANT, "variant"},
      {DT_UINT32, "uint32"},   {DT_UINT64, "uint64"},
  };
  return names;
}

const std::map<std::string, DataType>& aliases() {
  static const std::map<std::string, DataType> names = {
      {"float", DT_FLOAT}, {"f32", DT_FLOAT},     {"fp32", DT_FLOAT},   {"double", DT_DOUBLE},
      {"f64", DT_DOUBLE},  {"fp64", DT_DOUBLE},   {"half", DT_HALF},    {"f16", DT_HALF},
      {"fp16", DT_HALF},   {"bf16", DT_BFLOAT16}, {"i8", DT_INT8},      {"u8", DT_UINT8},
      {"i16", DT_INT16},   {"u16", DT_UINT16},    {"i32", DT_INT32},    {"u32", DT_UINT32},
      {"i64", DT_INT64},   {"u64", DT_UINT64},    {"boolean", DT_BOOL},
  };
  return names;
}

}  // namespace

std::string dtype_name(int dtype) {
  auto it = canonical_names().find(dtype);
  if (it != canonical_names().end()) return it->second;
  return "DT_?(" + std::to_string(dtype) + ")";
}

DataType dtype_from_name(const std::string& name) {
  for (const auto& [id, n] : canonical_names())
    if (n == name) return static_cast<DataType>(id);
  if (auto it = aliases().find(name); it != aliases().end()) return it->second;
  DataType parsed = DT_INVALID;
  if (DataType_Parse(name, &parsed) && parsed != DT_INVALID) return parsed;
  throw_usage("unknown data type '" + name +
              "' (expected float32, float16, bfloat16, float64, int8, uint8, int16, uint16, int32, "
              "uint32, int64, uint64, bool, string, ... or a TensorFlow name like DT_FLOAT)");
}

}  // namespace q8::tf
