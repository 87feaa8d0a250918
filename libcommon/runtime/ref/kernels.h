#pragma once
// Reference kernels: plain, readable implementations of the OpenVINO opset semantics.
// They are the oracle every fast kernel is tested against, so clarity beats speed.
#include <map>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace q8::ref {

// Computes a node's outputs from its input values. Float inputs arrive as f32 (the
// executor widens f16/bf16 first); integer and boolean inputs keep their type. Outputs
// carry the type the op defines (f32 for float ops). Bad values (e.g. an out-of-range
// index) throw a bad-input error; the executor adds the node's name.
using Kernel = std::vector<Tensor> (*)(const Node& node, const std::vector<Tensor>& inputs);

class KernelTable {
 public:
  static const KernelTable& instance();
  void add(const std::string& type, Kernel kernel);
  Kernel find(const std::string& type) const;  // nullptr when the op has no kernel
  std::vector<std::string> types() const;

 private:
  std::map<std::string, Kernel> kernels_;
};

void register_core(KernelTable& t);         // Const/Parameter-free data movement and shape ops
void register_elementwise(KernelTable& t);  // unary/binary math, activations, comparisons, logic, Convert
void register_nn(KernelTable& t);  // convolution, pooling, matmul, normalization, reductions, FakeQuantize
void register_detection(KernelTable& t);  // TopK, NMS, PriorBox, DetectionOutput, ...

}  // namespace q8::ref
