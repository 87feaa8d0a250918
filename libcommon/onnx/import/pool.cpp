// MaxPool, AveragePool -> MaxPool / AvgPool; GlobalAveragePool, GlobalMaxPool -> ReduceMean / ReduceMax
// over the spatial axes (keep_dims), which is what the CPU plugin turns into a global pooling.
#include "onnx/import/common.h"
#include "onnx/import/importers.h"

namespace q8::onnxfe {

namespace {

struct Window {
  std::vector<int64_t> kernel, strides, dilations;
  Pads pads;
};

Window window(Context& ctx) {
  Window w;
  w.kernel = ctx.attr_ints("kernel_shape");
  if (w.kernel.empty()) ctx.fail("attribute 'kernel_shape' is required");
  size_t n = w.kernel.size();
  w.strides = ctx.attr_ints("strides", std::vector<int64_t>(n, 1));
  w.dilations = ctx.attr_ints("dilations", std::vector<int64_t>(n, 1));
  w.pads = split_pads(ctx, ctx.attr_ints("pads"), n);
  return w;
}

std::string rounding(Context& ctx) {
  return ctx.attr_int("ceil_mode", 0) ? "ceil" : "floor";
}

bool all_ones(const std::vector<int64_t>& v) {
  for (int64_t x : v)
    if (x != 1) return false;
  return true;
}

}  // namespace

// MaxPool-1 where it suffices (what IR readers of 2020 know); MaxPool-8 for dilations or indices.
void import_max_pool(Context& ctx) {
  Window w = window(ctx);
  Attrs attrs = {{"strides", w.strides}, {"pads_begin", w.pads.begin},     {"pads_end", w.pads.end},
                 {"kernel", w.kernel},   {"rounding_type", rounding(ctx)}, {"auto_pad", ov_auto_pad(ctx)}};
  bool indices = ctx.has_output(1);
  if (!indices && all_ones(w.dilations)) {
    ctx.set_output(0, ctx.op("MaxPool", {ctx.input(0)}, attrs, "opset1"));
    return;
  }
  // ONNX indices flatten the whole tensor (batch included) in row-major order: axis 0.
  if (indices && ctx.attr_int("storage_order", 0) != 0)
    ctx.fail("column-major (storage_order=1) indices have no OpenVINO equivalent");
  attrs.push_back({"dilations", w.dilations});
  attrs.push_back({"index_element_type", ElementType::kI64});
  attrs.push_back({"axis", int64_t{0}});
  Node* n = ctx.add("MaxPool", {ctx.input(0)}, attrs, "opset8");
  ctx.set_output(0, n->output(0));
  ctx.set_output(1, n->output(1));
}

void import_average_pool(Context& ctx) {
  Window w = window(ctx);
  if (!all_ones(w.dilations)) ctx.fail("dilated average pooling has no OpenVINO equivalent");
  bool exclude_pad = ctx.attr_int("count_include_pad", 0) == 0;
  ctx.set_output(0, ctx.op("AvgPool", {ctx.input(0)},
                           {{"strides", w.strides},
                            {"pads_begin", w.pads.begin},
                            {"pads_end", w.pads.end},
                            {"kernel", w.kernel},
                            {"exclude-pad", exclude_pad},
                            {"rounding_type", rounding(ctx)},
                            {"auto_pad", ov_auto_pad(ctx)}}));
}

void import_global_pool(Context& ctx) {
  Output x = ctx.input(0);
  int64_t rank = ctx.rank_of(x, "for global pooling");
  std::string type = ctx.op_type() == "GlobalMaxPool" ? "ReduceMax" : "ReduceMean";
  ctx.set_output(0, ctx.op(type, {x, axes_range(ctx, 2, rank)}, {{"keep_dims", true}}));
}

}  // namespace q8::onnxfe
