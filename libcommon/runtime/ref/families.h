#pragma once
// The reference kernel files of each family register through these (kernels.h has
// one entry point per family; a family grows into several files).
#include "runtime/ref/kernels.h"

namespace q8::ref {

void register_unary(KernelTable& t);   // elementwise.cpp: math and activations
void register_binary(KernelTable& t);  // elementwise_binary.cpp: arithmetic, comparisons, logic, Select
void register_conv(KernelTable& t);    // nn_conv.cpp
void register_pool(KernelTable& t);    // nn_pool.cpp
void register_norm(KernelTable& t);    // nn_norm.cpp: BatchNorm, LRN, MVN, NormalizeL2, SoftMax
void register_reduce(KernelTable& t);  // nn_reduce.cpp
void register_shape(KernelTable& t);   // core_shape.cpp: reshape, transpose, concat, split, tile, ...
void register_index(KernelTable& t);   // core_index.cpp: gather, scatter, one-hot, non-zero
void register_slice(KernelTable& t);   // core_slice.cpp: slicing, padding, reordering
void register_resize(KernelTable& t);  // core_interpolate.cpp
void register_einsum(KernelTable& t);  // core_einsum.cpp
void register_nms(KernelTable& t);     // detection_nms.cpp
void register_priors(KernelTable& t);  // detection_prior.cpp: PriorBox, ROI pooling
void register_detection_output(KernelTable& t);  // detection_output.cpp: DetectionOutput-1/-8

}  // namespace q8::ref
