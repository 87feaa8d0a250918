// compile(): the fast Program (runtime/fast/lower.cpp) with its memory plan, or the reference executor
// (fast = false, or a graph with dynamic shapes); Requests bind a Program to one arena.
#include "runtime/plan.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <oneapi/dnnl/dnnl.hpp>

#include "base/error.h"
#include "base/log.h"
#include "graph/shape_infer.h"
#include "ir/ir.h"
#include "runtime/fast/lower.h"
#include "runtime/fast/steps.h"
#include "tensor/convert.h"

namespace q8::runtime {

namespace fast {

namespace {
int root_of(const Program& p, int v) {
  while (p.values[static_cast<size_t>(v)].alias_of >= 0) v = p.values[static_cast<size_t>(v)].alias_of;
  return v;
}
}  // namespace

void plan_memory(Program& p) {
  const int n = static_cast<int>(p.values.size());
  std::vector<int> first(static_cast<size_t>(n), INT_MAX), last(static_cast<size_t>(n), INT_MIN);
  auto touch = [&](int v, int step) {
    if (v < 0 || p.values[static_cast<size_t>(v)].dynamic) return;
    int r = root_of(p, v);
    first[static_cast<size_t>(r)] = std::min(first[static_cast<size_t>(r)], step);
    last[static_cast<size_t>(r)] = std::max(last[static_cast<size_t>(r)], step);
  };
  std::vector<bool> pinned(static_cast<size_t>(n), false);  // inputs and outputs: never overwritten
  for (int v : p.input_values) pinned[static_cast<size_t>(root_of(p, v))] = true;
  for (int v : p.output_values) pinned[static_cast<size_t>(root_of(p, v))] = true;

  // Residual sums write over their operand when nothing reads the operand afterwards.
  std::vector<int> last_read(static_cast<size_t>(n), -1);
  for (size_t i = 0; i < p.steps.size(); ++i)
    for (int v : p.steps[i]->ins) last_read[static_cast<size_t>(root_of(p, v))] = static_cast<int>(i);
  for (size_t i = 0; i < p.steps.size(); ++i) {
    Step& s = *p.steps[i];
    if (s.in_place_input < 0) continue;
    int operand = s.ins[static_cast<size_t>(s.in_place_input)];
    int r = root_of(p, operand);
    Value& dst = p.values[static_cast<size_t>(s.outs[0])];
    bool read_otherwise = false;  // e.g. z = relu(conv(y)) + y: the convolution still reads y
    for (size_t k = 0; k < s.ins.size(); ++k)
      read_otherwise |= static_cast<int>(k) != s.in_place_input && root_of(p, s.ins[k]) == r;
    if (read_otherwise || pinned[static_cast<size_t>(r)] ||
        last_read[static_cast<size_t>(r)] != static_cast<int>(i) || dst.alias_of >= 0 ||
        dst.bytes() != p.values[static_cast<size_t>(operand)].bytes())
      continue;
    dst.alias_of = operand;
  }

  // Inputs stay intact for the next run (set_input is not needed again), outputs until read.
  for (int v : p.input_values) touch(v, -1), touch(v, INT_MAX - 1);
  for (size_t i = 0; i < p.steps.size(); ++i) {
    for (int v : p.steps[i]->ins) touch(v, static_cast<int>(i));
    for (int v : p.steps[i]->outs) touch(v, static_cast<int>(i));
  }
  for (int v : p.output_values) touch(v, INT_MAX - 1);

  std::vector<int> roots;
  for (int v = 0; v < n; ++v)
    if (p.values[static_cast<size_t>(v)].alias_of < 0 && first[static_cast<size_t>(v)] != INT_MAX)
      roots.push_back(v);
  std::stable_sort(roots.begin(), roots.end(), [&](int a, int b) {
    return p.values[static_cast<size_t>(a)].bytes() > p.values[static_cast<size_t>(b)].bytes();
  });
  struct Placed {
    size_t begin, end;
    int first, last;
  };
  std::vector<Placed> placed;
  size_t total = 0;
  for (int v : roots) {
    size_t size = (p.values[static_cast<size_t>(v)].bytes() + 63) / 64 * 64;
    int f = first[static_cast<size_t>(v)], l = last[static_cast<size_t>(v)];
    std::vector<std::pair<size_t, size_t>> busy;
    for (const Placed& q : placed)
      if (q.first <= l && f <= q.last) busy.push_back({q.begin, q.end});
    std::sort(busy.begin(), busy.end());
    size_t offset = 0;
    for (auto& [b, e] : busy) {
      if (offset + size <= b) break;
      offset = std::max(offset, e);
    }
    p.values[static_cast<size_t>(v)].offset = offset;
    placed.push_back({offset, offset + size, f, l});
    total = std::max(total, offset + size);
  }
  for (int v = 0; v < n; ++v)
    if (p.values[static_cast<size_t>(v)].alias_of >= 0)
      p.values[static_cast<size_t>(v)].offset = p.values[static_cast<size_t>(root_of(p, v))].offset;
  p.arena_bytes = total;
}

}  // namespace fast

namespace {

struct AlignedBuffer {
  std::byte* data = nullptr;
  explicit AlignedBuffer(size_t bytes) {
    if (bytes) data = static_cast<std::byte*>(std::aligned_alloc(64, (bytes + 63) / 64 * 64));
  }
  ~AlignedBuffer() { std::free(data); }
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
};

void check_input_value(const TensorDesc& d, const Tensor& value) {
  if (value.type() != d.type)
    throw_bad_input("input '" + d.name + "' must be " + to_string(d.type) + ", got " +
                    to_string(value.type()));
  if (value.shape() != d.shape)
    throw_bad_input("input '" + d.name + "' must have shape " + to_string(d.shape) + ", got " +
                    to_string(value.shape()));
}

class FastPlan;

class FastRequest : public Request {
 public:
  explicit FastRequest(const FastPlan& plan);
  ~FastRequest() override { fast::delete_stream(ctx_.stream); }
  void set_input(size_t i, const Tensor& value) override;
  void run() override;
  std::vector<NamedTensor> outputs() const override;
  const std::vector<double>& step_ms() const override { return step_ms_; }

