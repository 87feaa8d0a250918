#include "base/error.h"
#include "runtime/ref/kernels.h"

namespace q8::ref {

const KernelTable& KernelTable::instance() {
  static const KernelTable table = [] {
    KernelTable t;
    register_core(t);
    register_elementwise(t);
    register_nn(t);
    register_detection(t);
    return t;
  }();
  return table;
}

void KernelTable::add(const std::string& type, Kernel kernel) {
  if (!kernels_.emplace(type, kernel).second) throw_internal("reference kernel for " + type + " added twice");
}

Kernel KernelTable::find(const std::string& type) const {
  auto it = kernels_.find(type);
  return it == kernels_.end() ? nullptr : it->second;
}

std::vector<std::string> KernelTable::types() const {
  std::vector<std::string> out;
  for (const auto& [type, k] : kernels_) out.push_back(type);
  return out;
}

}  // namespace q8::ref
