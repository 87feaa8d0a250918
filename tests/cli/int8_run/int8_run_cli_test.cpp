#include <gtest/gtest.h>

#include <cmath>

#include "tensor/convert.h"
#include "tensor/npy.h"
#include "test_support.h"

namespace q8 {
namespace {

std::string fx(const std::string& rel) {
  return test::fixture("models/" + rel);
}

TEST(Int8RunCli, InferOnOnnxAndIrGivesTheSameTop5AndOutputs) {
  test::TempDir dir;
  ASSERT_EQ(test::run_tool("mo", {"-m", fx("squeezenet1_1.onnx"), "-o", dir.path()}).exit_code, 0);
  auto onnx = test::run_tool("int8-run",
                             {"infer", "-m", fx("squeezenet1_1.onnx"), "-i", fx("squeezenet1_1.input.npy")});
  auto ir = test::run_tool(
      "int8-run", {"infer", "-m", dir.file("squeezenet1_1.xml"), "-i", fx("squeezenet1_1.input.npy")});
  ASSERT_EQ(onnx.exit_code, 0) << onnx.err;
  ASSERT_EQ(ir.exit_code, 0) << ir.err;
  EXPECT_NE(onnx.out.find("top-5"), std::string::npos) << onnx.out;
  // Same classes in the same order (probabilities may differ in the last digits).
  auto classes = [](const std::string& s) {
    std::string c;
    for (size_t p = s.find("class "); p != std::string::npos; p = s.find("class ", p + 1))
      c += s.substr(p, 9);
    return c;
  };
  EXPECT_EQ(classes(onnx.out), classes(ir.out));

  ASSERT_EQ(test::run_tool("int8-run", {"infer", "-m", dir.file("squeezenet1_1.xml"), "-i",
                                        fx("squeezenet1_1.input.npy"), "-o", dir.path()})
                .exit_code,
            0);
  Tensor out = read_npy(dir.file("logits.npy"));
  Tensor expected = read_npy(fx("squeezenet1_1.expected.npy"));
  auto a = to_floats(out), b = to_floats(expected);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-3);
}

TEST(Int8RunCli, ImageInputIsDecodedResizedAndCropped) {
  std::string model = test::material("openvino-ir/ir10-2020.2/squeezenet1.1/FP16/squeezenet1.1.xml");
  if (model.empty()) GTEST_SKIP() << "no ../shared/material";
  std::string img = test::material("imagenet-sample-100/n01440764_tench.JPEG");
  auto r = test::run_tool("int8-run", {"infer", "-m", model, "-i", img, "--bgr", "--resize", "256"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("top-5"), std::string::npos) << r.out;
  test::TempDir dir;
  std::string bytes = test::read(img);
  test::write(dir.file("cut.jpg"), bytes.substr(0, bytes.size() / 3));
  auto bad = test::run_tool("int8-run", {"infer", "-m", model, "-i", dir.file("cut.jpg")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("cut.jpg"), std::string::npos) << bad.err;
}

TEST(Int8RunCli, BadInputsExitWithCodes) {
  test::TempDir dir;
  auto no_model =
      test::run_tool("int8-run", {"infer", "-m", dir.file("none.xml"), "-i", fx("vgg.input.npy")});
  EXPECT_EQ(no_model.exit_code, 2);
  EXPECT_NE(no_model.err.find("none.xml"), std::string::npos);
  test::write(dir.file("bad.npy"), "nope");
  auto bad_npy = test::run_tool("int8-run", {"infer", "-m", fx("vgg.onnx"), "-i", dir.file("bad.npy")});
  EXPECT_EQ(bad_npy.exit_code, 2);
  EXPECT_NE(bad_npy.err.find("bad.npy"), std::string::npos);
  test::write(dir.file("wrong.npy"), to_npy(make_f32({1, 3, 8, 8}, std::vector<float>(192, 0.f))));
  auto wrong = test::run_tool("int8-run", {"infer", "-m", fx("vgg.onnx"), "-i", dir.file("wrong.npy")});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("[1,3,64,64]"), std::string::npos) << wrong.err;
  auto usage = test::run_tool("int8-run", {"infer", "-m", fx("vgg.onnx")});
  EXPECT_EQ(usage.exit_code, 1);
  auto name =
      test::run_tool("int8-run", {"infer", "-m", fx("vgg.onnx"), "-i", "image=" + fx("vgg.input.npy")});
  EXPECT_EQ(name.exit_code, 1);
  EXPECT_NE(name.err.find("inputs: input"), std::string::npos) << name.err;
}

}  // namespace
}  // namespace q8
