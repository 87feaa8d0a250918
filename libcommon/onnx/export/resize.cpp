// Interpolate-4 -> Resize-13 (full-rank scales or sizes; ONNX 13 has no axes input).
#include "onnx/export/exporters.h"
#include "tensor/convert.h"

namespace q8::onnxexp {

void export_interpolate(Context& ctx) {
  const Node& n = ctx.node();
  if (n.def().opset != 4) ctx.fail("only Interpolate-4 is exported");
  if (n.attr<bool>("antialias")) ctx.fail("antialias has no ONNX equivalent");
  for (const char* p : {"pads_begin", "pads_end"})
    for (int64_t v : n.attr<std::vector<int64_t>>(p))
      if (v != 0) ctx.fail("non-zero pads are not exported");
  int64_t rank = ctx.input_rank(0);
  std::vector<int64_t> axes;
  if (ctx.has_input(3)) {
    axes = ctx.const_ints(3, "axes");
  } else {
    for (int64_t a = 0; a < rank; ++a) axes.push_back(a);
  }
  for (auto& a : axes) a = a < 0 ? a + rank : a;
  std::string mode = n.attr<std::string>("mode"), nearest = n.attr<std::string>("nearest_mode");
  if (nearest == "simple") ctx.fail("nearest_mode simple has no ONNX equivalent");
  std::string x = ctx.input(0), empty_roi = ctx.floats("roi", {}), scales, sizes;
  if (n.attr<std::string>("shape_calculation_mode") == "scales") {
    std::vector<float> s = to_floats(ctx.require_const(2, "scales"));
    if (s.size() != axes.size()) ctx.fail("scales and axes differ in length");
    std::vector<float> full(static_cast<size_t>(rank), 1.0f);
    for (size_t i = 0; i < axes.size(); ++i) full[static_cast<size_t>(axes[i])] = s[i];
    scales = ctx.floats("scales", full);
  } else {
    const PartialShape& out = n.outputs.at(0).shape;
    if (!out.is_static()) ctx.fail("sizes mode needs a static output shape");
    sizes = ctx.ints("sizes", out.to_shape());
  }
  std::vector<std::string> in{x, empty_roi, sizes.empty() ? scales : ctx.floats("no_scales", {})};
  if (!sizes.empty()) in.push_back(sizes);
  auto& r = ctx.emit("Resize", in, {ctx.output_name()});
  set_attr(r, "mode", mode == "linear_onnx" ? std::string("linear") : mode);
  set_attr(r, "coordinate_transformation_mode", n.attr<std::string>("coordinate_transformation_mode"));
  if (mode == "nearest") set_attr(r, "nearest_mode", nearest);
  if (mode == "cubic") set_attr(r, "cubic_coeff_a", static_cast<float>(n.attr<double>("cube_coeff")));
}

}  // namespace q8::onnxexp
