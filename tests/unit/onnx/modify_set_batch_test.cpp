#include <gtest/gtest.h>

#include "modify_test_util.h"
#include "onnx/modify.h"

namespace q8::test {
namespace {

TEST(OnnxModifySetBatch, RealEyeModelNumericBatch) {
  const auto path = eye_model_path();
  if (path.empty()) GTEST_SKIP() << "material folder absent";
  auto m = onnxio::load_model(path);
  onnxmod::set_batch(m, "4");
  validated(m);
  EXPECT_EQ(dims_of(m.graph().input(0)), (std::vector<int64_t>{4, 3, 32, 32}));
  EXPECT_EQ(dims_of(m.graph().output(0)), (std::vector<int64_t>{4, 2, 1, 1}));
  // Intermediate value_info is re-inferred with the new batch.
  const auto* relu = find_value(m.graph().value_info(), "10");
  ASSERT_NE(relu, nullptr);
  EXPECT_EQ(dims_of(*relu)[0], 4);
}

TEST(OnnxModifySetBatch, RealEyeModelSymbolicBatch) {
  const auto path = eye_model_path();
  if (path.empty()) GTEST_SKIP() << "material folder absent";
  auto m = onnxio::load_model(path);
  onnxmod::set_batch(m, "N");
  validated(m);
  EXPECT_EQ(m.graph().input(0).type().tensor_type().shape().dim(0).dim_param(), "N");
  EXPECT_EQ(m.graph().output(0).type().tensor_type().shape().dim(0).dim_param(), "N");
}

TEST(OnnxModifySetBatch, SameBatchOnSsdKeepsShapesAndDoesNotWarn) {
  auto m = load_ssd(13);
  testing::internal::CaptureStderr();
  onnxmod::set_batch(m, "1");
  const auto err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err.find("Reshape"), std::string::npos) << err;
  validated(m);
  EXPECT_EQ(dims_of(*find_value(m.graph().output(), "bboxes")), (std::vector<int64_t>{1, 10, 4}));
  EXPECT_GT(m.graph().value_info_size(), 0);
}

TEST(OnnxModifySetBatch, HardCodedReshapeWarnsAndFailsOnTheOutput) {
  // The fixture reshapes to (1, -1, 4): a batch of 2 then clashes with the [128,2] anchors.
  auto m = load_ssd(11);
  testing::internal::CaptureStderr();
  expect_error([&] { onnxmod::set_batch(m, "2"); }, ErrorKind::kBadInput, {"batch 2", "/Mul_1"});
  const auto err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("Reshape '/Reshape'"), std::string::npos) << err;
  EXPECT_NE(err.find("Reshape '/Reshape_1'"), std::string::npos) << err;
}

TEST(OnnxModifySetBatch, BadBatchIsAUsageError) {
  auto m = load_ssd(11);
  for (const char* bad : {"0", "-3", "", "2x", "N-1"})
    expect_error([&] { onnxmod::set_batch(m, bad); }, ErrorKind::kUsage, {"--batch"});
}

}  // namespace
}  // namespace q8::test

namespace q8::test {
namespace {

// x [1,4] -> Reshape(shape = [1,-1]) -> y [1,4]: the constant 1 pins the batch.
onnx::ModelProto pinned_batch_model() {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(13);
  auto* g = m.mutable_graph();
  g->set_name("pinned");
  for (auto* v : {g->add_input(), g->add_output()}) {
    v->set_name(v == &g->input(0) ? "x" : "y");
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    t->mutable_shape()->add_dim()->set_dim_value(1);
    t->mutable_shape()->add_dim()->set_dim_value(4);
  }
  auto* shape = g->add_initializer();
  shape->set_name("shape");
  shape->set_data_type(onnx::TensorProto::INT64);
  shape->add_dims(2);
  shape->add_int64_data(1);
  shape->add_int64_data(-1);
  auto* node = g->add_node();
  node->set_op_type("Reshape");
  node->set_name("flatten");
  node->add_input("x");
  node->add_input("shape");
  node->add_output("y");
  return m;
}

TEST(OnnxModifySetBatch, OutputPinnedByAReshapeInitializerIsAnError) {
  for (const char* batch : {"3", "N"}) {
    auto m = pinned_batch_model();
    validated(m);
    testing::internal::CaptureStderr();
    expect_error([&] { onnxmod::set_batch(m, batch); }, ErrorKind::kBadInput,
                 {"output 'y'", "dim 0 = 1", std::string("batch ") + batch, "hard-codes"});
    const auto err = testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("Reshape 'flatten' has a constant shape 'shape'"), std::string::npos) << err;
  }
}

}  // namespace
}  // namespace q8::test
