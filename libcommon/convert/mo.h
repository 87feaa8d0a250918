#pragma once
// mo: converts an ONNX model or a TensorFlow frozen GraphDef into OpenVINO
// IR v10 (.xml + .bin + .mapping), with the preprocessing, graph passes and FP16 compression
// of mo.py 2020.4.
#include <string>

#include "convert/mo_options.h"
#include "graph/graph.h"

namespace q8::tools {

struct MoResult {
  std::string xml, bin, mapping;  // paths written
  size_t layers = 0;
  double seconds = 0;  // conversion time (load to write), excluding process start
};

// Reads, converts and writes; every file appears only when all of them are complete.
MoResult run_mo(const MoOptions& opts);

// The in-memory part (no output files): load + import + preprocess + passes (+ FP16).
Graph convert_model(const MoOptions& opts);

}  // namespace q8::tools
