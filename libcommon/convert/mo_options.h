#pragma once
// mo's options, as mo.py 2020.4 spells them, and the parsers for its value syntaxes.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tensor/element_type.h"
#include "tensor/shape.h"

namespace q8::tools {

struct MoOptions {
  std::string input_model;
  std::string framework;  // "onnx" | "tf"; empty: from the file
  std::string output_dir = ".";
  std::string model_name;          // empty: the input file's stem
  std::string data_type = "FP32";  // FP32 | FP16 (float/half accepted)
  std::string input;               // --input: names, optionally with [shape] and {type}
  std::string input_shape;         // --input_shape: [1,3,224,224] or several, in --input order
  std::string mean_values;         // --mean_values: [..] or name[..],name[..]
  std::string scale_values;
  std::optional<double> scale;  // --scale: one value for every input
  bool reverse_input_channels = false;
  std::string output;  // --output: tensor names to cut the graph at
  bool keep_shape_ops = false;
  bool fuse = true;  // --disable_fusing turns BN/Mul/Add fusion off
};

struct InputSpec {
  std::string name;
  std::optional<PartialShape> shape;
  std::optional<ElementType> type;
};

// "image", "image[1 3 224 224]", "image[1,3,224,224]{f32}", "a,b" -> specs. Bad syntax: usage error.
std::vector<InputSpec> parse_inputs(const std::string& text);
// "[1,3,224,224]", "(1,3,224,224)", "[1,3,224,224],[1,10]" -> shapes ("?" or -1 for dynamic dims).
std::vector<PartialShape> parse_shapes(const std::string& text);
// "[1,2,3]" (applies to "") or "image[1,2,3],other[4]" -> name -> values.
std::vector<std::pair<std::string, std::vector<double>>> parse_named_values(const std::string& text,
                                                                            const std::string& flag);
// "FP16"/"half" -> true, "FP32"/"float" -> false; else usage error.
bool is_fp16(const std::string& data_type);

}  // namespace q8::tools
