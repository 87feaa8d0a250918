// Indexing ops: Gather, GatherElements, GatherND, ScatterElements/Scatter, ScatterND, OneHot,
// NonZero, CumSum, ReverseSequence.
#include "onnx/import/common.h"
#include "onnx/import/importers.h"
#include "tensor/convert.h"

namespace q8::onnxfe {

namespace {

// Constant negative indices are made positive when the dim is known, so Gather-1 (which
// IR readers of 2020 know) suffices; otherwise Gather-8 handles them at run time.
std::optional<Output> normalized_indices(Context& ctx, Output data, int64_t axis) {
  auto idx = ctx.const_value(1);
  const PartialShape& ps = ctx.shape_of(data);
  if (!idx || !ps.dims.at(static_cast<size_t>(axis)).is_static()) return std::nullopt;
  int64_t dim = ps.dims[static_cast<size_t>(axis)].min;
  std::vector<int64_t> v = to_ints(*idx);
  for (int64_t& i : v) {
    if (i < -dim || i >= dim)
      ctx.fail("index " + std::to_string(i) + " is out of range for a dim of " + std::to_string(dim));
    if (i < 0) i += dim;
  }
  return ctx.constant(make_i64(idx->shape(), v));
}

}  // namespace

void import_gather(Context& ctx) {
  Output data = ctx.input(0);
  int64_t axis = ctx.axis(ctx.attr_int("axis", 0), ctx.rank_of(data, "for Gather"));
  if (auto idx = normalized_indices(ctx, data, axis))
    return ctx.set_output(0, ctx.op("Gather", {data, *idx, ctx.scalar_i64(axis)}, {}, "opset1"));
  ctx.set_output(0, ctx.op("Gather", {data, ctx.input(1), ctx.scalar_i64(axis)}, {{"batch_dims", int64_t{0}}},
                           "opset8"));
}

void import_gather_elements(Context& ctx) {
  Output data = ctx.input(0);
  int64_t axis = ctx.axis(ctx.attr_int("axis", 0), ctx.rank_of(data, "for GatherElements"));
  ctx.set_output(0, ctx.op("GatherElements", {data, ctx.input(1)}, {{"axis", axis}}));
}

// GatherND-8 keeps the batch dims in the output shape like ONNX; GatherND-5 flattens them.
void import_gather_nd(Context& ctx) {
  int64_t batch_dims = ctx.attr_int("batch_dims", 0);
  ctx.set_output(0, ctx.op("GatherND", {ctx.input(0), ctx.input(1)}, {{"batch_dims", batch_dims}},
                           batch_dims == 0 ? "opset5" : "opset8"));
}

void import_scatter_elements(Context& ctx) {
  if (ctx.attr_string("reduction", "none") != "none")
    ctx.fail("scatter with a reduction has no OpenVINO equivalent");
  Output data = ctx.input(0);
  int64_t axis = ctx.axis(ctx.attr_int("axis", 0), ctx.rank_of(data, "for ScatterElements"));
  ctx.set_output(0,
                 ctx.op("ScatterElementsUpdate", {data, ctx.input(1), ctx.input(2), ctx.scalar_i64(axis)}));
}

void import_scatter_nd(Context& ctx) {
  if (ctx.attr_string("reduction", "none") != "none")
    ctx.fail("scatter with a reduction has no OpenVINO equivalent");
  ctx.set_output(0, ctx.op("ScatterNDUpdate", {ctx.input(0), ctx.input(1), ctx.input(2)}));
}

// values = [off, on]; indices in [-depth, depth) count from the end when negative.
void import_one_hot(Context& ctx) {
  Output indices = ctx.convert(ctx.input(0), ElementType::kI64);
  Output depth = ctx.convert(to_scalar(ctx, ctx.input(1)), ElementType::kI64);
  Output values = ctx.input(2);
  Output off = ctx.op("Gather", {values, ctx.scalar_i64(0), ctx.scalar_i64(0)}, {}, "opset1");
  Output on = ctx.op("Gather", {values, ctx.scalar_i64(1), ctx.scalar_i64(0)}, {}, "opset1");
  Output negative = ctx.op("Less", {indices, ctx.scalar_i64(0)});
  indices = ctx.op("Select", {negative, ctx.op("Add", {indices, depth}), indices});
  ctx.set_output(0, ctx.op("OneHot", {indices, depth, on, off}, {{"axis", ctx.attr_int("axis", -1)}}));
}

void import_non_zero(Context& ctx) {
  ctx.set_output(0, ctx.op("NonZero", {ctx.input(0)}, {{"output_type", ElementType::kI64}}));
}

void import_cum_sum(Context& ctx) {
  Output axis = to_scalar(ctx, ctx.input(1));
  ctx.set_output(0, ctx.op("CumSum", {ctx.input(0), axis},
                           {{"exclusive", ctx.attr_int("exclusive", 0) != 0},
                            {"reverse", ctx.attr_int("reverse", 0) != 0}}));
}

void import_reverse_sequence(Context& ctx) {
  ctx.set_output(
      0, ctx.op("ReverseSequence", {ctx.input(0), ctx.input(1)},
                {{"batch_axis", ctx.attr_int("batch_axis", 1)}, {"seq_axis", ctx.attr_int("time_axis", 0)}}));
}

}  // namespace q8::onnxfe
