#pragma once
// int8-run infer: run a model (IR .xml or .onnx, through the same importer as mo) on inputs
// from .npy / raw .bin files with the reference executor, and write or summarize its outputs.
#include <string>
#include <vector>

#include "graph/graph.h"
#include "image/preprocess.h"
#include "runtime/reference.h"

namespace q8::tools {

// .xml -> IR reader; .onnx -> the ONNX frontend (no mo passes, so the source model is run as is).
Graph load_model(const std::string& path);

struct InferOptions {
  std::string model;
  std::vector<std::string> inputs;  // "file.npy", "name=file.npy", "file.bin" (needs shape), "photo.jpg"
  std::string shape;                // for raw .bin inputs: "1,3,224,224"
  // Images (.jpg/.jpeg/.png) go through image::Preprocess resolved against the input's shape.
  image::PreprocessOptions image;
  std::string output_dir;  // write <output>.npy per output; empty: print a summary
  int top_k = 5;
  bool reference = false;  // the reference executor instead of the fast runtime
  int threads = 0;         // fast runtime threads (0 = all cores)
};

bool is_image(const std::string& path);  // .jpg/.jpeg/.png, any case

// Loads inputs, converting them to each Parameter's element type (e.g. u8 images to f32).
std::vector<runtime::NamedTensor> load_inputs(const Graph& g, const InferOptions& o);

// Runs and returns the text printed on stdout (top-k for a classifier, else a summary per
// output); with output_dir, writes one .npy per output (atomically, as a set).
std::string run_infer(const InferOptions& o);

}  // namespace q8::tools
