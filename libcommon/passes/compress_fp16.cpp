#include "passes/passes.h"
#include "tensor/convert.h"

namespace q8::passes {

void compress_to_fp16(Graph& g) {
  for (const auto& up : g.nodes()) {
    Node& n = *up;
    if (n.type() == "Const" && n.value.type() == ElementType::kF32) {
      n.value = convert(n.value, ElementType::kF16);
      n.set_attr("element_type", ElementType::kF16);
    }
    if (n.type() == "Parameter" && n.attr<ElementType>("element_type") == ElementType::kF32)
      n.set_attr("element_type", ElementType::kF16);
    if (n.type() == "Convert" && n.attr<ElementType>("destination_type") == ElementType::kF32)
      n.set_attr("destination_type", ElementType::kF16);
    for (auto& out : n.outputs)
      if (out.type == ElementType::kF32) out.type = ElementType::kF16;
  }
}

}  // namespace q8::passes
