#pragma once
// Graph -> Program (runtime/fast/internal.h): see lower.cpp.
#include <vector>

#include "runtime/fast/internal.h"

namespace q8::runtime::fast {

Program lower(const Graph& g, const CompileOptions& options, PlanSummary& summary,
              std::vector<TensorDesc>& inputs, std::vector<TensorDesc>& outputs);

}  // namespace q8::runtime::fast
