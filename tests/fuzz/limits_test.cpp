// Resource limits: a file or model claiming a huge tensor or image (2^40 elements, 60000 x 60000
// pixels) or data past the end of its .bin is a clean q8::Error naming the file and the layer or
// tensor, raised before anything of that size is allocated; constant folding does not allocate a
// folded 2^40-element constant either.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <cstring>
#include <string>

#include "fuzz.h"
#include "graph/shape_infer.h"
#include "image/image.h"
#include "ir/ir.h"
#include "onnx/frontend.h"
#include "passes/passes.h"
#include "tensor/convert.h"
#include "tensor/npy.h"
#include "tensor/tensor.h"
#include "test_support.h"
#include "tf/frontend.h"

namespace q8 {
namespace {

constexpr int64_t kTwo40 = int64_t{1} << 40;

// The error `fn` throws (a q8::Error of bad-input kind), as its one-line description.
template <typename Fn>
std::string bad_input_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kBadInput) << e.describe();
    return e.describe();
  }
  ADD_FAILURE() << "no error";
  return "";
}

// An IR v10 with one f32 Const of `shape` read from (offset, size) of the .bin, feeding a Result.
std::string const_ir(const std::string& shape, int64_t offset, int64_t size) {
  return R"(<?xml version="1.0"?>
<net name="limits" version="10"><layers>
<layer id="0" name="huge_const" type="Const" version="opset1">
<data element_type="f32" shape=")" +
         shape + R"(" offset=")" + std::to_string(offset) + R"(" size=")" + std::to_string(size) +
         R"("/><output><port id="0" precision="FP32"/></output></layer>
<layer id="1" name="out" type="Result" version="opset1"><input><port id="0"/></input></layer>
</layers><edges><edge from-layer="0" from-port="0" to-layer="1" to-port="0"/></edges></net>)";
}

TEST(FuzzLimits, IrConstOf2To40ElementsIsRejectedNamingTheLayer) {
  std::string bin(16, '\0');
  std::string msg = bad_input_of([&] { ir::parse(const_ir("1099511627776", 0, 16), bin, "m.xml", "m.bin"); });
  EXPECT_NE(msg.find("m.xml"), std::string::npos) << msg;
  EXPECT_NE(msg.find("huge_const"), std::string::npos) << msg;
  EXPECT_NE(msg.find("4398046511104 bytes"), std::string::npos) << msg;
}

TEST(FuzzLimits, IrConstWhoseElementCountOverflowsIsRejected) {
  std::string bin(16, '\0');
  std::string msg =
      bad_input_of([&] { ir::parse(const_ir("1099511627776,1099511627776", 0, 16), bin, "m.xml", "m.bin"); });
  EXPECT_NE(msg.find("huge_const"), std::string::npos) << msg;
  EXPECT_NE(msg.find("64-bit"), std::string::npos) << msg;
}

TEST(FuzzLimits, IrDataPastTheEndOfTheBinIsRejected) {
  std::string bin(16, '\0');
  for (int64_t offset : {int64_t{4}, int64_t{1000}, INT64_MAX - 8}) {
    std::string msg = bad_input_of([&] { ir::parse(const_ir("4", offset, 16), bin, "m.xml", "m.bin"); });
    EXPECT_NE(msg.find("huge_const"), std::string::npos) << msg;
    EXPECT_NE(msg.find("past the end of m.bin"), std::string::npos) << msg;
  }
}

TEST(FuzzLimits, OnnxInitializerClaimingTerabytesWithoutDataIsRejected) {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.add_opset_import()->set_version(13);
  onnx::GraphProto* graph = model.mutable_graph();
  graph->set_name("limits");
  onnx::ValueInfoProto* x = graph->add_input();
  x->set_name("x");
  x->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  x->mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_value(1);
  onnx::TensorProto* w = graph->add_initializer();
  w->set_name("huge_w");
  w->set_data_type(onnx::TensorProto::FLOAT);
  w->add_dims(int64_t{1} << 20);
  w->add_dims(int64_t{1} << 20);
  onnx::NodeProto* add = graph->add_node();
  add->set_op_type("Add");
  add->add_input("x");
  add->add_input("huge_w");
  add->add_output("y");
  graph->add_output()->set_name("y");
  std::string msg = bad_input_of([&] { onnxfe::import_model(model, {}, "m.onnx"); });
  EXPECT_NE(msg.find("huge_w"), std::string::npos) << msg;
  EXPECT_NE(msg.find("has 0 values"), std::string::npos) << msg;  // the data check, not an allocation
}

TEST(FuzzLimits, GraphDefConstClaimingTerabytesIsRejected) {
  for (bool content : {false, true}) {
    tf::GraphDef g;
    tf::NodeDef* c = g.add_node();
    c->set_name("huge_c");
    c->set_op("Const");
    (*c->mutable_attr())["dtype"].set_type(tf::DT_FLOAT);
    tf::TensorProto* t = (*c->mutable_attr())["value"].mutable_tensor();
    t->set_dtype(tf::DT_FLOAT);
    t->mutable_tensor_shape()->add_dim()->set_size(int64_t{1} << 20);
    t->mutable_tensor_shape()->add_dim()->set_size(int64_t{1} << 20);
    if (content)
      t->set_tensor_content(std::string(4, '\0'));
    else
      t->add_float_val(1.0f);  // a splat: TF's short value list
    tf::NodeDef* out = g.add_node();
    out->set_name("out");
    out->set_op("Identity");
    out->add_input("huge_c");
    (*out->mutable_attr())["T"].set_type(tf::DT_FLOAT);
    std::string msg = bad_input_of([&] { tffe::import_graph_def(g, {}, "m.pb"); });
    EXPECT_NE(msg.find("huge_c"), std::string::npos) << msg;
    EXPECT_NE(msg.find("4398046511104"), std::string::npos) << msg;
  }
}

