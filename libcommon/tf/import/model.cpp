// The import driver: the nodes the requested outputs need (stopping at cut points) in
// topological order, every unsupported op reported at once, then each node through the
// importer table, Placeholders and cut points as Parameters, and one Result per output.
#include <algorithm>
#include <queue>

#include "base/error.h"
#include "base/strings.h"
#include "tf/frontend.h"
#include "tf/import/importers.h"

namespace q8::tffe {

namespace {

constexpr size_t kMaxListed = 40;  // names listed in an error before "... and N more"

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < kMaxListed; ++i) out += (i ? ", '" : "'") + names[i] + "'";
  if (names.size() > kMaxListed) out += ", ... and " + std::to_string(names.size() - kMaxListed) + " more";
  return out.empty() ? "none" : out;
}

struct Model {
  const tf::GraphDef* def = nullptr;
  std::map<std::string, int> index;  // node name -> position in the GraphDef
};

Model index_nodes(const tf::GraphDef& g) {
  Model m{&g, {}};
  for (int i = 0; i < g.node_size(); ++i)
    if (!m.index.emplace(g.node(i).name(), i).second)
      throw_bad_input("two nodes are named '" + g.node(i).name() + "'");
  return m;
}

// A user-given tensor ("node" or "node:1") that must name an existing node.
TensorRef resolve(const Model& m, const std::string& name, const char* what, const std::string& label,
                  const std::vector<std::string>& hint) {
  auto ref = parse_tensor_ref(name);
  if (!ref || !m.index.count(ref->node)) {
    if (m.index.count(name)) return TensorRef{name, 0};
    throw_bad_input("the model has no node '" + name + "' to use as " + what + " (" + label + ": " +
                    quoted_list(hint) + ")");
  }
  return *ref;
}

std::vector<std::string> placeholders(const Model& m) {
  std::vector<std::string> out;
  for (const auto& n : m.def->node())
    if (n.op() == "Placeholder") out.push_back(n.name());
  return out;
}

// Without --output: every node whose outputs nobody reads, except ones that compute nothing.
std::vector<TensorRef> default_outputs(const Model& m) {
  std::set<std::string> read;
  for (const auto& n : m.def->node())
    for (const auto& in : n.input())
      if (auto ref = parse_tensor_ref(in)) read.insert(ref->node);
  std::vector<TensorRef> out;
  for (const auto& n : m.def->node())
    if (!read.count(n.name()) && n.op() != "NoOp" && n.op() != "Const" && n.op() != "Placeholder")
      out.push_back({n.name(), 0});
  if (out.empty()) throw_bad_input("the graph has no output node (name them with --output)");
  return out;
}

std::vector<TensorRef> wanted_outputs(const Model& m, const ImportOptions& opts) {
  if (opts.outputs.empty()) return default_outputs(m);
  std::vector<std::string> names;
  for (const auto& n : m.def->node()) names.push_back(n.name());
  std::vector<TensorRef> out;
  for (const auto& o : opts.outputs) out.push_back(resolve(m, o, "an output", "nodes", names));
  return out;
}

// Cut points: node name -> (output index, override).
using Cuts = std::map<std::string, std::pair<int, const InputOverride*>>;

Cuts cut_points(const Model& m, const ImportOptions& opts) {
  Cuts cuts;
  for (const auto& o : opts.inputs) {
    TensorRef ref = resolve(m, o.name, "an input", "Placeholders", placeholders(m));
    cuts[ref.node] = {ref.index, &o};
  }
  return cuts;
}

