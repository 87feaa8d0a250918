#include "graph/op_registry.h"

#include "base/error.h"
#include "base/strings.h"
#include "graph/ops/ops.h"

namespace q8 {

const AttrDef* OpDef::attr(std::string_view name) const {
  for (const auto& a : attrs)
    if (a.name == name) return &a;
  return nullptr;
}

const OpRegistry& OpRegistry::instance() {
  static const OpRegistry registry = [] {
    OpRegistry r;
    ops::register_all(r);
    ops::register_shape_inference(r);
    return r;
  }();
  return registry;
}

const OpDef* OpRegistry::find(std::string_view type, std::string_view version) const {
  auto it = defs_.find(type);
  if (it == defs_.end()) return nullptr;
  if (!starts_with(version, "opset")) return nullptr;
  auto n = parse_int(version.substr(5));
  if (!n) return nullptr;
  const OpDef* best = nullptr;
  for (const auto& [opset, def] : it->second)
    if (opset <= *n) best = &def;
  return best;
}

const OpDef* OpRegistry::find_latest(std::string_view type) const {
  auto it = defs_.find(type);
  if (it == defs_.end() || it->second.empty()) return nullptr;
  return &it->second.rbegin()->second;
}

std::vector<const OpDef*> OpRegistry::all() const {
  std::vector<const OpDef*> out;
  for (const auto& [type, versions] : defs_)
    for (const auto& [opset, def] : versions) out.push_back(&def);
  return out;
}

std::vector<int> OpRegistry::opsets_of(std::string_view type) const {
  std::vector<int> out;
  auto it = defs_.find(type);
  if (it != defs_.end())
    for (const auto& [opset, def] : it->second) out.push_back(opset);
  return out;
}

void OpRegistry::add(OpDef def) {
  auto& versions = defs_[def.type];
  if (versions.count(def.opset)) throw_internal("op " + def.type + " " + def.version() + " declared twice");
  for (const auto& a : def.attrs)
    if (a.default_value && kind_of(*a.default_value) != a.kind)
      throw_internal("op " + def.type + ": default of attribute '" + a.name + "' has the wrong kind");
  int opset = def.opset;
  versions.emplace(opset, std::move(def));
}

void OpRegistry::set_infer(const std::string& type, InferFn fn, int opset) {
  auto it = defs_.find(type);
  if (it == defs_.end()) throw_internal("shape inference for undeclared op " + type);
  for (auto& [v, def] : it->second)
    if (opset == 0 || v == opset) def.infer = fn;
}

namespace decl {
namespace {
AttrDef make(std::string name, AttrKind kind, std::optional<AttrValue> def = std::nullopt,
             std::vector<std::string> allowed = {}) {
  return AttrDef{std::move(name), kind, std::move(def), std::move(allowed)};
}
}  // namespace

AttrDef B(std::string name) {
  return make(std::move(name), AttrKind::kBool);
}
AttrDef B(std::string name, bool def) {
  return make(std::move(name), AttrKind::kBool, AttrValue(def));
}
AttrDef I(std::string name) {
  return make(std::move(name), AttrKind::kInt);
}
AttrDef I(std::string name, int64_t def) {
  return make(std::move(name), AttrKind::kInt, AttrValue(def));
}
AttrDef F(std::string name) {
  return make(std::move(name), AttrKind::kFloat);
}
AttrDef F(std::string name, double def) {
  return make(std::move(name), AttrKind::kFloat, AttrValue(def));
}
AttrDef S(std::string name) {
  return make(std::move(name), AttrKind::kString);
}
AttrDef S(std::string name, std::string def) {
  return make(std::move(name), AttrKind::kString, AttrValue(std::move(def)));
}
AttrDef E(std::string name, std::vector<std::string> allowed) {
  return make(std::move(name), AttrKind::kString, std::nullopt, std::move(allowed));
}
AttrDef E(std::string name, std::string def, std::vector<std::string> allowed) {
  return make(std::move(name), AttrKind::kString, AttrValue(std::move(def)), std::move(allowed));
}
AttrDef Is(std::string name) {
  return make(std::move(name), AttrKind::kInts);
}
AttrDef Is(std::string name, std::vector<int64_t> def) {
  return make(std::move(name), AttrKind::kInts, AttrValue(std::move(def)));
}
AttrDef Fs(std::string name) {
  return make(std::move(name), AttrKind::kFloats);
}
AttrDef Fs(std::string name, std::vector<double> def) {
  return make(std::move(name), AttrKind::kFloats, AttrValue(std::move(def)));
}
AttrDef Ss(std::string name, std::vector<std::string> def) {
  return make(std::move(name), AttrKind::kStrings, AttrValue(std::move(def)));
}
AttrDef T(std::string name) {
  return make(std::move(name), AttrKind::kElementType);
}
AttrDef T(std::string name, ElementType def) {
  return make(std::move(name), AttrKind::kElementType, AttrValue(def));
}
AttrDef Sh(std::string name) {
  return make(std::move(name), AttrKind::kShape);
}
AttrDef Opt(AttrDef a) {
  a.default_value.reset();
  a.optional = true;
  return a;
}
}  // namespace decl

}  // namespace q8
