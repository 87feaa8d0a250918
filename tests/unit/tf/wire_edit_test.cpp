// The byte-preserving attr editor: only the edited entry and enclosing lengths change.
#include "tf/wire_edit.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "base/error.h"
#include "test_support.h"
#include "tf/graph_def_io.h"
#include "tf/wire_fields.h"

namespace q8::tf {
namespace {

using google::protobuf::util::MessageDifferencer;

AttrValue type_value(DataType t) {
  AttrValue v;
  v.set_type(t);
  return v;
}

// Byte range [begin, end) of the index-th node field in a serialized GraphDef.
std::pair<size_t, size_t> node_range(const std::string& graph, int index) {
  int i = 0;
  for (const auto& f : wire::split_fields(graph, "graph"))
    if (f.is_message(1) && i++ == index) return {f.begin, f.end};
  return {0, 0};
}

const std::string kWireFixture = test::fixture("tf/argmax_classifier.pb");
constexpr int kArgMax = 12;

TEST(WireEdit, ChangesOnlyTheEditedNode) {
  const std::string in = test::read(kWireFixture);
  const std::string out = edit_node_attrs(in, {{kArgMax, "output_type", type_value(DT_FLOAT)}}, "fixture");
  auto [begin, end] = node_range(in, kArgMax);
  ASSERT_EQ(out.size(), in.size());  // same-size value: no length changes at all
  EXPECT_EQ(out.substr(0, begin), in.substr(0, begin));
  EXPECT_EQ(out.substr(end), in.substr(end));
  size_t differing = 0;
  for (size_t i = begin; i < end; ++i) differing += in[i] != out[i];
  EXPECT_EQ(differing, 1u);  // the enum varint 9 -> 1

  GraphDef expected = parse_graph_def(in, "in");
  (*expected.mutable_node(kArgMax)->mutable_attr())["output_type"] = type_value(DT_FLOAT);
  EXPECT_TRUE(MessageDifferencer::Equals(expected, parse_graph_def(out, "out")));
}

TEST(WireEdit, AppendsAnAbsentAttr) {
  GraphDef g = load_graph_def(kWireFixture);
  g.mutable_node(kArgMax)->mutable_attr()->erase("output_type");  // TF's default then applies
  const std::string in = serialize_graph_def(g);
  const std::string out = edit_node_attrs(in, {{kArgMax, "output_type", type_value(DT_INT32)}}, "g");
  auto [begin, end] = node_range(in, kArgMax);
  EXPECT_EQ(out.substr(0, begin), in.substr(0, begin));
  EXPECT_EQ(out.substr(out.size() - (in.size() - end)), in.substr(end));
  GraphDef edited = parse_graph_def(out, "out");
  EXPECT_EQ(edited.node(kArgMax).attr().at("output_type").type(), DT_INT32);
  EXPECT_EQ(edited.node(kArgMax).attr_size(), 3);
}

TEST(WireEdit, GrowingEntryReencodesTheEnclosingLengths) {
  // A 300-byte value pushes the entry, the node and their length varints past 127 bytes.
  const std::string in = test::read(kWireFixture);
  AttrValue big;
  big.set_s(std::string(300, 'x'));
  const std::string out =
      edit_node_attrs(in, {{kArgMax, "_note", big}, {2, "T", type_value(DT_HALF)}}, "fixture");
  GraphDef expected = parse_graph_def(in, "in");
  (*expected.mutable_node(kArgMax)->mutable_attr())["_note"] = big;
  (*expected.mutable_node(2)->mutable_attr())["T"] = type_value(DT_HALF);
  EXPECT_TRUE(MessageDifferencer::Equals(expected, parse_graph_def(out, "out")));
  auto [begin, end] = node_range(in, 2);
  EXPECT_EQ(out.substr(0, begin), in.substr(0, begin));  // node 2 is the first edit
}

TEST(WireEdit, KeepsUnknownFieldsOfTheEditedNode) {
  const std::string in = test::read(kWireFixture);
  auto [begin, end] = node_range(in, kArgMax);
  std::string node = in.substr(begin, end - begin);
  node = node.substr(wire::split_fields(node, "n")[0].payload);  // strip tag+length
  wire::append_message_field(node, 6,
                             "\x0a\x03"
                             "dbg");  // experimental_debug_info
  std::string graph = in.substr(0, begin);
  wire::append_message_field(graph, 1, node);
  graph += in.substr(end);

  const std::string out = edit_node_attrs(graph, {{kArgMax, "output_type", type_value(DT_FLOAT)}}, "g");
  EXPECT_NE(out.find("\x32\x05\x0a\x03"
                     "dbg"),
            std::string::npos);
  GraphDef edited = parse_graph_def(out, "out");
  const auto& unknown = edited.node(kArgMax).GetReflection()->GetUnknownFields(edited.node(kArgMax));
  ASSERT_EQ(unknown.field_count(), 1);
  EXPECT_EQ(unknown.field(0).number(), 6);
}

TEST(WireEdit, DuplicateMapEntriesAreAllRewritten) {
  // protobuf keeps the last of repeated map keys; rewriting only the first would be a no-op.
  std::string node;
  wire::append_message_field(node, 1, "am");
  wire::append_message_field(node, 2, "ArgMax");
  for (int i = 0; i < 2; ++i) {
    std::string entry;
    wire::append_message_field(entry, 1, "output_type");
    wire::append_message_field(entry, 2, "\x30\x09");
    wire::append_message_field(node, 5, entry);
  }
  std::string graph;
  wire::append_message_field(graph, 1, node);
  const std::string out = edit_node_attrs(graph, {{0, "output_type", type_value(DT_FLOAT)}}, "g");
  EXPECT_EQ(parse_graph_def(out, "out").node(0).attr().at("output_type").type(), DT_FLOAT);
  EXPECT_EQ(out.find("\x30\x09"), std::string::npos);
}

TEST(WireEdit, MalformedBytesAreBadInput) {
  std::string in = test::read(kWireFixture);
  try {
    edit_node_attrs(in.substr(0, in.size() - 3), {{kArgMax, "output_type", type_value(DT_FLOAT)}}, "cut.pb");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kBadInput);
    EXPECT_NE(std::string(e.what()).find("cut.pb"), std::string::npos);
  }
}

TEST(WireEdit, NodeIndexPastTheEndIsInternalError) {
  try {
    edit_node_attrs(test::read(kWireFixture), {{13, "T", type_value(DT_FLOAT)}}, "fixture");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInternal);
  }
}

}  // namespace
}  // namespace q8::tf
