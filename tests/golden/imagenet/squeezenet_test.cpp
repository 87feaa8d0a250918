// An ImageNet SqueezeNet 1.1 IR written by OpenVINO (FP16, BGR 0..255, mean inside) run through
// `int8-run eval`'s code path (directory + val list, the preprocessing contract, our IR reader and
// reference executor) on the 100 sample images: top-1 must reach the 63% OpenVINO's own
// preprocessing gets (short side 256 bilinear, center crop 227, BGR).
#include <gtest/gtest.h>

#include <cstdio>

#include "convert/eval.h"
#include "test_support.h"

namespace q8 {
namespace {

double score(const std::string& out, const std::string& metric) {
  size_t at = out.rfind(metric + ": ");
  return at == std::string::npos ? -1 : std::stod(out.substr(at + metric.size() + 2));
}

TEST(SqueezeNetIr, ImageNetSampleTop1) {
  std::string model = test::material("openvino-ir/ir10-2020.2/squeezenet1.1/FP16/squeezenet1.1.xml");
  if (model.empty()) GTEST_SKIP() << "no ../shared/material";
  std::string dir = test::material("imagenet-sample-100");
  tools::EvalOptions o;
  o.model = model;
  o.dataset = dir;
  o.annotations = dir + "/val.txt";
  o.metric = "top1";
  o.image.bgr = true;
  o.image.resize_short = 256;
  std::string out = tools::run_eval(o);
  EXPECT_NE(out.find("images: 100"), std::string::npos) << out;
  double top1 = score(out, "top1"), top5 = score(out, "top5");
  RecordProperty("top1", std::to_string(top1));
  std::printf(
      "SqueezeNet 1.1 FP16 IR (OpenVINO-written), reference executor: top-1 %.0f%%, top-5 %.0f%% on 100 "
      "images\n",
      top1, top5);
  EXPECT_GE(top1, 60.0);
  EXPECT_GE(top5, top1);
}

}  // namespace
}  // namespace q8
