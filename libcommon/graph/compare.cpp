#include <map>

#include "graph/graph.h"

namespace q8 {
namespace {
bool fail(std::string* why, const std::string& msg) {
  if (why) *why = msg;
  return false;
}
}  // namespace

bool graphs_equal(const Graph& a, const Graph& b, std::string* why) {
  auto oa = a.topological_order(), ob = b.topological_order();
  if (oa.size() != ob.size())
    return fail(why, "node count " + std::to_string(oa.size()) + " vs " + std::to_string(ob.size()));
  std::map<const Node*, size_t> pos_a, pos_b;
  for (size_t i = 0; i < oa.size(); ++i) pos_a[oa[i]] = i, pos_b[ob[i]] = i;
  for (size_t i = 0; i < oa.size(); ++i) {
    const Node &x = *oa[i], &y = *ob[i];
    std::string where = "node #" + std::to_string(i) + " " + x.describe() + " vs " + y.describe();
    if (x.name() != y.name() || &x.def() != &y.def()) return fail(why, where + ": name or op differs");
    if (x.attrs() != y.attrs()) return fail(why, where + ": attributes differ");
    if (x.outputs != y.outputs) return fail(why, where + ": output ports differ");
    if (x.inputs.size() != y.inputs.size()) return fail(why, where + ": input count differs");
    for (size_t k = 0; k < x.inputs.size(); ++k) {
      const Output &ix = x.inputs[k], &iy = y.inputs[k];
      if (pos_a[ix.node] != pos_b[iy.node] || ix.index != iy.index)
        return fail(why, where + ": input " + std::to_string(k) + " comes from a different producer");
    }
    if (!x.value.same_as(y.value)) return fail(why, where + ": constant data differs");
  }
  if (a.meta != b.meta) return fail(why, "meta_data differs");
  return true;
}

}  // namespace q8
