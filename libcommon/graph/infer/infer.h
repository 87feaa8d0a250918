#pragma once
// Shape inference functions by op family and the helpers they share.
#include <string>

#include "graph/graph.h"

namespace q8::infer {

void register_core(OpRegistry& r);         // Parameter, Const, Result, shape and data movement ops
void register_elementwise(OpRegistry& r);  // unary/binary math, activations, comparisons, logic
void register_nn(OpRegistry& r);           // convolution, pooling, matmul, normalization, reductions, FakeQuantize
void register_detection(OpRegistry& r);    // PriorBox, DetectionOutput, NMS, Proposal, ROI and YOLO ops

}  // namespace q8::infer
