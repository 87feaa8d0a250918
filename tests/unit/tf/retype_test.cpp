// change-dtype's TF logic: which nodes, which attr, which errors.
#include "tf/retype.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "base/error.h"
#include "test_support.h"
#include "tf/graph_def_io.h"

namespace q8::tf {
namespace {

using google::protobuf::util::MessageDifferencer;

const std::string kRetypeFixture = test::fixture("tf/argmax_classifier.pb");

std::string error_of(const std::function<void()>& fn, ErrorKind kind) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

NodeDef& add(GraphDef& g, const std::string& name, const std::string& op) {
  NodeDef& n = *g.add_node();
  n.set_name(name);
  n.set_op(op);
  return n;
}

void set_type(NodeDef& n, const std::string& attr, DataType t) {
  (*n.mutable_attr())[attr].set_type(t);
}

TEST(TfRetype, SeedJobArgMaxInt64ToFloat) {
  const std::string in = test::read(kRetypeFixture);
  const std::string out = retype_graph_def(in, {"ArgMax", "", DT_FLOAT, ""}, "fixture");
  GraphDef expected = parse_graph_def(in, "in");
  set_type(*expected.mutable_node(12), "output_type", DT_FLOAT);
  EXPECT_TRUE(MessageDifferencer::Equals(expected, parse_graph_def(out, "out")));
  EXPECT_EQ(out.size(), in.size());
}

TEST(TfRetype, KnownTypeAttrs) {
  EXPECT_EQ(known_type_attr("ArgMax"), "output_type");
  EXPECT_EQ(known_type_attr("ArgMin"), "output_type");
  EXPECT_EQ(known_type_attr("Shape"), "out_type");
  EXPECT_EQ(known_type_attr("Size"), "out_type");
  EXPECT_EQ(known_type_attr("Cast"), "DstT");
  EXPECT_EQ(known_type_attr("Conv2D"), "");
}

TEST(TfRetype, PlansEveryNodeOfTheOpAndReportsOldTypes) {
  GraphDef g;
  set_type(add(g, "a", "Shape"), "out_type", DT_INT32);
  add(g, "b", "Relu");
  add(g, "c", "Shape");  // out_type absent: TF's default
  set_type(add(g, "d", "Cast"), "DstT", DT_HALF);
  auto changes = plan_retype(g, {"Shape", "", DT_INT64, ""}, "g.pb");
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].node, "a");
  EXPECT_EQ(changes[0].from, DT_INT32);
  EXPECT_EQ(changes[1].node, "c");
  EXPECT_EQ(changes[1].node_index, 2);
  EXPECT_EQ(changes[1].from, DT_INVALID);
  auto cast = plan_retype(g, {"", "d", DT_FLOAT, ""}, "g.pb");
  ASSERT_EQ(cast.size(), 1u);
  EXPECT_EQ(cast[0].attr, "DstT");
}

TEST(TfRetype, AbsentAttrIsAdded) {
  GraphDef g;
  add(g, "s", "Size");
  const std::string out = retype_graph_def(serialize_graph_def(g), {"Size", "", DT_INT64, ""}, "g.pb");
  EXPECT_EQ(parse_graph_def(out, "out").node(0).attr().at("out_type").type(), DT_INT64);
}

TEST(TfRetype, AlreadyAtTargetLeavesBytesAlone) {
  const std::string in = test::read(kRetypeFixture);
  EXPECT_EQ(retype_graph_def(in, {"", "predictions", DT_INT64, ""}, "fixture"), in);
}

TEST(TfRetype, ExplicitAttrOnAnyNode) {
  const std::string in = test::read(kRetypeFixture);
  const std::string out = retype_graph_def(in, {"", "probabilities", DT_HALF, "T"}, "fixture");
  EXPECT_EQ(parse_graph_def(out, "out").node(10).attr().at("T").type(), DT_HALF);
}

