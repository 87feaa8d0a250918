// FusedBatchNorm(V2/V3) -> BatchNormInference on NCHW between Transposes; BiasAdd -> Add.
#include "tf/import/importers.h"
#include "tf/import/layout.h"

namespace q8::tffe {

void import_fused_batch_norm(Context& ctx) {
  // TF's default is training mode, which normalizes with the batch's own statistics; a frozen
  // inference graph sets is_training=false and feeds the moving mean and variance.
  if (ctx.attr_bool("is_training", true))
    ctx.fail("is_training=true (batch statistics) cannot be converted; freeze the graph for inference");
  bool nhwc = is_nhwc(ctx);
  Output x = to_nchw(ctx, ctx.input(0), nhwc);
  Output y = ctx.op("BatchNormInference", {x, ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4)},
                    {{"epsilon", static_cast<double>(ctx.attr_float("epsilon", 0.0001f))}}, "opset5");
  ctx.set_output(0, from_nchw(ctx, y, nhwc));
  // In inference mode batch_mean/batch_variance are the given statistics.
  ctx.set_output(1, ctx.input(3));
  ctx.set_output(2, ctx.input(4));
}

// NHWC: the bias broadcasts along the last axis as it is. NCHW: it is reshaped to [C, 1, ...].
void import_bias_add(Context& ctx) {
  Output x = ctx.input(0), b = ctx.input(1);
  if (!is_nhwc(ctx)) {
    int64_t rank = ctx.rank_of(x, "for an NCHW BiasAdd");
    std::vector<int64_t> shape(static_cast<size_t>(rank - 1), 1);
    shape[0] = -1;
    b = ctx.op("Reshape", {b, ctx.const_i64(shape)}, {{"special_zero", false}});
  }
  ctx.set_output(0, ctx.op("Add", {x, b}));
}

}  // namespace q8::tffe
