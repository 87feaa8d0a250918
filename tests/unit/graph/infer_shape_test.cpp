// Shape inference of boundary, conversion, reshape, layout, slicing and indexing ops.
#include "infer_test_util.h"

#include <map>
#include <optional>

#include "base/error.h"
#include "graph/graph.h"
#include "graph/shape_infer.h"
#include "tensor/convert.h"

namespace q8 {

namespace {

TEST(InferCore, BoundaryOpsAndConversions) {
  Infer t;
  Output p = t.param("?,3,224,224");
  Node* param = p.node;
  EXPECT_EQ(t.shape(param), Infer::ps("?,3,224,224"));
  Output c = t.ints({1, 2, 3});
  EXPECT_EQ(t.shape(c.node), Infer::ps("3"));
  EXPECT_EQ(c.node->outputs[0].type, ElementType::kI64);
  Node* result = t.op("Result", {p});
  infer_node(*result);
  EXPECT_TRUE(result->outputs.empty());
  Node* cvt = t.op("Convert", {p}, {{"destination_type", ElementType::kF16}});
  EXPECT_EQ(t.shape(cvt), Infer::ps("?,3,224,224"));
  EXPECT_EQ(cvt->outputs[0].type, ElementType::kF16);
  Node* like = t.op("ConvertLike", {p, t.param("1", ElementType::kI8)});
  t.shape(like);
  EXPECT_EQ(like->outputs[0].type, ElementType::kI8);
}

TEST(InferCore, ShapeOfRangeAndSelect) {
  Infer t;
  Node* s1 = t.op("ShapeOf", {t.param("?,3,4")}, {}, "opset1");
  EXPECT_EQ(t.shape(s1), Infer::ps("3"));
  EXPECT_EQ(s1->outputs[0].type, ElementType::kI64);
  Node* s3 = t.op("ShapeOf", {t.param("...")}, {{"output_type", ElementType::kI32}}, "opset3");
  EXPECT_EQ(t.shape(s3), Infer::ps("?"));
  EXPECT_EQ(s3->outputs[0].type, ElementType::kI32);
  Node* r1 = t.op("Range", {t.scalar(2), t.scalar(11), t.scalar(3)}, {}, "opset1");
  EXPECT_EQ(t.shape(r1), Infer::ps("3"));  // 2, 5, 8
  EXPECT_EQ(r1->outputs[0].type, ElementType::kI64);
  Node* down =
      t.op("Range", {t.scalar(5), t.scalar(0), t.scalar(-2)}, {{"output_type", ElementType::kF32}}, "opset4");
  EXPECT_EQ(t.shape(down), Infer::ps("3"));  // 5, 3, 1
  EXPECT_EQ(down->outputs[0].type, ElementType::kF32);
  Node* dyn = t.op("Range", {t.scalar(0), t.param("", ElementType::kI64), t.scalar(1)}, {}, "opset1");
  EXPECT_EQ(t.shape(dyn), Infer::ps("?"));
  EXPECT_THROW(infer_node(*t.op("Range", {t.scalar(0), t.scalar(4), t.scalar(0)}, {}, "opset1")), Error);
  Node* sel = t.op("Select", {t.param("2,1", ElementType::kBoolean), t.param("3"), t.param("1")});
  EXPECT_EQ(t.shape(sel), Infer::ps("2,3"));
}

TEST(InferCore, OneHotEinsumAndNonZero) {
  Infer t;
  Node* oh = t.op("OneHot", {t.param("2,3", ElementType::kI64), t.scalar(5), t.floats({1}), t.floats({0})},
                  {{"axis", int64_t{-1}}});
  EXPECT_EQ(t.shape(oh), Infer::ps("2,3,5"));
  Node* e = t.op("Einsum", {t.param("2,3,4"), t.param("2,4,5")}, {{"equation", Str("bij,bjk->bik")}});
  EXPECT_EQ(t.shape(e), Infer::ps("2,3,5"));
  Node* implicit = t.op("Einsum", {t.param("7,3,4"), t.param("4,5")}, {{"equation", Str("...ij,jk")}});
  EXPECT_EQ(t.shape(implicit), Infer::ps("7,3,5"));  // ellipsis first, then i and k
  EXPECT_THROW(
      infer_node(*t.op("Einsum", {t.param("2,3"), t.param("4,5")}, {{"equation", Str("ij,jk->ik")}})), Error);
  EXPECT_EQ(t.shape(t.op("NonZero", {t.param("2,3")})), Infer::ps("2,..6"));  // at most 6 non-zeros
}

TEST(InferReshape, SpecialZeroMinusOneAndDynamicTarget) {
  Infer t;
  Node* flat = t.op("Reshape", {t.param("2,512,7,7"), t.ints({0, -1})}, {{"special_zero", true}});
  EXPECT_EQ(t.shape(flat), Infer::ps("2,25088"));
  Node* plain = t.op("Reshape", {t.param("2,3,4"), t.ints({4, -1})}, {{"special_zero", false}});
  EXPECT_EQ(t.shape(plain), Infer::ps("4,6"));
  Node* dyn_batch = t.op("Reshape", {t.param("?,3,4"), t.ints({0, -1})}, {{"special_zero", true}});
  EXPECT_EQ(t.shape(dyn_batch), Infer::ps("?,?"));
  Node* unknown =
      t.op("Reshape", {t.param("2,3,4"), t.param("3", ElementType::kI64)}, {{"special_zero", true}});
  EXPECT_EQ(t.shape(unknown), Infer::ps("?,?,?"));
  EXPECT_THROW(infer_node(*t.op("Reshape", {t.param("2,3,4"), t.ints({5, -1})}, {{"special_zero", false}})),
               Error);
  EXPECT_THROW(infer_node(*t.op("Reshape", {t.param("2,3,4"), t.ints({-1, -1})}, {{"special_zero", false}})),
               Error);
}

TEST(InferReshape, SqueezeUnsqueezeTranspose) {
  Infer t;
  EXPECT_EQ(t.shape(t.op("Squeeze", {t.param("1,1000,1,1"), t.ints({-1, 2})})), Infer::ps("1,1000"));
  EXPECT_EQ(t.shape(t.op("Squeeze", {t.param("1,1000,1,1")})), Infer::ps("1000"));
  EXPECT_EQ(t.shape(t.op("Squeeze", {t.param("1,?,1")})), Infer::ps("..."));
  EXPECT_THROW(infer_node(*t.op("Squeeze", {t.param("1,1000"), t.ints({1})})), Error);
  EXPECT_EQ(t.shape(t.op("Unsqueeze", {t.param("2,3"), t.ints({-1, 0})})), Infer::ps("1,2,3,1"));
  EXPECT_EQ(t.shape(t.op("Unsqueeze", {t.param("2,3"), t.scalar(1)})), Infer::ps("2,1,3"));
  EXPECT_THROW(infer_node(*t.op("Unsqueeze", {t.param("2,3"), t.ints({0, 0})})), Error);
  EXPECT_EQ(t.shape(t.op("Transpose", {t.param("1,224,224,3"), t.ints({0, 3, 1, 2})})),
            Infer::ps("1,3,224,224"));
  EXPECT_EQ(t.shape(t.op("Transpose", {t.param("2,3,4"), t.ints({})})), Infer::ps("4,3,2"));
  EXPECT_EQ(t.shape(t.op("Transpose", {t.param("2,3,4"), t.param("3", ElementType::kI64)})),
            Infer::ps("?,?,?"));
  EXPECT_THROW(infer_node(*t.op("Transpose", {t.param("2,3,4"), t.ints({0, 0, 1})})), Error);
}

TEST(InferReshape, BroadcastAndTile) {
  Infer t;
  EXPECT_EQ(t.shape(t.op("Broadcast", {t.param("3,1"), t.ints({2, 3, 4})})), Infer::ps("2,3,4"));
  EXPECT_THROW(infer_node(*t.op("Broadcast", {t.param("3,2"), t.ints({2, 3, 4})})), Error);
  EXPECT_EQ(t.shape(t.op("Broadcast", {t.param("4,1"), t.ints({3, 1, 5})}, {{"mode", Str("bidirectional")}})),
            Infer::ps("3,4,5"));
  EXPECT_EQ(
      t.shape(t.op("Broadcast", {t.param("3"), t.ints({2, 3, 4}), t.ints({1})}, {{"mode", Str("explicit")}})),
      Infer::ps("2,3,4"));
  EXPECT_EQ(t.shape(t.op("Broadcast", {t.param("3"), t.param("2", ElementType::kI64)})), Infer::ps("?,?"));
  EXPECT_EQ(t.shape(t.op("Tile", {t.param("2,3"), t.ints({2, 1, 2})})), Infer::ps("2,2,6"));
  EXPECT_EQ(t.shape(t.op("Tile", {t.param("2,?,3"), t.ints({2, 2})})), Infer::ps("2,?,6"));
}

TEST(InferLayout, ConcatSplitVariadicSplitPad) {
  Infer t;
  Node* cat = t.op("Concat", {t.param("1,15130,4"), t.param("1,15130,1"), t.param("1,15130,2")},
                   {{"axis", int64_t{-1}}});
  EXPECT_EQ(t.shape(cat), Infer::ps("1,15130,7"));
  EXPECT_EQ(t.shape(t.op("Concat", {t.param("?,2"), t.param("3,?")}, {{"axis", int64_t{0}}})),
            Infer::ps("3..,2"));
  EXPECT_THROW(infer_node(*t.op("Concat", {t.param("2,3"), t.param("2,4")}, {{"axis", int64_t{0}}})), Error);
  EXPECT_THROW(infer_node(*t.op("Concat", {t.param("2,3"), t.param("2,3")}, {{"axis", int64_t{2}}})), Error);
  Node* sp = t.op("Split", {t.param("2,6,4"), t.scalar(-2)}, {{"num_splits", int64_t{3}}});
  EXPECT_EQ(t.shape(sp, 2), Infer::ps("2,2,4"));
  EXPECT_EQ(sp->outputs.size(), 3u);
  EXPECT_THROW(infer_node(*t.op("Split", {t.param("2,7"), t.scalar(1)}, {{"num_splits", int64_t{2}}})),
               Error);
  Node* vs = t.op("VariadicSplit", {t.param("2,10"), t.scalar(1), t.ints({3, -1, 2})});
  EXPECT_EQ(t.shape(vs, 1), Infer::ps("2,5"));
  EXPECT_THROW(infer_node(*t.op("VariadicSplit", {t.param("2,10"), t.scalar(1), t.ints({3, 3})})), Error);
  EXPECT_EQ(t.shape(t.op("Pad", {t.param("1,3,5,5"), t.ints({0, 0, 1, 2}), t.ints({0, 0, 1, -1})})),
            Infer::ps("1,3,7,6"));
  EXPECT_EQ(t.shape(t.op("DepthToSpace", {t.param("1,8,2,3")},
                         {{"mode", Str("blocks_first")}, {"block_size", int64_t{2}}})),
            Infer::ps("1,2,4,6"));
  EXPECT_EQ(t.shape(t.op("SpaceToBatch", {t.param("2,3,4,6"), t.ints({1, 1, 2, 3}), t.ints({0, 0, 0, 0}),
                                          t.ints({0, 0, 0, 3})})),
            Infer::ps("12,3,2,3"));
}

std::map<std::string, AttrValue> masks(Ints begin, Ints end, Ints new_axis = {}, Ints shrink = {},
                                       Ints ellipsis = {}) {
  return {{"begin_mask", begin},
          {"end_mask", end},
          {"new_axis_mask", new_axis},
          {"shrink_axis_mask", shrink},
          {"ellipsis_mask", ellipsis}};
}

TEST(InferSlice, StridedSliceMasksAndClamping) {
  Infer t;
  // x[:, 1:-1, ::2] on [4,10,9]
  Node* basic =
      t.op("StridedSlice", {t.param("4,10,9"), t.ints({0, 1, 0}), t.ints({0, -1, 0}), t.ints({1, 1, 2})},
           masks({1, 0, 1}, {1, 0, 1}));
  EXPECT_EQ(t.shape(basic), Infer::ps("4,8,5"));
  // x[None, 2, ..., ::-1] on [4,10,9]: new axis, shrink, ellipsis, reversed
  Node* fancy = t.op("StridedSlice",
                     {t.param("4,10,9"), t.ints({0, 2, 0, 0}), t.ints({0, 3, 0, 0}), t.ints({1, 1, 1, -1})},
                     masks({0, 0, 0, 1}, {0, 0, 0, 1}, {1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}));
  EXPECT_EQ(t.shape(fancy), Infer::ps("1,10,9"));
  // out-of-range bounds clamp: x[-100:100] -> whole dim; x[5:2] -> empty
  Node* clamp =
      t.op("StridedSlice", {t.param("6,6"), t.ints({-100, 5}), t.ints({100, 2})}, masks({0, 0}, {0, 0}));
  EXPECT_EQ(t.shape(clamp), Infer::ps("6,0"));
  Node* dyn = t.op("StridedSlice", {t.param("6,?"), t.param("2", ElementType::kI64), t.ints({1, 1})},
                   masks({0, 0}, {0, 0}));
  EXPECT_EQ(t.shape(dyn), Infer::ps("?,?"));
  EXPECT_THROW(
      infer_node(*t.op("StridedSlice", {t.param("6"), t.ints({0, 0}), t.ints({1, 1})}, masks({}, {}))),
      Error);
}

TEST(InferSlice, Slice8) {
  Infer t;
  EXPECT_EQ(t.shape(t.op("Slice", {t.param("8,?"), t.ints({2}), t.ints({-2}), t.ints({1})})),
            Infer::ps("4,?"));
  EXPECT_EQ(t.shape(t.op("Slice", {t.param("8,9"), t.ints({0}), t.param("1", ElementType::kI64), t.ints({1}),
                                   t.ints({1})})),
            Infer::ps("8,?"));
  EXPECT_THROW(infer_node(*t.op("Slice", {t.param("8"), t.ints({0}), t.ints({4}), t.ints({0})})), Error);
  Node* s = t.op("Slice", {t.param("10,20,30"), t.ints({1, -1}), t.ints({INT64_MAX, -11}), t.ints({3, -2}),
                           t.ints({0, -1})});
  EXPECT_EQ(t.shape(s), Infer::ps("3,20,5"));  // axis 0: 1,4,7; axis 2: 29,27,25,23,21
}

TEST(InferIndexing, GatherBatchDimsNegativeAxisAndTopK) {
  Infer t;
  EXPECT_EQ(t.shape(t.op("Gather", {t.param("5,6,7"), t.param("2,3", ElementType::kI64), t.scalar(-2)}, {},
                         "opset1")),
            Infer::ps("5,2,3,7"));
  Node* bd = t.op("Gather", {t.param("2,6,7"), t.param("2,3", ElementType::kI64), t.scalar(1)},
                  {{"batch_dims", int64_t{-1}}}, "opset8");
  EXPECT_EQ(t.shape(bd), Infer::ps("2,3,7"));
  EXPECT_EQ(
      t.shape(t.op("Gather", {t.param("5,6"), t.param("4", ElementType::kI64), t.scalar(0)}, {}, "opset7")),
      Infer::ps("4,6"));
  EXPECT_THROW(infer_node(*t.op("Gather", {t.param("5,6"), t.param("4", ElementType::kI64), t.scalar(2)})),
               Error);
  EXPECT_EQ(t.shape(t.op("GatherND", {t.param("2,3,4,5"), t.param("2,7,2", ElementType::kI64)},
                         {{"batch_dims", int64_t{1}}}, "opset5")),
            Infer::ps("2,7,5"));
  Node* topk = t.op("TopK", {t.param("1,15130,81"), t.scalar(200)},
                    {{"axis", int64_t{1}},
                     {"mode", Str("max")},
                     {"sort", Str("value")},
                     {"index_element_type", ElementType::kI64}},
                    "opset3");
  EXPECT_EQ(t.shape(topk), Infer::ps("1,200,81"));
  EXPECT_EQ(topk->outputs[1].type, ElementType::kI64);
  EXPECT_EQ(topk->outputs[0].type, ElementType::kF32);
  Node* dyn = t.op("TopK", {t.param("1,?"), t.param("", ElementType::kI64)},
                   {{"axis", int64_t{-1}}, {"mode", Str("min")}, {"sort", Str("none")}});
  EXPECT_EQ(t.shape(dyn, 1), Infer::ps("1,?"));
}

}  // namespace
}  // namespace q8
