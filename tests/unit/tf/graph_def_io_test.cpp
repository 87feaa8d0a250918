// Loading and saving GraphDefs: bad input of every kind, unknown fields kept, real TF graphs.
#include "tf/graph_def_io.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "base/error.h"
#include "test_support.h"
#include "tf/wire_fields.h"

namespace q8::tf {
namespace {

using google::protobuf::util::MessageDifferencer;

const std::string kFixture = test::fixture("tf/argmax_classifier.pb");

// Expects `fn` to throw a bad-input error whose text contains every string in `parts`.
template <typename Fn>
void expect_bad_input(Fn&& fn, const std::vector<std::string>& parts) {
  try {
    fn();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kBadInput) << e.what();
    for (const auto& p : parts) EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << e.what();
  }
}

TEST(GraphDefIo, LoadsTheFixtureClassifier) {
  GraphDef g = load_graph_def(kFixture);
  ASSERT_EQ(g.node_size(), 13);
  EXPECT_EQ(g.versions().producer(), 27);
  const NodeDef& argmax = g.node(12);
  EXPECT_EQ(argmax.op(), "ArgMax");
  EXPECT_EQ(argmax.attr().at("output_type").type(), DT_INT64);
  EXPECT_EQ(g.node(1).attr().at("value").tensor().tensor_content().size(), 3u * 3 * 3 * 4 * sizeof(float));
}

TEST(GraphDefIo, EmptyFileIsBadInputNamingTheFile) {
  test::TempDir dir;
  test::write(dir.file("empty.pb"), "");
  expect_bad_input([&] { load_graph_def(dir.file("empty.pb")); }, {dir.file("empty.pb"), "empty"});
}

TEST(GraphDefIo, TruncatedFileIsBadInput) {
  test::TempDir dir;
  std::string bytes = test::read(kFixture);
  test::write(dir.file("cut.pb"), bytes.substr(0, bytes.size() / 2));
  expect_bad_input([&] { load_graph_def(dir.file("cut.pb")); },
                   {dir.file("cut.pb"), "not a valid TensorFlow GraphDef"});
}

TEST(GraphDefIo, GarbageIsBadInput) {
  test::TempDir dir;
  test::write(dir.file("garbage.pb"), "this is a text file, not a frozen graph\n");
  expect_bad_input([&] { load_graph_def(dir.file("garbage.pb")); }, {dir.file("garbage.pb")});
}

TEST(GraphDefIo, OnnxFileParsesAsNodelessGraphAndIsRejected) {
  // protobuf keeps fields with unexpected wire types as unknown fields, so an ONNX model
  // "parses" as a GraphDef with no nodes: that must still be an error.
  const std::string onnx = test::fixture("onnx/argmax_classifier.onnx");
  expect_bad_input([&] { load_graph_def(onnx); }, {onnx, "no nodes"});
}

TEST(GraphDefIo, MissingFileIsBadInput) {
  expect_bad_input([] { load_graph_def("/nonexistent/model.pb"); }, {"/nonexistent/model.pb"});
}

TEST(GraphDefIo, InvalidUtf8IsOneErrorAndNothingOnStderr) {
  std::string bytes;
  std::string name = "bad\xff\xfename";
  wire::append_message_field(bytes, 1, std::string("\x0a") + char(name.size()) + name + "\x12\x05" + "Const");
  testing::internal::CaptureStderr();
  expect_bad_input([&] { parse_graph_def(bytes, "utf8.pb"); }, {"utf8.pb", "UTF-8"});
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

TEST(GraphDefIo, NodeWithoutOpIsBadInput) {
  GraphDef g;
  g.add_node()->set_name("lonely");
  std::string bytes;
  g.SerializeToString(&bytes);
  expect_bad_input([&] { parse_graph_def(bytes, "noop.pb"); }, {"noop.pb", "node #0"});
}

TEST(GraphDefIo, SaveIsDeterministicAndRoundTrips) {
  test::TempDir dir;
  GraphDef g = load_graph_def(kFixture);
  save_graph_def(g, dir.file("a.pb"));
  save_graph_def(g, dir.file("b.pb"));
  EXPECT_EQ(test::read(dir.file("a.pb")), test::read(dir.file("b.pb")));
  EXPECT_EQ(test::read(dir.file("a.pb")), test::read(kFixture));
  EXPECT_TRUE(MessageDifferencer::Equals(load_graph_def(dir.file("a.pb")), g));
}

TEST(GraphDefIo, SaveIntoMissingDirectoryLeavesNothing) {
  test::TempDir dir;
  GraphDef g = load_graph_def(kFixture);
  EXPECT_THROW(save_graph_def(g, dir.file("missing/out.pb")), Error);
  EXPECT_TRUE(test::list_dir(dir.path()).empty());
}

TEST(GraphDefIo, SniffsGraphDefContent) {
  EXPECT_TRUE(looks_like_graph_def(test::read(kFixture)));
  EXPECT_FALSE(looks_like_graph_def(test::read(test::fixture("onnx/argmax_classifier.onnx"))));
  EXPECT_FALSE(looks_like_graph_def(""));
}

}  // namespace
}  // namespace q8::tf