 private:
  const FastPlan& plan_;
  AlignedBuffer arena_, scratch_;
  fast::Ctx ctx_;
  std::vector<Tensor> dynamic_;
  std::vector<std::unique_ptr<fast::StepState>> states_;
  std::vector<double> step_ms_;
};

class FastPlan : public Plan {
 public:
  FastPlan(std::unique_ptr<Graph> owned, fast::Program p, std::vector<TensorDesc> ins,
           std::vector<TensorDesc> outs, PlanSummary summary, bool profile,
           std::vector<std::vector<std::string>> names)
      : owned_(std::move(owned)),
        program_(std::move(p)),
        inputs_(std::move(ins)),
        outputs_(std::move(outs)),
        summary_(std::move(summary)),
        profile_(profile) {
    input_names_ = std::move(names);
    for (const auto& s : program_.steps) steps_.push_back(s->info);
  }
  const std::vector<TensorDesc>& inputs() const override { return inputs_; }
  const std::vector<TensorDesc>& outputs() const override { return outputs_; }
  const std::vector<StepInfo>& steps() const override { return steps_; }
  const PlanSummary& summary() const override { return summary_; }
  std::unique_ptr<Request> make_request() const override { return std::make_unique<FastRequest>(*this); }
  const fast::Program& program() const { return program_; }
  bool profile() const { return profile_; }

