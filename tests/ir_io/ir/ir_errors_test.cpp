// Every kind of broken IR gives one bad-input error naming the file and the layer.
#include <gtest/gtest.h>

#include "base/error.h"
#include "ir/ir.h"
#include "test_support.h"

namespace q8 {
namespace {

// A valid IR v10: Parameter -> Convolution(Const w) -> ReLU -> Result; 4x3x1x1 f32 weights = 48 bytes.
std::string valid_xml() {
  return R"(<?xml version="1.0"?>
<net name="t" version="10">
  <layers>
    <layer id="0" name="x" type="Parameter" version="opset1">
      <data shape="1,3,4,4" element_type="f32"/>
      <output><port id="0" precision="FP32"><dim>1</dim><dim>3</dim><dim>4</dim><dim>4</dim></port></output>
    </layer>
    <layer id="1" name="w" type="Const" version="opset1">
      <data element_type="f32" shape="4,3,1,1" offset="0" size="48"/>
      <output><port id="0" precision="FP32"><dim>4</dim><dim>3</dim><dim>1</dim><dim>1</dim></port></output>
    </layer>
    <layer id="2" name="conv" type="Convolution" version="opset1">
      <data strides="1,1" dilations="1,1" pads_begin="0,0" pads_end="0,0" auto_pad="explicit"/>
      <input>
        <port id="0" precision="FP32"><dim>1</dim><dim>3</dim><dim>4</dim><dim>4</dim></port>
        <port id="1" precision="FP32"><dim>4</dim><dim>3</dim><dim>1</dim><dim>1</dim></port>
      </input>
      <output><port id="2" precision="FP32"><dim>1</dim><dim>4</dim><dim>4</dim><dim>4</dim></port></output>
    </layer>
    <layer id="3" name="relu" type="ReLU" version="opset1">
      <input><port id="0"><dim>1</dim><dim>4</dim><dim>4</dim><dim>4</dim></port></input>
      <output><port id="1" precision="FP32"><dim>1</dim><dim>4</dim><dim>4</dim><dim>4</dim></port></output>
    </layer>
    <layer id="4" name="out" type="Result" version="opset1">
      <input><port id="0"><dim>1</dim><dim>4</dim><dim>4</dim><dim>4</dim></port></input>
    </layer>
  </layers>
  <edges>
    <edge from-layer="0" from-port="0" to-layer="2" to-port="0"/>
    <edge from-layer="1" from-port="0" to-layer="2" to-port="1"/>
    <edge from-layer="2" from-port="2" to-layer="3" to-port="0"/>
    <edge from-layer="3" from-port="1" to-layer="4" to-port="0"/>
  </edges>
</net>
)";
}

std::string valid_bin() {
  return std::string(48, '\0');
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) s.replace(pos, from.size(), to);
  return s;
}

// Parses and returns the error text ("" when it parsed).
std::string error_of(const std::string& xml, const std::string& bin = valid_bin()) {
  try {
    ir::parse(xml, bin, "m.xml", "m.bin");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kBadInput) << e.describe();
    EXPECT_EQ(e.describe().rfind("m.xml: ", 0), 0u) << e.describe();
    return e.describe();
  }
  return "";
}

void expect_error(const std::string& xml, const std::vector<std::string>& fragments,
                  const std::string& bin = valid_bin()) {
  std::string err = error_of(xml, bin);
  ASSERT_FALSE(err.empty()) << "no error";
  for (const auto& f : fragments)
    EXPECT_NE(err.find(f), std::string::npos) << "'" << f << "' not in: " << err;
}

TEST(IrErrors, ValidModelParses) {
  auto m = ir::parse(valid_xml(), valid_bin(), "m.xml", "m.bin");
  EXPECT_EQ(m.graph.size(), 5u);
  EXPECT_EQ(m.graph.find_by_name("conv")->attr<std::string>("auto_pad"), "explicit");
}

TEST(IrErrors, EmptyTruncatedAndGarbage) {
  expect_error("", {"empty"});
  std::string xml = valid_xml();
  expect_error(xml.substr(0, xml.size() / 2), {"not well-formed XML", "line"});
  expect_error("\x89PNG\r\n garbage \x01\x02", {"not well-formed XML"});
  expect_error("<model/>", {"not <net>"});
}

TEST(IrErrors, UnsupportedVersionOrOp) {
  expect_error(replace(valid_xml(), "version=\"10\"", "version=\"7\""), {"IR version 7"});
  expect_error(replace(valid_xml(), "type=\"ReLU\"", "type=\"Frobnicate\""),
               {"layer 'relu' (id 3)", "unsupported op Frobnicate", "opset1"});
  expect_error(
      replace(valid_xml(), "type=\"ReLU\" version=\"opset1\"", "type=\"ReLU\" version=\"experimental\""),
      {"layer 'relu'", "experimental"});
}

TEST(IrErrors, AttributesMissingUnknownOrMalformed) {
  expect_error(replace(valid_xml(), " strides=\"1,1\"", ""),
               {"layer 'conv' (id 2", "missing required attribute 'strides'"});
  expect_error(replace(valid_xml(), "strides=\"1,1\"", "strides=\"1,x\""),
               {"layer 'conv'", "strides", "1,x"});
  expect_error(replace(valid_xml(), "auto_pad=\"explicit\"", "auto_pad=\"explicit\" wobble=\"1\""),
               {"layer 'conv'", "unknown attribute 'wobble'"});
  expect_error(replace(valid_xml(), "auto_pad=\"explicit\"", "auto_pad=\"sideways\""),
               {"auto_pad", "sideways"});
  expect_error(replace(valid_xml(), " type=\"Parameter\"", ""),
               {"layer 'x' (id 0)", "missing attribute 'type'"});
}

