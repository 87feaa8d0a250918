#pragma once
// Shared helpers of the onnx-modify unit tests.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

#include "base/error.h"
#include "onnx/onnx_io.h"
#include "test_support.h"

namespace q8::test {

inline onnx::ModelProto load_ssd(int opset) {
  return onnxio::load_model(fixture("onnx/ssd_tiny_opset" + std::to_string(opset) + ".onnx"));
}

// The real third-party model; empty path when the material folder is absent.
inline std::string eye_model_path() {
  return material("openvino-ir/ir11-2022.2/open-closed-eye-0001/open-closed-eye.onnx");
}

inline const onnx::ValueInfoProto* find_value(
    const google::protobuf::RepeatedPtrField<onnx::ValueInfoProto>& list, const std::string& name) {
  for (const auto& v : list)
    if (v.name() == name) return &v;
  return nullptr;
}

// Dims of a value_info; -1 for a symbolic/unknown dim.
inline std::vector<int64_t> dims_of(const onnx::ValueInfoProto& v) {
  std::vector<int64_t> dims;
  for (const auto& d : v.type().tensor_type().shape().dim())
    dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
  return dims;
}

inline int count_ops(const onnx::ModelProto& m, const std::string& op) {
  int n = 0;
  for (const auto& node : m.graph().node()) n += node.op_type() == op;
  return n;
}

// The model passes the checker and strict shape inference; returns the inferred copy.
inline onnx::ModelProto validated(const onnx::ModelProto& m) {
  onnxio::check_model(m, "result");
  onnx::ModelProto inferred = m;
  onnxio::infer_shapes(inferred, "result");
  return inferred;
}

// Runs fn, expecting a q8::Error of `kind` whose text contains every one of `parts`.
template <typename Fn>
void expect_error(Fn&& fn, ErrorKind kind, const std::vector<std::string>& parts) {
  try {
    fn();
    ADD_FAILURE() << "expected an error mentioning " << (parts.empty() ? "" : parts[0]);
  } catch (const Error& e) {
    EXPECT_EQ(static_cast<int>(e.kind()), static_cast<int>(kind)) << e.describe();
    for (const auto& p : parts)
      EXPECT_NE(e.describe().find(p), std::string::npos) << e.describe() << " lacks " << p;
  }
}

}  // namespace q8::test
