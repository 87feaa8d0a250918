#include "base/error.h"
#include "base/file.h"
#include "base/log.h"
#include "onnx/modify.h"
#include "onnx/modify_graph.h"
#include "onnx/onnx_io.h"

namespace q8::onnxmod {

void modify_file(const std::string& input, const std::string& output,
                 const std::function<void(onnx::ModelProto&)>& edit) {
  if (output.empty()) throw_usage("missing output file (-o OUTPUT.onnx)");
  check_not_same_file(input, output);
  onnx::ModelProto model = onnxio::load_model(input);
  with_context(input, [&] {
    // Checking first keeps blame where it belongs: a model the checker rejects is bad
    // input, not something our edit broke.
    onnxio::check_model(model, "input model");
    edit(model);
    onnxio::check_model(model, "modified model");
    onnx::ModelProto inferred = model;
    onnxio::infer_shapes(inferred, "modified model");
  });
  onnxio::save_model(model, output);
  log::info("wrote " + output);
}

}  // namespace q8::onnxmod