TEST(IrErrors, UnknownElementType) {
  expect_error(replace(valid_xml(), "element_type=\"f32\" shape=\"4,3,1,1\"",
                       "element_type=\"f33\" shape=\"4,3,1,1\""),
               {"layer 'w' (id 1", "element_type", "f33"});
  expect_error(
      replace(valid_xml(), "<port id=\"2\" precision=\"FP32\">", "<port id=\"2\" precision=\"FP33\">"),
      {"layer 'conv'", "unknown precision 'FP33'"});
}

TEST(IrErrors, WeightsOutOfRangeOrWrongSize) {
  expect_error(valid_xml(), {"layer 'w' (id 1", "past the end of m.bin", "(40 bytes)"},
               std::string(40, '\0'));
  expect_error(replace(valid_xml(), "offset=\"0\" size=\"48\"", "offset=\"8\" size=\"48\""),
               {"past the end"});
  expect_error(replace(valid_xml(), "size=\"48\"", "size=\"40\""), {"layer 'w'", "data size 40", "48 bytes"});
  expect_error(valid_xml(), {"layer 'w'", "m.bin is missing or empty"}, "");
}

TEST(IrErrors, DanglingAndDoubleEdges) {
  expect_error(replace(valid_xml(), "from-layer=\"3\" from-port=\"1\"", "from-layer=\"9\" from-port=\"1\""),
               {"dangling edge", "no layer with id 9"});
  expect_error(replace(valid_xml(), "from-layer=\"3\" from-port=\"1\"", "from-layer=\"3\" from-port=\"5\""),
               {"layer 'relu' (id 3", "has no output port 5"});
  expect_error(
      replace(valid_xml(), "<edge from-layer=\"2\" from-port=\"2\" to-layer=\"3\" to-port=\"0\"/>", ""),
      {"layer 'relu' (id 3", "input port 0 is not connected"});
  expect_error(replace(valid_xml(), "to-layer=\"2\" to-port=\"1\"", "to-layer=\"2\" to-port=\"0\""),
               {"connected twice"});
}

TEST(IrErrors, ShapeAndPrecisionMismatchOnAnEdge) {
  expect_error(replace(valid_xml(),
                       "<port id=\"0\"><dim>1</dim><dim>4</dim><dim>4</dim><dim>4</dim></port></input>\n     "
                       " <output><port id=\"1\"",
                       "<port id=\"0\"><dim>1</dim><dim>5</dim><dim>4</dim><dim>4</dim></port></input>\n     "
                       " <output><port id=\"1\""),
               {"shape mismatch", "[1,4,4,4]", "[1,5,4,4]", "layer 'relu'"});
  expect_error(
      replace(valid_xml(),
              "<port id=\"1\" precision=\"FP32\"><dim>4</dim><dim>3</dim><dim>1</dim><dim>1</dim></port>\n   "
              "   </input>",
              "<port id=\"1\" precision=\"FP16\"><dim>4</dim><dim>3</dim><dim>1</dim><dim>1</dim></port>\n   "
              "   </input>"),
      {"precision mismatch", "layer 'conv'"});
  expect_error(replace(valid_xml(), "<data shape=\"1,3,4,4\"", "<data shape=\"1,3,4,5\""),
               {"layer 'x' (id 0", "parameter declares"});
}

TEST(IrErrors, WrongNumberOfInputsAndDuplicateIds) {
  expect_error(replace(valid_xml(), "<layer id=\"4\"", "<layer id=\"3\""), {"id 3", "used twice"});
}

TEST(IrFiles, ReadNamesMissingFiles) {
  try {
    ir::read("/nonexistent/model.xml");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kBadInput);
    EXPECT_NE(e.describe().find("/nonexistent/model.xml"), std::string::npos);
  }
}

TEST(IrFiles, WriteIsAtomicAndDeterministic) {
  test::TempDir dir;
  auto m = ir::parse(valid_xml(), valid_bin(), "m.xml", "m.bin");
  ir::write(m.graph, dir.file("a.xml"));
  ir::write(m.graph, dir.file("b.xml"));
  EXPECT_EQ(test::read(dir.file("a.xml")), test::read(dir.file("b.xml")));
  EXPECT_EQ(test::read(dir.file("a.bin")), valid_bin());
  EXPECT_EQ(test::list_dir(dir.path()), (std::vector<std::string>{"a.bin", "a.xml", "b.bin", "b.xml"}));
  EXPECT_ANY_THROW(ir::write(m.graph, dir.file("missing-dir/c.xml")));
  EXPECT_EQ(test::list_dir(dir.path()).size(), 4u);
}

TEST(IrFiles, SharedConstantDataIsStoredOnce) {
  std::string xml =
      replace(valid_xml(), "<layer id=\"4\"", R"(<layer id="5" name="w2" type="Const" version="opset1">
      <data element_type="f32" shape="4,3,1,1" offset="0" size="48"/>
      <output><port id="0" precision="FP32"><dim>4</dim><dim>3</dim><dim>1</dim><dim>1</dim></port></output>
    </layer>
    <layer id="6" name="r2" type="Result" version="opset1">
      <input><port id="0"><dim>4</dim><dim>3</dim><dim>1</dim><dim>1</dim></port></input>
    </layer>
    <layer id="4")");
  xml = replace(xml, "</edges>",
                "<edge from-layer=\"5\" from-port=\"0\" to-layer=\"6\" to-port=\"0\"/></edges>");
  auto m = ir::parse(xml, valid_bin(), "m.xml", "m.bin");
  EXPECT_EQ(ir::serialize(m.graph).bin.size(), 48u);
}

}  // namespace
}  // namespace q8
