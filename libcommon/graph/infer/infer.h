#pragma once
// Shape inference functions by op family and the helpers they share.
#include <string>

#include "graph/graph.h"

namespace q8::infer {

void register_core(OpRegistry& r);         // Parameter, Const, Result, conversion, Range, Select, misc
void register_reshape(OpRegistry& r);      // Reshape, Squeeze, Unsqueeze, Transpose, Broadcast, Tile
void register_layout(OpRegistry& r);       // Concat, Split, Pad, depth/space/batch rearrangements
void register_indexing(OpRegistry& r);     // Gather*, Scatter*, TopK
void register_slice(OpRegistry& r);        // StridedSlice, Slice
void register_elementwise(OpRegistry& r);  // unary/binary math, activations, comparisons, logic
void register_conv(OpRegistry& r);         // convolutions and pooling
void register_nn(OpRegistry& r);           // matmul, normalization, reductions, FakeQuantize
void register_resample(OpRegistry& r);     // Interpolate-1/4, ExtractImagePatches
void register_detection(OpRegistry& r);    // PriorBox, DetectionOutput, NMS, Proposal, ROI and YOLO ops
void register_recurrent(OpRegistry& r);    // RNN/GRU/LSTM cells and sequences

}  // namespace q8::infer
