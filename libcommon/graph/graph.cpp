#include "graph/graph.h"

#include <queue>
#include <set>

#include <algorithm>

#include "base/error.h"
#include "base/strings.h"

namespace q8 {

std::string Node::describe() const {
  return "layer '" + name_ + "' (id " + std::to_string(id_) + ", " + type() + " " + version() + ")";
}

void Node::set_attr(const std::string& name, AttrValue value) {
  const AttrDef* a = def_->attr(name);
  if (!a) throw_internal(describe() + ": op has no attribute '" + name + "'");
  if (kind_of(value) != a->kind)
    throw_internal(describe() + ": attribute '" + name + "' must be a " + kind_name(a->kind) + ", got a " +
                   kind_name(kind_of(value)));
  attrs_[name] = std::move(value);
}

const AttrValue& Node::attr_value(const std::string& name, AttrKind expected) const {
  auto it = attrs_.find(name);
  if (it == attrs_.end()) {
    const AttrDef* a = def_->attr(name);
    if (a && a->default_value) return *a->default_value;
    throw_internal(describe() + ": attribute '" + name + "' is not set");
  }
  if (kind_of(it->second) != expected)
    throw_internal(describe() + ": attribute '" + name + "' is a " + kind_name(kind_of(it->second)) +
                   ", not a " + kind_name(expected));
  return it->second;
}

const MetaEntry* MetaEntry::child(const std::string& child_name) const {
  for (const auto& c : children)
    if (c.name == child_name) return &c;
  return nullptr;
}

std::optional<std::string> MetaEntry::value_at(const std::string& path) const {
  const MetaEntry* e = this;
  for (const auto& part : split(path, '/')) {
    e = e->child(part);
    if (!e) return std::nullopt;
  }
  for (const auto& [k, v] : e->attrs)
    if (k == "value") return v;
  return std::nullopt;
}

void MetaEntry::set_value(const std::string& path, const std::string& value) {
  MetaEntry* e = this;
  for (const auto& part : split(path, '/')) {
    auto it = std::find_if(e->children.begin(), e->children.end(),
                           [&](const MetaEntry& c) { return c.name == part; });
    if (it == e->children.end()) {
      e->children.push_back(MetaEntry{part, {}, "", {}});
      e = &e->children.back();
    } else {
      e = &*it;
    }
  }
  for (auto& [k, v] : e->attrs)
    if (k == "value") {
      v = value;
      return;
    }
  e->attrs.emplace_back("value", value);
}

Node* Graph::add(const std::string& type, std::string name, const std::string& version, int id) {
  const auto& reg = OpRegistry::instance();
  const OpDef* def = version.empty() ? reg.find_latest(type) : reg.find(type, version);
  if (!def) throw_internal("no op " + type + (version.empty() ? "" : " " + version) + " is declared");
  return add(def, std::move(name), id);
}

Node* Graph::add(const OpDef* def, std::string name, int id) {
  if (id < 0) id = next_id_;
  if (by_id_.count(id)) throw_internal("node id " + std::to_string(id) + " used twice");
  nodes_.push_back(std::make_unique<Node>(id, def, std::move(name)));
  Node* n = nodes_.back().get();
  by_id_[id] = n;
  next_id_ = std::max(next_id_, id + 1);
  if (def->outputs > 0) n->outputs.resize(static_cast<size_t>(def->outputs));
  for (const auto& a : def->attrs)  // declared defaults are explicit, so writers emit them
    if (a.default_value) n->set_attr(a.name, *a.default_value);
  return n;
}

Node* Graph::add_parameter(std::string name, ElementType type, const PartialShape& shape) {
  Node* n = add("Parameter", std::move(name), "opset1");
  n->set_attr("element_type", type);
  n->set_attr("shape", shape);
  n->outputs[0] = PortInfo{type, shape, {}};
  return n;
}

Node* Graph::add_const(std::string name, Tensor value) {
  Node* n = add("Const", std::move(name), "opset1");
  n->set_attr("element_type", value.type());
  n->set_attr("shape", PartialShape(value.shape()));
  n->outputs[0] = PortInfo{value.type(), PartialShape(value.shape()), {}};
  n->value = std::move(value);
  return n;
}

Node* Graph::add_result(std::string name, Output source) {
  Node* n = add("Result", std::move(name), "opset1");
  n->inputs.push_back(source);
  return n;
}

Node* Graph::find(int id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

Node* Graph::find_by_name(const std::string& name) const {
  for (const auto& n : nodes_)
    if (n->name() == name) return n.get();
  return nullptr;
}

std::vector<Node*> Graph::parameters() const {
  std::vector<Node*> out;
  for (const auto& [id, n] : by_id_)
    if (n->type() == "Parameter") out.push_back(n);
  return out;
}

std::vector<Node*> Graph::results() const {
  std::vector<Node*> out;
  for (const auto& [id, n] : by_id_)
    if (n->type() == "Result") out.push_back(n);
  return out;
}

std::vector<std::pair<Node*, int>> Graph::consumers(Output out) const {
  std::vector<std::pair<Node*, int>> res;
  for (const auto& [id, n] : by_id_)
    for (size_t i = 0; i < n->inputs.size(); ++i)
      if (n->inputs[i] == out) res.emplace_back(n, static_cast<int>(i));
  return res;
}

std::vector<Node*> Graph::topological_order() const {
  std::map<const Node*, int> pending;
  std::map<const Node*, std::vector<Node*>> users;
  for (const auto& [id, n] : by_id_) {
    std::set<const Node*> producers;
    for (const auto& in : n->inputs)
      if (in.node && producers.insert(in.node).second) users[in.node].push_back(n);
    pending[n] = static_cast<int>(producers.size());
  }
  auto by_id = [](const Node* a, const Node* b) { return a->id() > b->id(); };
  std::priority_queue<Node*, std::vector<Node*>, decltype(by_id)> ready(by_id);
  for (const auto& [n, count] : pending)
    if (count == 0) ready.push(const_cast<Node*>(n));
  std::vector<Node*> order;
  while (!ready.empty()) {
    Node* n = ready.top();
    ready.pop();
    order.push_back(n);
    for (Node* u : users[n])
      if (--pending[u] == 0) ready.push(u);
  }
  if (order.size() != by_id_.size()) {
    for (const auto& [n, count] : pending)
      if (count > 0) throw_bad_input(n->describe() + ": is part of a cycle");
  }
  return order;
}

void Graph::prune() {
  std::set<const Node*> live;
  std::vector<const Node*> todo;
  for (const Node* r : results()) todo.push_back(r);
  while (!todo.empty()) {
    const Node* n = todo.back();
    todo.pop_back();
    if (!live.insert(n).second) continue;
    for (const Output& in : n->inputs) todo.push_back(in.node);
  }
  remove_if([&](const Node& n) { return n.type() != "Parameter" && !live.count(&n); });
}

void Graph::remove_if(const std::function<bool(const Node&)>& pred) {
  std::set<const Node*> doomed;
  for (const auto& n : nodes_)
    if (pred(*n)) doomed.insert(n.get());
  for (const auto& n : nodes_) {
    if (doomed.count(n.get())) continue;
    for (const auto& in : n->inputs)
      if (doomed.count(in.node))
        throw_internal(n->describe() + " still reads removed " + in.node->describe());
  }
  for (const Node* d : doomed) by_id_.erase(d->id());
  std::erase_if(nodes_, [&](const std::unique_ptr<Node>& n) { return doomed.count(n.get()) != 0; });
}

}  // namespace q8
