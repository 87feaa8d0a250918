#include <gtest/gtest.h>

#include "base/error.h"
#include "graph/graph.h"
#include "graph/validate.h"

namespace q8 {
namespace {

Graph tiny_conv() {
  Graph g;
  g.name = "tiny";
  Node* x = g.add_parameter("x", ElementType::kF32, PartialShape(Shape{1, 3, 8, 8}));
  Tensor w(ElementType::kF32, {4, 3, 3, 3});
  for (int i = 0; i < 108; ++i) w.mutable_data<float>()[i] = 0.01f * static_cast<float>(i);
  Node* c = g.add_const("w", w);
  Node* conv = g.add("Convolution", "conv");
  conv->set_attr("strides", std::vector<int64_t>{1, 1});
  conv->set_attr("dilations", std::vector<int64_t>{1, 1});
  conv->set_attr("pads_begin", std::vector<int64_t>{1, 1});
  conv->set_attr("pads_end", std::vector<int64_t>{1, 1});
  conv->set_attr("auto_pad", std::string("explicit"));
  conv->inputs = {x->output(), c->output()};
  conv->outputs[0] = PortInfo{ElementType::kF32, PartialShape(Shape{1, 4, 8, 8}), {}};
  Node* relu = g.add("ReLU", "relu");
  relu->inputs = {conv->output()};
  relu->outputs[0] = conv->outputs[0];
  g.add_result("out", relu->output());
  return g;
}

TEST(OpRegistry, FindsNewestVersionNotAfterTheRequestedOpset) {
  const auto& r = OpRegistry::instance();
  EXPECT_EQ(r.find("Gather", "opset1")->opset, 1);
  EXPECT_EQ(r.find("Gather", "opset7")->opset, 7);
  EXPECT_EQ(r.find("Gather", "opset9")->opset, 8);
  EXPECT_EQ(r.find("ReLU", "opset8")->opset, 1);
  EXPECT_EQ(r.find("TopK", "opset2")->opset, 1);
  EXPECT_EQ(r.find("NonMaxSuppression", "opset5")->outputs, 3);
  EXPECT_EQ(r.find("Gather", "experimental"), nullptr);
  EXPECT_EQ(r.find("NoSuchOp", "opset1"), nullptr);
  EXPECT_EQ(r.find("ShapeOf", "opset2")->attrs.size(), 0u);
}

TEST(OpRegistry, EveryDefaultHasItsDeclaredKind) {
  for (const OpDef* d : OpRegistry::instance().all())
    for (const auto& a : d->attrs)
      if (a.default_value) {
        EXPECT_EQ(kind_of(*a.default_value), a.kind) << d->type << "." << a.name;
      }
  EXPECT_GT(OpRegistry::instance().all().size(), 150u);
}

TEST(Attribute, TextRoundTripsForEveryKind) {
  std::vector<std::pair<AttrKind, std::string>> cases = {{AttrKind::kBool, "true"},
                                                         {AttrKind::kInt, "-3"},
                                                         {AttrKind::kFloat, "0.0001"},
                                                         {AttrKind::kString, "explicit"},
                                                         {AttrKind::kInts, "1,2,3"},
                                                         {AttrKind::kFloats, "0.1,0.2"},
                                                         {AttrKind::kStrings, "sigmoid,tanh"},
                                                         {AttrKind::kElementType, "f16"},
                                                         {AttrKind::kShape, "1,3,?,1..4"},
                                                         {AttrKind::kInts, ""}};
  for (const auto& [kind, text] : cases) {
    auto v = attr_from_text(kind, text);
    ASSERT_TRUE(v) << text;
    EXPECT_EQ(attr_to_text(*v), text);
  }
  EXPECT_EQ(attr_to_text(*attr_from_text(AttrKind::kBool, "0")), "false");
  EXPECT_EQ(attr_to_text(*attr_from_text(AttrKind::kInts, "1.0,2.0")), "1,2");
  EXPECT_FALSE(attr_from_text(AttrKind::kInts, "1.5"));
  EXPECT_FALSE(attr_from_text(AttrKind::kBool, "yes"));
  EXPECT_FALSE(attr_from_text(AttrKind::kElementType, "f33"));
}

TEST(Graph, TopologicalOrderIsDeterministic) {
  Graph g = tiny_conv();
  auto order = g.topological_order();
  ASSERT_EQ(order.size(), 5u);
  EXPECT_EQ(order.front()->name(), "x");
  EXPECT_EQ(order.back()->name(), "out");
  EXPECT_NO_THROW(validate(g));
  EXPECT_EQ(g.consumers(g.find_by_name("conv")->output()).size(), 1u);
}

TEST(Graph, CycleIsReportedWithANode) {
  Graph g = tiny_conv();
  Node* conv = g.find_by_name("conv");
  conv->inputs[0] = g.find_by_name("relu")->output();
  try {
    g.topological_order();
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(e.describe().find("cycle"), std::string::npos);
  }
}

TEST(Validate, NamesTheLayerAndTheProblem) {
  {
    Graph g = tiny_conv();
    Node* relu = g.find_by_name("relu");
    relu->inputs.push_back(relu->inputs[0]);
    try {
      validate(g);
      FAIL();
    } catch (const Error& e) {
      EXPECT_NE(e.describe().find("layer 'relu'"), std::string::npos) << e.describe();
      EXPECT_NE(e.describe().find("has 2 inputs"), std::string::npos) << e.describe();
    }
  }
  {
    Graph g = tiny_conv();
    EXPECT_THROW(g.find_by_name("conv")->set_attr("strides", int64_t{1}), Error);              // wrong kind
    EXPECT_THROW(g.find_by_name("conv")->set_attr("stride", std::vector<int64_t>{1}), Error);  // no such attr
  }
  {
    Graph g = tiny_conv();
    g.find_by_name("conv")->set_attr("auto_pad", std::string("sideways"));
    try {
      validate(g);
      FAIL();
    } catch (const Error& e) {
      EXPECT_NE(e.describe().find("auto_pad"), std::string::npos) << e.describe();
    }
  }
}

TEST(Graph, EqualityNoticesEveryKindOfDifference) {
  Graph a = tiny_conv(), b = tiny_conv();
  std::string why;
  EXPECT_TRUE(graphs_equal(a, b, &why)) << why;
  b.find_by_name("conv")->set_attr("pads_end", std::vector<int64_t>{0, 0});
  EXPECT_FALSE(graphs_equal(a, b, &why));
  EXPECT_NE(why.find("attributes"), std::string::npos);
  Graph c = tiny_conv();
  c.find_by_name("w")->value.mutable_data<float>()[5] = 9;
  EXPECT_FALSE(graphs_equal(a, c, &why));
  EXPECT_NE(why.find("constant data"), std::string::npos);
}

TEST(Graph, RemoveRefusesToOrphanConsumers) {
  Graph g = tiny_conv();
  EXPECT_THROW(g.remove_if([](const Node& n) { return n.name() == "relu"; }), Error);
  g.remove_if([](const Node& n) { return n.name() == "relu" || n.name() == "out"; });
  EXPECT_EQ(g.size(), 3u);
}

TEST(MetaEntry, PathsReadAndWriteValues) {
  MetaEntry m{"meta_data", {}, "", {}};
  m.set_value("cli_parameters/data_type", "FP16");
  m.set_value("cli_parameters/data_type", "FP32");
  EXPECT_EQ(m.value_at("cli_parameters/data_type"), "FP32");
  EXPECT_FALSE(m.value_at("cli_parameters/none"));
}

}  // namespace
}  // namespace q8
