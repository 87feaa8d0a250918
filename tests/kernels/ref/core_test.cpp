#include "ref_test_util.h"

namespace q8::test {
namespace {

Tensor iota_f32(const Shape& s) {
  std::vector<float> v(static_cast<size_t>(num_elements(s)));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i);
  return make_f32(s, v);
}

TEST(RefShape, ReshapeSpecialZeroAndInfer) {
  Tensor x = iota_f32({2, 3, 4});
  EXPECT_EQ(OpRun("Reshape", 1).set("special_zero", true).run1({x, make_i64({2}, {0, -1})}).shape(),
            (Shape{2, 12}));
  EXPECT_EQ(OpRun("Reshape", 1).set("special_zero", false).run1({x, make_i64({3}, {4, -1, 3})}).shape(),
            (Shape{4, 2, 3}));
  EXPECT_THROW(OpRun("Reshape", 1).set("special_zero", false).run1({x, make_i64({2}, {5, -1})}), Error);
  EXPECT_EQ(OpRun("Squeeze", 1).run1({make_f32({1, 2, 1}, {1, 2})}).shape(), (Shape{2}));
  EXPECT_EQ(OpRun("Unsqueeze", 1).run1({make_f32({2}, {1, 2}), make_i64({2}, {0, -1})}).shape(),
            (Shape{1, 2, 1}));
  EXPECT_THROW(OpRun("Squeeze", 1).run1({make_f32({1, 2}, {1, 2}), make_i64({1}, {1})}), Error);
  expect_ints(OpRun("ShapeOf", 3).set("output_type", ElementType::kI32).run1({x}), {3}, {2, 3, 4});
}

TEST(RefShape, TransposeConcatSplit) {
  Tensor x = iota_f32({2, 3});
  expect_floats(OpRun("Transpose", 1).run1({x, make_i64({0}, {})}), {3, 2}, {0, 3, 1, 4, 2, 5});
  Tensor y = make_f32({2, 1}, {10, 11});
  expect_floats(OpRun("Concat", 1).set("axis", int64_t{-1}).run1({x, y}), {2, 4}, {0, 1, 2, 10, 3, 4, 5, 11});
  EXPECT_THROW(OpRun("Concat", 1).set("axis", int64_t{0}).run1({x, y}), Error);
  auto parts = OpRun("VariadicSplit", 1).run({x, scalar_i64(1), make_i64({2}, {-1, 1})});
  expect_floats(parts[0], {2, 2}, {0, 1, 3, 4});
  expect_floats(parts[1], {2, 1}, {2, 5});
  auto halves = OpRun("Split", 1).set("num_splits", int64_t{2}).run({x, scalar_i64(0)});
  expect_floats(halves[1], {1, 3}, {3, 4, 5});
  EXPECT_THROW(OpRun("Split", 1).set("num_splits", int64_t{2}).run({x, scalar_i64(1)}), Error);
}

TEST(RefShape, TileBroadcastRange) {
  Tensor x = make_f32({2}, {1, 2});
  expect_floats(OpRun("Tile", 1).run1({x, make_i64({2}, {2, 2})}), {2, 4}, {1, 2, 1, 2, 1, 2, 1, 2});
  expect_floats(OpRun("Broadcast", 3).run1({x, make_i64({2}, {2, 2})}), {2, 2}, {1, 2, 1, 2});
  expect_floats(
      OpRun("Broadcast", 3).set("mode", str("explicit")).run1({x, make_i64({2}, {2, 3}), make_i64({1}, {0})}),
      {2, 3}, {1, 1, 1, 2, 2, 2});
  expect_floats(OpRun("Broadcast", 3)
                    .set("mode", str("bidirectional"))
                    .run1({make_f32({2, 1}, {1, 2}), make_i64({1}, {3})}),
                {2, 3}, {1, 1, 1, 2, 2, 2});
  EXPECT_THROW(OpRun("Broadcast", 3).run1({make_f32({3}, {1, 2, 3}), make_i64({1}, {2})}), Error);
  expect_floats(OpRun("Range", 4)
                    .set("output_type", ElementType::kF32)
                    .run1({scalar_f32(1), scalar_f32(2), scalar_f32(0.25f)}),
                {4}, {1, 1.25f, 1.5f, 1.75f});
  expect_ints(OpRun("Range", 1).run1({scalar_i64(5), scalar_i64(0), scalar_i64(-2)}), {3}, {5, 3, 1});
}

TEST(RefIndex, GatherBatchDimsNegativeAndErrors) {
  Tensor x = iota_f32({2, 3});
  expect_floats(OpRun("Gather", 8).run1({x, make_i64({2}, {-1, 0}), scalar_i64(1)}), {2, 2}, {2, 0, 5, 3});
  expect_floats(
      OpRun("Gather", 8).set("batch_dims", int64_t{1}).run1({x, make_i64({2, 1}, {2, 0}), scalar_i64(1)}),
      {2, 1}, {2, 3});
  EXPECT_THROW(OpRun("Gather", 8).run1({x, make_i64({1}, {3}), scalar_i64(1)}), Error);
  EXPECT_THROW(OpRun("Gather", 1).run1({x, make_i64({1}, {-1}), scalar_i64(1)}), Error);
  expect_floats(OpRun("GatherND", 8).run1({x, make_i64({2, 2}, {1, 2, 0, 1})}), {2}, {5, 1});
  expect_floats(OpRun("GatherElements", 6).set("axis", int64_t{1}).run1({x, make_i64({2, 2}, {2, 0, 1, 1})}),
                {2, 2}, {2, 0, 4, 4});
}

TEST(RefIndex, ScattersOneHotNonZero) {
  Tensor x = make_f32({3, 2}, {0, 0, 0, 0, 0, 0});
  expect_floats(
      OpRun("ScatterUpdate", 3).run1({x, make_i64({1}, {2}), make_f32({1, 2}, {7, 8}), scalar_i64(0)}),
      {3, 2}, {0, 0, 0, 0, 7, 8});
  expect_floats(OpRun("ScatterElementsUpdate", 3)
                    .run1({x, make_i64({1, 2}, {2, 1}), make_f32({1, 2}, {5, 6}), scalar_i64(0)}),
                {3, 2}, {0, 0, 0, 6, 5, 0});
  expect_floats(OpRun("ScatterNDUpdate", 3).run1({x, make_i64({1, 2}, {1, 1}), make_f32({1}, {9})}), {3, 2},
                {0, 0, 0, 9, 0, 0});
  EXPECT_THROW(OpRun("ScatterNDUpdate", 3).run1({x, make_i64({1, 2}, {3, 0}), make_f32({1}, {9})}), Error);
  expect_floats(OpRun("OneHot", 1)
                    .set("axis", int64_t{-1})
                    .run1({make_i64({2}, {1, 5}), scalar_i64(3), scalar_f32(1), scalar_f32(0)}),
                {2, 3}, {0, 1, 0, 0, 0, 0});
  expect_ints(OpRun("NonZero", 3).run1({make_f32({2, 2}, {0, 1, 2, 0})}), {2, 2}, {0, 1, 1, 0});
}

TEST(RefSlice, StridedSliceMasks) {
  Tensor x = iota_f32({2, 3, 4});
  OpRun op("StridedSlice", 1);
  op.set("begin_mask", ints({0, 1, 0}))
      .set("end_mask", ints({0, 1, 0}))
      .set("shrink_axis_mask", ints({1, 0, 0}));
  expect_floats(op.run1({x, make_i64({3}, {1, 0, -1}), make_i64({3}, {2, 0, -5}), make_i64({3}, {1, 1, -2})}),
                {3, 2}, {15, 13, 19, 17, 23, 21});
  OpRun ell("StridedSlice", 1);
  ell.set("begin_mask", ints({}))
      .set("end_mask", ints({}))
      .set("ellipsis_mask", ints({1, 0}))
      .set("new_axis_mask", ints({0, 1}));
  EXPECT_EQ(ell.run1({x, make_i64({2}, {0, 0}), make_i64({2}, {0, 0}), make_i64({2}, {1, 1})}).shape(),
            (Shape{2, 3, 4, 1}));
  expect_floats(OpRun("Slice", 8)
                    .run1({iota_f32({5}), make_i64({1}, {-1}), make_i64({1}, {-100}), make_i64({1}, {-2})}),
                {3}, {4, 2, 0});
}

TEST(RefSlice, PadModesAndNegativePads) {
  Tensor x = make_f32({3}, {1, 2, 3});
  Tensor b = make_i64({1}, {2}), e = make_i64({1}, {1});
  expect_floats(OpRun("Pad", 1).run1({x, b, e, scalar_f32(9)}), {6}, {9, 9, 1, 2, 3, 9});
  expect_floats(OpRun("Pad", 1).set("pad_mode", str("edge")).run1({x, b, e}), {6}, {1, 1, 1, 2, 3, 3});
  expect_floats(OpRun("Pad", 1).set("pad_mode", str("reflect")).run1({x, b, e}), {6}, {3, 2, 1, 2, 3, 2});
  expect_floats(OpRun("Pad", 1).set("pad_mode", str("symmetric")).run1({x, b, e}), {6}, {2, 1, 1, 2, 3, 3});
  expect_floats(OpRun("Pad", 1).run1({x, make_i64({1}, {-1}), e}), {3}, {2, 3, 0});
  EXPECT_THROW(OpRun("Pad", 1).set("pad_mode", str("reflect")).run1({x, make_i64({1}, {3}), e}), Error);
}

TEST(RefSlice, ReorderingOps) {
  Tensor x = iota_f32({1, 4, 1, 1});
  expect_floats(
      OpRun("DepthToSpace", 1).set("mode", str("blocks_first")).set("block_size", int64_t{2}).run1({x}),
      {1, 1, 2, 2}, {0, 1, 2, 3});
  Tensor d2s = OpRun("DepthToSpace", 1)
                   .set("mode", str("depth_first"))
                   .set("block_size", int64_t{2})
                   .run1({iota_f32({1, 8, 1, 1})});
  expect_floats(d2s, {1, 2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
  Tensor s2d = OpRun("SpaceToDepth", 1)
                   .set("mode", str("blocks_first"))
                   .set("block_size", int64_t{2})
                   .run1({iota_f32({1, 1, 2, 4})});
  expect_floats(s2d, {1, 4, 1, 2}, {0, 2, 1, 3, 4, 6, 5, 7});
  expect_floats(OpRun("ShuffleChannels", 1).set("group", int64_t{2}).run1({iota_f32({1, 4})}), {1, 4},
                {0, 2, 1, 3});
  expect_floats(OpRun("Roll", 7).run1({iota_f32({2, 3}), make_i64({1}, {1}), make_i64({1}, {-1})}), {2, 3},
                {2, 0, 1, 5, 3, 4});
  expect_floats(OpRun("Reverse", 1).set("mode", str("index")).run1({iota_f32({2, 2}), make_i64({1}, {1})}),
                {2, 2}, {1, 0, 3, 2});
  expect_floats(OpRun("ReverseSequence", 1).run1({iota_f32({2, 3}), make_i64({2}, {2, 3})}), {2, 3},
                {1, 0, 2, 5, 4, 3});
  expect_floats(OpRun("CumSum", 3)
                    .set("exclusive", true)
                    .set("reverse", true)
                    .run1({make_f32({3}, {1, 2, 3}), scalar_i64(0)}),
                {3}, {5, 3, 0});
}

TEST(RefInterpolate, NearestAndLinearModes) {
  Tensor x = make_f32({1, 1, 1, 2}, {1, 3});
  auto interp = [&](const char* mode, const char* transform) {
    return OpRun("Interpolate", 4)
        .set("mode", str(mode))
        .set("shape_calculation_mode", str("sizes"))
        .set("coordinate_transformation_mode", str(transform))
        .run1({x, make_i64({1}, {4}), make_f32({1}, {2}), make_i64({1}, {3})});
  };
  expect_floats(interp("nearest", "asymmetric"), {1, 1, 1, 4}, {1, 1, 3, 3});
  expect_floats(interp("linear_onnx", "half_pixel"), {1, 1, 1, 4}, {1, 1.5f, 2.5f, 3});
  expect_floats(interp("linear_onnx", "align_corners"), {1, 1, 1, 4}, {1, 1 + 2.f / 3, 1 + 4.f / 3, 3});
  // cubic (A = -0.75) at x = 0.5: taps 1, 1, 3, 3 with weights -0.09375, 0.59375, 0.59375, -0.09375;
  // at x = 1.5 the right taps clamp to the last sample.
  expect_floats(interp("cubic", "asymmetric"), {1, 1, 1, 4}, {1, 2, 3, 3.1875f});
}

TEST(RefEinsum, MatmulTraceAndImplicitOutput) {
  Tensor a = make_f32({2, 2}, {1, 2, 3, 4});
  Tensor b = make_f32({2, 2}, {0, 1, 1, 0});
  expect_floats(OpRun("Einsum", 7).set("equation", str("ij,jk->ik")).run1({a, b}), {2, 2}, {2, 1, 4, 3});
  expect_floats(OpRun("Einsum", 7).set("equation", str("ii->")).run1({a}), {}, {5});
  expect_floats(OpRun("Einsum", 7).set("equation", str("ji")).run1({a}), {2, 2}, {1, 3, 2, 4});
  expect_floats(OpRun("Einsum", 7).set("equation", str("...j,j->...")).run1({a, make_f32({2}, {1, 1})}), {2},
                {3, 7});
  EXPECT_THROW(OpRun("Einsum", 7).set("equation", str("ij,jk->ik")).run1({a}), Error);
}

}  // namespace
}  // namespace q8::test
