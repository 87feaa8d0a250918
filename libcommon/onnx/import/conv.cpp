// Conv and ConvTranspose -> (Group)Convolution / (Group)ConvolutionBackpropData (+ Add bias).
#include "onnx/import/common.h"
#include "onnx/import/importers.h"

namespace q8::onnxfe {

namespace {

// Splits the output-channel dim of weights into groups: [O, I, k..] -> [G, O/G, I, k..].
// ConvTranspose weights are [I, O/G, k..] and split their first dim the same way.
Output group_weights(Context& ctx, Output w, int64_t groups) {
  const PartialShape& ps = ctx.shape_of(w);
  if (!ps.is_static()) ctx.fail("grouped convolution needs weights of a known shape");
  Shape s = ps.to_shape();
  if (groups < 1) ctx.fail("group " + std::to_string(groups) + " must be at least 1");  // found by fuzzing
  if (s.empty() || s[0] % groups != 0)
    ctx.fail("weights " + to_string(s) + " cannot be split into " + std::to_string(groups) + " groups");
  Shape g = s;
  g[0] = s[0] / groups;
  g.insert(g.begin(), groups);
  if (w.node->type() == "Const") return ctx.constant(reshaped(w.node->value, g));
  return ctx.op("Reshape", {w, ctx.const_i64(g)}, {{"special_zero", false}});
}

Attrs window_attrs(Context& ctx, size_t spatial) {
  Pads p = split_pads(ctx, ctx.attr_ints("pads"), spatial);
  return {{"strides", ctx.attr_ints("strides", std::vector<int64_t>(spatial, 1))},
          {"dilations", ctx.attr_ints("dilations", std::vector<int64_t>(spatial, 1))},
          {"pads_begin", p.begin},
          {"pads_end", p.end},
          {"auto_pad", ov_auto_pad(ctx)}};
}

size_t spatial_dims(Context& ctx, Output w) {
  int64_t rank = ctx.rank_of(w, "(weights)");
  if (rank < 3) ctx.fail("weights must have rank 3 or more, got " + std::to_string(rank));
  return static_cast<size_t>(rank - 2);
}

// With output_shape the padding follows from the sizes; OpenVINO derives it from the
// same formula when the spatial output shape is an input, distributing it by auto_pad.
Output transposed_conv(Context& ctx, std::vector<Output> inputs, Attrs attrs, size_t spatial, bool grouped) {
  auto output_shape = ctx.attr_ints("output_shape");
  std::string op = grouped ? "GroupConvolutionBackpropData" : "ConvolutionBackpropData";
  if (output_shape.empty()) return ctx.op(op, inputs, attrs);
  if (output_shape.size() > spatial) output_shape.erase(output_shape.begin(), output_shape.end() - spatial);
  bool upper = ctx.attr_string("auto_pad", "NOTSET") == "SAME_UPPER";
  for (auto& [k, v] : attrs)
    if (k == "auto_pad") v = std::string(upper ? "same_upper" : "same_lower");
  inputs.push_back(ctx.const_i64(output_shape));
  return ctx.op(op, inputs, attrs);
}

}  // namespace

void import_conv(Context& ctx) {
  std::optional<Output> bias;
  if (ctx.has_input(2)) bias = ctx.input(2);
  ctx.set_output(0, build_conv(ctx, ctx.input(0), ctx.input(1), bias));
}

namespace {

// SAME_* without output_shape makes the output input * stride. With known sizes the padding
// is spelled out (ONNX puts the odd pixel at the end for SAME_UPPER, at the start otherwise),
// so no reader has to agree on how backprop-data auto padding works.
void explicit_same_pads(Context& ctx, Output x, Output w, size_t spatial, Attrs& attrs) {
  std::string mode = ctx.attr_string("auto_pad", "NOTSET");
  const PartialShape &xs = ctx.shape_of(x), &ws = ctx.shape_of(w);
  if ((mode != "SAME_UPPER" && mode != "SAME_LOWER") || ctx.has_attr("output_shape") || !xs.is_static() ||
      !ws.is_static())
    return;
  auto strides = ctx.attr_ints("strides", std::vector<int64_t>(spatial, 1));
  auto dilations = ctx.attr_ints("dilations", std::vector<int64_t>(spatial, 1));
  auto out_pad = ctx.attr_ints("output_padding", std::vector<int64_t>(spatial, 0));
  std::vector<int64_t> begin(spatial), end(spatial);
  for (size_t i = 0; i < spatial; ++i) {
    int64_t in = xs.dims[i + 2].min, k = ws.dims[i + 2].min;
    int64_t total = strides[i] * (in - 1) + out_pad[i] + (k - 1) * dilations[i] + 1 - in * strides[i];
    begin[i] = mode == "SAME_UPPER" ? total / 2 : total - total / 2;
    end[i] = total - begin[i];
  }
  for (auto& [name, v] : attrs) {
    if (name == "pads_begin") v = begin;
    if (name == "pads_end") v = end;
    if (name == "auto_pad") v = std::string("explicit");
  }
}

}  // namespace

void import_conv_transpose(Context& ctx) {
  Output x = ctx.input(0), w = ctx.input(1);
  size_t spatial = spatial_dims(ctx, w);
  Attrs attrs = window_attrs(ctx, spatial);
  explicit_same_pads(ctx, x, w, spatial, attrs);
  attrs.push_back({"output_padding", ctx.attr_ints("output_padding", std::vector<int64_t>(spatial, 0))});
  int64_t groups = ctx.attr_int("group", 1);
  Output y = groups == 1 ? transposed_conv(ctx, {x, w}, attrs, spatial, false)
                         : transposed_conv(ctx, {x, group_weights(ctx, w, groups)}, attrs, spatial, true);
  if (ctx.has_input(2)) y = add_channel_bias(ctx, y, ctx.input(2));
  ctx.set_output(0, y);
}

Output build_conv(Context& ctx, Output x, Output w, std::optional<Output> bias) {
  size_t spatial = spatial_dims(ctx, w);
  Attrs attrs = window_attrs(ctx, spatial);
  int64_t groups = ctx.attr_int("group", 1);
  Output y = groups == 1 ? ctx.op("Convolution", {x, w}, attrs)
                         : ctx.op("GroupConvolution", {x, group_weights(ctx, w, groups)}, attrs);
  return bias ? add_channel_bias(ctx, y, *bias) : y;
}

}  // namespace q8::onnxfe
