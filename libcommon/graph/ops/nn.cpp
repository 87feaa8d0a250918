// Convolution, pooling, matmul, normalization, reductions and quantization (opsets 1..8).
#include "graph/ops/ops.h"

namespace q8::ops {
using namespace decl;

namespace {
AttrDef auto_pad() {
  return E("auto_pad", "explicit", {"explicit", "same_upper", "same_lower", "valid", "notset"});
}
AttrDef rounding() {
  return E("rounding_type", "floor", {"floor", "ceil"});
}

std::vector<AttrDef> conv_attrs() {
  // IR v10 from 2020 writes an (always zero) output_padding on forward convolutions too.
  return {Is("strides"),  Is("dilations"), Is("pads_begin"),
          Is("pads_end"), auto_pad(),      Opt(Is("output_padding"))};
}
std::vector<AttrDef> backprop_attrs() {
  return {Is("strides"),  Is("dilations"), Is("pads_begin"),
          Is("pads_end"), auto_pad(),      Is("output_padding", {})};
}
}  // namespace

void register_nn(OpRegistry& r) {
  r.add({"Convolution", 1, conv_attrs(), 2, 2, 1});
  r.add({"GroupConvolution", 1, conv_attrs(), 2, 2, 1});
  r.add({"ConvolutionBackpropData", 1, backprop_attrs(), 2, 3, 1});
  r.add({"GroupConvolutionBackpropData", 1, backprop_attrs(), 2, 3, 1});
  r.add({"BinaryConvolution",
         1,
         {Is("strides"), Is("dilations"), Is("pads_begin"), Is("pads_end"), auto_pad(),
          E("mode", {"xnor-popcount"}), F("pad_value")},
         2,
         2,
         1});
  r.add({"DeformableConvolution",
         1,
         {Is("strides"), Is("dilations"), Is("pads_begin"), Is("pads_end"), auto_pad(), I("group", 1),
          I("deformable_group", 1)},
         3,
         3,
         1});
  r.add({"DeformableConvolution",
         8,
         {Is("strides"), Is("dilations"), Is("pads_begin"), Is("pads_end"), auto_pad(), I("group", 1),
          I("deformable_group", 1), B("bilinear_interpolation_pad", false)},
         3,
         4,
         1});

  // OpenVINO 2022.1 serialized some MaxPool-1 with MaxPool-8's dilations/axis/index_element_type.
  r.add({"MaxPool",
         1,
         {Is("strides"), Is("pads_begin"), Is("pads_end"), Is("kernel"), rounding(), auto_pad(),
          Opt(Is("dilations")), Opt(I("axis")), Opt(T("index_element_type"))},
         1,
         1,
         1});
  r.add({"MaxPool",
         8,
         {Is("strides"), Is("dilations", {1, 1}), Is("pads_begin"), Is("pads_end"), Is("kernel"), rounding(),
          auto_pad(), T("index_element_type", ElementType::kI64), I("axis", 0)},
         1,
         1,
         2});
  r.add({"AvgPool",
         1,
         {Is("strides"), Is("pads_begin"), Is("pads_end"), Is("kernel"), B("exclude-pad"), rounding(),
          auto_pad()},
         1,
         1,
         1});
  r.add({"AdaptiveAvgPool", 8, {}, 2, 2, 1});
  r.add({"AdaptiveMaxPool", 8, {T("index_element_type", ElementType::kI64)}, 2, 2, 2});

  r.add({"MatMul", 1, {B("transpose_a", false), B("transpose_b", false)}, 2, 2, 1});
  r.add({"FakeQuantize", 1, {I("levels"), E("auto_broadcast", "numpy", {"none", "numpy", "pdpd"})}, 5, 5, 1});

  r.add({"BatchNormInference", 1, {F("epsilon")}, 5, 5, 1});
  r.add({"BatchNormInference", 5, {F("epsilon")}, 5, 5, 1});
  r.add({"LRN", 1, {F("alpha"), F("beta"), F("bias"), I("size")}, 2, 2, 1});
  r.add({"MVN",
         1,
         {B("across_channels", false), B("normalize_variance", true), F("eps"), Is("reduction_axes", {})},
         1,
         1,
         1});
  r.add({"MVN",
         6,
         {B("normalize_variance"), F("eps"), E("eps_mode", {"inside_sqrt", "outside_sqrt"})},
         2,
         2,
         1});
  r.add({"NormalizeL2", 1, {F("eps"), E("eps_mode", {"add", "max"})}, 2, 2, 1});

  for (const char* t : {"ReduceMean", "ReduceMax", "ReduceMin", "ReduceSum", "ReduceProd", "ReduceLogicalAnd",
                        "ReduceLogicalOr"})
    r.add({t, 1, {B("keep_dims", false)}, 2, 2, 1});
  for (const char* t : {"ReduceL1", "ReduceL2"}) r.add({t, 4, {B("keep_dims", false)}, 2, 2, 1});
}

}  // namespace q8::ops
