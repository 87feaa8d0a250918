// Every way change-dtype can be misused: one clear error, a documented exit code, no output
// file, input untouched.
#include <gtest/gtest.h>

#include <algorithm>

#include "test_support.h"

namespace q8 {
namespace {

const std::string kPb = test::fixture("tf/argmax_classifier.pb");
const std::string kOnnx = test::fixture("onnx/argmax_classifier.onnx");
constexpr int kUsage = 1, kBadInput = 2;

struct Case {
  test::TempDir dir;
  std::string out = dir.file("out.model");
};

// Runs change-dtype, expects `code`, stderr containing each of `parts`, and no output file.
std::string expect_failure(Case& c, std::vector<std::string> args, int code,
                           const std::vector<std::string>& parts) {
  auto r = test::run_tool("change-dtype", args);
  EXPECT_EQ(r.exit_code, code) << r.err;
  for (const auto& p : parts)
    EXPECT_NE(r.err.find(p), std::string::npos) << "missing '" << p << "' in: " << r.err;
  EXPECT_FALSE(test::exists(c.out));
  for (const auto& f : test::list_dir(c.dir.path())) EXPECT_EQ(f.find(".tmp"), std::string::npos) << f;
  if (code == kBadInput) {
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  return r.err;
}

TEST(ChangeDtypeErrors, NoNodeOfTheOpTf) {
  Case c;
  expect_failure(c, {kPb, "-o", c.out, "--op", "TopKV2", "--to", "float32"}, kBadInput,
                 {kPb, "no node of op type 'TopKV2'", "op types present:", "ArgMax", "Conv2D"});
}

TEST(ChangeDtypeErrors, NoNodeOfTheOpOnnx) {
  Case c;
  expect_failure(c, {kOnnx, "-o", c.out, "--op", "TopK", "--to", "float32"}, kBadInput,
                 {kOnnx, "no node of op type 'TopK'", "ArgMax", "GatherElements"});
}

TEST(ChangeDtypeErrors, NoNodeOfThatName) {
  Case c;
  expect_failure(c, {kPb, "-o", c.out, "--node", "logits", "--to", "float32"}, kBadInput,
                 {"no node named 'logits'", "'predictions' (ArgMax)"});
}

TEST(ChangeDtypeErrors, NodeWithoutATypeAttr) {
  Case c;
  expect_failure(c, {kPb, "-o", c.out, "--node", "conv1/Conv2D", "--to", "float32"}, kBadInput,
                 {"node 'conv1/Conv2D' is a Conv2D, not an op with a known output type attr", "ArgMax"});
}

TEST(ChangeDtypeErrors, NodeOfAnotherOp) {
  Case c;
  expect_failure(c, {kOnnx, "-o", c.out, "--node", "/Softmax", "--op", "ArgMax", "--to", "float32"},
                 kBadInput, {"node '/Softmax' is a Softmax, not ArgMax"});
}

TEST(ChangeDtypeErrors, OnnxNodeWritingNoGraphOutput) {
  Case c;
  expect_failure(c, {kOnnx, "-o", c.out, "--node", "/Relu", "--to", "float16"}, kBadInput,
                 {"node '/Relu' (Relu) writes no graph output", "'label'"});
}

TEST(ChangeDtypeErrors, UnknownTargetType) {
  Case c;
  expect_failure(c, {kPb, "-o", c.out, "--op", "ArgMax", "--to", "float33"}, kUsage,
                 {"unknown data type 'float33'"});
  expect_failure(c, {kOnnx, "-o", c.out, "--op", "ArgMax", "--to", "float33"}, kUsage,
                 {"unknown element type 'float33'"});
}

TEST(ChangeDtypeErrors, MissingFlags) {
  Case c;
  expect_failure(c, {kPb, "--op", "ArgMax", "--to", "float32"}, kUsage, {"--output"});
  expect_failure(c, {kPb, "-o", c.out, "--to", "float32"}, kUsage, {"--op TYPE or --node NAME"});
  expect_failure(c, {kPb, "-o", c.out, "--op", "ArgMax"}, kUsage, {"--to"});
  expect_failure(c, {kPb, "-o", c.out, "--op", "ArgMax", "--to", "float32", "--frobnicate"}, kUsage,
                 {"--help"});
}

TEST(ChangeDtypeErrors, AttrFlagOnOnnx) {
  Case c;
  expect_failure(c, {kOnnx, "-o", c.out, "--op", "ArgMax", "--to", "float32", "--attr", "to"}, kUsage,
                 {"--attr applies to TensorFlow graphs only"});
}

TEST(ChangeDtypeErrors, OutputIsTheInput) {
  Case c;
  const std::string in = c.dir.file("model.pb");
  test::write(in, test::read(kPb));
  expect_failure(c, {in, "-o", in, "--op", "ArgMax", "--to", "float32"}, kUsage, {"is the input file"});
  expect_failure(c, {in, "-o", c.dir.path() + "/./model.pb", "--op", "ArgMax", "--to", "float32"}, kUsage,
                 {"is the input file"});
  EXPECT_TRUE(test::read(in) == test::read(kPb));
}

TEST(ChangeDtypeErrors, OutputDirectoryMissing) {
  Case c;
  expect_failure(c, {kPb, "-o", c.dir.file("no/such/dir/out.pb"), "--op", "ArgMax", "--to", "float32"},
                 kUsage, {"does not exist"});
}

TEST(ChangeDtypeErrors, MissingInput) {
  Case c;
  expect_failure(c, {c.dir.file("absent.pb"), "-o", c.out, "--op", "ArgMax", "--to", "float32"}, kBadInput,
                 {c.dir.file("absent.pb"), "cannot open"});
}

struct BadFile {
  std::string name, bytes, message;
};
// Test listings show the file name, not the raw bytes of the struct.
void PrintTo(const BadFile& f, std::ostream* os) {
  *os << f.name;
}

class ChangeDtypeBadInput : public testing::TestWithParam<BadFile> {};

TEST_P(ChangeDtypeBadInput, OneErrorNamingTheFile) {
  Case c;
  const std::string in = c.dir.file(GetParam().name);
  test::write(in, GetParam().bytes);
  expect_failure(c, {in, "-o", c.out, "--op", "ArgMax", "--to", "float32"}, kBadInput,
                 {in, GetParam().message});
}

std::vector<BadFile> bad_files() {
  const std::string pb = test::read(kPb), onnx = test::read(kOnnx);
  return {
      {"empty.pb", "", "empty file, expected a TensorFlow GraphDef"},
      {"empty.onnx", "", "empty file, expected an ONNX model"},
      {"empty.bin", "", "empty file"},
      {"truncated.pb", pb.substr(0, pb.size() * 2 / 3), "not a valid TensorFlow GraphDef"},
      {"truncated.onnx", onnx.substr(0, onnx.size() * 2 / 3), "not a valid ONNX model"},
      {"truncated_noext", pb.substr(0, pb.size() / 2), "not a valid TensorFlow GraphDef"},
      {"garbage.pb", "GIF89a garbage, certainly not protobuf", "TensorFlow GraphDef"},
      {"garbage.onnx", "GIF89a garbage, certainly not protobuf", "ONNX"},
      {"garbage.dat", "GIF89a garbage, certainly not protobuf", "unknown format"},
  };
}

INSTANTIATE_TEST_SUITE_P(Files, ChangeDtypeBadInput, testing::ValuesIn(bad_files()), [](const auto& info) {
  std::string n = info.param.name;
  std::replace(n.begin(), n.end(), '.', '_');
  return n;
});

}  // namespace
}  // namespace q8
