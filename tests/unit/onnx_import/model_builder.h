#pragma once
// Builds small ONNX models in C++ for importer tests: typed inputs, float/int64 initializers,
// nodes with attributes, outputs, one default-domain opset.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "onnx/frontend.h"

namespace q8::test {

class ModelBuilder {
 public:
  explicit ModelBuilder(int64_t opset = 13) {
    model_.set_ir_version(8);
    auto* op = model_.add_opset_import();
    op->set_domain("");
    op->set_version(opset);
    model_.mutable_graph()->set_name("g");
  }

  ModelBuilder& input(const std::string& name, const std::vector<int64_t>& dims,
                      int32_t type = onnx::TensorProto::FLOAT) {
    value_info(model_.mutable_graph()->add_input(), name, dims, type);
    return *this;
  }
  ModelBuilder& output(const std::string& name) {
    model_.mutable_graph()->add_output()->set_name(name);
    return *this;
  }
  ModelBuilder& floats(const std::string& name, const std::vector<int64_t>& dims,
                       const std::vector<float>& v) {
    auto* t = init(name, dims, onnx::TensorProto::FLOAT);
    for (float f : v) t->add_float_data(f);
    return *this;
  }
  ModelBuilder& ints(const std::string& name, const std::vector<int64_t>& dims, const std::vector<int64_t>& v,
                     int32_t type = onnx::TensorProto::INT64) {
    auto* t = init(name, dims, type);
    for (int64_t i : v) {
      if (type == onnx::TensorProto::INT64)
        t->add_int64_data(i);
      else
        t->add_int32_data(static_cast<int32_t>(i));
    }
    return *this;
  }

  // The node; attributes are added to the returned proto with the helpers below.
  onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& in,
                        const std::vector<std::string>& out, const std::string& name = "") {
    auto* n = model_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (const auto& i : in) n->add_input(i);
    for (const auto& o : out) n->add_output(o);
    return *n;
  }

  const onnx::ModelProto& model() const { return model_; }

 private:
  static void value_info(onnx::ValueInfoProto* v, const std::string& name, const std::vector<int64_t>& dims,
                         int32_t type) {
    v->set_name(name);
    auto* tt = v->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(type);
    auto* shape = tt->mutable_shape();
    for (int64_t d : dims) {
      if (d < 0)
        shape->add_dim()->set_dim_param("N");
      else
        shape->add_dim()->set_dim_value(d);
    }
  }
  onnx::TensorProto* init(const std::string& name, const std::vector<int64_t>& dims, int32_t type) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(type);
    for (int64_t d : dims) t->add_dims(d);
    return t;
  }

  onnx::ModelProto model_;
};

inline void set_int(onnx::NodeProto& n, const std::string& name, int64_t v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}
inline void set_float(onnx::NodeProto& n, const std::string& name, float v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}
inline void set_string(onnx::NodeProto& n, const std::string& name, const std::string& v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(v);
}
inline void set_ints(onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t i : v) a->add_ints(i);
}

// The graph's nodes of one op type, in id order.
inline std::vector<Node*> nodes_of(const Graph& g, const std::string& type) {
  std::vector<Node*> out;
  for (const auto& n : g.nodes())
    if (n->type() == type) out.push_back(n.get());
  return out;
}

// The node feeding the only Result.
// The built model through the ONNX frontend, named "m".
inline Graph import(const ModelBuilder& b) {
  return onnxfe::import_model(b.model(), {}, "m");
}

inline Node* result_source(const Graph& g) {
  auto r = g.results();
  return r.size() == 1 ? r[0]->input(0).node : nullptr;
}

}  // namespace q8::test
