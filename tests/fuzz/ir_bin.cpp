// A fixed IR .xml whose constants come from the fuzzed .bin: weights (f32), a Reshape target shape
// and Tile repeats (i64: shape inference reads them), an f16 scale. The .bin layout of a valid input
// (66 bytes): f32[1,8] at 0, i64[2] shape at 32, i64[2] repeats at 48, f16[1] at 64.
#include "fuzz.h"
#include "ir/ir.h"

namespace q8::fuzz {
namespace {

constexpr std::string_view kXml = R"(<?xml version="1.0"?>
<net name="fuzz_bin" version="10">
  <layers>
    <layer id="0" name="x" type="Parameter" version="opset1">
      <data shape="1,8" element_type="f32"/>
      <output><port id="0" precision="FP32"><dim>1</dim><dim>8</dim></port></output>
    </layer>
    <layer id="1" name="w" type="Const" version="opset1">
      <data element_type="f32" shape="1,8" offset="0" size="32"/>
      <output><port id="0" precision="FP32"><dim>1</dim><dim>8</dim></port></output>
    </layer>
    <layer id="2" name="mul" type="Multiply" version="opset1">
      <input>
        <port id="0"><dim>1</dim><dim>8</dim></port>
        <port id="1"><dim>1</dim><dim>8</dim></port>
      </input>
      <output><port id="2" precision="FP32"><dim>1</dim><dim>8</dim></port></output>
    </layer>
    <layer id="3" name="shape" type="Const" version="opset1">
      <data element_type="i64" shape="2" offset="32" size="16"/>
      <output><port id="0" precision="I64"><dim>2</dim></port></output>
    </layer>
    <layer id="4" name="reshape" type="Reshape" version="opset1">
      <data special_zero="true"/>
      <input>
        <port id="0"><dim>1</dim><dim>8</dim></port>
        <port id="1"><dim>2</dim></port>
      </input>
      <output><port id="2" precision="FP32"><dim>-1</dim><dim>-1</dim></port></output>
    </layer>
    <layer id="5" name="repeats" type="Const" version="opset1">
      <data element_type="i64" shape="2" offset="48" size="16"/>
      <output><port id="0" precision="I64"><dim>2</dim></port></output>
    </layer>
    <layer id="6" name="tile" type="Tile" version="opset1">
      <input>
        <port id="0"><dim>-1</dim><dim>-1</dim></port>
        <port id="1"><dim>2</dim></port>
      </input>
      <output><port id="2" precision="FP32"><dim>-1</dim><dim>-1</dim></port></output>
    </layer>
    <layer id="7" name="scale" type="Const" version="opset1">
      <data element_type="f16" shape="1" offset="64" size="2"/>
      <output><port id="0" precision="FP16"><dim>1</dim></port></output>
    </layer>
    <layer id="8" name="scale32" type="Convert" version="opset1">
      <data destination_type="f32"/>
      <input><port id="0"><dim>1</dim></port></input>
      <output><port id="1" precision="FP32"><dim>1</dim></port></output>
    </layer>
    <layer id="9" name="scaled" type="Multiply" version="opset1">
      <input>
        <port id="0"><dim>-1</dim><dim>-1</dim></port>
        <port id="1"><dim>1</dim></port>
      </input>
      <output><port id="2" precision="FP32"><dim>-1</dim><dim>-1</dim></port></output>
    </layer>
    <layer id="10" name="scaled/sink_port_0" type="Result" version="opset1">
      <input><port id="0"><dim>-1</dim><dim>-1</dim></port></input>
    </layer>
  </layers>
  <edges>
    <edge from-layer="0" from-port="0" to-layer="2" to-port="0"/>
    <edge from-layer="1" from-port="0" to-layer="2" to-port="1"/>
    <edge from-layer="2" from-port="2" to-layer="4" to-port="0"/>
    <edge from-layer="3" from-port="0" to-layer="4" to-port="1"/>
    <edge from-layer="4" from-port="2" to-layer="6" to-port="0"/>
    <edge from-layer="5" from-port="0" to-layer="6" to-port="1"/>
    <edge from-layer="7" from-port="0" to-layer="8" to-port="0"/>
    <edge from-layer="6" from-port="2" to-layer="9" to-port="0"/>
    <edge from-layer="8" from-port="1" to-layer="9" to-port="1"/>
    <edge from-layer="9" from-port="2" to-layer="10" to-port="0"/>
  </edges>
</net>
)";

}  // namespace

int ir_bin(const uint8_t* data, size_t size) {
  return run([&] { ir::parse(kXml, as_text(data, size), "fuzz_bin.xml", "fuzz_bin.bin"); });
}

}  // namespace q8::fuzz

Q8_FUZZ_ENTRY(ir_bin)
