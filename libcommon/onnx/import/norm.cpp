// Normalizations: BatchNormalization -> BatchNormInference (mo's BN fusion folds it into the
// convolution), InstanceNormalization / LayerNormalization / MeanVarianceNormalization -> MVN-6
// with scale and bias, LRN, LpNormalization.
#include "onnx/import/common.h"
#include "onnx/import/importers.h"

namespace q8::onnxfe {

void import_batch_norm(Context& ctx) {
  if (ctx.attr_int("training_mode", 0) || ctx.has_output(1) || ctx.has_output(2))
    ctx.fail("training-mode batch normalization (running statistics as outputs) is not an inference op");
  std::vector<Output> in = {ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4)};
  double eps = ctx.attr_float("epsilon", 1e-5f);
  ctx.set_output(0, ctx.op("BatchNormInference", in, {{"epsilon", eps}}, "opset5"));
}

namespace {

// (x - mean) / sqrt(var + eps) over `axes`.
Output mvn(Context& ctx, Output x, Output axes, double eps, bool variance = true) {
  return ctx.op("MVN", {x, axes},
                {{"normalize_variance", variance}, {"eps", eps}, {"eps_mode", std::string("inside_sqrt")}},
                "opset6");
}

}  // namespace

void import_instance_norm(Context& ctx) {
  Output x = ctx.input(0);
  int64_t rank = ctx.rank_of(x, "for InstanceNormalization");
  Output y = mvn(ctx, x, axes_range(ctx, 2, rank), ctx.attr_float("epsilon", 1e-5f));
  y = ctx.op("Multiply", {y, along_axis(ctx, ctx.input(1), 1, rank)});
  ctx.set_output(0, add_channel_bias(ctx, y, ctx.input(2)));
}

// Y = (x - mean) * inv_std * scale + bias over the axes from `axis` on. The optional Mean and
// InvStdDev outputs need the statistics spelled out; otherwise MVN does it in one node.
void import_layer_norm(Context& ctx) {
  Output x = ctx.input(0);
  int64_t rank = ctx.rank_of(x, "for LayerNormalization");
  int64_t axis = ctx.axis(ctx.attr_int("axis", -1), rank);
  Output axes = axes_range(ctx, axis, rank);
  double eps = ctx.attr_float("epsilon", 1e-5f);
  Output y;
  if (!ctx.has_output(1) && !ctx.has_output(2)) {
    y = mvn(ctx, x, axes, eps);
  } else {
    ElementType t = ctx.type_of(x);
    Output mean = ctx.op("ReduceMean", {x, axes}, {{"keep_dims", true}});
    Output centered = ctx.op("Subtract", {x, mean});
    Output var =
        ctx.op("ReduceMean", {ctx.op("Multiply", {centered, centered}), axes}, {{"keep_dims", true}});
    Output std = ctx.op("Sqrt", {ctx.op("Add", {var, ctx.scalar_like(eps, t)})});
    Output inv = ctx.op("Divide", {ctx.scalar_like(1.0, t), std});
    y = ctx.op("Multiply", {centered, inv});
    ctx.set_output(1, mean);
    ctx.set_output(2, inv);
  }
  y = ctx.op("Multiply", {y, ctx.input(1)});
  if (ctx.has_input(2)) y = ctx.op("Add", {y, ctx.input(2)});
  ctx.set_output(0, y);
}

void import_mean_variance_norm(Context& ctx) {
  Output x = ctx.input(0);
  Output axes = ctx.const_i64(ctx.attr_ints("axes", {0, 2, 3}));
  ctx.set_output(0, mvn(ctx, x, axes, 1e-9));
}

void import_lrn(Context& ctx) {
  ctx.set_output(0, ctx.op("LRN", {ctx.input(0), ctx.const_i64({1})},
                           {{"alpha", double{ctx.attr_float("alpha", 1e-4f)}},
                            {"beta", double{ctx.attr_float("beta", 0.75f)}},
                            {"bias", double{ctx.attr_float("bias", 1.0f)}},
                            {"size", ctx.attr_int("size")}}));
}

// x / ||x||_p along one axis (p = 1 or 2).
void import_lp_norm(Context& ctx) {
  Output x = ctx.input(0);
  int64_t axis = ctx.axis(ctx.attr_int("axis", -1), ctx.rank_of(x, "for LpNormalization"));
  int64_t p = ctx.attr_int("p", 2);
  if (p != 1 && p != 2) ctx.fail("p must be 1 or 2, got " + std::to_string(p));
  Output norm = ctx.op(p == 1 ? "ReduceL1" : "ReduceL2", {x, ctx.const_i64({axis})}, {{"keep_dims", true}});
  ctx.set_output(0, ctx.op("Divide", {x, norm}));
}

}  // namespace q8::onnxfe
