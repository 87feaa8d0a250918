// Reductions -> Reduce*, with LogSum/LogSumExp/SumSquare composed; ArgMax/ArgMin -> TopK(k=1).
#include <map>

#include "onnx/import/common.h"
#include "onnx/import/importers.h"

namespace q8::onnxfe {

namespace {

// Axes come from the attribute, or (ReduceSum from opset 13) the optional second input.
// No axes reduce everything, unless noop_with_empty_axes asks for the identity.
std::optional<Output> reduce_axes(Context& ctx, Output x) {
  // An empty axes input means "no axes", like an absent one.
  const PartialShape& given = ctx.has_input(1) ? ctx.shape_of(ctx.input(1)) : PartialShape();
  bool empty = ctx.has_input(1) && !given.rank_dynamic && given.rank() == 1 && given.dims[0] == Dim::fixed(0);
  if (ctx.has_input(1) && !empty) return ctx.input(1);
  if (ctx.has_attr("axes")) return ctx.const_i64(ctx.attr_ints("axes"));
  if (ctx.attr_int("noop_with_empty_axes", 0)) return std::nullopt;
  return axes_range(ctx, 0, ctx.rank_of(x, "to reduce over all axes"));
}

Output reduce(Context& ctx, const std::string& type, Output x) {
  auto axes = reduce_axes(ctx, x);
  if (!axes) return x;
  return ctx.op(type, {x, *axes}, {{"keep_dims", ctx.attr_int("keepdims", 1) != 0}});
}

}  // namespace

void import_reduce(Context& ctx) {
  static const std::map<std::string, std::string> types = {
      {"ReduceMean", "ReduceMean"}, {"ReduceMax", "ReduceMax"},   {"ReduceMin", "ReduceMin"},
      {"ReduceSum", "ReduceSum"},   {"ReduceProd", "ReduceProd"}, {"ReduceL1", "ReduceL1"},
      {"ReduceL2", "ReduceL2"}};
  const std::string& t = ctx.op_type();
  Output x = ctx.input(0);
  if (auto it = types.find(t); it != types.end()) return ctx.set_output(0, reduce(ctx, it->second, x));
  if (t == "ReduceSumSquare") return ctx.set_output(0, reduce(ctx, "ReduceSum", ctx.op("Multiply", {x, x})));
  ctx.set_output(0, ctx.op("Log", {reduce(ctx, "ReduceSum", x)}));  // ReduceLogSum
}

// log(sum(exp(x))) = m + log(sum(exp(x - m))) with m the max, so large inputs do not overflow.
void import_reduce_log_sum_exp(Context& ctx) {
  Output x = ctx.input(0);
  auto axes = reduce_axes(ctx, x);
  if (!axes) return ctx.set_output(0, x);
  bool keep = ctx.attr_int("keepdims", 1) != 0;
  Output m = ctx.op("ReduceMax", {x, *axes}, {{"keep_dims", true}});
  Output sum =
      ctx.op("ReduceSum", {ctx.op("Exp", {ctx.op("Subtract", {x, m})}), *axes}, {{"keep_dims", keep}});
  Output shift = keep ? m : ctx.op("Squeeze", {m, *axes});
  ctx.set_output(0, ctx.op("Add", {ctx.op("Log", {sum}), shift}));
}

// TopK with k=1 returns the first index among equal values; select_last_index reverses the
// axis first and maps the index back (dim - 1 - i).
void import_arg_min_max(Context& ctx) {
  Output x = ctx.input(0);
  int64_t rank = ctx.rank_of(x, "for ArgMax/ArgMin");
  int64_t axis = ctx.axis(ctx.attr_int("axis", 0), rank);
  bool last = ctx.attr_int("select_last_index", 0) != 0;
  if (last) x = ctx.op("Reverse", {x, ctx.const_i64({axis})}, {{"mode", std::string("index")}});
  Node* topk = ctx.add("TopK", {x, ctx.scalar_i64(1)},
                       {{"axis", axis},
                        {"mode", std::string(ctx.op_type() == "ArgMax" ? "max" : "min")},
                        {"sort", std::string("none")},
                        {"index_element_type", ElementType::kI64}},
                       "opset3");
  Output idx = topk->output(1);
  if (last) {
    Output dim = ctx.op("Gather", {shape_of(ctx, x), ctx.scalar_i64(axis), ctx.scalar_i64(0)}, {}, "opset1");
    idx = ctx.op("Subtract", {ctx.op("Subtract", {dim, ctx.scalar_i64(1)}), idx});
  }
  if (!ctx.attr_int("keepdims", 1)) idx = ctx.op("Squeeze", {idx, ctx.const_i64({axis})});
  ctx.set_output(0, idx);
}

}  // namespace q8::onnxfe
