// Mean/Sum/Max/Min/Prod -> Reduce*, ArgMax -> TopK(k=1) + Squeeze (+ Convert), MatMul, Softmax.
#include <map>

#include "tensor/convert.h"
#include "tf/import/importers.h"

namespace q8::tffe {

namespace {

const std::map<std::string, std::string> kReduce = {
    {"Mean", "ReduceMean"}, {"Sum", "ReduceSum"},   {"Max", "ReduceMax"},
    {"Min", "ReduceMin"},   {"Prod", "ReduceProd"},
};

Output axes_input(Context& ctx, int i) {
  if (auto v = ctx.const_value(i)) return ctx.const_i64(to_ints(*v));
  return ctx.input(i);
}

}  // namespace

void import_reduce(Context& ctx) {
  ctx.set_output(0, ctx.op(kReduce.at(ctx.op_type()), {ctx.input(0), axes_input(ctx, 1)},
                           {{"keep_dims", ctx.attr_bool("keep_dims", false)}}));
}

std::vector<std::string> reduce_op_types() {
  std::vector<std::string> out;
  for (const auto& [k, v] : kReduce) out.push_back(k);
  return out;
}

// TF's output_type may be float after change-dtype (the seed's fp32 ArgMax): TopK yields i32
// indices, converted to whatever output_type asks for.
void import_arg_max(Context& ctx) {
  Output x = ctx.input(0);
  auto dims = ctx.require_ints(1, "the dimension");
  if (dims.size() != 1) ctx.fail("the dimension must be a single value");
  int64_t axis = ctx.axis(dims[0], ctx.rank_of(x, "for ArgMax"));
  ElementType out_type = ctx.attr_type("output_type", ElementType::kI64);
  ElementType index_type = out_type == ElementType::kI64 ? ElementType::kI64 : ElementType::kI32;
  Node* topk = ctx.add("TopK", {x, ctx.scalar_i64(1)},
                       {{"axis", axis},
                        {"mode", std::string("max")},
                        {"sort", std::string("value")},
                        {"index_element_type", index_type}},
                       "opset3");
  Output y = ctx.op("Squeeze", {topk->output(1), ctx.const_i64({axis})});
  if (out_type != index_type) y = ctx.op("Convert", {y}, {{"destination_type", out_type}});
  ctx.set_output(0, y);
}

void import_mat_mul(Context& ctx) {
  ctx.set_output(0, ctx.op("MatMul", {ctx.input(0), ctx.input(1)},
                           {{"transpose_a", ctx.attr_bool("transpose_a", false)},
                            {"transpose_b", ctx.attr_bool("transpose_b", false)}}));
}

// TF normalizes over the last axis.
void import_softmax(Context& ctx) {
  Output x = ctx.input(0);
  int64_t rank = ctx.rank_of(x, "for Softmax");
  ctx.set_output(0, ctx.op("SoftMax", {x}, {{"axis", rank - 1}}, "opset1"));
}

}  // namespace q8::tffe
