// Every writing subcommand refuses broken inputs the same way: exit code, one error line
// naming the file, and no output file.
#include "cli_util.h"

namespace q8::test {
namespace {

// Arguments after "INPUT -o OUTPUT" that would succeed on the SSD fixture.
std::vector<std::string> command(const std::string& sub, const std::string& in, const std::string& out) {
  if (sub == "concat-outputs")
    return {sub, in, "-o", out, "--outputs", "bboxes,labels", "--axis", "2", "--name", "output"};
  if (sub == "rename") return {sub, in, "-o", out, "image=pixels"};
  if (sub == "extract") return {sub, in, "-o", out, "--inputs", "image", "--outputs", "scores"};
  return {sub, in, "-o", out, "--batch", "1"};
}

class OnnxModifyBadInput : public ::testing::TestWithParam<std::string> {};

TEST_P(OnnxModifyBadInput, TheCommandWorksOnTheFixture) {
  TempDir dir;
  const auto r = modify(command(GetParam(), ssd(13), dir.file("out.onnx")));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(list_dir(dir.path()), (std::vector<std::string>{"out.onnx"}));
}

TEST_P(OnnxModifyBadInput, EmptyTruncatedAndGarbageFilesAreRejected) {
  const std::string model = read(ssd(13));
  static constexpr char kGarbage[] = "\xff\xfe garbage \x01\x02\x03 not a protobuf \x7f\x80";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty.onnx", ""},
      {"half.onnx", model.substr(0, model.size() / 2)},
      {"garbage.onnx", std::string(kGarbage, sizeof kGarbage - 1)},
  };
  for (const auto& [name, bytes] : cases) {
    TempDir dir;
    write(dir.file(name), bytes);
    const auto r = modify(command(GetParam(), dir.file(name), dir.file("out.onnx")));
    SCOPED_TRACE(name);
    expect_failure(r, 2, {name}, dir, {name});
  }
}

TEST_P(OnnxModifyBadInput, MissingInputFileIsRejected) {
  TempDir dir;
  const auto r = modify(command(GetParam(), dir.file("absent.onnx"), dir.file("out.onnx")));
  expect_failure(r, 2, {"absent.onnx"}, dir, {});
}

TEST_P(OnnxModifyBadInput, OutputEqualToInputNeverOverwritesIt) {
  TempDir dir;
  write(dir.file("in.onnx"), read(ssd(13)));
  for (const auto& out : {dir.file("in.onnx"), dir.path() + "/./in.onnx"}) {
    const auto r = modify(command(GetParam(), dir.file("in.onnx"), out));
    expect_failure(r, 1, {"in.onnx", "input"}, dir, {"in.onnx"});
  }
  EXPECT_EQ(read(dir.file("in.onnx")), read(ssd(13)));
}

TEST_P(OnnxModifyBadInput, MissingOutputFlagIsAUsageError) {
  TempDir dir;
  auto args = command(GetParam(), ssd(13), "");
  args.erase(args.begin() + 2, args.begin() + 4);  // drop "-o" and its value
  expect_failure(modify(args), 1, {"--output"}, dir, {});
}

TEST_P(OnnxModifyBadInput, UnknownFlagIsAUsageError) {
  TempDir dir;
  auto args = command(GetParam(), ssd(13), dir.file("out.onnx"));
  args.push_back("--frobnicate");
  const auto r = modify(args);
  expect_failure(r, 1, {"--frobnicate"}, dir, {});
  EXPECT_NE(r.err.find("--help"), std::string::npos) << r.err;
}

TEST_P(OnnxModifyBadInput, MissingOutputDirectoryIsAUsageError) {
  TempDir dir;
  const auto r = modify(command(GetParam(), ssd(13), dir.file("no/such/dir/out.onnx")));
  expect_failure(r, 1, {"no/such/dir"}, dir, {});
}

INSTANTIATE_TEST_SUITE_P(Subcommands, OnnxModifyBadInput,
                         ::testing::Values("concat-outputs", "rename", "extract", "set-batch"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (auto& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

TEST(OnnxModifyCli, NoOrUnknownSubcommandIsAUsageError) {
  EXPECT_EQ(modify({}).exit_code, 1);
  const auto r = modify({"frobnicate", ssd(13)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("subcommand is required"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace q8::test
