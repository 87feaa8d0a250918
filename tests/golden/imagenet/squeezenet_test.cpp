// An ImageNet SqueezeNet 1.1 IR written by OpenVINO (FP16, BGR 0..255, mean inside) run by our IR
// reader and reference executor on the 100 sample images: top-1 must reach the 63% OpenVINO's
// own preprocessing gets (short side 256 bilinear, center crop 227, BGR).
#include <gtest/gtest.h>

#include <sstream>

#include "convert/infer.h"
#include "image/preprocess.h"
#include "ir/ir.h"
#include "runtime/reference.h"
#include "tensor/convert.h"
#include "test_support.h"

namespace q8 {
namespace {

TEST(SqueezeNetIr, ImageNetSampleTop1) {
  std::string model = test::material("openvino-ir/ir10-2020.2/squeezenet1.1/FP16/squeezenet1.1.xml");
  if (model.empty()) GTEST_SKIP() << "no ../shared/material";
  std::string dir = test::material("imagenet-sample-100");
  Graph g = std::move(ir::read(model).graph);
  const Node* input = g.parameters().at(0);
  std::istringstream labels(test::read(dir + "/val.txt"));
  image::PreprocessOptions po;
  po.bgr = true;
  po.resize_short = 256;
  auto pre = image::Preprocess::for_input(input->outputs[0].shape, po, input->name());
  std::string file;
  int label = 0, total = 0, correct = 0;
  while (labels >> file >> label) {
    Tensor x = convert(pre.apply(image::read(dir + "/" + file)), input->outputs[0].type);
    auto out = runtime::run_reference(g, {{input->name(), x}});
    auto scores = to_floats(out.at(0).value);
    int top1 = static_cast<int>(std::max_element(scores.begin(), scores.end()) - scores.begin());
    correct += top1 == label;
    ++total;
  }
  EXPECT_EQ(total, 100);
  double top1 = 100.0 * correct / total;
  RecordProperty("top1", std::to_string(top1));
  std::printf("SqueezeNet 1.1 FP16 IR (OpenVINO-written), reference executor: top-1 %.0f%% on %d images\n",
              top1, total);
  EXPECT_GE(top1, 60.0);
}

}  // namespace
}  // namespace q8
