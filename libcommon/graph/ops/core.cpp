// Model boundary ops and shape / data-movement ops (OpenVINO opsets 1..8).
#include "graph/ops/ops.h"

namespace q8::ops {
using namespace decl;

namespace {
const std::vector<std::string> kBroadcastModes = {"none", "numpy", "pdpd"};
}

const char* canonical_type_name(const std::string& type) {
  if (type == "Constant") return "Const";
  if (type == "Relu") return "ReLU";
  if (type == "Softmax") return "SoftMax";
  if (type == "PRelu") return "PReLU";
  return nullptr;
}

void register_core(OpRegistry& r) {
  // Const's offset/size in the IR are how its data is stored, handled by the IR reader/writer.
  r.add({"Parameter", 1, {T("element_type"), Sh("shape")}, 0, 0, 1});
  r.add({"Const", 1, {T("element_type"), Sh("shape")}, 0, 0, 1});
  r.add({"Result", 1, {}, 1, 1, 0});

  r.add({"Convert", 1, {T("destination_type")}, 1, 1, 1});
  r.add({"ConvertLike", 1, {}, 2, 2, 1});
  r.add({"ShapeOf", 1, {}, 1, 1, 1});
  r.add({"ShapeOf", 3, {T("output_type", ElementType::kI64)}, 1, 1, 1});

  r.add({"Concat", 1, {I("axis")}, 1, -1, 1});
  r.add({"Split", 1, {I("num_splits")}, 2, 2, -1});
  r.add({"VariadicSplit", 1, {}, 3, 3, -1});
  r.add({"Reshape", 1, {B("special_zero")}, 2, 2, 1});
  r.add({"Squeeze", 1, {}, 1, 2, 1});
  r.add({"Unsqueeze", 1, {}, 2, 2, 1});
  r.add({"Transpose", 1, {}, 2, 2, 1});
  r.add({"Broadcast", 1, {E("mode", "numpy", {"numpy", "explicit", "bidirectional"})}, 2, 3, 1});
  r.add({"Broadcast", 3, {E("mode", "numpy", {"numpy", "explicit", "bidirectional", "pdpd"})}, 2, 3, 1});
  r.add({"Tile", 1, {}, 2, 2, 1});
  r.add({"Gather", 1, {}, 3, 3, 1});
  r.add({"Gather", 7, {I("batch_dims", 0)}, 3, 3, 1});
  r.add({"Gather", 8, {I("batch_dims", 0)}, 3, 3, 1});
  r.add({"GatherND", 5, {I("batch_dims", 0)}, 2, 2, 1});
  r.add({"GatherND", 8, {I("batch_dims", 0)}, 2, 2, 1});
  r.add({"GatherElements", 6, {I("axis")}, 2, 2, 1});
  r.add({"ScatterUpdate", 3, {}, 4, 4, 1});
  r.add({"ScatterElementsUpdate", 3, {}, 4, 4, 1});
  r.add({"ScatterNDUpdate", 3, {}, 3, 3, 1});
  r.add({"StridedSlice",
         1,
         {Is("begin_mask"), Is("end_mask"), Is("new_axis_mask", {}), Is("shrink_axis_mask", {}),
          Is("ellipsis_mask", {})},
         3,
         4,
         1});
  r.add({"Slice", 8, {}, 4, 5, 1});
  r.add({"Range", 1, {}, 3, 3, 1});
  r.add({"Range", 4, {T("output_type")}, 3, 3, 1});
  r.add({"Select", 1, {E("auto_broadcast", "numpy", kBroadcastModes)}, 3, 3, 1});
  r.add({"Pad", 1, {E("pad_mode", "constant", {"constant", "edge", "reflect", "symmetric"})}, 3, 4, 1});
  r.add({"DepthToSpace", 1, {E("mode", {"blocks_first", "depth_first"}), I("block_size", 1)}, 1, 1, 1});
  r.add({"SpaceToDepth", 1, {E("mode", {"blocks_first", "depth_first"}), I("block_size", 1)}, 1, 1, 1});
  r.add({"BatchToSpace", 2, {}, 4, 4, 1});
  r.add({"SpaceToBatch", 2, {}, 4, 4, 1});
  r.add({"ShuffleChannels", 1, {I("axis", 1), I("group", 1)}, 1, 1, 1});
  r.add({"ReverseSequence", 1, {I("batch_axis", 0), I("seq_axis", 1)}, 2, 2, 1});
  r.add({"Reverse", 1, {E("mode", {"index", "mask"})}, 2, 2, 1});
  r.add({"OneHot", 1, {I("axis")}, 4, 4, 1});
  r.add({"TopK",
         1,
         {I("axis"), E("mode", {"max", "min"}), E("sort", {"value", "index", "none"}),
          T("index_element_type", ElementType::kI32)},
         2,
         2,
         2});
  r.add({"TopK",
         3,
         {I("axis"), E("mode", {"max", "min"}), E("sort", {"value", "index", "none"}),
          T("index_element_type", ElementType::kI32)},
         2,
         2,
         2});
  r.add({"NonZero", 3, {T("output_type", ElementType::kI64)}, 1, 1, 1});
  r.add({"Interpolate",
         1,
         {Is("axes"), S("mode"), B("align_corners", false), B("antialias", false), Is("pads_begin", {0}),
          Is("pads_end", {0})},
         2,
         2,
         1});
  r.add({"Interpolate",
         4,
         {E("mode", {"nearest", "linear", "linear_onnx", "cubic"}),
          E("shape_calculation_mode", {"sizes", "scales"}),
          E("coordinate_transformation_mode", "half_pixel",
            {"half_pixel", "pytorch_half_pixel", "asymmetric", "tf_half_pixel_for_nn", "align_corners"}),
          E("nearest_mode", "round_prefer_floor",
            {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil", "simple"}),
          B("antialias", false), Is("pads_begin", {0}), Is("pads_end", {0}), F("cube_coeff", -0.75)},
         3,
         4,
         1});
  r.add({"ExtractImagePatches",
         3,
         {Is("sizes"), Is("strides"), Is("rates"), E("auto_pad", {"valid", "same_upper", "same_lower"})},
         1,
         1,
         1});
  r.add({"Roll", 7, {}, 3, 3, 1});
  r.add({"Einsum", 7, {S("equation")}, 1, -1, 1});
  r.add({"CumSum", 3, {B("exclusive", false), B("reverse", false)}, 2, 3, 1});
  r.add({"Bucketize", 3, {T("output_type", ElementType::kI64), B("with_right_bound", true)}, 2, 2, 1});
  r.add({"DFT", 7, {}, 2, 3, 1});
  r.add({"IDFT", 7, {}, 2, 3, 1});
  r.add({"RandomUniform", 8, {T("output_type"), I("global_seed", 0), I("op_seed", 0)}, 3, 3, 1});
}

}  // namespace q8::ops
