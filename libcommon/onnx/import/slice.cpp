// Cutting and joining: Slice -> StridedSlice (or Slice-8 for computed bounds), Split -> Split /
// VariadicSplit, Concat, Pad.
#include <algorithm>

#include "onnx/import/common.h"
#include "onnx/import/importers.h"

namespace q8::onnxfe {

void import_concat(Context& ctx) {
  std::vector<Output> parts;
  for (int i = 0; i < ctx.input_count(); ++i)
    if (ctx.has_input(i)) parts.push_back(ctx.input(i));
  int64_t rank = ctx.rank_of(parts.at(0), "for Concat");
  int64_t axis = ctx.axis(ctx.attr_int("axis"), rank);
  ctx.set_output(0, ctx.op("Concat", parts, {{"axis", axis}}));
}

// Sizes: an attribute before opset 13, an optional input since; none means equal parts.
void import_split(Context& ctx) {
  Output x = ctx.input(0);
  int64_t rank = ctx.rank_of(x, "for Split");
  int64_t axis = ctx.axis(ctx.attr_int("axis", 0), rank);
  std::optional<Output> sizes;
  if (ctx.opset() < 13 && ctx.has_attr("split")) sizes = ctx.const_i64(ctx.attr_ints("split"));
  if (ctx.opset() >= 13 && ctx.has_input(1)) sizes = ctx.input(1);
  Node* n = sizes ? ctx.add("VariadicSplit", {x, ctx.scalar_i64(axis), *sizes}, {}, "", ctx.output_count())
                  : ctx.add("Split", {x, ctx.scalar_i64(axis)},
                            {{"num_splits", static_cast<int64_t>(ctx.output_count())}});
  if (static_cast<int>(n->outputs.size()) != ctx.output_count())
    ctx.fail("splits into " + std::to_string(n->outputs.size()) + " parts, the node has " +
             std::to_string(ctx.output_count()) + " outputs");
  for (int i = 0; i < ctx.output_count(); ++i) ctx.set_output(i, n->output(i));
}

namespace {

struct SliceArgs {
  std::optional<std::vector<int64_t>> starts, ends, axes, steps;
};

// Before opset 10 the bounds are attributes; then inputs (axes and steps optional).
SliceArgs slice_args(Context& ctx) {
  SliceArgs a;
  if (ctx.opset() < 10) {
    a.starts = ctx.attr_ints("starts");
    a.ends = ctx.attr_ints("ends");
    if (ctx.has_attr("axes")) a.axes = ctx.attr_ints("axes");
    return a;
  }
  a.starts = ctx.const_ints(1);
  a.ends = ctx.const_ints(2);
  a.axes = ctx.const_ints(3);
  a.steps = ctx.const_ints(4);
  return a;
}

// All bounds known: a StridedSlice over the leading dims, untouched dims masked whole.
Output strided_slice(Context& ctx, Output x, const SliceArgs& a, int64_t rank) {
  std::vector<int64_t> axes = a.axes.value_or(std::vector<int64_t>{});
  if (!a.axes)
    for (size_t i = 0; i < a.starts->size(); ++i) axes.push_back(static_cast<int64_t>(i));
  if (axes.size() != a.starts->size() || axes.size() != a.ends->size() ||
      (a.steps && a.steps->size() != axes.size()))
    ctx.fail("starts, ends, axes and steps must have the same length");
  int64_t n = 0;
  for (int64_t& ax : axes) n = std::max(n, (ax = ctx.axis(ax, rank)) + 1);
  std::vector<int64_t> begin(n, 0), end(n, 0), stride(n, 1), begin_mask(n, 1), end_mask(n, 1);
  for (size_t i = 0; i < axes.size(); ++i) {
    auto d = static_cast<size_t>(axes[i]);
    begin[d] = (*a.starts)[i];
    end[d] = (*a.ends)[i];
    stride[d] = a.steps ? (*a.steps)[i] : 1;
    if (stride[d] == 0) ctx.fail("a slice step cannot be 0");
    begin_mask[d] = end_mask[d] = 0;
  }
  return ctx.op("StridedSlice", {x, ctx.const_i64(begin), ctx.const_i64(end), ctx.const_i64(stride)},
                {{"begin_mask", begin_mask}, {"end_mask", end_mask}});
}

}  // namespace

void import_slice(Context& ctx) {
  Output x = ctx.input(0);
  SliceArgs a = slice_args(ctx);
  bool known = a.starts && a.ends && (a.axes || !ctx.has_input(3)) && (a.steps || !ctx.has_input(4));
  if (known) return ctx.set_output(0, strided_slice(ctx, x, a, ctx.rank_of(x, "for Slice")));
  // Computed bounds: Slice-8 takes them as inputs directly.
  auto i64 = [&](int i) { return ctx.convert(ctx.input(i), ElementType::kI64); };
  Output start = i64(1);
  Output step = ctx.has_input(4) ? i64(4)
                                 : ctx.op("Broadcast", {ctx.scalar_i64(1), shape_of(ctx, start)},
                                          {{"mode", std::string("numpy")}}, "opset3");
  std::vector<Output> in = {x, start, i64(2), step};
  if (ctx.has_input(3)) in.push_back(i64(3));
  ctx.set_output(0, ctx.op("Slice", in));
}

namespace {

std::string pad_mode(Context& ctx) {
  std::string m = ctx.attr_string("mode", "constant");
  if (m == "constant" || m == "reflect" || m == "edge") return m;
  ctx.fail("pad mode '" + m + "' has no OpenVINO equivalent");
}

}  // namespace

// Pads are [x1_begin, x2_begin, ..., x1_end, x2_end, ...]: an attribute before opset 11,
// an input since (with the constant value as an optional input).
void import_pad(Context& ctx) {
  Output x = ctx.input(0);
  Output begin, end, value;
  std::optional<std::vector<int64_t>> pads =
      ctx.opset() < 11 ? std::optional(ctx.attr_ints("pads")) : ctx.const_ints(1);
  if (pads) {
    size_t n = pads->size() / 2;
    begin = ctx.const_i64({pads->begin(), pads->begin() + static_cast<long>(n)});
    end = ctx.const_i64({pads->begin() + static_cast<long>(n), pads->end()});
  } else {
    Node* halves = ctx.add("Split", {ctx.convert(ctx.input(1), ElementType::kI64), ctx.scalar_i64(0)},
                           {{"num_splits", int64_t{2}}});
    begin = halves->output(0);
    end = halves->output(1);
  }
  ElementType t = ctx.type_of(x);
  if (ctx.opset() < 11)
    value = ctx.scalar_like(ctx.attr_float("value", 0.0f), t);
  else
    value = ctx.has_input(2) ? to_scalar(ctx, ctx.input(2)) : ctx.scalar_like(0, t);
  ctx.set_output(0, ctx.op("Pad", {x, begin, end, value}, {{"pad_mode", pad_mode(ctx)}}));
}

}  // namespace q8::onnxfe
