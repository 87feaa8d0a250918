#include <algorithm>
#include <chrono>
#include <set>

#include "base/log.h"
#include "graph/shape_infer.h"
#include "passes/passes.h"

namespace q8::passes {

void run_passes(Graph& g, const std::vector<Pass>& list) {
  for (const auto& p : list) {
    auto start = std::chrono::steady_clock::now();
    size_t before = g.size();
    p.run(g);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    log::debug("pass " + p.name + ": " + std::to_string(before) + " -> " + std::to_string(g.size()) +
               " nodes, " + std::to_string(ms) + " ms");
  }
}

void replace_output(Graph& g, Output from, Output to) {
  for (auto& [consumer, index] : g.consumers(from)) consumer->inputs[static_cast<size_t>(index)] = to;
  auto& names_from = from.node->outputs.at(static_cast<size_t>(from.index)).names;
  auto& names_to = to.node->outputs.at(static_cast<size_t>(to.index)).names;
  for (auto& n : names_from)
    if (std::find(names_to.begin(), names_to.end(), n) == names_to.end()) names_to.push_back(n);
  names_from.clear();
}

void bypass(Graph& g, Node& n, Output to) {
  replace_output(g, n.output(), to);
  n.inputs.clear();
}

void remove_dead_nodes(Graph& g) {
  g.prune();
}

}  // namespace q8::passes