 private:
  std::unique_ptr<Graph> owned_;
  fast::Program program_;
  std::vector<TensorDesc> inputs_, outputs_;
  std::vector<StepInfo> steps_;
  PlanSummary summary_;
  bool profile_;
};

FastRequest::FastRequest(const FastPlan& plan)
    : plan_(plan), arena_(plan.program().arena_bytes), scratch_(plan.program().scratchpad_bytes) {
  ctx_.program = &plan.program();
  ctx_.arena = arena_.data;
  ctx_.scratchpad = scratch_.data;
  ctx_.stream = fast::new_stream();
  dynamic_.resize(plan.program().values.size());
  ctx_.dynamic = &dynamic_;
  for (const auto& s : plan.program().steps) states_.push_back(s->bind(ctx_));
  if (plan.profile()) step_ms_.assign(plan.program().steps.size(), 0.0);
}

void FastRequest::set_input(size_t i, const Tensor& value) {
  if (i >= plan_.inputs().size())
    throw_bad_input("the model has " + std::to_string(plan_.inputs().size()) + " inputs");
  check_input_value(plan_.inputs()[i], value);
  std::memcpy(ctx_.ptr(plan_.program().input_values[i]), value.bytes(), value.byte_size());
}

void FastRequest::run() {
  omp_set_num_threads(plan_.program().threads);
  const auto& steps = plan_.program().steps;
  if (!plan_.profile()) {
    for (size_t i = 0; i < steps.size(); ++i) steps[i]->run(ctx_, states_[i].get());
    return;
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    auto t0 = std::chrono::steady_clock::now();
    steps[i]->run(ctx_, states_[i].get());
    step_ms_[i] += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
}

std::vector<NamedTensor> FastRequest::outputs() const {
  std::vector<NamedTensor> out;
  for (size_t i = 0; i < plan_.outputs().size(); ++i) {
    const TensorDesc& d = plan_.outputs()[i];
    int v = plan_.program().output_values[i];
    const fast::Value& value = plan_.program().values[static_cast<size_t>(v)];
    if (value.dynamic)
      out.push_back({d.name, dynamic_[static_cast<size_t>(v)].clone()});
    else
      out.push_back({d.name, Tensor::from_bytes(d.type, d.shape, ctx_.ptr(v), value.bytes())});
  }
  return out;
}

// The reference executor behind the Plan interface.
class RefPlan;
class RefRequest : public Request {
 public:
  explicit RefRequest(const RefPlan& p);
  void set_input(size_t i, const Tensor& value) override;
  void run() override;
  std::vector<NamedTensor> outputs() const override { return outputs_; }
  const std::vector<double>& step_ms() const override { return step_ms_; }

 private:
  const RefPlan& plan_;
  std::vector<NamedTensor> inputs_, outputs_;
  std::vector<double> step_ms_;
};

class RefPlan : public Plan {
 public:
  RefPlan(const Graph& g, std::unique_ptr<Graph> owned, PlanSummary s, bool profile,
          std::vector<std::vector<std::string>> names)
      : owned_(std::move(owned)), g_(owned_ ? *owned_ : g), summary_(std::move(s)), profile_(profile) {
    input_names_ = std::move(names);
    for (const Node* p : g_.parameters()) {
      Shape s = p->outputs[0].shape.is_static() ? p->outputs[0].shape.to_shape() : Shape{};
      inputs_.push_back({p->name(), p->outputs[0].type, s});
    }
    for (const Node* r : g_.results()) {
      const Output src = r->inputs[0];
      const PortInfo& port = src.node->outputs[static_cast<size_t>(src.index)];
      Shape s = port.shape.is_static() ? port.shape.to_shape() : Shape{};
      outputs_.push_back({output_name(*src.node, src.index), port.type, s});
    }
    steps_.push_back({"model", "ReferenceExecutor", "REF", "ref", 0});
  }
  const std::vector<TensorDesc>& inputs() const override { return inputs_; }
  const std::vector<TensorDesc>& outputs() const override { return outputs_; }
  const std::vector<StepInfo>& steps() const override { return steps_; }
  const PlanSummary& summary() const override { return summary_; }
  std::unique_ptr<Request> make_request() const override { return std::make_unique<RefRequest>(*this); }
  const Graph& graph() const { return g_; }
  bool profile() const { return profile_; }

 private:
  std::unique_ptr<Graph> owned_;
  const Graph& g_;
  std::vector<TensorDesc> inputs_, outputs_;
  std::vector<StepInfo> steps_;
  PlanSummary summary_;
  bool profile_;
};

RefRequest::RefRequest(const RefPlan& p) : plan_(p) {
  for (const auto& d : p.inputs()) inputs_.push_back({d.name, Tensor()});
  if (p.profile()) step_ms_.assign(1, 0.0);
}

void RefRequest::set_input(size_t i, const Tensor& value) {
  if (i >= inputs_.size()) throw_bad_input("the model has " + std::to_string(inputs_.size()) + " inputs");
  const TensorDesc& d = plan_.inputs()[i];
  // The shape may be dynamic here: run_reference checks it against the Parameter.
  if (value.type() != d.type)
    throw_bad_input("input '" + d.name + "' must be " + to_string(d.type) + ", got " +
                    to_string(value.type()));
  inputs_[i].value = value;
}

void RefRequest::run() {
  auto t0 = std::chrono::steady_clock::now();
  outputs_ = run_reference(plan_.graph(), inputs_);
  if (!step_ms_.empty())
    step_ms_[0] += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// The fast path needs static inputs; nodes with run-time shapes (NMS, ...) run on reference steps.
bool all_static(const Graph& g) {
  for (const Node* p : g.parameters())
    if (!p->outputs[0].shape.is_static()) return false;
  return true;
}

std::unique_ptr<Graph> with_batch(const Graph& g, int64_t batch) {
  ir::Serialized s = ir::serialize(g);
  auto copy =
      std::make_unique<Graph>(std::move(ir::parse(s.xml, s.bin, g.name + ".xml", g.name + ".bin").graph));
  int64_t old_batch = -1;
  for (Node* p : copy->parameters()) {
    PartialShape& shape = p->outputs[0].shape;
    if (shape.rank_dynamic || shape.dims.empty())
      throw_bad_input("input '" + p->name() + "' has no batch dimension to set");
    if (shape.dims[0].is_static()) old_batch = shape.dims[0].min;
    shape.dims[0] = Dim::fixed(batch);
    if (p->has_attr("shape")) p->set_attr("shape", shape);
  }
  // Reshape targets frozen with the old batch (mo writes Flatten as Reshape to [1,-1] or [1,C]) follow the
  // new batch, as OpenVINO's reshape does for such IRs.
  for (const auto& n : copy->nodes()) {
    if (n->type() != "Reshape" || n->inputs.size() < 2 || n->inputs[1].node->type() != "Const") continue;
    Node* target = n->inputs[1].node;
    const PortInfo& in = n->inputs[0].node->outputs[static_cast<size_t>(n->inputs[0].index)];
    if (in.shape.rank_dynamic || in.shape.dims.empty() || !in.shape.dims[0].is_static() ||
        in.shape.dims[0].min != old_batch)
      continue;
    std::vector<int64_t> dims = to_ints(target->value);
    if (dims.empty() || dims[0] != old_batch || copy->consumers(target->output(0)).size() != 1) continue;
    dims[0] = batch;
    Tensor t = convert(make_i64({static_cast<int64_t>(dims.size())}, dims), target->value.type());
    target->value = t;
  }
  with_context("setting the batch to " + std::to_string(batch), [&] { infer_shapes(*copy); });
  return copy;
}

}  // namespace

std::vector<NamedTensor> Plan::run(const std::vector<NamedTensor>& inputs) {
  if (!default_request_) default_request_ = make_request();
  const auto& descs = this->inputs();
  std::vector<bool> given(descs.size(), false);
  for (const NamedTensor& in : inputs) {
    size_t idx = descs.size();
    if (in.name.empty() && descs.size() == 1 && inputs.size() == 1) idx = 0;
    for (size_t i = 0; i < descs.size() && idx == descs.size(); ++i)
      for (const std::string& name : input_names_[i])
        if (name == in.name) idx = i;
    if (idx == descs.size()) {
      std::string names;
      for (const auto& d : descs) names += (names.empty() ? "'" : ", '") + d.name + "'";
      throw_bad_input("the model has no input '" + in.name + "' (inputs: " + names + ")");
    }
    default_request_->set_input(idx, in.value);
    given[idx] = true;
  }
  for (size_t i = 0; i < descs.size(); ++i)
    if (!given[i]) throw_bad_input("no value given for model input '" + descs[i].name + "'");
  default_request_->run();
  return default_request_->outputs();
}

namespace {
// Multiply-accumulates of the convolutions and matmuls per inference, from the graph's static shapes
// (a quick estimate before lowering: the thread count must be known when primitives are created).
int64_t estimate_macs(const Graph& g) {
  auto elems = [](const PortInfo& p, size_t from) -> int64_t {
    if (!p.shape.is_static()) return 0;
    int64_t n = 1;
    const Shape s = p.shape.to_shape();
    for (size_t i = from; i < s.size(); ++i) n *= s[i];
    return n;
  };
  auto port = [](const Output& o) -> const PortInfo& { return o.node->outputs[static_cast<size_t>(o.index)]; };
  int64_t macs = 0;
  for (const auto& n : g.nodes()) {
    if (n->outputs.empty() || n->inputs.size() < 2) continue;
    const int64_t out = elems(n->outputs[0], 0);
    const PortInfo& w = port(n->inputs[1]);
    if (n->type() == "Convolution") {
      macs += out * elems(w, 1);
    } else if (n->type() == "GroupConvolution") {
      macs += out * elems(w, 2);
    } else if (n->type() == "MatMul" && w.shape.is_static() && w.shape.dims.size() >= 2) {
      const bool tb = n->has_attr("transpose_b") && n->attr<bool>("transpose_b");
      const auto& d = w.shape.dims;
      macs += out * (tb ? d[d.size() - 1].min : d[d.size() - 2].min);
    }
  }
  return macs;
}
}  // namespace

int auto_threads(const Graph& graph) {
  // One OpenMP fork-join per step costs microseconds when the cores are idle and a scheduler quantum
  // when they are shared: for a few million MACs per inference one thread is faster, and never slower
  // by much (measured: Fashion-MNIST CNN, 3.8 M MACs, eval of 10,000 images 2.0 s at 1 thread, 68 s at
  // 2 threads while another build shared the 2 cores).
  constexpr int64_t kMinMacsPerThread = 20'000'000;
  const int64_t cores = omp_get_num_procs();
  const int64_t by_work = std::max<int64_t>(1, estimate_macs(graph) / kMinMacsPerThread);
  return static_cast<int>(std::min(cores, by_work));
}

std::unique_ptr<Plan> compile(const Graph& graph, const CompileOptions& options) {
  auto t0 = std::chrono::steady_clock::now();
  std::unique_ptr<Graph> owned;
  if (options.batch > 0) owned = with_batch(graph, options.batch);
  const Graph& g = owned ? *owned : graph;
  PlanSummary summary;
  summary.isa = cpu_isa();
  summary.int8_dot_product = fast::dnnl_isa_has_vnni();
  int threads = options.threads > 0 ? options.threads : auto_threads(g);
  summary.threads = threads;
  std::vector<std::vector<std::string>> names;
  for (const Node* p : g.parameters()) {
    std::vector<std::string> n = {p->name()};
    for (const auto& t : p->outputs[0].names) n.push_back(t);
    names.push_back(n);
  }
  auto done = [&](PlanSummary& s) {
    s.compile_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  };
  if (!options.fast || !all_static(g)) {
    if (options.fast)
      summary.warnings.push_back("the model has dynamic input shapes: it runs on the reference executor");
    summary.steps_reference = 1;
    done(summary);
    return std::make_unique<RefPlan>(graph, std::move(owned), std::move(summary), options.profile, names);
  }
  omp_set_num_threads(threads);  // oneDNN tunes primitives for the team size at creation
  std::vector<TensorDesc> ins, outs;
  fast::Program p = fast::lower(g, options, summary, ins, outs);
  p.threads = threads;
  p.scratchpad_bytes = fast::max_scratchpad(p);
  fast::plan_memory(p);
  for (const auto& s : p.steps) {
    summary.macs_total += s->info.macs;
    if (s->info.precision == "I8") summary.macs_int8 += s->info.macs;
    if (s->info.precision == "FP32" && s->info.macs > 0) summary.steps_fp32_compute++;
    if (s->info.precision == "REF") summary.steps_reference++;
    if (s->info.type == "Reorder") summary.reorders++;
  }
  if (!summary.int8_dot_product && summary.macs_int8 > 0)
    summary.warnings.push_back("ISA " + summary.isa +
                               " has no VNNI: int8 weights are halved to 7 bits (scales doubled) so that "
                               "u8*s8 pair sums cannot saturate vpmaddubsw");
  done(summary);
  return std::make_unique<FastPlan>(std::move(owned), std::move(p), std::move(ins), std::move(outs),
                                    std::move(summary), options.profile, names);
}

std::string cpu_isa() {
  return fast::dnnl_isa_name();
}

std::string library_versions() {
  const dnnl_version_t* v = dnnl_version();
  return "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
         std::to_string(v->patch) + " (" + v->hash + ", OpenMP " + std::to_string(_OPENMP) + ")";
}

}  // namespace q8::runtime
