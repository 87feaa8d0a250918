// Shape inference of detection and recurrent ops, and the registry-wide coverage check.
#include "infer_test_util.h"

#include <map>
#include <optional>
#include <set>

#include "base/error.h"
#include "graph/graph.h"
#include "graph/shape_infer.h"
#include "tensor/convert.h"

namespace q8 {

namespace {

TEST(InferRegistry, EveryOpHasShapeInference) {
  // Ops deliberately left without inference: none today. Add a type here only with a comment
  // saying why a graph containing it can still be processed.
  const std::set<std::string> allow_list = {};
  std::vector<std::string> missing;
  for (const OpDef* d : OpRegistry::instance().all())
    if (!d->infer && !allow_list.count(d->type)) missing.push_back(d->type + "-" + std::to_string(d->opset));
  EXPECT_TRUE(missing.empty()) << "no shape inference for " << ::testing::PrintToString(missing);
}

TEST(InferDetection, SsdPriorBoxAndDetectionOutput) {
  Infer t;
  std::map<std::string, AttrValue> attrs = {{"min_size", std::vector<double>{30}},
                                            {"max_size", std::vector<double>{60}},
                                            {"aspect_ratio", std::vector<double>{2}},
                                            {"flip", true},
                                            {"offset", 0.5}};
  // ratios {1, 2, 1/2} x 1 min size + 1 max size = 4 priors per cell
  Node* pb = t.op("PriorBox", {t.ints({38, 38}), t.ints({300, 300})}, attrs, "opset1");
  EXPECT_EQ(t.shape(pb), Infer::ps("2,23104"));
  EXPECT_EQ(pb->outputs[0].type, ElementType::kF32);
  Node* pbc = t.op(
      "PriorBoxClustered", {t.ints({10, 20}), t.ints({300, 300})},
      {{"width", std::vector<double>{1, 2, 3}}, {"height", std::vector<double>{1, 2, 3}}, {"offset", 0.5}});
  EXPECT_EQ(t.shape(pbc), Infer::ps("2,2400"));
  std::map<std::string, AttrValue> det = {
      {"num_classes", int64_t{81}}, {"keep_top_k", Ints{200}}, {"nms_threshold", 0.5}, {"normalized", true}};
  Node* d =
      t.op("DetectionOutput", {t.param("1,34928"), t.param("1,707292"), t.param("1,2,34928")}, det, "opset1");
  EXPECT_EQ(t.shape(d), Infer::ps("1,1,200,7"));
  det["keep_top_k"] = Ints{-1};
  det["top_k"] = int64_t{100};
  Node* d2 =
      t.op("DetectionOutput", {t.param("?,34928"), t.param("?,707292"), t.param("1,2,34928")}, det, "opset1");
  EXPECT_EQ(t.shape(d2), Infer::ps("1,1,?,7"));
  det.erase("num_classes");
  det["top_k"] = int64_t{-1};
  Node* d8 =
      t.op("DetectionOutput", {t.param("2,34928"), t.param("2,707292"), t.param("1,2,34928")}, det, "opset8");
  EXPECT_EQ(t.shape(d8), Infer::ps("1,1,1414584,7"));  // 2 images * 8732 priors * 81 classes
}

TEST(InferDetection, NonMaxSuppressionStaticBoundAndDynamicOutputs) {
  Infer t;
  std::map<std::string, AttrValue> attrs = {{"box_encoding", Str("corner")}};
  Node* v4 = t.op("NonMaxSuppression", {t.param("1,15130,4"), t.param("1,81,15130"), t.scalar(200)}, attrs,
                  "opset4");
  EXPECT_EQ(t.shape(v4), Infer::ps("16200,3"));
  EXPECT_EQ(v4->outputs[0].type, ElementType::kI64);
  Node* v5 = t.op("NonMaxSuppression", {t.param("2,100,4"), t.param("2,3,100"), t.scalar(200)},
                  {{"output_type", ElementType::kI32}}, "opset5");
  EXPECT_EQ(t.shape(v5), Infer::ps("..600,3"));
  EXPECT_EQ(v5->outputs.size(), 3u);
  EXPECT_EQ(v5->outputs[0].type, ElementType::kI32);
  EXPECT_EQ(v5->outputs[1].type, ElementType::kF32);
  EXPECT_EQ(v5->outputs[2].shape, Infer::ps("1"));
  Node* dyn = t.op("NonMaxSuppression", {t.param("1,?,4"), t.param("1,3,?"), t.param("", ElementType::kI64)},
                   {}, "opset9");
  EXPECT_EQ(t.shape(dyn), Infer::ps("?,3"));
  EXPECT_THROW(infer_node(*t.op("NonMaxSuppression", {t.param("1,10,5"), t.param("1,3,10")}, {}, "opset5")),
               Error);
  EXPECT_THROW(infer_node(*t.op("NonMaxSuppression", {t.param("1,10,4"), t.param("1,3,11")}, {}, "opset5")),
               Error);
}

TEST(InferDetection, RoiOpsYoloAndCtc) {
  Infer t;
  Node* roi = t.op("ROIPooling", {t.param("1,256,38,50"), t.param("300,5")},
                   {{"output_size", Ints{7, 7}}, {"spatial_scale", 0.0625}});
  EXPECT_EQ(t.shape(roi), Infer::ps("300,256,7,7"));
  Node* align = t.op("ROIAlign", {t.param("1,256,38,50"), t.param("?,4"), t.param("?", ElementType::kI32)},
                     {{"pooled_h", int64_t{7}},
                      {"pooled_w", int64_t{6}},
                      {"sampling_ratio", int64_t{2}},
                      {"spatial_scale", 0.25},
                      {"mode", Str("avg")}});
  EXPECT_EQ(t.shape(align), Infer::ps("?,256,7,6"));
  Node* ps_bad = t.op("PSROIPooling", {t.param("1,100,10,10"), t.param("5,5")},
                      {{"output_dim", int64_t{8}}, {"group_size", int64_t{3}}, {"spatial_scale", 1.0}});
  EXPECT_THROW(infer_node(*ps_bad), Error);
  Node* yolo = t.op("RegionYolo", {t.param("1,255,13,13")},
                    {{"coords", int64_t{4}},
                     {"classes", int64_t{80}},
                     {"num", int64_t{9}},
                     {"do_softmax", false},
                     {"mask", Ints{0, 1, 2}}});
  EXPECT_EQ(t.shape(yolo), Infer::ps("1,255,13,13"));
  Node* flat =
      t.op("RegionYolo", {t.param("1,125,13,13")},
           {{"coords", int64_t{4}}, {"classes", int64_t{20}}, {"num", int64_t{5}}, {"do_softmax", true}});
  EXPECT_EQ(t.shape(flat), Infer::ps("1,21125"));
  EXPECT_EQ(t.shape(t.op("ReorgYolo", {t.param("1,64,26,26")}, {{"stride", Ints{2}}})),
            Infer::ps("1,256,13,13"));
  EXPECT_EQ(t.shape(t.op("CTCGreedyDecoder", {t.param("20,2,37"), t.param("20,2")})), Infer::ps("2,20,1,1"));
  Node* seq = t.op("CTCGreedyDecoderSeqLen", {t.param("2,20,37"), t.param("2", ElementType::kI32)});
  EXPECT_EQ(t.shape(seq, 1), Infer::ps("2"));
  EXPECT_EQ(seq->outputs[0].shape, Infer::ps("2,20"));
  Node* prop = t.op("Proposal", {t.param("1,18,38,50"), t.param("1,36,38,50"), t.param("3")},
                    {{"base_size", int64_t{16}},
                     {"pre_nms_topn", int64_t{6000}},
                     {"post_nms_topn", int64_t{300}},
                     {"nms_thresh", 0.7},
                     {"feat_stride", int64_t{16}},
                     {"min_size", int64_t{16}},
                     {"ratio", std::vector<double>{0.5, 1, 2}},
                     {"scale", std::vector<double>{8, 16, 32}}},
                    "opset4");
  EXPECT_EQ(t.shape(prop), Infer::ps("300,5"));
  EXPECT_EQ(prop->outputs[1].shape, Infer::ps("300"));
}

TEST(InferRecurrent, CellsAndSequences) {
  Infer t;
  Node* cell = t.op(
      "LSTMCell",
      {t.param("2,10"), t.param("2,16"), t.param("2,16"), t.param("64,10"), t.param("64,16"), t.param("64")},
      {{"hidden_size", int64_t{16}}});
  EXPECT_EQ(t.shape(cell, 1), Infer::ps("2,16"));
  Node* seq = t.op("LSTMSequence",
                   {t.param("2,5,10"), t.param("2,2,16"), t.param("2,2,16"), t.param("2", ElementType::kI32),
                    t.param("2,64,10"), t.param("2,64,16"), t.param("2,64")},
                   {{"hidden_size", int64_t{16}}, {"direction", Str("bidirectional")}});
  EXPECT_EQ(t.shape(seq), Infer::ps("2,2,5,16"));
  EXPECT_EQ(seq->outputs[2].shape, Infer::ps("2,2,16"));
  Node* bad = t.op("GRUSequence",
                   {t.param("2,5,10"), t.param("2,1,8"), t.param("2", ElementType::kI32), t.param("1,48,10"),
                    t.param("1,48,16"), t.param("1,48")},
                   {{"hidden_size", int64_t{16}}, {"direction", Str("forward")}});
  EXPECT_THROW(infer_node(*bad), Error);
}

}  // namespace
}  // namespace q8
