// export_qdq: the Graph -> ONNX entry point, and the checked, atomic file output.
#include "base/error.h"
#include "base/log.h"
#include "onnx/export/context.h"
#include "onnx/onnx_io.h"

namespace q8::onnxexp {

onnx::ModelProto export_qdq(const Graph& g, const ExportOptions& options, ExportReport* report) {
  ExportReport local;
  Context ctx(g, options, report ? *report : local);
  ctx.run();
  return std::move(ctx.model());
}

ExportReport export_qdq_file(const Graph& g, const std::string& source, const std::string& output,
                             const ExportOptions& options) {
  ExportReport report;
  onnx::ModelProto model = with_context(source, [&] { return export_qdq(g, options, &report); });
  // The checker and strict shape inference are the same gate onnx-modify's other commands pass.
  with_context("exported model", [&] {
    onnxio::check_model(model, output);
    onnx::ModelProto inferred = model;
    onnxio::infer_shapes(inferred, output);
  });
  onnxio::save_model(model, output);
  log::info("wrote " + output + ": " + std::to_string(report.activation_fq) + " activation QuantizeLinear, " +
            std::to_string(report.quantized_weights) + " int8 weights" +
            (report.float_weights ? ", " + std::to_string(report.float_weights) + " weights kept f32" : ""));
  return report;
}

std::vector<std::string> exported_op_types() {
  return table_op_types();
}

}  // namespace q8::onnxexp
