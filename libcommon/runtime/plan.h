#pragma once
// The fast runtime: compile(Graph, options) -> Plan; Plan::make_request() -> Request; Request::run().
//
// Compile lowers the graph once: FP16 weights are upcast, FakeQuantize on weights becomes int8 weights
// with per-channel scales, FakeQuantize on activations becomes a quantize step (or is fused into the
// producing convolution's output), Convolution/GroupConvolution/MatMul + bias + ReLU/Clamp (+ residual
// Add) run as one oneDNN primitive in int8 or fp32, pooling/concat stay in int8, and every op the fast
// path lacks runs on its reference kernel (runtime/ref) with a warning naming the layer. Primitives,
// reordered weights and the activation memory plan are created at compile time; Request::run() does no
// graph lookups and, on the fast path, no allocation.
//
// A Plan is immutable after compile and shared by its Requests; each Request owns its activation
// buffers, so several Requests of one Plan may run concurrently (benchmark streams).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "runtime/reference.h"

namespace q8::runtime {

struct CompileOptions {
  // Threads one Request uses (OpenMP team size; oneDNN primitives are tuned for it at compile time).
  // 0 = auto_threads(graph): all cores, fewer for small models.
  int threads = 0;
  // false: every node runs on its reference kernel (the oracle; same outputs as run_reference).
  bool fast = true;
  // Batch size: 0 keeps the model's; N > 0 sets the first dimension of every input and re-infers shapes.
  int64_t batch = 0;
  // Collect per-layer wall time in every Request (int8-run -pc). Costs one clock read per step.
  bool profile = false;
};

struct TensorDesc {
  std::string name;  // Parameter name (inputs) or output_name() (outputs)
  ElementType type = ElementType::kUndefined;
  Shape shape;
};

// One executed step of the plan (a fused group of graph nodes, a reorder, a quantize...).
struct StepInfo {
  std::string name;       // the main graph node's name ("reorder: <value>" for inserted reorders)
  std::string type;       // op types fused, e.g. "Convolution+Add+Relu", "Reorder", "Quantize"
  std::string precision;  // "I8" (int8 compute), "FP32", "REF" (reference fallback kernel)
  std::string kernel;     // implementation, e.g. oneDNN's "brg:avx512_core_vnni", "q8:quantize", "ref"
  int64_t macs = 0;       // multiply-accumulates per inference (conv/matmul), else 0
};

struct PlanSummary {
  std::string isa;                // the CPU ISA oneDNN dispatches to, e.g. "avx512_core_vnni"
  bool int8_dot_product = false;  // the ISA has VNNI (vpdpbusd): int8 is expected to beat fp32
  int threads = 0;
  int64_t macs_total = 0;
  int64_t macs_int8 = 0;       // MACs executed by int8 kernels (precision mix = macs_int8 / macs_total)
  int steps_fp32_compute = 0;  // conv/matmul steps left in FP32
  int steps_reference = 0;     // steps on reference fallback kernels
  int reorders = 0;            // layout/precision conversions inserted between steps
  double compile_ms = 0;
  std::vector<std::string>
      warnings;  // e.g. "layer 'x' (id 3, Foo opset1): no fast kernel, runs on the reference"
};

class Plan;

// One inference context: input/output/activation buffers of its own.
class Request {
 public:
  virtual ~Request() = default;
  // Copies `value` into input i (checked against inputs()[i]: type and shape; bad-input error naming it).
  virtual void set_input(size_t i, const Tensor& value) = 0;
  virtual void run() = 0;
  // The outputs of the last run(), in Plan::outputs() order (copies: safe to keep).
  virtual std::vector<NamedTensor> outputs() const = 0;
  // Per-step accumulated milliseconds and run counts since the request was made (profile only;
  // empty otherwise). Index = Plan::steps() index.
  virtual const std::vector<double>& step_ms() const = 0;
};

class Plan {
 public:
  virtual ~Plan() = default;
  virtual const std::vector<TensorDesc>& inputs() const = 0;
  virtual const std::vector<TensorDesc>& outputs() const = 0;
  virtual const std::vector<StepInfo>& steps() const = 0;
  virtual const PlanSummary& summary() const = 0;
  virtual std::unique_ptr<Request> make_request() const = 0;

  // Convenience with the same input-matching rules as run_reference (by Parameter or tensor name;
  // one unnamed input for a one-input model). Uses an internal request (not thread-safe).
  std::vector<NamedTensor> run(const std::vector<NamedTensor>& inputs);

 protected:
  // Names each input answers to in run(): the Parameter's name and its tensor names.
  std::vector<std::vector<std::string>> input_names_;

 private:
  std::unique_ptr<Request> default_request_;
};

// The Graph must outlive the Plan (reference fallback steps run its nodes).
// Errors: bad-input naming the node for graphs that cannot be lowered at all (never for a missing fast
// kernel: that falls back to the reference with a warning in summary().warnings).
// The default thread count: all cores, but one per 20 M multiply-accumulates per inference at most
// (a Fashion-MNIST-sized CNN runs on one thread: the fork-join per step costs more than it saves).
int auto_threads(const Graph& graph);

std::unique_ptr<Plan> compile(const Graph& g, const CompileOptions& options = {});

// "avx512_core_vnni" etc.: the ISA oneDNN uses on this CPU (honours ONEDNN_MAX_CPU_ISA), and library
// versions ("oneDNN 2.6.3 (commit ...)") for reports.
std::string cpu_isa();
std::string library_versions();

}  // namespace q8::runtime
