#pragma once
// An OpenVINO-opset Graph (an IR read by ir::read, typically pot's INT8 IR) written as a QDQ
// ONNX model that other runtimes (ONNX Runtime) execute with the same quantization:
//  - activation FakeQuantize -> QuantizeLinear + DequantizeLinear (uint8, or int8 for pot's
//    symmetric signed ranges), per tensor or per axis;
//  - FakeQuantize on constant weights, and IR v11's compressed weights (i8/u8 Const -> Convert
//    -> [Subtract zero point] -> Multiply scale), -> an int8 initializer holding the FakeQuantize
//    level indices + DequantizeLinear with per-axis (or per-tensor) scale and zero point;
//  - f16 constants and activations become f32;
//  - every other node through the exporter table in onnx/export/ (one file per op family).
// Exporter code lives in onnx/export/; this is its one entry point.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace q8::onnxexp {

struct ExportOptions {
  int64_t opset = 13;  // default-domain opset: 13..17 (the emitted ops mean the same in all of them)
};

struct ExportReport {
  int activation_fq = 0;              // FakeQuantize on activations -> QuantizeLinear + DequantizeLinear
  int quantized_weights = 0;          // weights stored as int8 + DequantizeLinear
  int float_weights = 0;              // quantized weights that had to stay f32 (dequantized exactly; warned)
  std::vector<std::string> warnings;  // also logged as warnings
};

// The exporter's opset range.
constexpr int64_t kMinOpset = 13;
constexpr int64_t kMaxOpset = 17;

// Builds the ONNX model. An op (or a FakeQuantize form) that cannot be expressed is a bad-input
// error naming the layer (name, id, op type). The result is deterministic.
onnx::ModelProto export_qdq(const Graph& g, const ExportOptions& options, ExportReport* report = nullptr);

// Exports, runs the ONNX checker and strict shape inference on the result, and writes `output`
// atomically (nothing is written when any step fails). `source` names the input in messages.
ExportReport export_qdq_file(const Graph& g, const std::string& source, const std::string& output,
                             const ExportOptions& options);

// The OpenVINO op types the exporter table covers (besides Parameter, Const, Result), sorted.
std::vector<std::string> exported_op_types();

}  // namespace q8::onnxexp
