// Shape inference of convolution, pooling, matmul, elementwise, normalization and reduction ops.
#include "infer_test_util.h"

#include <map>
#include <optional>

#include "base/error.h"
#include "graph/graph.h"
#include "graph/shape_infer.h"
#include "tensor/convert.h"

namespace q8 {

namespace {

std::map<std::string, AttrValue> window(Ints strides, Ints pads_begin, Ints pads_end,
                                        Str auto_pad = "explicit", Ints dilations = {}) {
  if (dilations.empty()) dilations.assign(strides.size(), 1);
  return {{"strides", strides},
          {"dilations", dilations},
          {"pads_begin", pads_begin},
          {"pads_end", pads_end},
          {"auto_pad", auto_pad}};
}

std::map<std::string, AttrValue> pool(Ints kernel, Ints strides, Ints pads, Str rounding = "floor",
                                      Str auto_pad = "explicit") {
  return {{"kernel", kernel}, {"strides", strides},        {"pads_begin", pads},
          {"pads_end", pads}, {"rounding_type", rounding}, {"auto_pad", auto_pad}};
}

TEST(InferConv, ResNetStemConvolution7x7Stride2Pad3) {
  Infer t;
  Node* c =
      t.op("Convolution", {t.param("1,3,224,224"), t.param("64,3,7,7")}, window({2, 2}, {3, 3}, {3, 3}));
  EXPECT_EQ(t.shape(c), Infer::ps("1,64,112,112"));
  EXPECT_EQ(c->outputs[0].type, ElementType::kF32);
}

TEST(InferConv, DilationsAndAsymmetricPads) {
  Infer t;
  // dilated kernel 3 -> 5: (10 + 1 + 0 - 5) / 1 + 1 = 7; (10 + 2 + 2 - 5) / 2 + 1 = 5
  Node* c = t.op("Convolution", {t.param("2,4,10,10"), t.param("8,4,3,3")},
                 window({1, 2}, {1, 2}, {0, 2}, "explicit", {2, 2}));
  EXPECT_EQ(t.shape(c), Infer::ps("2,8,7,5"));
}

TEST(InferConv, SameUpperStride2OnOddSizeAndValid) {
  Infer t;
  Node* same = t.op("Convolution", {t.param("1,3,7,7"), t.param("16,3,3,3")},
                    window({2, 2}, {0, 0}, {0, 0}, "same_upper"));
  EXPECT_EQ(t.shape(same), Infer::ps("1,16,4,4"));  // ceil(7 / 2)
  Node* valid =
      t.op("Convolution", {t.param("1,3,7,7"), t.param("16,3,3,3")}, window({2, 2}, {5, 5}, {5, 5}, "valid"));
  EXPECT_EQ(t.shape(valid), Infer::ps("1,16,3,3"));  // pads ignored: (7 - 3) / 2 + 1
}

TEST(InferConv, DynamicDimsFlowThrough) {
  Infer t;
  Node* c = t.op("Convolution", {t.param("?,3,?,224"), t.param("8,3,3,3")}, window({1, 1}, {1, 1}, {1, 1}));
  EXPECT_EQ(t.shape(c), Infer::ps("?,8,?,224"));
  Node* d = t.op("Convolution", {t.param("..."), t.param("8,3,3,3")}, window({1, 1}, {1, 1}, {1, 1}));
  EXPECT_EQ(t.shape(d), Infer::ps("?,?,?,?"));
}

TEST(InferConv, ChannelMismatchIsBadInput) {
  Infer t;
  Node* c = t.op("Convolution", {t.param("1,3,8,8"), t.param("8,4,3,3")}, window({1, 1}, {0, 0}, {0, 0}));
  try {
    infer_node(*c);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kBadInput);
    EXPECT_NE(e.describe().find("channels"), std::string::npos) << e.describe();
    EXPECT_NE(e.describe().find(c->name()), std::string::npos) << e.describe();
  }
  Node* rank = t.op("Convolution", {t.param("1,3,8,8"), t.param("8,3,3")}, window({1, 1}, {0, 0}, {0, 0}));
  EXPECT_THROW(infer_node(*rank), Error);
}

TEST(InferConv, GroupAndDepthwiseConvolution) {
  Infer t;
  // MobileNetV2 depthwise: G=32, [32,1,1,3,3] on 32 channels
  Node* dw = t.op("GroupConvolution", {t.param("1,32,112,112"), t.param("32,1,1,3,3")},
                  window({2, 2}, {1, 1}, {1, 1}));
  EXPECT_EQ(t.shape(dw), Infer::ps("1,32,56,56"));
  Node* g =
      t.op("GroupConvolution", {t.param("1,8,5,5"), t.param("2,6,4,1,1")}, window({1, 1}, {0, 0}, {0, 0}));
  EXPECT_EQ(t.shape(g), Infer::ps("1,12,5,5"));
  Node* bad =
      t.op("GroupConvolution", {t.param("1,8,5,5"), t.param("2,6,3,1,1")}, window({1, 1}, {0, 0}, {0, 0}));
  EXPECT_THROW(infer_node(*bad), Error);
}

TEST(InferConv, BackpropDataWithOutputPaddingAndOutputShape) {
  Infer t;
  auto attrs = window({2, 2}, {1, 1}, {1, 1});
  attrs["output_padding"] = Ints{1, 1};
  // 2 * (7 - 1) + 3 - 2 + 1 = 14
  Node* up = t.op("ConvolutionBackpropData", {t.param("1,16,7,7"), t.param("16,8,3,3")}, attrs);
  EXPECT_EQ(t.shape(up), Infer::ps("1,8,14,14"));
  Node* sized = t.op("ConvolutionBackpropData", {t.param("1,16,7,7"), t.param("16,8,3,3"), t.ints({15, 13})},
                     window({2, 2}, {0, 0}, {0, 0}, "same_upper"));
  EXPECT_EQ(t.shape(sized), Infer::ps("1,8,15,13"));
  Node* unknown = t.op("ConvolutionBackpropData", {t.param("1,16,7,7"), t.param("16,8,3,3"), t.param("2")},
                       window({2, 2}, {0, 0}, {0, 0}));
  EXPECT_EQ(t.shape(unknown), Infer::ps("1,8,?,?"));
  Node* group = t.op("GroupConvolutionBackpropData", {t.param("1,4,5,5"), t.param("2,2,3,2,2")},
                     window({2, 2}, {0, 0}, {0, 0}));
  EXPECT_EQ(t.shape(group), Infer::ps("1,6,10,10"));
}

TEST(InferPool, ResNetMaxPoolAndCeilMode) {
  Infer t;
  Node* mp = t.op("MaxPool", {t.param("1,64,112,112")}, pool({3, 3}, {2, 2}, {1, 1}), "opset1");
  EXPECT_EQ(t.shape(mp), Infer::ps("1,64,56,56"));
  // SqueezeNet: 3x3/2 on 111 without pads: floor -> 55, ceil -> 55 too; on 112: floor 55, ceil 56
  Node* floor = t.op("MaxPool", {t.param("1,96,112,112")}, pool({3, 3}, {2, 2}, {0, 0}), "opset1");
  EXPECT_EQ(t.shape(floor), Infer::ps("1,96,55,55"));
  Node* ceil = t.op("MaxPool", {t.param("1,96,112,112")}, pool({3, 3}, {2, 2}, {0, 0}, "ceil"), "opset1");
  EXPECT_EQ(t.shape(ceil), Infer::ps("1,96,56,56"));
  // Ceil never starts a window in the end padding: 2x2/2 pad 1 on 4: ceil(4/2)+1 = 3, last window at 4 >=
  // 4+1? no 3x3/3 pad 1 on 5: ceil((5+2-3)/3)+1 = 3, window 2 starts at 6 >= 5+1 -> dropped -> 2
  Node* edge = t.op("MaxPool", {t.param("1,1,5,5")}, pool({3, 3}, {3, 3}, {1, 1}, "ceil"), "opset1");
  EXPECT_EQ(t.shape(edge), Infer::ps("1,1,2,2"));
}

TEST(InferPool, AutoPadAvgPoolAndMaxPool8Indices) {
  Infer t;
  auto same = pool({3, 3}, {2, 2}, {0, 0}, "floor", "same_upper");
  same["exclude-pad"] = true;
  Node* avg = t.op("AvgPool", {t.param("1,8,7,7")}, same);
  EXPECT_EQ(t.shape(avg), Infer::ps("1,8,4,4"));
  auto valid = pool({7, 7}, {1, 1}, {0, 0}, "floor", "valid");
  valid["exclude-pad"] = false;
  Node* gap = t.op("AvgPool", {t.param("1,2048,7,7")}, valid);
  EXPECT_EQ(t.shape(gap), Infer::ps("1,2048,1,1"));
  auto attrs = pool({2, 2}, {2, 2}, {0, 0});
  attrs["dilations"] = Ints{2, 2};
  Node* mp8 = t.op("MaxPool", {t.param("1,3,9,?")}, attrs, "opset8");
  EXPECT_EQ(t.shape(mp8), Infer::ps("1,3,4,?"));  // dilated kernel 3: (9 - 3) / 2 + 1
  EXPECT_EQ(mp8->outputs.size(), 2u);
  EXPECT_EQ(mp8->outputs[1].type, ElementType::kI64);
  EXPECT_THROW(infer_node(*t.op("AvgPool", {t.param("1,8,7")}, same)), Error);
}

TEST(InferPool, AdaptivePools) {
  Infer t;
  EXPECT_EQ(t.shape(t.op("AdaptiveAvgPool", {t.param("2,16,13,13"), t.ints({1, 1})})), Infer::ps("2,16,1,1"));
  Node* mx = t.op("AdaptiveMaxPool", {t.param("2,16,13,13"), t.param("2", ElementType::kI64)});
  EXPECT_EQ(t.shape(mx, 1), Infer::ps("2,16,?,?"));
}

TEST(InferMatMul, TransposesOneDimensionalOperandsAndBatchBroadcast) {
  Infer t;
  EXPECT_EQ(t.shape(t.op("MatMul", {t.param("1,2048"), t.param("1000,2048")}, {{"transpose_b", true}})),
            Infer::ps("1,1000"));
  EXPECT_EQ(t.shape(t.op("MatMul", {t.param("5,1,3,4"), t.param("6,4,7")})), Infer::ps("5,6,3,7"));
  EXPECT_EQ(t.shape(t.op("MatMul", {t.param("4"), t.param("2,4,7")})), Infer::ps("2,7"));
  EXPECT_EQ(t.shape(t.op("MatMul", {t.param("2,3,4"), t.param("4")}, {{"transpose_b", true}})),
            Infer::ps("2,3"));
  EXPECT_EQ(t.shape(t.op("MatMul", {t.param("4"), t.param("4")})), Infer::ps(""));
  EXPECT_EQ(t.shape(t.op("MatMul", {t.param("4,3"), t.param("?,5")}, {{"transpose_a", true}})),
            Infer::ps("3,5"));
  EXPECT_THROW(infer_node(*t.op("MatMul", {t.param("2,3"), t.param("4,5")})), Error);
  EXPECT_THROW(infer_node(*t.op("MatMul", {t.param("2,2,3"), t.param("3,3,5")})), Error);
}

TEST(InferElementwise, BroadcastModesAndComparisonTypes) {
  Infer t;
  EXPECT_EQ(t.shape(t.op("Add", {t.param("1,64,56,56"), t.param("64,1,1")})), Infer::ps("1,64,56,56"));
  EXPECT_EQ(t.shape(t.op("Multiply", {t.param("?,3,1"), t.param("4")})), Infer::ps("?,3,4"));
  EXPECT_EQ(t.shape(t.op("Add", {t.param("..."), t.param("4")})), Infer::ps("..."));
  EXPECT_THROW(infer_node(*t.op("Add", {t.param("2,3"), t.param("4")})), Error);
  EXPECT_THROW(infer_node(*t.op("Add", {t.param("2,3"), t.param("3")}, {{"auto_broadcast", Str("none")}})),
               Error);
  EXPECT_EQ(
      t.shape(t.op("Subtract", {t.param("2,3,4,5"), t.param("4,1")}, {{"auto_broadcast", Str("pdpd")}})),
      Infer::ps("2,3,4,5"));
  EXPECT_THROW(infer_node(*t.op("Add", {t.param("3"), t.param("2,3")}, {{"auto_broadcast", Str("pdpd")}})),
               Error);
  Node* less = t.op("Less", {t.param("2,3"), t.param("1")});
  EXPECT_EQ(t.shape(less), Infer::ps("2,3"));
  EXPECT_EQ(less->outputs[0].type, ElementType::kBoolean);
  EXPECT_THROW(infer_node(*t.op("Add", {t.param("2"), t.param("2", ElementType::kI32)})), Error);
}

TEST(InferElementwise, ActivationsAndSoftMax) {
  Infer t;
  EXPECT_EQ(t.shape(t.op("ReLU", {t.param("1,?,3")})), Infer::ps("1,?,3"));
  EXPECT_EQ(t.shape(t.op("PReLU", {t.param("1,16,8,8"), t.param("16")})), Infer::ps("1,16,8,8"));
  EXPECT_THROW(infer_node(*t.op("PReLU", {t.param("1,16,8,8"), t.param("15")})), Error);
  EXPECT_EQ(t.shape(t.op("SoftMax", {t.param("1,1000")}, {{"axis", int64_t{1}}})), Infer::ps("1,1000"));
  EXPECT_EQ(t.shape(t.op("SoftMax", {t.param("1,1000")}, {{"axis", int64_t{-1}}}, "opset8")),
            Infer::ps("1,1000"));
  EXPECT_THROW(infer_node(*t.op("SoftMax", {t.param("1,1000")}, {{"axis", int64_t{-1}}}, "opset1")), Error);
  EXPECT_THROW(infer_node(*t.op("SoftMax", {t.param("1,1000")}, {{"axis", int64_t{2}}})), Error);
  EXPECT_EQ(t.shape(t.op("Clamp", {t.param("3")}, {{"min", 0.0}, {"max", 6.0}})), Infer::ps("3"));
}

TEST(InferNn, FakeQuantizeBroadcastsItsRanges) {
  Infer t;
  Node* fq = t.op("FakeQuantize",
                  {t.param("1,64,56,56"), t.param("1,64,1,1"), t.param("1,64,1,1"), t.param(""), t.param("")},
                  {{"levels", int64_t{256}}});
  EXPECT_EQ(t.shape(fq), Infer::ps("1,64,56,56"));
  Node* bad = t.op("FakeQuantize",
                   {t.param("1,64,56,56"), t.param("1,63,1,1"), t.param("1"), t.param("1"), t.param("1")},
                   {{"levels", int64_t{256}}});
  EXPECT_THROW(infer_node(*bad), Error);
}

TEST(InferNn, BatchNormFindsTheDataInputOfEitherOpset) {
  Infer t;
  Node* v5 =
      t.op("BatchNormInference", {t.param("2,8,4,4"), t.param("8"), t.param("8"), t.param("8"), t.param("8")},
           {{"epsilon", 1e-5}}, "opset5");
  EXPECT_EQ(t.shape(v5), Infer::ps("2,8,4,4"));
  Node* v1 =
      t.op("BatchNormInference", {t.param("8"), t.param("8"), t.param("2,?,4,4"), t.param("8"), t.param("8")},
           {{"epsilon", 1e-5}}, "opset1");
  EXPECT_EQ(t.shape(v1), Infer::ps("2,8,4,4"));
  Node* bad =
      t.op("BatchNormInference", {t.param("2,8,4,4"), t.param("7"), t.param("8"), t.param("8"), t.param("8")},
           {{"epsilon", 1e-5}}, "opset5");
  EXPECT_THROW(infer_node(*bad), Error);
}

TEST(InferNn, ReductionsKeepDimsAndNegativeAxes) {
  Infer t;
  EXPECT_EQ(t.shape(t.op("ReduceMean", {t.param("1,2048,7,7"), t.ints({2, 3})}, {{"keep_dims", true}})),
            Infer::ps("1,2048,1,1"));
  EXPECT_EQ(t.shape(t.op("ReduceSum", {t.param("1,2048,7,7"), t.ints({-1, -2})})), Infer::ps("1,2048"));
  EXPECT_EQ(t.shape(t.op("ReduceMax", {t.param("4,5"), t.scalar(0)})), Infer::ps("5"));
  EXPECT_EQ(t.shape(t.op("ReduceMax", {t.param("4,5,6"), t.param("2", ElementType::kI64)})), Infer::ps("?"));
  EXPECT_EQ(
      t.shape(t.op("ReduceMax", {t.param("4,5,6"), t.param("2", ElementType::kI64)}, {{"keep_dims", true}})),
      Infer::ps("?,?,?"));
  EXPECT_THROW(infer_node(*t.op("ReduceL2", {t.param("4,5"), t.ints({2})})), Error);
  EXPECT_THROW(infer_node(*t.op("ReduceLogicalAnd", {t.param("4,5"), t.ints({0})})), Error);
}

TEST(InferNn, Interpolate1And4) {
  Infer t;
  Node* v1 = t.op("Interpolate", {t.param("1,3,10,10"), t.ints({20, 30})},
                  {{"axes", Ints{2, 3}}, {"mode", Str("nearest")}}, "opset1");
  EXPECT_EQ(t.shape(v1), Infer::ps("1,3,20,30"));
  std::map<std::string, AttrValue> scales = {{"mode", Str("nearest")},
                                             {"shape_calculation_mode", Str("scales")}};
  Node* by_scale =
      t.op("Interpolate", {t.param("1,3,10,?"), t.ints({0, 0}), t.floats({2.0f, 0.5f}), t.ints({2, -1})},
           scales, "opset4");
  EXPECT_EQ(t.shape(by_scale), Infer::ps("1,3,20,?"));
  std::map<std::string, AttrValue> sizes = {{"mode", Str("linear")},
                                            {"shape_calculation_mode", Str("sizes")}};
  Node* by_size =
      t.op("Interpolate", {t.param("1,3,10,10"), t.ints({5, 7}), t.floats({0, 0}), t.ints({2, 3})}, sizes,
           "opset4");
  EXPECT_EQ(t.shape(by_size), Infer::ps("1,3,5,7"));
  Node* dynamic =
      t.op("Interpolate",
           {t.param("1,3,10,10"), t.param("2", ElementType::kI64), t.floats({0, 0}), t.ints({2, 3})}, sizes,
           "opset4");
  EXPECT_EQ(t.shape(dynamic), Infer::ps("1,3,?,?"));
}

}  // namespace
}  // namespace q8
