// The QDQ exporter on hand-built graphs: weight FakeQuantize -> int8 level indices (rounded as the
// reference FakeQuantize rounds) + per-axis DequantizeLinear; activation FakeQuantize -> int8 for
// pot's symmetric ranges, uint8 otherwise (nudged with a warning); inexpressible forms are errors
// naming the layer; the result passes the ONNX checker and shape inference.
#include <gtest/gtest.h>

#include <cstring>
#include <map>

#include "base/error.h"
#include "graph/shape_infer.h"
#include "onnx/export_qdq.h"
#include "onnx/onnx_io.h"
#include "tensor/convert.h"

namespace q8 {
namespace {

struct QdqUnitLimits {
  std::vector<float> lo, hi;
  Shape shape;
};

Node* qdq_unit_fq(Graph& g, const std::string& name, Output x, const QdqUnitLimits& in,
                  const QdqUnitLimits& out, int64_t levels) {
  Node* fq = g.add("FakeQuantize", name);
  fq->set_attr("levels", levels);
  fq->inputs = {x, g.add_const(name + "/il", make_f32(in.shape, in.lo))->output(),
                g.add_const(name + "/ih", make_f32(in.shape, in.hi))->output(),
                g.add_const(name + "/ol", make_f32(out.shape, out.lo))->output(),
                g.add_const(name + "/oh", make_f32(out.shape, out.hi))->output()};
  return fq;
}

// x [1,3,2,2] -> FakeQuantize(act) -> Convolution(FakeQuantize(weights [2,3,1,1], 255 levels, per channel)).
Graph qdq_unit_graph(const QdqUnitLimits& act, const QdqUnitLimits& act_out, int64_t act_levels) {
  Graph g;
  g.name = "unit";
  Node* x = g.add_parameter("x", ElementType::kF32, Shape{1, 3, 2, 2});
  Node* a = qdq_unit_fq(g, "act_fq", x->output(), act, act_out, act_levels);
  Node* w = g.add_const("w", make_f32({2, 3, 1, 1}, {0.5f, 1.5f, 2.5f, 1.0f, -3.0f, 300.0f}));
  QdqUnitLimits wl{{-127, -254}, {127, 254}, {2, 1, 1, 1}};
  Node* wq = qdq_unit_fq(g, "w_fq", w->output(), wl, wl, 255);
  Node* conv = g.add("Convolution", "conv");
  conv->set_attr("strides", std::vector<int64_t>{1, 1});
  conv->set_attr("dilations", std::vector<int64_t>{1, 1});
  conv->set_attr("pads_begin", std::vector<int64_t>{0, 0});
  conv->set_attr("pads_end", std::vector<int64_t>{0, 0});
  conv->inputs = {a->output(), wq->output()};
  g.add_result("out", conv->output());
  infer_shapes(g);
  return g;
}

const onnx::TensorProto* qdq_unit_init(const onnx::ModelProto& m, const std::string& name) {
  for (const auto& t : m.graph().initializer())
    if (t.name() == name) return &t;
  return nullptr;
}

const onnx::NodeProto* qdq_unit_node(const onnx::ModelProto& m, const std::string& op) {
  for (const auto& n : m.graph().node())
    if (n.op_type() == op) return &n;
  return nullptr;
}

// The weights DequantizeLinear: the one reading an initializer.
const onnx::NodeProto* qdq_unit_weights_dq(const onnx::ModelProto& m) {
  for (const auto& n : m.graph().node())
    if (n.op_type() == "DequantizeLinear" && qdq_unit_init(m, n.input(0))) return &n;
  return nullptr;
}

template <typename T>
std::vector<T> qdq_unit_raw(const onnx::TensorProto& t) {
  std::vector<T> v(t.raw_data().size() / sizeof(T));
  std::memcpy(v.data(), t.raw_data().data(), t.raw_data().size());
  return v;
}

onnx::ModelProto qdq_unit_export(const Graph& g, onnxexp::ExportReport* report) {
  onnx::ModelProto m = onnxexp::export_qdq(g, {}, report);
  onnxio::check_model(m, "exported");
  onnx::ModelProto inferred = m;
  onnxio::infer_shapes(inferred, "exported");
  return m;
}

TEST(ExportQdqUnit, WeightsAreTheFakeQuantizeLevelIndices) {
  QdqUnitLimits act{{-1.28f}, {1.27f}, {}};
  Graph g = qdq_unit_graph(act, act, 256);
  onnxexp::ExportReport report;
  onnx::ModelProto m = qdq_unit_export(g, &report);
  EXPECT_EQ(report.quantized_weights, 1);
  EXPECT_EQ(report.activation_fq, 1);
  const onnx::NodeProto* dq = qdq_unit_weights_dq(m);
  ASSERT_NE(dq, nullptr);
  const auto* q = qdq_unit_init(m, dq->input(0));
  ASSERT_EQ(q->data_type(), onnx::TensorProto::INT8);
  // Levels are rounded half to even on the level index (127.5 -> 128, 128.5 -> 128, 129.5 -> 130),
  // then shifted by 127: 0.5 -> 1, 1.5 -> 1, 2.5 -> 3; 300 saturates at 127.
  EXPECT_EQ(qdq_unit_raw<int8_t>(*q), (std::vector<int8_t>{1, 1, 3, 1, -1, 127}));
  EXPECT_EQ(qdq_unit_raw<float>(*qdq_unit_init(m, dq->input(1))), (std::vector<float>{1.0f, 2.0f}));
  EXPECT_EQ(qdq_unit_raw<int8_t>(*qdq_unit_init(m, dq->input(2))), (std::vector<int8_t>{0, 0}));
  ASSERT_EQ(dq->attribute_size(), 1);
  EXPECT_EQ(dq->attribute(0).name(), "axis");
  EXPECT_EQ(dq->attribute(0).i(), 0);
  // The DequantizeLinear feeds Conv directly (ONNX Runtime's QDQ Conv pattern).
  const onnx::NodeProto* conv = qdq_unit_node(m, "Conv");
  ASSERT_NE(conv, nullptr);
  EXPECT_EQ(conv->input(1), dq->output(0));
}

TEST(ExportQdqUnit, ActivationTypesFollowTheRange) {
  struct Case {
    float lo, hi;
    int32_t type;
    int zero;
    bool warns;
  };
  for (const Case& c : {Case{-1.28f, 1.27f, onnx::TensorProto::INT8, 0, false},
                        Case{0.0f, 2.55f, onnx::TensorProto::UINT8, 0, false},
                        Case{-0.3f, 2.2f, onnx::TensorProto::UINT8, 31, true}}) {
    QdqUnitLimits act{{c.lo}, {c.hi}, {}};
    onnxexp::ExportReport report;
    onnx::ModelProto m = qdq_unit_export(qdq_unit_graph(act, act, 256), &report);
    const onnx::NodeProto* q = qdq_unit_node(m, "QuantizeLinear");
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(q->input(0), "x");
    const auto* zp = qdq_unit_init(m, q->input(2));
    EXPECT_EQ(zp->data_type(), c.type) << c.lo;
    EXPECT_EQ(static_cast<uint8_t>(zp->raw_data()[0]), c.zero) << c.lo;
    EXPECT_FLOAT_EQ(qdq_unit_raw<float>(*qdq_unit_init(m, q->input(1)))[0], (c.hi - c.lo) / 255.0f);
    EXPECT_EQ(report.warnings.size(), c.warns ? 1u : 0u) << c.lo;
  }
}

TEST(ExportQdqUnit, PerChannelActivationsGetAnAxis) {
  QdqUnitLimits act{{0.0f, 0.0f, 0.0f}, {2.55f, 5.1f, 1.0f}, {1, 3, 1, 1}};
  onnx::ModelProto m = qdq_unit_export(qdq_unit_graph(act, act, 256), nullptr);
  const onnx::NodeProto* q = qdq_unit_node(m, "QuantizeLinear");
  ASSERT_NE(q, nullptr);
  ASSERT_EQ(q->attribute_size(), 1);
  EXPECT_EQ(q->attribute(0).i(), 1);
  EXPECT_EQ(qdq_unit_init(m, q->input(1))->dims_size(), 1);
}

TEST(ExportQdqUnit, InexpressibleActivationQuantizationNamesTheLayer) {
  QdqUnitLimits act{{-1.0f}, {1.0f}, {}}, other{{-2.0f}, {2.0f}, {}};
  auto expect_error = [](const Graph& g, const std::string& part) {
    try {
      onnxexp::export_qdq(g, {}, nullptr);
      ADD_FAILURE() << "no error for " << part;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kBadInput);
      EXPECT_NE(e.describe().find("act_fq"), std::string::npos) << e.describe();
      EXPECT_NE(e.describe().find("FakeQuantize"), std::string::npos) << e.describe();
      EXPECT_NE(e.describe().find(part), std::string::npos) << e.describe();
    }
  };
  expect_error(qdq_unit_graph(act, act, 16), "16 levels");
  expect_error(qdq_unit_graph(act, other, 256), "output range");
}

TEST(ExportQdqUnit, OpsetOutsideTheRangeIsAUsageError) {
  QdqUnitLimits act{{-1.28f}, {1.27f}, {}};
  Graph g = qdq_unit_graph(act, act, 256);
  try {
    onnxexp::export_qdq(g, {12}, nullptr);
    ADD_FAILURE() << "opset 12 accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUsage);
  }
}

}  // namespace
}  // namespace q8
