// MaxPool / AvgPool -> MaxPool / AvgPool on NCHW between Transposes. TF's SAME average pooling
// divides by the number of real (not padded) elements: exclude-pad.
#include "tf/import/importers.h"
#include "tf/import/layout.h"

namespace q8::tffe {

namespace {

Attrs window_attrs(Context& ctx, bool nhwc) {
  Attrs a = padding_attrs(ctx, nhwc);
  a.push_back({"strides", spatial_pair(ctx, "strides", nhwc)});
  a.push_back({"kernel", spatial_pair(ctx, "ksize", nhwc)});
  a.push_back({"rounding_type", std::string("floor")});
  return a;
}

}  // namespace

void import_max_pool(Context& ctx) {
  bool nhwc = is_nhwc(ctx);
  Output y = ctx.op("MaxPool", {to_nchw(ctx, ctx.input(0), nhwc)}, window_attrs(ctx, nhwc), "opset1");
  ctx.set_output(0, from_nchw(ctx, y, nhwc));
}

void import_avg_pool(Context& ctx) {
  bool nhwc = is_nhwc(ctx);
  Attrs a = window_attrs(ctx, nhwc);
  a.push_back({"exclude-pad", true});
  Output y = ctx.op("AvgPool", {to_nchw(ctx, ctx.input(0), nhwc)}, a);
  ctx.set_output(0, from_nchw(ctx, y, nhwc));
}

}  // namespace q8::tffe
