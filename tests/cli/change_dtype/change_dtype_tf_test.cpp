// change-dtype on TensorFlow graphs: the seed's ArgMax INT64 -> FP32 job, end to end.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "test_support.h"
#include "tf/graph_def_io.h"
#include "tf/wire_fields.h"

namespace q8 {
namespace {

using google::protobuf::util::MessageDifferencer;

const std::string kTfFixture = test::fixture("tf/argmax_classifier.pb");

// Byte range of the node named `name` in a serialized GraphDef.
std::pair<size_t, size_t> node_range(const std::string& graph, const std::string& name) {
  tf::GraphDef g = tf::parse_graph_def(graph, "graph");
  int index = 0;
  while (index < g.node_size() && g.node(index).name() != name) ++index;
  int i = 0;
  for (const auto& f : tf::wire::split_fields(graph, "graph"))
    if (f.is_message(1) && i++ == index) return {f.begin, f.end};
  return {0, 0};
}

TEST(ChangeDtypeTf, SeedJobArgMaxToFloat32) {
  test::TempDir dir;
  auto r = test::run_tool("change-dtype",
                          {kTfFixture, "-o", dir.file("out.pb"), "--op", "ArgMax", "--to", "float32"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("node 'predictions' (ArgMax): output_type int64 -> float32"), std::string::npos)
      << r.err;
  const std::string in = test::read(kTfFixture), out = test::read(dir.file("out.pb"));

  // Outside the edited node every byte is the same.
  auto [begin, end] = node_range(in, "predictions");
  ASSERT_LT(begin, end);
  EXPECT_TRUE(out.substr(0, begin) == in.substr(0, begin));
  EXPECT_TRUE(out.substr(out.size() - (in.size() - end)) == in.substr(end));

  // Loaded, the graphs differ in that one attr only.
  tf::GraphDef expected = tf::parse_graph_def(in, "in");
  tf::GraphDef actual = tf::parse_graph_def(out, "out");
  EXPECT_EQ(actual.node(12).attr().at("output_type").type(), tf::DT_FLOAT);
  (*expected.mutable_node(12)->mutable_attr())["output_type"].set_type(tf::DT_FLOAT);
  EXPECT_TRUE(MessageDifferencer::Equals(expected, actual));
}

TEST(ChangeDtypeTf, ByNodeNameWithOpCheckAndTfSpelling) {
  test::TempDir dir;
  auto r = test::run_tool("change-dtype", {kTfFixture, "-o", dir.file("out.pb"), "--node", "predictions",
                                           "--op", "ArgMax", "--to", "DT_INT32", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");  // --quiet
  EXPECT_EQ(tf::load_graph_def(dir.file("out.pb")).node(12).attr().at("output_type").type(), tf::DT_INT32);
}

TEST(ChangeDtypeTf, ExplicitAttr) {
  test::TempDir dir;
  auto r = test::run_tool("change-dtype", {kTfFixture, "-o", dir.file("out.pb"), "--node", "probabilities",
                                           "--attr", "T", "--to", "half"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(tf::load_graph_def(dir.file("out.pb")).node(10).attr().at("T").type(), tf::DT_HALF);
}

TEST(ChangeDtypeTf, SameInputAndFlagsGiveIdenticalBytes) {
  test::TempDir dir;
  for (const char* name : {"a.pb", "b.pb"}) {
    auto r = test::run_tool("change-dtype",
                            {kTfFixture, "-o", dir.file(name), "--op", "ArgMax", "--to", "float32"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_TRUE(test::read(dir.file("a.pb")) == test::read(dir.file("b.pb")));
}

TEST(ChangeDtypeTf, RealTfGraphKeepsEveryOtherByte) {
  const std::string path = test::material("tf-kws/CNN_S.pb");
  if (path.empty() || !test::exists(path)) GTEST_SKIP() << "material tf-kws absent";
  test::TempDir dir;
  auto r = test::run_tool("change-dtype", {path, "-o", dir.file("out.pb"), "--node", "labels_softmax",
                                           "--attr", "T", "--to", "float16"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string in = test::read(path), out = test::read(dir.file("out.pb"));
  auto [begin, end] = node_range(in, "labels_softmax");
  ASSERT_EQ(out.size(), in.size());
  EXPECT_TRUE(out.substr(0, begin) == in.substr(0, begin));
  EXPECT_TRUE(out.substr(end) == in.substr(end));
}

}  // namespace
}  // namespace q8