// Nodes the outputs depend on, not looking past cut points, producers first (file order on ties).
std::vector<int> needed_nodes(const Model& m, const std::vector<TensorRef>& outs, const Cuts& cuts) {
  const tf::GraphDef& g = *m.def;
  std::vector<bool> needed(static_cast<size_t>(g.node_size()), false);
  std::vector<std::string> todo;
  for (const auto& o : outs) todo.push_back(o.node);
  std::vector<std::vector<int>> producers(static_cast<size_t>(g.node_size()));
  while (!todo.empty()) {
    auto it = m.index.find(todo.back());
    todo.pop_back();
    if (it == m.index.end()) continue;  // reported by the importer that reads it
    auto i = static_cast<size_t>(it->second);
    if (needed[i]) continue;
    needed[i] = true;
    if (cuts.count(g.node(it->second).name())) continue;
    for (const auto& in : g.node(it->second).input()) {
      auto ref = parse_tensor_ref(in);
      if (!ref || !m.index.count(ref->node)) continue;
      producers[i].push_back(m.index.at(ref->node));
      todo.push_back(ref->node);
    }
  }
  // Kahn's algorithm; GraphDefs need not list producers first.
  std::vector<int> pending(static_cast<size_t>(g.node_size()), 0);
  std::vector<std::vector<int>> readers(static_cast<size_t>(g.node_size()));
  for (int i = 0; i < g.node_size(); ++i)
    for (int p : producers[static_cast<size_t>(i)]) {
      ++pending[static_cast<size_t>(i)];
      readers[static_cast<size_t>(p)].push_back(i);
    }
  std::priority_queue<int, std::vector<int>, std::greater<>> ready;
  for (int i = 0; i < g.node_size(); ++i)
    if (needed[static_cast<size_t>(i)] && pending[static_cast<size_t>(i)] == 0) ready.push(i);
  std::vector<int> order;
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    order.push_back(i);
    for (int r : readers[static_cast<size_t>(i)])
      if (--pending[static_cast<size_t>(r)] == 0) ready.push(r);
  }
  if (order.size() != static_cast<size_t>(std::count(needed.begin(), needed.end(), true)))
    throw_bad_input("the graph has a cycle");
  return order;
}

void check_supported(const Model& m, const std::vector<int>& order, const Cuts& cuts) {
  std::vector<std::string> bad;
  for (int i : order) {
    const tf::NodeDef& n = m.def->node(i);
    if (!cuts.count(n.name()) && !find_importer(n.op()))
      bad.push_back("node '" + n.name() + "' (op " + n.op() + ")");
  }
  if (bad.empty()) return;
  throw_bad_input(std::to_string(bad.size()) + " unsupported TensorFlow node" + (bad.size() > 1 ? "s" : "") +
                  ": " + join(bad, "; ") +
                  " (a front end the IR cannot hold, like audio decoding, is cut off with --input)");
}

void import_node(ImportState& st, const tf::NodeDef& n, const Cuts& cuts) {
  Context ctx(st, n);
  with_context(ctx.describe(), [&] {
    auto cut = cuts.find(n.name());
    if (cut != cuts.end())
      import_input(ctx, cut->second.first, cut->second.second);
    else
      find_importer(n.op())(ctx);
  });
}

// Drops what no Result depends on (e.g. a FusedBatchNorm's unused statistics outputs' helpers).
}  // namespace

Graph import_graph_def(const tf::GraphDef& graph, const ImportOptions& opts, const std::string& name) {
  Graph g;
  g.name = name;
  Model m = index_nodes(graph);
  Cuts cuts = cut_points(m, opts);
  std::vector<TensorRef> outs = wanted_outputs(m, opts);
  std::vector<int> order = needed_nodes(m, outs, cuts);
  check_supported(m, order, cuts);
  ImportState st;
  st.graph = &g;
  for (int i : order) import_node(st, graph.node(i), cuts);
  for (const auto& o : outs) {
    auto it = st.tensors.find(o.node + ":" + std::to_string(o.index));
    if (it == st.tensors.end())
      throw_bad_input("output '" + tensor_name(o.node, o.index) + "' is not produced by the graph");
    g.add_result(tensor_name(o.node, o.index) + "/sink_port_0", it->second);
  }
  g.prune();
  return g;
}

std::vector<std::string> supported_ops() {
  return table_op_types();  // sorted: the table is a std::map
}

}  // namespace q8::tffe
