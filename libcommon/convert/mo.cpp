#include "convert/mo.h"

#include <chrono>
#include <filesystem>
#include <set>

#include "base/error.h"
#include "base/file.h"
#include "base/log.h"
#include "base/strings.h"
#include "graph/shape_infer.h"
#include "graph/validate.h"
#include "ir/ir.h"
#include "onnx/frontend.h"
#include "onnx/onnx_io.h"
#include "onnx/retype.h"
#include "passes/passes.h"
#include "passes/preprocess.h"
#include "tf/frontend.h"
#include "tf/graph_def_io.h"

namespace q8::tools {
namespace fs = std::filesystem;

namespace {

std::string detect_framework(const MoOptions& o, std::string_view bytes) {
  if (!o.framework.empty()) {
    if (o.framework != "onnx" && o.framework != "tf")
      throw_usage("--framework '" + o.framework + "': supported are onnx and tf");
    return o.framework;
  }
  std::string ext = fs::path(o.input_model).extension().string();
  if (ext == ".onnx") return "onnx";
  if (ext == ".pb") return "tf";
  if (onnxio::looks_like_onnx(bytes)) return "onnx";
  if (tf::looks_like_graph_def(bytes)) return "tf";
  throw_bad_input(o.input_model +
                  ": cannot tell the framework (not ONNX, not a TensorFlow GraphDef); use --framework");
}

std::vector<std::string> onnx_input_names(const onnx::ModelProto& m) {
  std::set<std::string> inits;
  for (const auto& t : m.graph().initializer()) inits.insert(t.name());
  std::vector<std::string> names;
  for (const auto& v : m.graph().input())
    if (!inits.count(v.name())) names.push_back(v.name());
  return names;
}

// --input and --input_shape together: shapes pair with --input names in order, or with the
// model's only input when --input is absent.
onnxfe::ImportOptions import_options(const MoOptions& o, const std::vector<std::string>& model_inputs) {
  onnxfe::ImportOptions io;
  std::vector<InputSpec> specs = o.input.empty() ? std::vector<InputSpec>{} : parse_inputs(o.input);
  std::vector<PartialShape> shapes =
      o.input_shape.empty() ? std::vector<PartialShape>{} : parse_shapes(o.input_shape);
  if (specs.empty() && !shapes.empty()) {
    if (model_inputs.size() != shapes.size())
      throw_usage("--input_shape gives " + std::to_string(shapes.size()) + " shape(s) for " +
                  std::to_string(model_inputs.size()) + " model inputs (" + join(model_inputs, ", ") +
                  "); name them with --input");
    for (const auto& n : model_inputs) specs.push_back({n, std::nullopt, std::nullopt});
  }
  if (!shapes.empty() && shapes.size() != specs.size())
    throw_usage("--input_shape gives " + std::to_string(shapes.size()) + " shape(s) for " +
                std::to_string(specs.size()) + " --input name(s)");
  for (size_t i = 0; i < specs.size(); ++i) {
    if (i < shapes.size()) specs[i].shape = shapes[i];
    io.inputs.push_back({specs[i].name, specs[i].shape, specs[i].type});
  }
  if (!o.output.empty())
    for (const auto& name : split(o.output, ',')) io.outputs.emplace_back(trim(name));
  return io;
}

std::vector<passes::InputPreprocess> preprocessing(const MoOptions& o, const Graph& g) {
  std::vector<passes::InputPreprocess> specs;
  for (const Node* p : g.parameters()) specs.push_back({p->name(), {}, {}, o.reverse_input_channels});
  auto assign = [&](const std::string& text, const std::string& flag, bool mean) {
    for (auto& [name, values] : parse_named_values(text, flag)) {
      bool matched = false;
      for (auto& s : specs)
        if (name.empty() || s.input == name) {
          (mean ? s.mean : s.scale) = values;
          matched = true;
        }
      if (!matched) throw_usage(flag + " names input '" + name + "', which the model does not have");
    }
  };
  if (!o.mean_values.empty()) assign(o.mean_values, "--mean_values", true);
  if (!o.scale_values.empty()) assign(o.scale_values, "--scale_values", false);
  if (o.scale)
    for (auto& s : specs)
      if (s.scale.empty()) s.scale = {*o.scale};
  return specs;
}

void run_graph_passes(Graph& g, const MoOptions& o) {
  std::vector<passes::Pass> list;
  if (!o.keep_shape_ops) list.push_back({"fold_shape_of", passes::fold_shape_of});
  list.push_back({"fold_constants", passes::fold_constants});
  list.push_back({"eliminate_noops", passes::eliminate_noops});
  // Before BatchNorm fusion: the TF frontend leaves Transposes between a convolution and its BN.
  if (o.framework == "tf") list.push_back({"transpose_sinking", passes::transpose_sinking});
  if (o.fuse) {
    list.push_back({"fuse_batch_norm", passes::fuse_batch_norm});
    list.push_back({"fuse_mul_add", passes::fuse_mul_add});
  }
  list.push_back({"fold_constants", passes::fold_constants});
  list.push_back({"remove_dead_nodes", passes::remove_dead_nodes});
  passes::run_passes(g, list);
}

std::string model_name(const MoOptions& o) {
  return o.model_name.empty() ? fs::path(o.input_model).stem().string() : o.model_name;
}

// <meta_data> as mo.py writes it, with the values actually used (never "DIR" as a data type).
MetaEntry meta_data(const MoOptions& o, bool fp16) {
  MetaEntry meta{"meta_data", {}, "", {}};
  meta.set_value("MO_version", std::string("q8-mo ") + Q8_MO_VERSION);
  auto b = [](bool v) { return std::string(v ? "True" : "False"); };
  std::vector<std::pair<std::string, std::string>> cli = {
      {"data_type", fp16 ? "FP16" : "FP32"},
      {"disable_fusing", b(!o.fuse)},
      {"framework", o.framework},
      {"input", o.input},
      {"input_model", "DIR/" + fs::path(o.input_model).filename().string()},
      {"input_shape", o.input_shape},
      {"keep_shape_ops", b(o.keep_shape_ops)},
      {"mean_values", o.mean_values.empty() ? "()" : o.mean_values},
      {"model_name", model_name(o)},
      {"output", o.output},
      {"output_dir", "DIR"},
      {"reverse_input_channels", b(o.reverse_input_channels)},
      {"scale", o.scale ? format_double(*o.scale) : ""},
      {"scale_values", o.scale_values.empty() ? "()" : o.scale_values},
  };
  for (const auto& [k, v] : cli)
    if (!v.empty()) meta.set_value("cli_parameters/" + k, v);
  return meta;
}

Graph import_onnx(const MoOptions& o, std::string_view bytes) {
  onnx::ModelProto model =
      with_context(o.input_model, [&] { return onnxio::parse_model(bytes, o.input_model); });
  return with_context(o.input_model, [&] {
    return onnxfe::import_model(model, import_options(o, onnx_input_names(model)), model_name(o));
  });
}

std::vector<std::string> tf_placeholders(const tf::GraphDef& g) {
  std::vector<std::string> names;
  for (const auto& n : g.node())
    if (n.op() == "Placeholder") names.push_back(n.name());
  return names;
}

// Same --input/--input_shape/--output handling as ONNX; shapes are TF's (NHWC for images).
Graph import_tf(const MoOptions& o, std::string_view bytes) {
  tf::GraphDef graph = tf::parse_graph_def(bytes, o.input_model);
  onnxfe::ImportOptions io = import_options(o, tf_placeholders(graph));
  tffe::ImportOptions opts;
  for (const auto& in : io.inputs) opts.inputs.push_back({in.name, in.shape, in.type});
  opts.outputs = io.outputs;
  return with_context(o.input_model, [&] { return tffe::import_graph_def(graph, opts, model_name(o)); });
}

}  // namespace

Graph convert_model(const MoOptions& opts) {
  MoOptions o = opts;
  bool fp16 = is_fp16(o.data_type);
  MappedFile file(o.input_model);
  std::string_view bytes = file.view();
  o.framework = detect_framework(o, bytes);
  Graph g = o.framework == "tf" ? import_tf(o, bytes) : import_onnx(o, bytes);
  passes::apply_preprocessing(g, preprocessing(o, g));
  run_graph_passes(g, o);
  infer_shapes(g);
  if (fp16) passes::compress_to_fp16(g);
  validate(g);
  g.name = model_name(o);
  g.meta = {meta_data(o, fp16)};
  return g;
}

MoResult run_mo(const MoOptions& o) {
  auto start = std::chrono::steady_clock::now();
  Graph g = convert_model(o);
  std::error_code ec;
  fs::create_directories(o.output_dir, ec);
  if (ec) throw_usage("--output_dir '" + o.output_dir + "': cannot create: " + ec.message());
  std::string base = (fs::path(o.output_dir) / model_name(o)).string();
  MoResult r{base + ".xml", base + ".bin", base + ".mapping", g.size(), 0};
  check_not_same_file(o.input_model, r.xml);
  check_not_same_file(o.input_model, r.bin);
  AtomicOutputs out;
  ir::stage(g, out, r.xml, r.bin);
  out.add(r.mapping, ir::mapping(g));
  out.commit();
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace q8::tools
