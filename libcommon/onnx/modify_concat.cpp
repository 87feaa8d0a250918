#include <algorithm>
#include <map>

#include "base/error.h"
#include "onnx/modify.h"
#include "onnx/modify_graph.h"
#include "onnx/onnx_io.h"

namespace q8::onnxmod {

namespace {
// The listed outputs' types, validated, with the first one's rank and element type.
struct Plan {
  std::vector<onnx::TypeProto_Tensor> types;  // parallel to options.outputs
  int32_t elem_type = 0;
  int rank = 0;
  int64_t axis = 0;  // normalized
};

void check_names(const onnx::GraphProto& graph, const ConcatOutputsOptions& opt) {
  if (opt.outputs.empty()) throw_usage("concat-outputs: --outputs lists no output");
  if (opt.name.empty()) throw_usage("concat-outputs: --name is empty");
  auto outputs = output_names(graph);
  for (const auto& out : opt.outputs)
    if (std::find(outputs.begin(), outputs.end(), out) == outputs.end())
      throw_bad_input("output '" + out + "' does not exist; the model's outputs are " + quoted_list(outputs));
  if (tensor_names(graph).count(opt.name))
    throw_bad_input("--name '" + opt.name + "' is already a tensor of the model; choose another name");
}

const onnx::TypeProto_Tensor& tensor_type_of(const TypeMap& types, const std::string& name) {
  auto it = types.find(name);
  if (it == types.end() || !it->second.has_tensor_type() || it->second.tensor_type().elem_type() == 0)
    throw_bad_input("output '" + name + "': element type unknown even after shape inference");
  if (!it->second.tensor_type().has_shape())
    throw_bad_input("output '" + name + "': rank unknown even after shape inference");
  return it->second.tensor_type();
}

// Dims after unsqueezing to `rank` with trailing 1s; -1 where unknown.
std::vector<int64_t> padded_dims(const onnx::TypeProto_Tensor& t, int rank) {
  std::vector<int64_t> dims(static_cast<size_t>(rank), 1);
  for (int i = 0; i < t.shape().dim_size(); ++i)
    dims[static_cast<size_t>(i)] = t.shape().dim(i).has_dim_value() ? t.shape().dim(i).dim_value() : -1;
  return dims;
}

std::string dims_text(const std::vector<int64_t>& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? "," : "") + (dims[i] < 0 ? "?" : std::to_string(dims[i]));
  return s + "]";
}

void check_shapes(const ConcatOutputsOptions& opt, const Plan& plan) {
  const auto first = padded_dims(plan.types[0], plan.rank);
  for (size_t i = 1; i < opt.outputs.size(); ++i) {
    const auto& t = plan.types[i];
    if (t.shape().dim_size() > plan.rank)
      throw_bad_input("output '" + opt.outputs[i] + "' has rank " + std::to_string(t.shape().dim_size()) +
                      ", more than the first output '" + opt.outputs[0] + "' (rank " +
                      std::to_string(plan.rank) + ")");
    const auto dims = padded_dims(t, plan.rank);
    for (int d = 0; d < plan.rank; ++d) {
      size_t k = static_cast<size_t>(d);
      if (d == plan.axis || dims[k] < 0 || first[k] < 0 || dims[k] == first[k]) continue;
      throw_bad_input("cannot concatenate output '" + opt.outputs[i] + "' (as " + dims_text(dims) +
                      ") with '" + opt.outputs[0] + "' " + dims_text(first) + " on axis " +
                      std::to_string(plan.axis) + ": dim " + std::to_string(d) + " differs");
    }
  }
}

Plan make_plan(const onnx::ModelProto& model, const ConcatOutputsOptions& opt) {
  const TypeMap types = inferred_types(model);
  Plan plan;
  for (const auto& out : opt.outputs) plan.types.push_back(tensor_type_of(types, out));
  plan.elem_type = plan.types[0].elem_type();
  plan.rank = plan.types[0].shape().dim_size();
  if (opt.axis < -plan.rank || opt.axis >= plan.rank)
    throw_bad_input("--axis " + std::to_string(opt.axis) + " is out of range for output '" + opt.outputs[0] +
                    "' of rank " + std::to_string(plan.rank));
  plan.axis = opt.axis < 0 ? opt.axis + plan.rank : opt.axis;
  check_shapes(opt, plan);
  return plan;
}
}  // namespace

