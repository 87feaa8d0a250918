#pragma once
// A model at a glance: inputs, outputs, op histogram, weight precisions and sizes.
#include <map>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace q8::ir {

struct TensorSummary {
  std::string name;
  std::string type;   // "f32"
  std::string shape;  // "[1,3,224,224]"
};

struct Summary {
  std::string name;
  int ir_version = 0;
  size_t layers = 0;
  std::vector<TensorSummary> inputs, outputs;
  std::map<std::string, int> ops;              // "Convolution opset1" -> count
  std::map<std::string, int64_t> const_bytes;  // element type -> bytes of constant data
  int fake_quantize = 0;
};

Summary summarize(const Graph& g, int ir_version);
std::string to_text(const Summary& s);
std::string to_json(const Summary& s);

}  // namespace q8::ir
