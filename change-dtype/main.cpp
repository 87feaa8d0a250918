// change-dtype: retype an op's output in a TensorFlow GraphDef (.pb) or an ONNX model.
//   change-dtype resnet50_v1.pb -o resnet50_v1_fp32argmax.pb --op ArgMax --to float32
// TF: rewrites the op's type attr (ArgMax output_type, ...), every other byte unchanged.
// ONNX: inserts a Cast on the node's graph output, keeping the output's name.
#include <filesystem>

#include "base/error.h"
#include "base/file.h"
#include "base/tool.h"
#include "onnx/onnx_io.h"
#include "onnx/retype.h"
#include "tf/dtype_names.h"
#include "tf/graph_def_io.h"
#include "tf/retype.h"

namespace {

struct Options {
  std::string input, output, op, node, to, attr;
};

enum class Format { kTensorFlow, kOnnx };

// Content decides; the extension only picks whose parse error to report for a file
// that starts like neither format (empty, garbage, truncated at byte 0).
Format detect_format(const std::string& bytes, const std::string& path) {
  if (q8::tf::looks_like_graph_def(bytes)) return Format::kTensorFlow;
  if (q8::onnxio::looks_like_onnx(bytes)) return Format::kOnnx;
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext == ".pb" || ext == ".graphdef") return Format::kTensorFlow;
  if (ext == ".onnx") return Format::kOnnx;
  if (bytes.empty())
    q8::throw_bad_input(path + ": empty file, expected a TensorFlow GraphDef (.pb) or ONNX model");
  q8::throw_bad_input(path +
                      ": unknown format, neither a TensorFlow GraphDef (.pb) nor an ONNX model (.onnx)");
}

std::string retype(const Options& o, const std::string& bytes) {
  if (detect_format(bytes, o.input) == Format::kTensorFlow) {
    return q8::tf::retype_graph_def(bytes, {o.op, o.node, q8::tf::dtype_from_name(o.to), o.attr}, o.input);
  }
  if (!o.attr.empty()) q8::throw_usage("--attr applies to TensorFlow graphs only; '" + o.input + "' is ONNX");
  return q8::onnxio::retype_onnx(bytes, {o.op, o.node, q8::onnxio::elem_type_from_name(o.to)}, o.input);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Retype an op's output in a TensorFlow GraphDef (.pb) or an ONNX model (.onnx).\n"
      "TF: sets the node's type attr (ArgMax/ArgMin output_type, Shape/ShapeN/Size out_type,\n"
      "Cast DstT, or --attr), every other byte of the file unchanged. ONNX: inserts a Cast\n"
      "after the node's graph output, keeping the output's name.",
      "change-dtype"};
  Options o;
  app.add_option("INPUT", o.input, "Model to read (.pb GraphDef or .onnx)")->required();
  app.add_option("-o,--output", o.output, "Model to write (same format as INPUT)")->required();
  app.add_option("--op", o.op, "Retype every node of this op type (e.g. ArgMax)");
  app.add_option("--node", o.node, "Retype this node (with --op: it must be of that type)");
  app.add_option("--to", o.to, "New type: float32, float16, int32, int64, ...")->required();
  app.add_option("--attr", o.attr, "TF only: the type attr to set (default: the op's known one)");
  app.footer(
      "Exit codes: 0 ok, 1 usage (flags, unknown type), 2 bad input (unreadable model, no such\n"
      "node or op, node without a type attr), 3 internal error.");
  q8::add_common_flags(app);
  return q8::run_tool(app, argc, argv, [&] {
    if (o.op.empty() && o.node.empty()) q8::throw_usage("give --op TYPE or --node NAME");
    q8::check_not_same_file(o.input, o.output);
    q8::write_file_atomic(o.output, retype(o, q8::read_file(o.input)));
  });
}
