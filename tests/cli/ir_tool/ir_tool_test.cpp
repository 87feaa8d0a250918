#include <gtest/gtest.h>

#include "test_support.h"

namespace q8 {
namespace {

const char* kLandmarks =
    "openvino-ir/ir11-2022.1/landmarks-regression-retail-0009/FP16-INT8/landmarks-regression-retail-0009.xml";

TEST(IrToolCli, InfoPrintsInputsOutputsAndOps) {
  std::string model = test::material(kLandmarks);
  if (model.empty()) GTEST_SKIP() << "no ../shared/material";
  auto r = test::run_tool("ir-tool", {"info", model});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("IR v11"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("input:  0 f32[1,3,48,48]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FakeQuantize opset1"), std::string::npos);
  auto j = test::run_tool("ir-tool", {"info", "--json", model});
  ASSERT_EQ(j.exit_code, 0);
  EXPECT_NE(j.out.find("\"ir_version\": 11"), std::string::npos) << j.out;
}

TEST(IrToolCli, ConvertV11ToV10IsDeterministic) {
  std::string model = test::material(kLandmarks);
  if (model.empty()) GTEST_SKIP() << "no ../shared/material";
  test::TempDir dir;
  ASSERT_EQ(test::run_tool("ir-tool", {"convert", model, "-o", dir.file("a.xml")}).exit_code, 0);
  ASSERT_EQ(test::run_tool("ir-tool", {"convert", dir.file("a.xml"), "-o", dir.file("b.xml")}).exit_code, 0);
  EXPECT_EQ(test::read(dir.file("a.xml")), test::read(dir.file("b.xml")));
  EXPECT_EQ(test::read(dir.file("a.bin")), test::read(dir.file("b.bin")));
  EXPECT_NE(test::read(dir.file("a.xml")).find("version=\"10\""), std::string::npos);
  auto c = test::run_tool("ir-tool", {"check", dir.file("b.xml")});
  EXPECT_EQ(c.exit_code, 0) << c.err;
}

TEST(IrToolCli, BadInputExitsTwoNamingTheFileAndWritesNothing) {
  test::TempDir dir;
  test::write(dir.file("bad.xml"),
              "<net version=\"10\"><layers><layer id=\"0\" name=\"p\" type=\"Nope\" version=\"opset1\"/>");
  auto r = test::run_tool("ir-tool", {"convert", dir.file("bad.xml"), "-o", dir.file("out.xml")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.xml"), std::string::npos) << r.err;
  EXPECT_EQ(test::list_dir(dir.path()), std::vector<std::string>{"bad.xml"});
  // One error line, no stack dump.
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(IrToolCli, UnknownOpIsNamed) {
  test::TempDir dir;
  test::write(dir.file("m.xml"), R"(<net name="m" version="10"><layers>
<layer id="0" name="mystery" type="Frobnicate" version="opset3"/></layers><edges/></net>)");
  auto r = test::run_tool("ir-tool", {"check", dir.file("m.xml")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("layer 'mystery' (id 0): unsupported op Frobnicate (version opset3)"),
            std::string::npos)
      << r.err;
}

TEST(IrToolCli, UsageErrorsExitOne) {
  auto none = test::run_tool("ir-tool", {});
  EXPECT_EQ(none.exit_code, 1);
  auto flag = test::run_tool("ir-tool", {"info", "--frobnicate", "x.xml"});
  EXPECT_EQ(flag.exit_code, 1);
  EXPECT_NE(flag.err.find("--help"), std::string::npos);
  auto missing_o = test::run_tool("ir-tool", {"convert", "x.xml"});
  EXPECT_EQ(missing_o.exit_code, 1);
  EXPECT_NE(missing_o.err.find("--output"), std::string::npos) << missing_o.err;
}

TEST(IrToolCli, RefusesToOverwriteItsInput) {
  std::string model = test::material(kLandmarks);
  if (model.empty()) GTEST_SKIP() << "no ../shared/material";
  test::TempDir dir;
  ASSERT_EQ(test::run_tool("ir-tool", {"convert", model, "-o", dir.file("a.xml")}).exit_code, 0);
  std::string before = test::read(dir.file("a.xml"));
  auto r = test::run_tool("ir-tool", {"convert", dir.file("a.xml"), "-o", dir.file("a.xml")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(test::read(dir.file("a.xml")), before);
}

TEST(IrToolCli, MissingFileExitsTwo) {
  auto r = test::run_tool("ir-tool", {"info", "/nonexistent/m.xml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/m.xml"), std::string::npos);
}

}  // namespace
}  // namespace q8
