// Fields q8's graph_def.proto leaves out (GraphDef.library, NodeDef.experimental_debug_info,
// anything newer TF adds) must survive load -> save, on hand-made and on real TF graphs.
#include <google/protobuf/unknown_field_set.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.h"
#include "tf/graph_def_io.h"
#include "tf/wire_fields.h"

namespace q8::tf {
namespace {

using google::protobuf::util::MessageDifferencer;

// An opaque message body standing in for a FunctionDefLibrary / debug info: a nested
// string field, so protobuf must carry it as one length-delimited unknown field.
const std::string kOpaque = std::string("\x0a\x07") + "fn_body";

// The fixture with unknown fields added at the wire level: field 6 inside the last node
// (NodeDef.experimental_debug_info), GraphDef field 2 (library) and a varint field 99.
std::string with_unknown_fields(const std::string& graph) {
  const auto fields = wire::split_fields(graph, "fixture");
  size_t last_node = 0;
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].is_message(1)) last_node = i;
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i != last_node) {
      out.append(wire::bytes_of(graph, fields[i]));
      continue;
    }
    std::string node(wire::payload_of(graph, fields[i]));
    wire::append_message_field(node, 6, kOpaque);
    wire::append_message_field(out, 1, node);
  }
  wire::append_message_field(out, 2, kOpaque);
  out += "\x98\x06\x2a";  // field 99, varint 42
  return out;
}

TEST(UnknownFields, SurviveLoadSaveLoad) {
  test::TempDir dir;
  const std::string bytes = with_unknown_fields(test::read(test::fixture("tf/argmax_classifier.pb")));
  GraphDef g = parse_graph_def(bytes, "unknown.pb");
  ASSERT_EQ(g.GetReflection()->GetUnknownFields(g).field_count(), 2);
  const NodeDef& last = g.node(g.node_size() - 1);
  ASSERT_EQ(last.GetReflection()->GetUnknownFields(last).field_count(), 1);

  save_graph_def(g, dir.file("saved.pb"));
  const std::string saved = test::read(dir.file("saved.pb"));
  GraphDef again = parse_graph_def(saved, "saved.pb");
  EXPECT_TRUE(MessageDifferencer::Equals(g, again));
  const auto& unknown = again.GetReflection()->GetUnknownFields(again);
  ASSERT_EQ(unknown.field_count(), 2);
  EXPECT_EQ(unknown.field(0).number(), 2);
  EXPECT_EQ(unknown.field(0).length_delimited(), kOpaque);
  EXPECT_EQ(unknown.field(1).number(), 99);
  EXPECT_EQ(unknown.field(1).varint(), 42u);
  const NodeDef& last_again = again.node(again.node_size() - 1);
  EXPECT_EQ(last_again.GetReflection()->GetUnknownFields(last_again).field(0).length_delimited(), kOpaque);
  // Known fields first, unknown ones after, in file order: here that is the input order.
  EXPECT_EQ(saved, bytes);
}

TEST(UnknownFields, DifferencerSeesThem) {
  // Guards the test above: if unknown fields were ignored by the comparison it would prove nothing.
  const std::string base = test::read(test::fixture("tf/argmax_classifier.pb"));
  GraphDef plain = parse_graph_def(base, "plain.pb");
  GraphDef extra = parse_graph_def(with_unknown_fields(base), "extra.pb");
  EXPECT_FALSE(MessageDifferencer::Equals(plain, extra));
}

// Real TensorFlow 1.x frozen graphs (shared material; skipped when absent).
class RealGraphs : public testing::TestWithParam<std::string> {};

TEST_P(RealGraphs, LoadSaveLoadGivesTheSameMessage) {
  const std::string path = test::material("tf-kws/" + GetParam());
  if (path.empty() || !test::exists(path)) GTEST_SKIP() << "material tf-kws absent";
  test::TempDir dir;
  const std::string original = test::read(path);
  GraphDef g = parse_graph_def(original, path);
  EXPECT_GT(g.node_size(), 10);
  save_graph_def(g, dir.file("copy.pb"));
  const std::string copy = test::read(dir.file("copy.pb"));
  EXPECT_TRUE(MessageDifferencer::Equals(g, parse_graph_def(copy, "copy.pb")));
  // Not byte-identical: TF's Python wrote attr maps in insertion order, we write them
  // sorted (deterministic). Same content, so same size; and our output is a fixed point.
  // Byte-exact edits of such files go through the wire-level editor instead.
  EXPECT_EQ(copy.size(), original.size());
  save_graph_def(parse_graph_def(copy, "copy.pb"), dir.file("copy2.pb"));
  EXPECT_TRUE(test::read(dir.file("copy2.pb")) == copy);
}

INSTANTIATE_TEST_SUITE_P(TfKws, RealGraphs, testing::Values("DS_CNN_S.pb", "CNN_S.pb", "DNN_S.pb"),
                         [](const auto& info) { return std::filesystem::path(info.param).stem().string(); });

}  // namespace
}  // namespace q8::tf
