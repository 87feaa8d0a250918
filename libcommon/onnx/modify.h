#pragma once
// ONNX graph surgery behind the onnx-modify tool: each operation edits a ModelProto in
// memory; modify_file() wraps one of them with loading, validation and atomic saving.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace q8::onnxmod {

// concat-outputs: the MLPerf SSD harness wants one output tensor instead of several.
struct ConcatOutputsOptions {
  std::vector<std::string> outputs;  // graph outputs, in concat order; repeats allowed
  int64_t axis = 0;                  // concat axis in the first output's rank; negative counts from the end
  std::string name;                  // the new graph output
};
// Casts every listed output to the first one's element type, unsqueezes it to the first
// one's rank (trailing axes) and concatenates them into a new graph output. The original
// outputs stay. Errors (bad input) name the tensor at fault.
void concat_outputs(onnx::ModelProto& model, const ConcatOutputsOptions& options);

// info: a summary of the model.
std::string info_text(const onnx::ModelProto& model, const std::string& name);
std::string info_json(const onnx::ModelProto& model, const std::string& name);

// rename: OLD=NEW pairs.
using Renames = std::vector<std::pair<std::string, std::string>>;
// Parses "OLD=NEW" (usage error otherwise).
std::pair<std::string, std::string> parse_rename(const std::string& text);
// Renames tensors everywhere they appear (nodes, graph inputs/outputs, initializers,
// value_info, subgraphs) and nodes by name. OLD must exist, NEW must be unused.
void rename(onnx::ModelProto& model, const Renames& tensors, const Renames& nodes);

// extract: the sub-graph computing `outputs` from `inputs` plus the initializers it needs.
// The new graph inputs get their types from shape inference of the original model.
onnx::ModelProto extract(const onnx::ModelProto& model, const std::vector<std::string>& inputs,
                         const std::vector<std::string>& outputs);

// set-batch: "4" (a positive number) or a symbolic dimension name such as "N".
// Sets dim 0 of every graph input and output, drops the intermediate value_info and
// re-runs shape inference. Warns about Reshape shapes that hard-code the old batch.
void set_batch(onnx::ModelProto& model, const std::string& batch);

// Loads `input`, applies `edit`, validates the result (ONNX checker + shape inference)
// and writes it atomically to `output`. Refuses output == input. Errors raised by
// `edit` carry the input path as context.
void modify_file(const std::string& input, const std::string& output,
                 const std::function<void(onnx::ModelProto&)>& edit);

}  // namespace q8::onnxmod
