#include "cli_util.h"

#include <onnx/onnx_pb.h>

#include "onnx/onnx_io.h"

namespace q8::test {
namespace {

std::vector<std::string> seed_args(const std::string& in, const std::string& out) {
  return {"concat-outputs", in,  "-o",     out,     "--outputs", "bboxes,labels,scores,scores",
          "--axis",         "2", "--name", "output"};
}

TEST(OnnxModifyCliConcatOutputs, SeedCommandWritesAValidModel) {
  for (int opset : {11, 13}) {
    TempDir dir;
    const auto r = modify(seed_args(ssd(opset), dir.file("out.onnx")));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto m = onnxio::load_model(dir.file("out.onnx"));
    onnxio::check_model(m, "out");
    onnxio::infer_shapes(m, "out");
    const auto& out = m.graph().output(3);
    EXPECT_EQ(out.name(), "output");
    EXPECT_EQ(out.type().tensor_type().elem_type(), onnx::TensorProto::FLOAT);
    ASSERT_EQ(out.type().tensor_type().shape().dim_size(), 3);
    EXPECT_EQ(out.type().tensor_type().shape().dim(2).dim_value(), 7);
  }
}

TEST(OnnxModifyCliConcatOutputs, TwoRunsGiveIdenticalBytes) {
  TempDir dir;
  ASSERT_EQ(modify(seed_args(ssd(13), dir.file("a.onnx"))).exit_code, 0);
  ASSERT_EQ(modify(seed_args(ssd(13), dir.file("b.onnx"))).exit_code, 0);
  EXPECT_EQ(read(dir.file("a.onnx")), read(dir.file("b.onnx")));
  EXPECT_EQ(list_dir(dir.path()), (std::vector<std::string>{"a.onnx", "b.onnx"}));
}

TEST(OnnxModifyCliConcatOutputs, QuietRunPrintsNothing) {
  TempDir dir;
  auto args = seed_args(ssd(11), dir.file("out.onnx"));
  args.push_back("-q");
  const auto r = modify(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, "");
}

TEST(OnnxModifyCliConcatOutputs, UnknownOutputNamesItAndTheExistingOnes) {
  TempDir dir;
  const auto r = modify({"concat-outputs", ssd(11), "-o", dir.file("o.onnx"), "--outputs", "bboxes,boxes",
                         "--axis", "2", "--name", "output"});
  expect_failure(r, 2, {"ssd_tiny_opset11.onnx", "'boxes'", "'labels'"}, dir, {});
}

TEST(OnnxModifyCliConcatOutputs, CollidingNameAndBadAxisAreBadInput) {
  TempDir dir;
  auto r = modify({"concat-outputs", ssd(11), "-o", dir.file("o.onnx"), "--outputs", "bboxes,scores",
                   "--axis", "2", "--name", "labels"});
  expect_failure(r, 2, {"ssd_tiny_opset11.onnx", "'labels'"}, dir, {});
  r = modify({"concat-outputs", ssd(11), "-o", dir.file("o.onnx"), "--outputs", "bboxes,scores", "--axis",
              "7", "--name", "output"});
  expect_failure(r, 2, {"ssd_tiny_opset11.onnx", "--axis 7"}, dir, {});
}

TEST(OnnxModifyCliConcatOutputs, MissingRequiredFlagsAreUsageErrors) {
  TempDir dir;
  auto r = modify({"concat-outputs", ssd(11), "--outputs", "bboxes", "--axis", "2", "--name", "output"});
  expect_failure(r, 1, {"--output"}, dir, {});
  r = modify({"concat-outputs", ssd(11), "-o", dir.file("o.onnx"), "--axis", "2", "--name", "output"});
  expect_failure(r, 1, {"--outputs"}, dir, {});
  r = modify({"concat-outputs", ssd(11), "-o", dir.file("o.onnx"), "--outputs", "bboxes", "--axis", "two",
              "--name", "output"});
  expect_failure(r, 1, {"--axis"}, dir, {});
}

}  // namespace
}  // namespace q8::test