TEST(TfRetype, NoNodeOfTheOpListsOpTypesPresent) {
  GraphDef g = load_graph_def(kRetypeFixture);
  std::string msg = error_of(
      [&] {
        plan_retype(g, {"TopKV2", "", DT_FLOAT, ""}, "f.pb");
      },
      ErrorKind::kBadInput);
  EXPECT_NE(msg.find("f.pb: no node of op type 'TopKV2'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("ArgMax, BiasAdd, Const, Conv2D, MatMul, Mean, Placeholder, Relu, Softmax"),
            std::string::npos)
      << msg;
}

TEST(TfRetype, NoNodeOfThatNameListsCandidates) {
  GraphDef g = load_graph_def(kRetypeFixture);
  std::string msg = error_of(
      [&] {
        plan_retype(g, {"", "argmax", DT_FLOAT, ""}, "f.pb");
      },
      ErrorKind::kBadInput);
  EXPECT_NE(msg.find("no node named 'argmax'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'predictions' (ArgMax)"), std::string::npos) << msg;
}

TEST(TfRetype, NodeWithoutKnownTypeAttr) {
  GraphDef g = load_graph_def(kRetypeFixture);
  std::string msg = error_of(
      [&] {
        plan_retype(g, {"", "conv1/Conv2D", DT_FLOAT, ""}, "f.pb");
      },
      ErrorKind::kBadInput);
  EXPECT_NE(msg.find("node 'conv1/Conv2D' is a Conv2D, not an op with a known output type attr"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("--attr"), std::string::npos) << msg;
}

TEST(TfRetype, NodeOfTheWrongOp) {
  GraphDef g = load_graph_def(kRetypeFixture);
  std::string msg = error_of(
      [&] {
        plan_retype(g, {"ArgMax", "conv1/Conv2D", DT_FLOAT, ""}, "f.pb");
      },
      ErrorKind::kBadInput);
  EXPECT_NE(msg.find("node 'conv1/Conv2D' is a Conv2D, not ArgMax"), std::string::npos) << msg;
}

TEST(TfRetype, ExplicitAttrThatIsNotAType) {
  GraphDef g = load_graph_def(kRetypeFixture);
  std::string msg = error_of(
      [&] {
        plan_retype(g, {"", "conv1/Conv2D", DT_FLOAT, "padding"}, "f.pb");
      },
      ErrorKind::kBadInput);
  EXPECT_NE(msg.find("attr 'padding' does not hold a data type"), std::string::npos) << msg;
}

TEST(TfRetype, MissingSelectionOrTypeIsUsage) {
  GraphDef g = load_graph_def(kRetypeFixture);
  error_of([&] { plan_retype(g, {"", "", DT_FLOAT, ""}, "f.pb"); }, ErrorKind::kUsage);
  error_of([&] { plan_retype(g, {"ArgMax", "", DT_INVALID, ""}, "f.pb"); }, ErrorKind::kUsage);
}

TEST(TfRetype, RealGraphEditStaysInsideTheNode) {
  const std::string path = test::material("tf-kws/DS_CNN_S.pb");
  if (path.empty() || !test::exists(path)) GTEST_SKIP() << "material tf-kws absent";
  const std::string in = test::read(path);
  GraphDef g = parse_graph_def(in, path);
  const std::string out = retype_graph_def(in, {"Softmax", "", DT_HALF, "T"}, path);
  size_t first = 0;
  while (first < in.size() && in[first] == out[first]) ++first;
  size_t tail = 0;
  while (tail < in.size() && in[in.size() - 1 - tail] == out[out.size() - 1 - tail]) ++tail;
  EXPECT_EQ(out.size(), in.size());
  EXPECT_LT(in.size() - first - tail, 200u) << "differences spread beyond one node";
  GraphDef edited = parse_graph_def(out, "out");
  for (int i = 0; i < g.node_size(); ++i)
    if (g.node(i).op() == "Softmax") set_type(*g.mutable_node(i), "T", DT_HALF);
  EXPECT_TRUE(MessageDifferencer::Equals(g, edited));
}

TEST(TfFixture, RegeneratingGivesIdenticalBytes) {
  test::TempDir dir;
  auto r = test::run_tool("make-tf-fixture", {dir.file("regen.pb")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::read(dir.file("regen.pb")), test::read(kRetypeFixture));
}

}  // namespace
}  // namespace q8::tf
