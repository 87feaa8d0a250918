// Shape ops: Reshape, Transpose, Squeeze/Unsqueeze, Concat, ShapeOf, Gather, Split.
#include <algorithm>

#include "onnx/export/exporters.h"
#include "tensor/convert.h"

namespace q8::onnxexp {

// special_zero=true copies dims for zeros, which is ONNX Reshape's default (allowzero=0);
// with special_zero=false a zero is a real zero-sized dim, which opset 13 cannot say.
void export_reshape(Context& ctx) {
  if (!ctx.node().attr<bool>("special_zero")) {
    if (auto v = ctx.const_value(1)) {
      auto dims = to_ints(*v);
      if (std::find(dims.begin(), dims.end(), 0) != dims.end())
        ctx.fail("a zero dim with special_zero=false has no opset-13 equivalent");
    }
  }
  ctx.emit("Reshape", {ctx.input(0), int64_input(ctx, 1)}, {ctx.output_name()});
}

void export_transpose(Context& ctx) {
  std::vector<int64_t> perm = ctx.const_ints(1, "the permutation");
  auto& n = ctx.emit("Transpose", {ctx.input(0)}, {ctx.output_name()});
  if (!perm.empty()) set_attr(n, "perm", perm);
}

void export_squeeze(Context& ctx) {
  std::vector<std::string> in{ctx.input(0)};
  if (ctx.has_input(1)) in.push_back(int64_input(ctx, 1));
  ctx.emit("Squeeze", in, {ctx.output_name()});
}

void export_unsqueeze(Context& ctx) {
  ctx.emit("Unsqueeze", {ctx.input(0), int64_input(ctx, 1)}, {ctx.output_name()});
}

void export_concat(Context& ctx) {
  std::vector<std::string> in;
  for (int i = 0; i < ctx.input_count(); ++i) in.push_back(ctx.input(i));
  set_attr(ctx.emit("Concat", in, {ctx.output_name()}), "axis", ctx.node().attr<int64_t>("axis"));
}

void export_shape_of(Context& ctx) {
  const Node& n = ctx.node();
  ElementType t = n.has_attr("output_type") ? n.attr<ElementType>("output_type") : ElementType::kI64;
  if (t == ElementType::kI64) {
    ctx.emit("Shape", {ctx.input(0)}, {ctx.output_name()});
    return;
  }
  auto& cast = ctx.emit("Cast", {ctx.emit("Shape", {ctx.input(0)}).output(0)}, {ctx.output_name()});
  set_attr(cast, "to", static_cast<int64_t>(onnx_type(t)));
}

void export_gather(Context& ctx) {
  const Node& n = ctx.node();
  if (n.has_attr("batch_dims") && n.attr<int64_t>("batch_dims") != 0)
    ctx.fail("batch_dims != 0 is not exported");
  std::vector<int64_t> axis = ctx.const_ints(2, "axis");
  if (axis.size() != 1) ctx.fail("axis must be a single value");
  set_attr(ctx.emit("Gather", {ctx.input(0), ctx.input(1)}, {ctx.output_name()}), "axis", axis[0]);
}

namespace {
void emit_split(Context& ctx, int64_t axis, const std::vector<std::string>& extra) {
  std::vector<std::string> outs;
  for (size_t i = 0; i < ctx.node().outputs.size(); ++i) outs.push_back(ctx.output_name(static_cast<int>(i)));
  std::vector<std::string> in{ctx.input(0)};
  in.insert(in.end(), extra.begin(), extra.end());
  set_attr(ctx.emit("Split", in, outs), "axis", axis);
}
}  // namespace

void export_split(Context& ctx) {
  std::vector<int64_t> axis = ctx.const_ints(1, "axis");
  if (axis.size() != 1) ctx.fail("axis must be a single value");
  emit_split(ctx, axis[0], {});
}

// Split lengths with a -1 are resolved from the static output shapes.
void export_variadic_split(Context& ctx) {
  std::vector<int64_t> axis = ctx.const_ints(1, "axis");
  std::vector<int64_t> lengths = ctx.const_ints(2, "split_lengths");
  if (axis.size() != 1) ctx.fail("axis must be a single value");
  int64_t rank = ctx.input_rank(0), a = axis[0] < 0 ? axis[0] + rank : axis[0];
  for (size_t i = 0; i < lengths.size(); ++i) {
    if (lengths[i] >= 0) continue;
    const PartialShape& s = ctx.node().outputs.at(i).shape;
    if (!s.is_static()) ctx.fail("split length -1 needs a static output shape");
    lengths[i] = s.to_shape()[static_cast<size_t>(a)];
  }
  emit_split(ctx, axis[0], {ctx.ints("split", lengths)});
}

}  // namespace q8::onnxexp