std::string npy_with_shape(const std::string& shape) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }\n";
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header + std::string(16, '\0');
}

TEST(FuzzLimits, NpyHeaderClaimingHugeShapesIsRejected) {
  std::string msg = bad_input_of([&] { parse_npy(npy_with_shape("1099511627776,"), "h.npy"); });
  EXPECT_NE(msg.find("h.npy"), std::string::npos) << msg;
  EXPECT_NE(msg.find("4398046511104"), std::string::npos) << msg;
  msg = bad_input_of([&] { parse_npy(npy_with_shape("1099511627776, 1099511627776"), "h.npy"); });
  EXPECT_NE(msg.find("64-bit"), std::string::npos) << msg;
}

TEST(FuzzLimits, TensorOverTheLimitIsRejectedBeforeAllocation) {
  std::string msg = bad_input_of([&] { Tensor(ElementType::kF32, Shape{kTwo40}); });
  EXPECT_NE(msg.find("f32[1099511627776]"), std::string::npos) << msg;
  EXPECT_NE(msg.find("limit"), std::string::npos) << msg;
}

uint32_t crc32_of(const std::string& bytes) {
  uint32_t crc = 0xffffffffu;
  for (unsigned char b : bytes) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void put_be32(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + static_cast<size_t>(i)] = static_cast<char>(v >> (24 - 8 * i));
}

TEST(FuzzLimits, PngHeaderClaiming60000x60000IsRejected) {
  std::string png = test::read(std::string(Q8_FUZZ_DIR) + "/corpus/png/rgb8.png");
  ASSERT_EQ(png.substr(12, 4), "IHDR");
  put_be32(png, 16, 60000);
  put_be32(png, 20, 60000);
  put_be32(png, 29, crc32_of(png.substr(12, 17)));  // the chunk's CRC covers type + data
  std::string msg = bad_input_of([&] { image::decode(png, "big.png"); });
  EXPECT_NE(msg.find("big.png"), std::string::npos) << msg;
  EXPECT_NE(msg.find("60000x60000"), std::string::npos) << msg;
}

TEST(FuzzLimits, JpegHeaderClaiming60000x60000IsRejected) {
  std::string jpg = test::read(std::string(Q8_FUZZ_DIR) + "/corpus/jpeg/rgb.jpg");
  size_t sof = jpg.find("\xff\xc0");
  ASSERT_NE(sof, std::string::npos);
  // SOF0: marker, length (2), precision (1), height (2), width (2).
  for (size_t at : {sof + 5, sof + 7}) {
    jpg[at] = static_cast<char>(60000 >> 8);
    jpg[at + 1] = static_cast<char>(60000 & 0xff);
  }
  std::string msg = bad_input_of([&] { image::decode(jpg, "big.jpg"); });
  EXPECT_NE(msg.find("big.jpg"), std::string::npos) << msg;
  EXPECT_NE(msg.find("60000x60000"), std::string::npos) << msg;
}

TEST(FuzzLimits, FoldingTileBroadcastOrReshapeTo2To40ElementsIsAnError) {
  for (const char* op : {"Tile", "Broadcast", "Reshape"}) {
    SCOPED_TRACE(op);
    Graph g;
    Node* data = g.add_const("one", make_f32({1}, {1.0f}));
    Node* n = g.add(op, "huge_fold");
    if (std::string(op) == "Reshape") n->set_attr("special_zero", false);
    if (std::string(op) == "Tile")
      n->inputs = {data->output(), g.add_const("repeats", make_i64({1}, {kTwo40}))->output()};
    else if (std::string(op) == "Reshape")
      n->inputs = {data->output(), g.add_const("to", make_i64({2}, {kTwo40, kTwo40}))->output()};
    else
      n->inputs = {data->output(),
                   g.add_const("target", make_i64({2}, {int64_t{1} << 20, int64_t{1} << 20}))->output()};
    g.add_result("out", n->output());
    std::string msg = bad_input_of([&] {
      infer_node(*n);
      passes::fold_constants(g);
    });
    EXPECT_NE(msg.find("huge_fold"), std::string::npos) << msg;
  }
}

// Regression (onnx fuzz target): shape inference multiplied dims without an overflow check (UBSan:
// signed integer overflow in dim_mul).
TEST(FuzzLimits, TileRepeatsOverflowingADimAreAShapeError) {
  Graph g;
  Node* x = g.add_parameter("x", ElementType::kF32, PartialShape(Shape{2, 4}));
  Node* n = g.add("Tile", "huge_tile");
  n->inputs = {x->output(),
               g.add_const("repeats", make_i64({2}, {int64_t{1} << 62, int64_t{1} << 62}))->output()};
  std::string msg = bad_input_of([&] { infer_node(*n); });
  EXPECT_NE(msg.find("overflows 64 bits"), std::string::npos) << msg;
}

}  // namespace
}  // namespace q8
