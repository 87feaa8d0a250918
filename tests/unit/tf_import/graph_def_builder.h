#pragma once
// Builds small GraphDefs in tests (the way make_tf_fixture.cpp does, with q8's own proto).
#include <string>
#include <vector>

#include "tensor/convert.h"
#include "tf/graph_def.pb.h"

namespace q8::tftest {

class GraphDefBuilder {
 public:
  tf::GraphDef def;

  tf::NodeDef& node(const std::string& name, const std::string& op,
                    const std::vector<std::string>& inputs = {}) {
    tf::NodeDef& n = *def.add_node();
    n.set_name(name);
    n.set_op(op);
    for (const auto& i : inputs) n.add_input(i);
    return n;
  }
  static void set_type(tf::NodeDef& n, const std::string& key, tf::DataType t) {
    (*n.mutable_attr())[key].set_type(t);
  }
  static void set_s(tf::NodeDef& n, const std::string& key, const std::string& s) {
    (*n.mutable_attr())[key].set_s(s);
  }
  static void set_b(tf::NodeDef& n, const std::string& key, bool b) { (*n.mutable_attr())[key].set_b(b); }
  static void set_i(tf::NodeDef& n, const std::string& key, int64_t i) { (*n.mutable_attr())[key].set_i(i); }
  static void set_ints(tf::NodeDef& n, const std::string& key, const std::vector<int64_t>& v) {
    auto* list = (*n.mutable_attr())[key].mutable_list();
    for (int64_t x : v) list->add_i(x);
  }

  void placeholder(const std::string& name, const std::vector<int64_t>& shape) {
    tf::NodeDef& n = node(name, "Placeholder");
    set_type(n, "dtype", tf::DT_FLOAT);
    for (int64_t d : shape) (*n.mutable_attr())["shape"].mutable_shape()->add_dim()->set_size(d);
  }
  // A Const whose TensorProto the caller fills.
  tf::TensorProto& const_proto(const std::string& name, tf::DataType type,
                               const std::vector<int64_t>& shape) {
    tf::NodeDef& n = node(name, "Const");
    set_type(n, "dtype", type);
    tf::TensorProto& t = *(*n.mutable_attr())["value"].mutable_tensor();
    t.set_dtype(type);
    for (int64_t d : shape) t.mutable_tensor_shape()->add_dim()->set_size(d);
    return t;
  }
  void const_f32(const std::string& name, const Tensor& value) {
    tf::TensorProto& t = const_proto(name, tf::DT_FLOAT, value.shape());
    t.set_tensor_content(std::string(reinterpret_cast<const char*>(value.bytes()), value.byte_size()));
  }
  void const_i32(const std::string& name, const std::vector<int64_t>& shape,
                 const std::vector<int32_t>& values) {
    tf::TensorProto& t = const_proto(name, tf::DT_INT32, shape);
    for (int32_t v : values) t.add_int_val(v);
  }
  tf::NodeDef& unary(const std::string& name, const std::string& op, const std::string& in) {
    tf::NodeDef& n = node(name, op, {in});
    set_type(n, "T", tf::DT_FLOAT);
    return n;
  }
};

}  // namespace q8::tftest
