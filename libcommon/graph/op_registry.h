#pragma once
// The op registry: every op (OpenVINO opset semantics) is declared once -- type, the
// opset it appeared in, its attributes with kinds and defaults, and its port counts.
// The IR reader, the IR writer and validation are all driven by these declarations.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/attribute.h"

namespace q8 {

class Node;
struct PortInfo;
class Tensor;

// What shape inference knows about a node's inputs.
struct InferInputs {
  std::vector<const PortInfo*> ports;  // type and shape of each input
  std::vector<const Tensor*> values;   // the value when the input is a Const, else nullptr
};
// Computes the type and shape of every output of `node` (OpenVINO opset semantics).
// Throws a bad-input error (the caller adds the node name) when the inputs are invalid.
using InferFn = std::vector<PortInfo> (*)(const Node& node, const InferInputs& in);

struct AttrDef {
  std::string name;
  AttrKind kind;
  std::optional<AttrValue> default_value;  // absent -> required
  std::vector<std::string> allowed;        // for strings: the accepted values (empty = any)
  bool optional = false;                   // kept when present, never filled in (legacy IR attributes)

  bool required() const { return !default_value.has_value() && !optional; }
};

struct OpDef {
  std::string type;
  int opset = 1;  // the opset this version of the op first appeared in
  std::vector<AttrDef> attrs;
  int min_inputs = 0;
  int max_inputs = -1;      // -1: any number
  int outputs = 1;          // -1: variable (checked against the model, not the declaration)
  InferFn infer = nullptr;  // shape inference; set by graph/infer (see shape_infer.h)

  std::string version() const { return "opset" + std::to_string(opset); }
  const AttrDef* attr(std::string_view name) const;
};

class OpRegistry {
 public:
  static const OpRegistry& instance();

  // `version` is an IR version string "opsetN": finds the newest declaration of `type`
  // whose opset is <= N (an opsetN contains every op of earlier opsets unless replaced).
  const OpDef* find(std::string_view type, std::string_view version) const;
  // The newest declaration of `type` in any opset.
  const OpDef* find_latest(std::string_view type) const;
  std::vector<const OpDef*> all() const;
  std::vector<int> opsets_of(std::string_view type) const;

  void add(OpDef def);
  // Attaches shape inference to every declared version of `type` (or only `opset` when > 0).
  void set_infer(const std::string& type, InferFn fn, int opset = 0);

 private:
  std::map<std::string, std::map<int, OpDef>, std::less<>> defs_;
};

// Declaration helpers used by the op files: I("axis") is a required int,
// I("axis", 0) an int defaulting to 0; Is/Fs/Ss lists; E strings with allowed values.
namespace decl {
AttrDef B(std::string name);
AttrDef B(std::string name, bool def);
AttrDef I(std::string name);
AttrDef I(std::string name, int64_t def);
AttrDef F(std::string name);
AttrDef F(std::string name, double def);
AttrDef S(std::string name);
AttrDef S(std::string name, std::string def);
// A string restricted to `allowed` values (an enum in the spec).
AttrDef E(std::string name, std::vector<std::string> allowed);
AttrDef E(std::string name, std::string def, std::vector<std::string> allowed);
AttrDef Is(std::string name);
AttrDef Is(std::string name, std::vector<int64_t> def);
AttrDef Fs(std::string name);
AttrDef Fs(std::string name, std::vector<double> def);
AttrDef Ss(std::string name, std::vector<std::string> def);
AttrDef T(std::string name);
AttrDef T(std::string name, ElementType def);
AttrDef Sh(std::string name);
// Accepted when a file has it (real IR writers add attributes the spec lacks), not filled in otherwise.
AttrDef Opt(AttrDef a);
}  // namespace decl

}  // namespace q8
