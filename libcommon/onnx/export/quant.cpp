// Activation FakeQuantize -> QuantizeLinear + DequantizeLinear. (FakeQuantize on constants is
// weights.cpp's: it never reaches this exporter.)
//   levels 256, input range == output range [lo, hi], scale (hi - lo) / 255, zero point -lo/scale:
//   - pot's symmetric signed range [-m*128/127, m]: int8, zero point 0, scale m/127;
//   - otherwise uint8 with zero point round(-lo/scale) clamped to 0..255; when -lo/scale is not an
//     integer (or lo > 0) the range moves so that zero is exact, and a warning says by how much.
// Limits that vary along one axis become per-axis parameters (QuantizeLinear-13 `axis`).
#include <cmath>

#include "onnx/export/exporters.h"
#include "tensor/convert.h"

namespace q8::onnxexp {

namespace {

// The axis along which a limit of shape `s` (right-aligned against `rank`) varies, -1 for none.
int64_t varying_axis(Context& ctx, const Shape& s, int64_t rank) {
  int64_t axis = -1;
  if (static_cast<int64_t>(s.size()) > rank) ctx.fail("limits have a higher rank than the data");
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == 1) continue;
    if (axis >= 0) ctx.fail("limits vary along more than one axis");
    axis = static_cast<int64_t>(i) + rank - static_cast<int64_t>(s.size());
  }
  return axis;
}

struct Limits {
  int64_t axis = -1;
  std::vector<float> lo, hi;
};

Limits read_limits(Context& ctx) {
  int64_t rank = ctx.input_rank(0);
  Limits l;
  std::vector<Tensor> t;
  for (int i = 1; i <= 4; ++i) t.push_back(ctx.require_const(i, "a FakeQuantize limit"));
  int64_t channels = 1;
  for (const Tensor& v : t) {
    int64_t a = varying_axis(ctx, v.shape(), rank);
    if (a < 0) continue;
    if (l.axis >= 0 && a != l.axis) ctx.fail("limits vary along different axes");
    l.axis = a;
    channels = v.size();
  }
  std::vector<std::vector<float>> f;
  for (const Tensor& v : t) {
    std::vector<float> x = to_floats(v);
    if (x.size() == 1) x.assign(static_cast<size_t>(channels), x[0]);
    f.push_back(x);
  }
  for (size_t c = 0; c < static_cast<size_t>(channels); ++c) {
    if (f[0][c] != f[2][c] || f[1][c] != f[3][c])
      ctx.fail("input range [" + std::to_string(f[0][c]) + ", " + std::to_string(f[1][c]) +
               "] != output range [" + std::to_string(f[2][c]) + ", " + std::to_string(f[3][c]) +
               "]: not expressible as QuantizeLinear");
    if (!(f[0][c] < f[1][c]))
      ctx.fail("empty quantization range [" + std::to_string(f[0][c]) + ", " + std::to_string(f[1][c]) + "]");
  }
  l.lo = f[0];
  l.hi = f[1];
  return l;
}

}  // namespace

void export_fake_quantize(Context& ctx) {
  int64_t levels = ctx.node().attr<int64_t>("levels");
  if (levels != 256)
    ctx.fail("activation quantization with " + std::to_string(levels) +
             " levels is not expressible as QuantizeLinear (256 levels)");
  Limits l = read_limits(ctx);
  size_t n = l.lo.size();
  std::vector<float> scale(n);
  std::vector<double> z(n);
  bool symmetric = true;
  for (size_t c = 0; c < n; ++c) {
    double s = (static_cast<double>(l.hi[c]) - l.lo[c]) / 255.0;
    scale[c] = static_cast<float>(s);
    z[c] = -l.lo[c] / s;
    symmetric = symmetric && std::fabs(z[c] - 128.0) < 1e-3;
  }
  std::vector<int64_t> zp(n);
  double moved = 0, moved_steps = 0;
  for (size_t c = 0; c < n; ++c) {
    if (symmetric) continue;
    double r = std::min(255.0, std::max(0.0, std::nearbyint(z[c])));
    zp[c] = static_cast<int64_t>(r);
    double steps = std::fabs(r - z[c]);
    if (steps > 1e-3 && steps > moved_steps) {
      moved_steps = steps;
      moved = steps * scale[c];
    }
  }
  if (moved_steps > 0)
    ctx.warn("range nudged so that zero is exact: moved by up to " + std::to_string(moved) + " (" +
             std::to_string(moved_steps) + " quantization steps)");
  bool per_axis = l.axis >= 0;
  Shape ps = per_axis ? Shape{static_cast<int64_t>(n)} : Shape{};
  std::string s = ctx.initializer("scale", make_f32(ps, scale));
  Tensor zt(symmetric ? ElementType::kI8 : ElementType::kU8, ps);
  for (size_t c = 0; c < n; ++c) {
    if (symmetric)
      zt.mutable_data<int8_t>()[c] = 0;
    else
      zt.mutable_data<uint8_t>()[c] = static_cast<uint8_t>(zp[c]);
  }
  std::string zn = ctx.initializer("zero_point", zt);
  auto& q = ctx.emit("QuantizeLinear", {ctx.input(0), s, zn}, {ctx.fresh("quantized")});
  auto& dq = ctx.emit("DequantizeLinear", {q.output(0), s, zn}, {ctx.output_name()});
  if (per_axis) {
    set_attr(q, "axis", l.axis);
    set_attr(dq, "axis", l.axis);
  }
  ++ctx.report().activation_fq;
}

}  // namespace q8::onnxexp
