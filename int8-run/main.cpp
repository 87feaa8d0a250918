// int8-run: run models on the CPU. Today: `infer` with the reference executor (the oracle
// every conversion is checked against); the fast runtime and benchmark mode come next.
//   int8-run infer -m model.xml -i input.npy [-o outputs/]
#include <cstdio>

#include "base/tool.h"
#include "convert/infer.h"

int main(int argc, char** argv) {
  CLI::App app{"Run OpenVINO IR or ONNX models on the CPU", "int8-run"};
  q8::add_common_flags(app);
  app.require_subcommand(1);
  q8::tools::InferOptions o;
  auto* infer = app.add_subcommand("infer", "Run one inference and print or write the outputs");
  infer->add_option("-m,--model", o.model, "IR .xml or .onnx")->required();
  infer
      ->add_option("-i,--input", o.inputs,
                   "Input .npy, image (.jpg/.png), or raw .bin with --shape; NAME=FILE for several")
      ->required();
  infer->add_option("--shape", o.shape, "Shape of raw .bin inputs: 1,3,224,224");
  infer->add_option("--layout", o.layout, "Image inputs: NCHW or NHWC (default: from the model input)");
  infer->add_flag("--bgr", o.bgr, "Image inputs: BGR channel order (default RGB)");
  infer->add_option("--resize", o.resize, "Image inputs: short side before the center crop (e.g. 256)");
  infer->add_option("--mean", o.mean, "Image inputs: per-channel mean to subtract (model channel order)")
      ->delimiter(',');
  infer->add_option("--scale", o.scale, "Image inputs: per-channel divisor")->delimiter(',');
  infer->add_option("-o,--output", o.output_dir, "Directory for one <output>.npy per model output");
  infer->add_option("--top", o.top_k, "How many classes to print for a classifier")
      ->check(CLI::PositiveNumber);
  infer->footer("Exit codes: 0 ok, 1 usage, 2 bad input, 3 internal error.");
  return q8::run_tool(app, argc, argv, [&] { std::fputs(q8::tools::run_infer(o).c_str(), stdout); });
}
