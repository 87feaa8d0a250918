#include <onnx/onnx_pb.h>

#include "cli_util.h"
#include "onnx/onnx_io.h"

namespace q8::test {
namespace {

TEST(OnnxModifyCliRename, TensorsAndNodes) {
  TempDir dir;
  const auto r = modify({"rename", ssd(13), "-o", dir.file("r.onnx"), "image=pixels", "scores=confidence",
                         "--node", "/TopK=top", "--node", "/Exp=exp"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto m = onnxio::load_model(dir.file("r.onnx"));
  onnxio::check_model(m, "r");
  EXPECT_EQ(m.graph().input(0).name(), "pixels");
  EXPECT_EQ(m.graph().output(2).name(), "confidence");
}

TEST(OnnxModifyCliRename, ErrorsNameTheTensor) {
  TempDir dir;
  expect_failure(modify({"rename", ssd(13), "-o", dir.file("r.onnx"), "nope=x"}), 2,
                 {"ssd_tiny_opset13", "'nope'"}, dir, {});
  expect_failure(modify({"rename", ssd(13), "-o", dir.file("r.onnx"), "labels=scores"}), 2,
                 {"'scores'", "already"}, dir, {});
  expect_failure(modify({"rename", ssd(13), "-o", dir.file("r.onnx"), "--node", "/TopK"}), 1, {"OLD=NEW"},
                 dir, {});
  expect_failure(modify({"rename", ssd(13), "-o", dir.file("r.onnx")}), 1, {"nothing to rename"}, dir, {});
}

TEST(OnnxModifyCliExtract, SubgraphValidates) {
  TempDir dir;
  const auto r = modify({"extract", ssd(11), "-o", dir.file("e.onnx"), "--inputs", "/Reshape_output_0",
                         "--outputs", "/Concat_output_0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto m = onnxio::load_model(dir.file("e.onnx"));
  onnxio::check_model(m, "e");
  onnxio::infer_shapes(m, "e");
  EXPECT_EQ(m.graph().input(0).name(), "/Reshape_output_0");
  EXPECT_EQ(m.graph().output(0).type().tensor_type().shape().dim(1).dim_value(), 128);
}

TEST(OnnxModifyCliExtract, UncomputableOutputNamesTheMissingTensor) {
  TempDir dir;
  const auto r = modify(
      {"extract", ssd(11), "-o", dir.file("e.onnx"), "--inputs", "/Reshape_output_0", "--outputs", "bboxes"});
  expect_failure(r, 2, {"ssd_tiny_opset11", "'bboxes'", "'image'"}, dir, {});
  expect_failure(
      modify({"extract", ssd(11), "-o", dir.file("e.onnx"), "--inputs", "image", "--outputs", "nope"}), 2,
      {"'nope'"}, dir, {});
}

TEST(OnnxModifyCliSetBatch, RealEyeModel) {
  const auto path = material("openvino-ir/ir11-2022.2/open-closed-eye-0001/open-closed-eye.onnx");
  if (path.empty()) GTEST_SKIP() << "material folder absent";
  TempDir dir;
  const auto r = modify({"set-batch", path, "-o", dir.file("b.onnx"), "--batch", "8"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto m = onnxio::load_model(dir.file("b.onnx"));
  onnxio::check_model(m, "b");
  EXPECT_EQ(m.graph().input(0).type().tensor_type().shape().dim(0).dim_value(), 8);
  EXPECT_EQ(m.graph().output(0).type().tensor_type().shape().dim(0).dim_value(), 8);
}

TEST(OnnxModifyCliSetBatch, HardCodedBatchWarnsThenFails) {
  TempDir dir;
  const auto r = modify({"set-batch", ssd(13), "-o", dir.file("b.onnx"), "--batch", "4"});
  expect_failure(r, 2, {"ssd_tiny_opset13", "batch 4"}, dir, {});
  EXPECT_NE(r.err.find("warning: set-batch: Reshape '/Reshape'"), std::string::npos) << r.err;
}

TEST(OnnxModifyCliSetBatch, BadBatchIsAUsageError) {
  TempDir dir;
  for (const char* bad : {"0", "-1", "4.5"})
    expect_failure(modify({"set-batch", ssd(13), "-o", dir.file("b.onnx"), "--batch", bad}), 1, {"--batch"},
                   dir, {});
}

}  // namespace
}  // namespace q8::test
