#pragma once
// Internals of the fast runtime (runtime/plan.h): values with a physical format, steps that read and
// write them, and the request context that binds values to one arena.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/plan.h"

namespace q8::runtime::fast {

// FakeQuantize's level index for x inside (lo, hi]: the reference kernel's float expression, rounded
// half to even like std::nearbyint by the 1.5 * 2^23 trick (levels < 2^22), so loops vectorize and no
// libm call is made per element. Every kernel that must land on pot's exact levels uses this one.
inline float fq_level(float x, float in_lo, float in_range, float steps) {
  return ((x - in_lo) / in_range * steps + 12582912.f) - 12582912.f;
}

enum class Layout {
  kPlain,  // the graph's row-major order
  kNhwc,   // 4-D tensors stored N,H,W,C (logical dims stay N,C,H,W)
};

// A tensor as the plan stores it. Quantized values (u8/i8) mean scale * (q - zero_point).
struct Value {
  std::string name;
  Shape dims;  // logical (graph) dims
  ElementType type = ElementType::kF32;
  Layout layout = Layout::kPlain;
  float scale = 1.f;
  int32_t zero_point = 0;
  int alias_of = -1;  // shares the bytes of another value (a reshape view)
  // Shape known only at run time (e.g. NonMaxSuppression's outputs): kept as a Tensor in Ctx::dynamic,
  // produced and consumed by reference steps only.
  bool dynamic = false;
  // Filled by the memory planner.
  int first_step = 0;  // -1: written before the first step (inputs)
  int last_step = 0;   // last reader; INT32_MAX for outputs
  size_t offset = 0;   // in the request arena

  bool quantized() const { return type == ElementType::kU8 || type == ElementType::kI8; }
  size_t bytes() const { return byte_size(type, num_elements(dims)); }
};

struct Ctx;

// Per-request state of a step (e.g. oneDNN memory objects bound to the arena).
struct StepState {
  virtual ~StepState() = default;
};

struct Step {
  StepInfo info;
  std::vector<int> ins;   // value ids read
  std::vector<int> outs;  // value ids written
  // A step that writes its output over an input (residual sum): that input dies here and the
  // output reuses its bytes (the planner aliases them).
  int in_place_input = -1;
  virtual ~Step() = default;
  virtual std::unique_ptr<StepState> bind(Ctx& ctx) const;
  virtual void run(Ctx& ctx, StepState* state) const = 0;
};

struct Program {
  std::vector<Value> values;
  std::vector<std::unique_ptr<Step>> steps;
  std::vector<int> input_values;   // per Plan input
  std::vector<int> output_values;  // per Plan output
  size_t arena_bytes = 0;
  size_t scratchpad_bytes = 0;
  int threads = 1;
};

struct Ctx {
  const Program* program = nullptr;
  std::byte* arena = nullptr;
  std::byte* scratchpad = nullptr;
  void* stream = nullptr;                  // dnnl::stream*
  std::vector<Tensor>* dynamic = nullptr;  // by value id: the values whose shape is known at run time
  std::byte* ptr(int value) const { return arena + program->values[static_cast<size_t>(value)].offset; }
  template <typename T>
  T* data(int value) const {
    return reinterpret_cast<T*>(ptr(value));
  }
};

// Memory planner: assigns offsets so values whose lifetimes overlap never share bytes.
void plan_memory(Program& p);

}  // namespace q8::runtime::fast
