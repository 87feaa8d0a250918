#include "convert/infer.h"

#include "runtime/plan.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <numeric>

#include "base/error.h"
#include "base/file.h"
#include "base/log.h"
#include "base/strings.h"
#include "image/preprocess.h"
#include "ir/ir.h"
#include "onnx/frontend.h"
#include "onnx/onnx_io.h"
#include "tensor/convert.h"
#include "tensor/npy.h"

namespace q8::tools {
namespace fs = std::filesystem;

Graph load_model(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  if (ext == ".xml") return std::move(ir::read(path).graph);
  if (ext == ".onnx") {
    auto m = onnxio::load_model(path);
    return with_context(path, [&] { return onnxfe::import_model(m, {}, fs::path(path).stem().string()); });
  }
  throw_usage("model '" + path + "': expected an IR .xml or an .onnx file");
}

namespace {

Tensor read_raw(const std::string& path, const std::string& shape_text, ElementType type) {
  if (shape_text.empty()) throw_usage("raw input '" + path + "' needs --shape d0,d1,...");
  Shape shape;
  for (const auto& d : split(shape_text, ',')) {
    auto v = parse_int(d);
    if (!v || *v < 0) throw_usage("--shape '" + shape_text + "': '" + d + "' is not a dimension");
    shape.push_back(*v);
  }
  std::string bytes = read_file(path);
  int64_t need = byte_size(type, num_elements(shape));
  if (static_cast<int64_t>(bytes.size()) != need)
    throw_bad_input(path + ": " + std::to_string(bytes.size()) + " bytes, " + to_string(type) +
                    to_string(shape) + " needs " + std::to_string(need));
  return Tensor::from_bytes(type, shape, bytes.data(), bytes.size());
}

}  // namespace

bool is_image(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png";
}

namespace {

Tensor read_image(const std::string& path, const Node& param, const InferOptions& o) {
  image::Preprocess pre = image::Preprocess::for_input(param.outputs[0].shape, o.image, param.name());
  return pre.apply(image::read(path));
}

const Node* parameter_named(const Graph& g, const std::string& name) {
  for (const Node* p : g.parameters())
    if (p->name() == name ||
        std::find(p->outputs[0].names.begin(), p->outputs[0].names.end(), name) != p->outputs[0].names.end())
      return p;
  std::vector<std::string> names;
  for (const Node* p : g.parameters()) names.push_back(p->name());
  throw_usage("the model has no input '" + name + "' (inputs: " + join(names, ", ") + ")");
}

}  // namespace

std::vector<runtime::NamedTensor> load_inputs(const Graph& g, const InferOptions& o) {
  auto params = g.parameters();
  if (o.inputs.empty()) throw_usage("give the model's input with -i FILE.npy (or -i NAME=FILE for several)");
  std::vector<runtime::NamedTensor> out;
  for (size_t i = 0; i < o.inputs.size(); ++i) {
    std::string spec = o.inputs[i], name, path = spec;
    if (size_t eq = spec.find('='); eq != std::string::npos)
      name = spec.substr(0, eq), path = spec.substr(eq + 1);
    const Node* p = name.empty() ? (i < params.size() ? params[i] : nullptr) : parameter_named(g, name);
    if (!p) throw_usage("more inputs given (" + std::to_string(o.inputs.size()) + ") than the model has");
    ElementType want = p->outputs[0].type;
    Tensor t = fs::path(path).extension() == ".npy" ? read_npy(path)
               : is_image(path)                     ? read_image(path, *p, o)
                                                    : read_raw(path, o.shape, want);
    out.push_back({p->name(), convert(t, want)});
  }
  return out;
}

namespace {

std::string file_name_for(const std::string& output) {
  std::string s = output;
  for (char& c : s)
    if (c == '/' || c == '\\' || c == ':' || c == ' ') c = '_';
  return s + ".npy";
}

std::string summary(const runtime::NamedTensor& r, int top_k) {
  const Tensor& t = r.value;
  std::vector<float> v = to_floats(t);
  char buf[256];
  std::string out;
  // [1, N] or [1, N, 1, 1] (SqueezeNet-style) float scores: a classifier.
  const Shape& d = t.shape();
  bool classifier = type_info(t.type()).is_float && d.size() >= 2 && d[0] == 1 && d[1] > 1 &&
                    std::all_of(d.begin() + 2, d.end(), [](int64_t x) { return x == 1; });
  if (classifier) {
    std::vector<size_t> idx(v.size());
    std::iota(idx.begin(), idx.end(), 0);
    size_t k = std::min(idx.size(), static_cast<size_t>(top_k));
    std::partial_sort(idx.begin(), idx.begin() + static_cast<long>(k), idx.end(),
                      [&](size_t a, size_t b) { return v[a] > v[b] || (v[a] == v[b] && a < b); });
    out += r.name + ": top-" + std::to_string(k) + "\n";
    for (size_t i = 0; i < k; ++i) {
      std::snprintf(buf, sizeof buf, "  %zu  class %zu  %.6f\n", i + 1, idx[i], v[idx[i]]);
      out += buf;
    }
    return out;
  }
  double sum = 0, mn = v.empty() ? 0 : v[0], mx = mn;
  for (float x : v) sum += x, mn = std::min<double>(mn, x), mx = std::max<double>(mx, x);
  std::snprintf(buf, sizeof buf, "%s: %s%s min %.6g max %.6g mean %.6g\n", r.name.c_str(),
                to_string(t.type()).c_str(), to_string(t.shape()).c_str(), mn, mx,
                v.empty() ? 0.0 : sum / static_cast<double>(v.size()));
  return buf;
}

}  // namespace

std::string run_infer(const InferOptions& o) {
  Graph g = load_model(o.model);
  auto inputs = load_inputs(g, o);
  auto results = with_context(o.model, [&] {
    if (o.reference) return runtime::run_reference(g, inputs);
    runtime::CompileOptions co;
    co.threads = o.threads;
    auto plan = runtime::compile(g, co);
    for (const auto& w : plan->summary().warnings) log::warn(w);
    return plan->run(inputs);
  });
  std::string text;
  if (!o.output_dir.empty()) {
    if (!fs::is_directory(o.output_dir)) throw_usage("-o '" + o.output_dir + "': not a directory");
    AtomicOutputs files;
    for (const auto& r : results) {
      bool integer = !type_info(r.value.type()).is_float && r.value.type() != ElementType::kBoolean;
      Tensor out = integer ? r.value : convert(r.value, ElementType::kF32);
      std::string path = (fs::path(o.output_dir) / file_name_for(r.name)).string();
      files.add(path, to_npy(out));
      text += path + "\n";
    }
    files.commit();
    return text;
  }
  for (const auto& r : results) text += summary(r, o.top_k);
  return text;
}

}  // namespace q8::tools
