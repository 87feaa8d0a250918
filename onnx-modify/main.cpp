// onnx-modify: ONNX graph surgery (concat-outputs, info, rename, extract, set-batch), and
// export-qdq: an OpenVINO IR (pot's INT8 IR or any IR v10/v11) written as a QDQ ONNX model.
#include <cstdio>

#include "base/strings.h"
#include "base/tool.h"
#include "ir/ir.h"
#include "onnx/export_qdq.h"
#include "onnx/modify.h"
#include "onnx/onnx_io.h"

namespace {
struct Args {
  std::string input, output;
  q8::onnxmod::ConcatOutputsOptions concat;
  std::vector<std::string> inputs, outputs, tensor_renames, node_renames;
  std::string batch;
  bool json = false;
  int64_t opset = q8::onnxexp::kMinOpset;
};

CLI::App* add_command(CLI::App& app, const char* name, const char* help, Args& a, bool writes) {
  CLI::App* sub = app.add_subcommand(name, help);
  sub->add_option("INPUT", a.input, "Input .onnx model")->required();
  if (writes) sub->add_option("-o,--output", a.output, "Output .onnx model")->required();
  return sub;
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ONNX graph surgery", "onnx-modify"};
  q8::add_common_flags(app);
  app.require_subcommand(1);
  app.fallthrough();  // -q, -v after the subcommand reach the main app
  Args a;
  auto* concat =
      add_command(app, "concat-outputs", "Cast, unsqueeze and concatenate outputs into one", a, true);
  concat->add_option("--outputs", a.concat.outputs, "Outputs to concatenate, first one sets type and rank")
      ->required()
      ->delimiter(',');
  concat->add_option("--axis", a.concat.axis, "Concat axis")->required();
  concat->add_option("--name", a.concat.name, "Name of the new output")->required();
  auto* info = add_command(app, "info", "Print inputs, outputs, opsets and op histogram", a, false);
  info->add_flag("--json", a.json, "Print JSON");
  auto* rename = add_command(app, "rename", "Rename tensors (OLD=NEW) and nodes (--node OLD=NEW)", a, true);
  rename->add_option("RENAMES", a.tensor_renames, "Tensor renames OLD=NEW");
  rename->add_option("--node", a.node_renames, "Node rename OLD=NEW (repeatable)");
  auto* extract = add_command(app, "extract", "Cut the sub-graph between tensors", a, true);
  extract->add_option("--inputs", a.inputs, "Tensors that become graph inputs")->required()->delimiter(',');
  extract->add_option("--outputs", a.outputs, "Tensors that become graph outputs")
      ->required()
      ->delimiter(',');
  auto* batch = add_command(app, "set-batch", "Set dim 0 of every graph input and output", a, true);
  batch->add_option("--batch", a.batch, "Batch size >= 1 or a symbolic name such as N")->required();

  auto* qdq =
      app.add_subcommand("export-qdq", "Write an OpenVINO IR (e.g. pot's INT8 IR) as a QDQ ONNX model");
  qdq->add_option("INPUT", a.input, "Input IR .xml (weights: the .bin beside it)")->required();
  qdq->add_option("-o,--output", a.output, "Output .onnx model")->required();
  qdq->add_option("--opset", a.opset, "ONNX opset of the output")
      ->check(CLI::Range(q8::onnxexp::kMinOpset, q8::onnxexp::kMaxOpset));

  namespace m = q8::onnxmod;
  return q8::run_tool(app, argc, argv, [&] {
    if (info->parsed()) {
      auto model = q8::onnxio::load_model(a.input);
      std::fputs((a.json ? m::info_json(model, a.input) : m::info_text(model, a.input)).c_str(), stdout);
    } else if (concat->parsed()) {
      m::modify_file(a.input, a.output, [&](auto& model) { m::concat_outputs(model, a.concat); });
    } else if (rename->parsed()) {
      m::Renames tensors, nodes;
      for (const auto& r : a.tensor_renames) tensors.push_back(m::parse_rename(r));
      for (const auto& r : a.node_renames) nodes.push_back(m::parse_rename(r));
      m::modify_file(a.input, a.output, [&](auto& model) { m::rename(model, tensors, nodes); });
    } else if (extract->parsed()) {
      m::modify_file(a.input, a.output, [&](auto& model) { model = m::extract(model, a.inputs, a.outputs); });
    } else if (qdq->parsed()) {
      q8::check_not_same_file(a.input, a.output);
      q8::Graph g = q8::ir::read(a.input).graph;
      q8::onnxexp::export_qdq_file(g, a.input, a.output, {a.opset});
    } else if (batch->parsed()) {
      m::modify_file(a.input, a.output, [&](auto& model) { m::set_batch(model, a.batch); });
    }
  });
}
