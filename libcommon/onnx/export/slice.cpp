// StridedSlice (masks resolved against constant begin/end/stride) and Slice-8 -> Slice;
// Pad -> Pad.
#include <limits>

#include "onnx/export/exporters.h"
#include "tensor/convert.h"

namespace q8::onnxexp {

namespace {

bool flag(const std::vector<int64_t>& mask, size_t i) {
  return i < mask.size() && mask[i] != 0;
}

}  // namespace

// OpenVINO's begin_mask/end_mask bit 1 means "ignore begin/end" (slice from the start / to the end).
void export_strided_slice(Context& ctx) {
  const Node& n = ctx.node();
  std::vector<int64_t> begin = ctx.const_ints(1, "begin"), end = ctx.const_ints(2, "end");
  std::vector<int64_t> stride =
      ctx.has_input(3) ? ctx.const_ints(3, "stride") : std::vector<int64_t>(begin.size(), 1);
  const auto &bm = n.attr<std::vector<int64_t>>("begin_mask"), &em = n.attr<std::vector<int64_t>>("end_mask");
  const auto &nm = n.attr<std::vector<int64_t>>("new_axis_mask"),
             &sm = n.attr<std::vector<int64_t>>("shrink_axis_mask"),
             &el = n.attr<std::vector<int64_t>>("ellipsis_mask");
  if (begin.size() != end.size() || begin.size() != stride.size())
    ctx.fail("begin, end and stride differ in length");
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max(), kMin = std::numeric_limits<int64_t>::min();
  std::vector<int64_t> starts, ends, axes, steps, shrink;
  for (size_t i = 0; i < begin.size(); ++i) {
    if (flag(nm, i) || flag(el, i)) ctx.fail("new_axis_mask and ellipsis_mask are not exported");
    int64_t s = stride[i];
    if (s == 0) ctx.fail("stride 0");
    int64_t b = flag(bm, i) ? (s > 0 ? 0 : kMax) : begin[i];
    int64_t e = flag(em, i) ? (s > 0 ? kMax : kMin) : end[i];
    if (flag(sm, i)) {
      e = b == -1 ? kMax : b + 1;
      s = 1;
      shrink.push_back(static_cast<int64_t>(i));
    }
    if (b == 0 && e == kMax && s == 1) continue;  // the whole axis
    starts.push_back(b);
    ends.push_back(e);
    axes.push_back(static_cast<int64_t>(i));
    steps.push_back(s);
  }
  std::string x = ctx.input(0);
  if (starts.empty() && shrink.empty()) {
    ctx.emit("Identity", {x}, {ctx.output_name()});
    return;
  }
  if (!starts.empty()) {
    std::vector<std::string> in{x, ctx.ints("starts", starts), ctx.ints("ends", ends), ctx.ints("axes", axes),
                                ctx.ints("steps", steps)};
    x = shrink.empty() ? ctx.emit("Slice", in, {ctx.output_name()}).output(0)
                       : ctx.emit("Slice", in).output(0);
  }
  if (!shrink.empty()) ctx.emit("Squeeze", {x, ctx.ints("shrink_axes", shrink)}, {ctx.output_name()});
}

void export_slice(Context& ctx) {
  std::vector<std::string> in{ctx.input(0), int64_input(ctx, 1), int64_input(ctx, 2)};
  if (ctx.has_input(4))
    in.push_back(int64_input(ctx, 4));
  else
    in.push_back("");
  in.push_back(int64_input(ctx, 3));
  if (in[3].empty()) {
    // Slice-8 without axes: the first len(start) axes.
    auto start = ctx.const_ints(1, "start");
    std::vector<int64_t> axes;
    for (size_t i = 0; i < start.size(); ++i) axes.push_back(static_cast<int64_t>(i));
    in[3] = ctx.ints("axes", axes);
  }
  ctx.emit("Slice", in, {ctx.output_name()});
}

void export_pad(Context& ctx) {
  std::string mode = ctx.node().attr<std::string>("pad_mode");
  if (mode == "symmetric") ctx.fail("pad_mode symmetric has no ONNX equivalent");
  std::vector<int64_t> pads = ctx.const_ints(1, "pads_begin"), end = ctx.const_ints(2, "pads_end");
  pads.insert(pads.end(), end.begin(), end.end());
  std::vector<std::string> in{ctx.input(0), ctx.ints("pads", pads)};
  if (mode == "constant" && ctx.has_input(3)) in.push_back(ctx.input(3));
  set_attr(ctx.emit("Pad", in, {ctx.output_name()}), "mode", mode);
}

}  // namespace q8::onnxexp
