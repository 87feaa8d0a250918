// Conv2D -> Convolution, DepthwiseConv2dNative -> GroupConvolution, both on NCHW between Transposes.
#include "tf/import/importers.h"
#include "tf/import/layout.h"

namespace q8::tffe {

namespace {

Attrs conv_attrs(Context& ctx, bool nhwc) {
  Attrs a = padding_attrs(ctx, nhwc);
  a.push_back({"strides", spatial_pair(ctx, "strides", nhwc)});
  a.push_back({"dilations", spatial_pair(ctx, "dilations", nhwc)});
  return a;
}

void check_filter(Context& ctx, Output w) {
  if (ctx.rank_of(w, "(the filter)") != 4) ctx.fail("the filter must be 4-D [H, W, in, out]");
}

}  // namespace

void import_conv2d(Context& ctx) {
  bool nhwc = is_nhwc(ctx);
  Output w = ctx.input(1);
  check_filter(ctx, w);
  Output oihw = transpose(ctx, w, {3, 2, 0, 1});  // HWIO -> OIHW
  Output y = ctx.op("Convolution", {to_nchw(ctx, ctx.input(0), nhwc), oihw}, conv_attrs(ctx, nhwc));
  ctx.set_output(0, from_nchw(ctx, y, nhwc));
}

// The filter [H, W, C, M] applies M filters to each input channel: C groups of M outputs,
// one input channel each -> GroupConvolution weights [C, M, 1, H, W].
void import_depthwise_conv2d(Context& ctx) {
  bool nhwc = is_nhwc(ctx);
  Output w = ctx.input(1);
  check_filter(ctx, w);
  Output cmhw = transpose(ctx, w, {2, 3, 0, 1});
  Output grouped;
  if (cmhw.node->type() == "Const") {
    Shape s = cmhw.node->value.shape();
    Tensor t = cmhw.node->value;
    grouped =
        ctx.constant(Tensor::from_bytes(t.type(), {s[0], s[1], 1, s[2], s[3]}, t.bytes(), t.byte_size()));
  } else {
    grouped = ctx.op("Reshape", {cmhw, ctx.const_i64({0, 0, 1, 0, 0})}, {{"special_zero", true}});
  }
  Output y = ctx.op("GroupConvolution", {to_nchw(ctx, ctx.input(0), nhwc), grouped}, conv_attrs(ctx, nhwc));
  ctx.set_output(0, from_nchw(ctx, y, nhwc));
}

}  // namespace q8::tffe
