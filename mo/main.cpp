// mo: Model Optimizer. ONNX -> OpenVINO IR v10 (FP32/FP16), flags as mo.py 2020.4.
//   mo --input_model m.onnx --output_dir FP16 --data_type FP16 --input image \
//      --mean_values [123.675,116.28,103.53] --scale_values [58.395,57.12,57.375] --input_shape
//      "[1,3,1200,1200]"
#include <cstdio>

#include "base/error.h"
#include "base/log.h"
#include "base/strings.h"
#include "base/tool.h"
#include "convert/mo.h"

int main(int argc, char** argv) {
  CLI::App app{"Model Optimizer: converts ONNX models to OpenVINO IR v10 (.xml + .bin + .mapping)", "mo"};
  q8::tools::MoOptions o;
  std::string scale;
  bool disable_fusing = false;
  app.add_option("-m,--input_model", o.input_model, "Model file (.onnx)")->required();
  app.add_option("--framework", o.framework, "onnx | tf (default: from the file)");
  app.add_option("-o,--output_dir", o.output_dir, "Directory for the IR (created if missing)");
  app.add_option("-n,--model_name", o.model_name,
                 "Base name of the IR files (default: the model's file name)");
  app.add_option("--data_type", o.data_type, "FP32 | FP16 (also float | half)");
  app.add_option("--input", o.input, "Input names, optionally with shape and type: image[1,3,224,224]{f32}");
  app.add_option("-b,--input_shape", o.input_shape, "Input shape(s): [1,3,224,224] (in --input order)");
  app.add_option("--mean_values", o.mean_values, "Per-channel mean: [123.675,116.28,103.53] or name[...]");
  app.add_option("--scale_values", o.scale_values, "Per-channel scale: [58.395,57.12,57.375] or name[...]");
  app.add_option("-s,--scale", scale, "One scale for every input (x / scale)");
  app.add_flag("--reverse_input_channels", o.reverse_input_channels, "Swap RGB <-> BGR of 3-channel inputs");
  app.add_option("--output", o.output, "Tensor names to cut the model at");
  app.add_flag("--keep_shape_ops", o.keep_shape_ops, "Keep ShapeOf-based sub-graphs instead of folding them");
  app.add_flag("--disable_fusing", disable_fusing, "Do not fuse BatchNorm/Mul/Add into weights");
  app.footer("Exit codes: 0 ok, 1 usage, 2 bad input (unreadable model, unsupported op), 3 internal error.");
  q8::add_common_flags(app);
  return q8::run_tool(app, argc, argv, [&] {
    if (!scale.empty()) {
      auto v = q8::parse_double(scale);
      if (!v || *v == 0) q8::throw_usage("--scale '" + scale + "': expected a non-zero number");
      o.scale = *v;
    }
    o.fuse = !disable_fusing;
    auto r = q8::tools::run_mo(o);
    q8::log::info("converted " + o.input_model + ": " + std::to_string(r.layers) + " layers in " +
                  std::to_string(static_cast<int>(r.seconds * 1000)) + " ms");
    std::printf("%s\n%s\n%s\n", r.xml.c_str(), r.bin.c_str(), r.mapping.c_str());
  });
}
