#pragma once
// Op declarations by family. Each file declares its ops once (attributes, defaults,
// port counts) following the OpenVINO opset specifications.
#include "graph/op_registry.h"

namespace q8::ops {

void register_core(OpRegistry& r);         // Parameter, Const, Result, shape and data movement ops
void register_elementwise(OpRegistry& r);  // unary/binary math, activations, comparisons, logic
void register_nn(OpRegistry& r);  // convolution, pooling, matmul, normalization, reductions, quantization
void register_detection(OpRegistry& r);  // PriorBox, DetectionOutput, NMS, Proposal, ROI and YOLO ops
void register_recurrent(OpRegistry& r);  // RNN/GRU/LSTM cells and sequences

inline void register_all(OpRegistry& r) {
  register_core(r);
  register_elementwise(r);
  register_nn(r);
  register_detection(r);
  register_recurrent(r);
}

// Attaches the shape inference functions of graph/infer/ to the declarations.
void register_shape_inference(OpRegistry& r);

// Type names whose IR spelling differs from the op class name (the IR always uses the
// first form; the second is accepted when reading).
const char* canonical_type_name(const std::string& type);

}  // namespace q8::ops