namespace {
onnx::NodeProto& add_node(onnx::GraphProto& graph, const std::string& op, const std::string& name,
                          const std::vector<std::string>& inputs, const std::string& output) {
  auto* node = graph.add_node();
  node->set_op_type(op);
  node->set_name(name);
  for (const auto& in : inputs) node->add_input(in);
  node->add_output(output);
  return *node;
}

void add_int_attr(onnx::NodeProto& node, const std::string& name, int64_t value) {
  auto* attr = node.add_attribute();
  attr->set_name(name);
  attr->set_type(onnx::AttributeProto::INT);
  attr->set_i(value);
}

// Unsqueeze's axes moved from an attribute to an input in opset 13.
void add_unsqueeze(onnx::ModelProto& model, NameSet& used, const std::string& prefix, const std::string& in,
                   const std::string& out, int from_rank, int to_rank) {
  auto& graph = *model.mutable_graph();
  const std::string node_name = unique_name(prefix + "/Unsqueeze", used);
  if (onnxio::default_opset(model) >= 13) {
    auto* axes = graph.add_initializer();
    axes->set_name(unique_name(prefix + "/Unsqueeze_axes", used));
    axes->set_data_type(onnx::TensorProto::INT64);
    axes->add_dims(to_rank - from_rank);
    for (int a = from_rank; a < to_rank; ++a) axes->add_int64_data(a);
    add_node(graph, "Unsqueeze", node_name, {in, axes->name()}, out);
    return;
  }
  auto& node = add_node(graph, "Unsqueeze", node_name, {in}, out);
  auto* attr = node.add_attribute();
  attr->set_name("axes");
  attr->set_type(onnx::AttributeProto::INTS);
  for (int a = from_rank; a < to_rank; ++a) attr->add_ints(a);
}

// Cast + Unsqueeze as needed; returns the tensor to feed to Concat.
std::string conform(onnx::ModelProto& model, NameSet& used, const std::string& concat_name,
                    const std::string& out, const onnx::TypeProto_Tensor& type, const Plan& plan) {
  const std::string prefix = concat_name + "/" + out;
  std::string current = out;
  if (type.elem_type() != plan.elem_type) {
    const std::string cast_out = unique_name(prefix + "/Cast_output", used);
    auto& node =
        add_node(*model.mutable_graph(), "Cast", unique_name(prefix + "/Cast", used), {current}, cast_out);
    add_int_attr(node, "to", plan.elem_type);
    current = cast_out;
  }
  const int rank = type.shape().dim_size();
  if (rank < plan.rank) {
    const std::string unsq_out = unique_name(prefix + "/Unsqueeze_output", used);
    add_unsqueeze(model, used, prefix, current, unsq_out, rank, plan.rank);
    current = unsq_out;
  }
  return current;
}
}  // namespace

void concat_outputs(onnx::ModelProto& model, const ConcatOutputsOptions& options) {
  if (onnxio::default_opset(model) <= 0) throw_bad_input("the model imports no ai.onnx opset");
  check_names(model.graph(), options);
  const Plan plan = make_plan(model, options);
  NameSet used = tensor_names(model.graph());
  const NameSet nodes = node_names(model.graph());
  used.insert(nodes.begin(), nodes.end());  // new node names must not collide either
  used.insert(options.name);

  std::map<std::string, std::string> conformed;  // a repeated output is converted once
  std::vector<std::string> concat_inputs;
  for (size_t i = 0; i < options.outputs.size(); ++i) {
    const auto& out = options.outputs[i];
    if (!conformed.count(out)) conformed[out] = conform(model, used, options.name, out, plan.types[i], plan);
    concat_inputs.push_back(conformed[out]);
  }
  auto& concat = add_node(*model.mutable_graph(), "Concat", unique_name(options.name + "/Concat", used),
                          concat_inputs, options.name);
  add_int_attr(concat, "axis", plan.axis);

  auto* output = model.mutable_graph()->add_output();
  output->set_name(options.name);
  output->mutable_type()->mutable_tensor_type()->set_elem_type(plan.elem_type);
  // The declared output shape is whatever inference derives for the new Concat.
  *output->mutable_type() = inferred_types(model).at(options.name);
}

}  // namespace q8::onnxmod
