#pragma once
// Builds one-op graphs and runs shape inference on them (shared by the infer_*_test files).
#include <gtest/gtest.h>

#include <map>
#include <optional>

#include "base/error.h"
#include "graph/graph.h"
#include "graph/shape_infer.h"
#include "tensor/convert.h"

namespace q8 {

// Readable shapes in failure messages .
inline void PrintTo(const PartialShape& s, std::ostream* os) {
  *os << s.to_string();
}

// Builds one-op graphs and runs shape inference on them.
class Infer {
 public:
  Output param(const std::string& shape, ElementType t = ElementType::kF32) {
    return g_.add_parameter("p" + std::to_string(g_.size()), t, ps(shape))->output();
  }
  Output ints(std::vector<int64_t> v, std::optional<Shape> shape = std::nullopt) {
    Shape s = shape ? *shape : Shape{static_cast<int64_t>(v.size())};
    return g_.add_const("c" + std::to_string(g_.size()), make_i64(s, v))->output();
  }
  Output scalar(int64_t v) { return ints({v}, Shape{}); }
  Output floats(std::vector<float> v) {
    Shape s{static_cast<int64_t>(v.size())};
    return g_.add_const("c" + std::to_string(g_.size()), make_f32(s, v))->output();
  }
  // A node of `type` (newest opset unless `version`), its inputs and attributes.
  Node* op(const std::string& type, std::vector<Output> inputs, std::map<std::string, AttrValue> attrs = {},
           const std::string& version = "") {
    Node* n = g_.add(type, type + std::to_string(g_.size()), version);
    n->inputs = std::move(inputs);
    for (auto& [k, v] : attrs) n->set_attr(k, v);
    return n;
  }
  // Infers `n` and returns its output `i` shape.
  PartialShape shape(Node* n, size_t i = 0) {
    infer_node(*n);
    return n->outputs.at(i).shape;
  }
  static PartialShape ps(const std::string& s) { return *parse_partial_shape(s); }

 private:
  Graph g_;
};

using Ints = std::vector<int64_t>;
using Str = std::string;

}  // namespace q8
