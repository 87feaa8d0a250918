// Lowering a Graph to a fast Program: constants folded, FakeQuantize on weights turned into int8
// weights with per-channel scales, FakeQuantize on activations into quantized values, convolutions
// fused with bias, activations, residual sums and the following FakeQuantize, everything else on
// own kernels or the reference kernels.
#include "runtime/fast/lower.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "base/error.h"
#include "base/log.h"
#include "runtime/fast/steps.h"
#include "tensor/convert.h"

namespace q8::runtime::fast {

namespace {

using Port = std::pair<const Node*, int>;
Port port(const Output& o) {
  return {o.node, o.index};
}

bool is_activation(const std::string& t) {
  static const std::set<std::string> acts = {"ReLU", "Clamp", "Sigmoid", "Swish", "HSwish",
                                             "Tanh", "Elu",   "Gelu",    "PReLU"};
  return acts.count(t) != 0;
}

struct ActSpec {
  Act act = Act::kRelu;
  float alpha = 0, beta = 0;
  bool homogeneous =
      true;  // f(k*x) = k*f(x) for k > 0 (with scaled bounds): fusable before a quantized output
};

// Quantized representation of an activation FakeQuantize's output, if it has one.
struct QuantFormat {
  ElementType type = ElementType::kU8;
  float scale = 1;
  int32_t zero_point = 0;
  QuantParams fq;
  bool in_equals_out = false;  // input range == output range: fusable into a producer's output scale
};

struct Weights {
  bool int8 = false;
  std::vector<float> f32;
  std::vector<int8_t> i8;
  std::vector<float> scale;  // per output channel (int8)
};

class Lowering {
 public:
  Lowering(const Graph& g, const CompileOptions& o) : g_(g), opt_(o) {}

  Program run(PlanSummary& summary, std::vector<TensorDesc>& ins, std::vector<TensorDesc>& outs);

 private:
  // ---- constants
  bool is_const(const Output& o);
  const Tensor& const_value(const Output& o);
  // FakeQuantize of constant weights, or a Reshape / Unsqueeze view of one (GroupConvolution).
  bool fq_weights_const(const Output& o) {
    const Node& n = *o.node;
    if ((n.type() == "Reshape" || n.type() == "Unsqueeze") && n.inputs.size() == 2)
      return fq_weights_const(n.inputs[0]) && is_const(n.inputs[1]);
    return n.type() == "FakeQuantize" && is_const(n.inputs[0]) && ranges_const(n);
  }
  bool ranges_const(const Node& fq) {
    for (int i = 1; i < 5; ++i)
      if (!is_const(fq.inputs[static_cast<size_t>(i)])) return false;
    return true;
  }
  std::optional<QuantFormat> activation_quant(const Node& fq);
  // The oneDNN/own activation an op maps to; nullopt for other ops (or a non-constant Swish beta).
  std::optional<ActSpec> activation_of(const Node& n);

  // ---- values
  int add_value(const std::string& name, const Shape& dims, ElementType t, Layout l, float scale = 1,
                int32_t zp = 0) {
    Value v;
    v.name = name;
    v.dims = dims;
    v.type = t;
    v.layout = l;
    v.scale = scale;
    v.zero_point = zp;
    prog_.values.push_back(v);
    return static_cast<int>(prog_.values.size() - 1);
  }
  const Value& value(int v) const { return prog_.values[static_cast<size_t>(v)]; }
  int home(const Output& o);
  // The value of `o` in the given format (converted once and cached).
  int as(const Output& o, ElementType t, Layout l, float scale = 1, int32_t zp = 0);
  int as_real(const Output& o, Layout l) {  // dequantized f32 (f16 widened), other types unchanged
    int h = home(o);
    ElementType t = value(h).type;
    if (value(h).quantized() || t == ElementType::kF16 || t == ElementType::kBF16) t = ElementType::kF32;
    return as(o, t, l);
  }
  Layout layout_for(const Shape& dims) const { return dims.size() == 4 ? Layout::kNhwc : Layout::kPlain; }

  // ---- steps
  void add_step(std::unique_ptr<Step> s, const Node& n, const std::string& type, const std::string& precision,
                int64_t macs = 0) {
    s->info.name = n.name();
    s->info.type = type;
    s->info.precision = precision;
    s->info.macs = macs;
    prog_.steps.push_back(std::move(s));
  }
  void lower_node(const Node& n);
  bool lower_conv(const Node& n);
  bool lower_pool(const Node& n);
  bool lower_fq(const Node& n);
  bool lower_binary(const Node& n);
  bool lower_activation(const Node& n);
  bool lower_concat(const Node& n);
  bool lower_reshape(const Node& n);
  bool lower_reduce_mean(const Node& n);
  bool lower_channel(const Node& n);
  bool lower_transpose(const Node& n);
  bool decompressed_int8_weights(Output w, int64_t out_channels, bool halve, Weights& out);
  std::optional<std::vector<float>> channel_const(const Output& o, const Shape& ys, bool prelu_slope);
  bool absorb_channel_op(const Node& m, const Output& cur, const Shape& ys, ChannelSpec& spec);
  void lower_reference(const Node& n, const std::string& why);

  const Graph& g_;
  CompileOptions opt_;
  Program prog_;
  std::map<const Node*, size_t> pos_;
  std::map<Port, Tensor> consts_;
  std::map<Port, bool> const_known_;
  std::map<Port, int> home_;
  std::map<std::tuple<int, int, int, float, int32_t>, int> converted_;
  std::set<const Node*> fused_;
  std::vector<std::string> warnings_;
};

// ---------------------------------------------------------------------------------------------
// Constants

bool Lowering::is_const(const Output& o) {
  Port p = port(o);
  auto it = const_known_.find(p);
  if (it != const_known_.end()) return it->second;
  const Node& n = *o.node;
  bool c = false;
  if (n.type() == "Const") {
    c = true;
  } else if (n.type() == "ShapeOf") {
    c = n.inputs[0].node->outputs[static_cast<size_t>(n.inputs[0].index)].shape.is_static();
  } else if (n.type() != "Parameter" && n.type() != "Result" && n.type() != "FakeQuantize" &&
             !n.inputs.empty()) {
    c = true;
    for (const Output& in : n.inputs) c = c && is_const(in);
  }
  const_known_[p] = c;
  return c;
}

const Tensor& Lowering::const_value(const Output& o) {
  Port p = port(o);
  auto it = consts_.find(p);
  if (it != consts_.end()) return it->second;
  const Node& n = *o.node;
  std::vector<Tensor> outs;
  if (n.type() == "Const") {
    outs = {n.value};
  } else if (n.type() == "ShapeOf") {
    Shape s = n.inputs[0].node->outputs[static_cast<size_t>(n.inputs[0].index)].shape.to_shape();
    Tensor t(ElementType::kI64, {static_cast<int64_t>(s.size())});
    for (size_t i = 0; i < s.size(); ++i) t.mutable_data<int64_t>()[i] = s[i];
    outs = {convert(t, n.outputs[0].type)};
  } else {
    std::vector<Tensor> args;
    for (const Output& in : n.inputs) args.push_back(const_value(in));
    outs = evaluate(n, args);
  }
  for (size_t i = 0; i < outs.size(); ++i) consts_[{&n, static_cast<int>(i)}] = outs[i];
  return consts_.at(p);
}

std::optional<QuantFormat> Lowering::activation_quant(const Node& fq) {
  if (!ranges_const(fq)) return std::nullopt;
  int64_t levels = fq.attr<int64_t>("levels");
  if (levels < 2 || levels > 256) return std::nullopt;
  float r[4];
  for (int i = 0; i < 4; ++i) {
    std::vector<float> v = to_floats(const_value(fq.inputs[static_cast<size_t>(i + 1)]));
    if (v.empty()) return std::nullopt;
    for (float x : v)
      if (x != v[0]) return std::nullopt;  // per-channel activation ranges: not a single scale
    r[i] = v[0];
  }
  QuantFormat f;
  f.fq = {r[0], r[1], r[2], r[3], levels};
  if (!(r[3] > r[2]) || !(r[1] > r[0])) return std::nullopt;
  float step = (r[3] - r[2]) / static_cast<float>(levels - 1);
  float zpf = -r[2] / step;
  long z = std::lround(zpf);
  if (std::fabs(zpf - static_cast<float>(z)) > 1e-3f * std::max(1.f, std::fabs(zpf))) return std::nullopt;
  f.scale = step;
  if (z == 0) {
    f.type = ElementType::kU8;
  } else if (z > 0 && z <= 128 && levels - 1 - z <= 127) {
    f.type = ElementType::kI8;  // stored = level - z, zero point 0
  } else if (z > 0 && z < levels) {
    f.type = ElementType::kU8;
    f.zero_point = static_cast<int32_t>(z);
  } else {
    return std::nullopt;
  }
  auto close = [](float a, float b) {
    return std::fabs(a - b) <= 1e-6f * std::max(std::fabs(a), std::fabs(b));
  };
  f.in_equals_out = close(r[0], r[2]) && close(r[1], r[3]);
  return f;
}

std::optional<ActSpec> Lowering::activation_of(const Node& n) {
  const std::string& t = n.type();
  auto f = [&](const char* attr) { return static_cast<float>(n.attr<double>(attr)); };
  if (t == "ReLU") return ActSpec{Act::kRelu, 0, 0, true};
  if (t == "Clamp") return ActSpec{Act::kClip, f("min"), f("max"), true};
  if (t == "Sigmoid") return ActSpec{Act::kSigmoid, 0, 0, false};
  if (t == "Tanh") return ActSpec{Act::kTanh, 0, 0, false};
  if (t == "HSwish") return ActSpec{Act::kHSwish, 0, 0, false};
  if (t == "Gelu") return ActSpec{Act::kGelu, 0, 0, false};
  if (t == "Elu") return ActSpec{Act::kElu, f("alpha"), 0, false};
  if (t == "PReLU") {  // one slope: leaky ReLU (per-channel slopes go to lower_channel)
    if (!is_const(n.inputs[1])) return std::nullopt;
    std::vector<float> slope = to_floats(const_value(n.inputs[1]));
    if (slope.empty() || std::any_of(slope.begin(), slope.end(), [&](float v) { return v != slope[0]; }))
      return std::nullopt;
    return ActSpec{Act::kRelu, slope[0], 0, true};
  }
  if (t == "Swish") {
    float beta = 1.f;
    if (n.inputs.size() > 1) {
      if (!is_const(n.inputs[1])) return std::nullopt;
      beta = to_floats(const_value(n.inputs[1])).at(0);
    }
    return ActSpec{Act::kSwish, beta, 0, false};
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Values

int Lowering::home(const Output& o) {
  auto it = home_.find(port(o));
  if (it != home_.end()) return it->second;
  if (is_const(o) || fq_weights_const(o)) {
    // A constant used where a value is needed: written by a step on every run.
    const Tensor& t = const_value(o);
    int v = add_value(o.node->name(), t.shape(), t.type(), Layout::kPlain);
    auto step = make_constant(prog_, t, v);
    add_step(std::move(step), *o.node, "Constant", "FP32");
    home_[port(o)] = v;
    return v;
  }
  throw_internal("fast runtime: value of " + o.node->describe() + " used before it was computed");
}

int Lowering::as(const Output& o, ElementType t, Layout l, float scale, int32_t zp) {
  int h = home(o);
  const Value hv = value(h);
  if (hv.dynamic) return h;  // plain, produced and read by reference steps
  bool q = t == ElementType::kU8 || t == ElementType::kI8;
  if (hv.dims.size() != 4) l = Layout::kPlain;
  // A 4-D value with 1x1 spatial dims has the same bytes in both layouts.
  bool same_layout = hv.layout == l || (hv.dims.size() == 4 && hv.dims[2] * hv.dims[3] == 1);
  if (hv.type == t && same_layout && (!q || (hv.scale == scale && hv.zero_point == zp))) {
    if (hv.layout == l) return h;
    int v = add_value(hv.name, hv.dims, hv.type, l, hv.scale, hv.zero_point);
    prog_.values[static_cast<size_t>(v)].alias_of = h;
    return v;
  }
  auto key = std::make_tuple(h, static_cast<int>(t), static_cast<int>(l), q ? scale : 0.f, q ? zp : 0);
  auto it = converted_.find(key);
  if (it != converted_.end()) return it->second;
  int v = add_value(hv.name, hv.dims, t, l, scale, zp);
  auto step = make_convert(prog_, h, v, nullptr);
  step->info.name = hv.name;
  step->info.type = "Reorder";
  step->info.precision = q ? "I8" : "FP32";
  prog_.steps.push_back(std::move(step));
  converted_[key] = v;
  return v;
}

// ---------------------------------------------------------------------------------------------
// Convolution / MatMul

// W is [out_channels, per] (already in the kernel's channel-major order). FakeQuantize ranges have one
// value or one per output channel. Returns false when the grid is not a symmetric int8 one.
bool quantize_weights(const float* w, int64_t count, int64_t out_channels, const std::vector<float> r[4],
                      int64_t levels, bool halve, Weights& out) {
  int64_t per = count / out_channels;
  for (int i = 0; i < 4; ++i)
    if (r[i].size() != 1 && static_cast<int64_t>(r[i].size()) != out_channels) return false;
  auto at = [&](int i, int64_t oc) { return r[i].size() == 1 ? r[i][0] : r[i][static_cast<size_t>(oc)]; };
  out.i8.resize(static_cast<size_t>(count));
  out.scale.resize(static_cast<size_t>(out_channels));
  const float steps = static_cast<float>(levels - 1);
  for (int64_t oc = 0; oc < out_channels; ++oc) {
    float il = at(0, oc), ih = at(1, oc), ol = at(2, oc), oh = at(3, oc);
    float step = (oh - ol) / steps;
    int64_t z = 0;
    if (oh == ol) {
      if (ol != 0) return false;
      step = 1;
    } else {
      if (!(step > 0)) return false;
      float zpf = -ol / step;
      z = std::lround(zpf);
      if (std::fabs(zpf - static_cast<float>(z)) > 1e-3f) return false;
    }
    float lo = std::min(il, ih), hi = std::max(il, ih);
    for (int64_t i = 0; i < per; ++i) {
      size_t k = static_cast<size_t>(oc * per + i);
      float x = w[k];
      float level = oh == ol  ? 0.f
                    : x <= lo ? (il <= ih ? 0.f : steps)
                    : x > hi  ? (il <= ih ? steps : 0.f)
                              : fq_level(x, il, ih - il, steps);
      int64_t s = oh == ol ? 0 : static_cast<int64_t>(level) - z;
      if (halve) s = static_cast<int64_t>(std::nearbyint(static_cast<float>(s) / 2.f));
      if (s < -128 || s > 127) return false;
      out.i8[k] = static_cast<int8_t>(s);
    }
    out.scale[static_cast<size_t>(oc)] = halve ? step * 2 : step;
  }
  out.int8 = true;
  return true;
}

std::vector<float> transpose2(const std::vector<float>& a, int64_t rows, int64_t cols) {
  std::vector<float> t(a.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      t[static_cast<size_t>(c * rows + r)] = a[static_cast<size_t>(r * cols + c)];
  return t;
}

std::vector<int64_t> ints_attr(const Node& n, const std::string& name, size_t rank, int64_t def) {
  std::vector<int64_t> v;
  if (n.has_attr(name)) v = n.attr<std::vector<int64_t>>(name);
  if (v.empty()) v.assign(rank, def);
  if (v.size() != rank) throw_bad_input(n.describe() + ": attribute " + name + " has the wrong length");
  return v;
}

// Begin pads from the attributes/auto_pad; end pads so that the output has the graph's size.
void window_pads(const Node& n, const Shape& in, const Shape& out, const std::vector<int64_t>& k_eff,
                 const std::vector<int64_t>& stride, std::vector<int64_t>& begin, std::vector<int64_t>& end) {
  size_t rank = k_eff.size();
  std::string mode = n.has_attr("auto_pad") ? n.attr<std::string>("auto_pad") : "explicit";
  begin = ints_attr(n, "pads_begin", rank, 0);
  end.assign(rank, 0);
  for (size_t d = 0; d < rank; ++d) {
    int64_t i = in[2 + d], o = out[2 + d];
    if (mode == "valid") begin[d] = 0;
    if (mode == "same_upper" || mode == "same_lower") {
      int64_t total = std::max<int64_t>((o - 1) * stride[d] + k_eff[d] - i, 0);
      begin[d] = mode == "same_upper" ? total / 2 : total - total / 2;
    }
    end[d] = (o - 1) * stride[d] + k_eff[d] - i - begin[d];
    // Floor rounding leaves input columns unused: a negative end pad; oneDNN wants 0 and the same size.
    if (end[d] < 0 && (i + begin[d] - k_eff[d]) / stride[d] + 1 == o) end[d] = 0;
  }
}

// IR v11 int8 weights (POT's compressed form): Multiply(Subtract(Convert(Const i8/u8), zero_point),
// scale), the Subtract optional, a Reshape view allowed after it; zero point and scale one value or
// one per output channel. Taken as int8 weights with per-channel scales when q - zero_point fits.
bool Lowering::decompressed_int8_weights(Output w, int64_t out_channels, bool halve, Weights& out) {
  while ((w.node->type() == "Reshape" || w.node->type() == "Unsqueeze") && w.node->inputs.size() == 2 &&
         is_const(w.node->inputs[1]))
    w = w.node->inputs[0];
  const Node& mul = *w.node;
  if (mul.type() != "Multiply") return false;
  for (size_t si : {1u, 0u}) {
    Output scale = mul.inputs[si], data = mul.inputs[1 - si], zp;
    bool has_zp = data.node->type() == "Subtract";
    if (has_zp) zp = data.node->inputs[1], data = data.node->inputs[0];
    if (data.node->type() != "Convert" || data.node->inputs[0].node->type() != "Const") continue;
    const Tensor& q = data.node->inputs[0].node->value;
    if ((q.type() != ElementType::kI8 && q.type() != ElementType::kU8) || !is_const(scale) ||
        (has_zp && !is_const(zp)) || q.size() % out_channels != 0)
      return false;
    // One value, or one per output channel on axis 0 of the weights.
    auto per_channel = [&](const Output& o, std::vector<float>& v) {
      const Tensor& t = const_value(o);
      v = to_floats(t);
      if (v.size() == 1) v.assign(static_cast<size_t>(out_channels), v[0]);
      if (static_cast<int64_t>(v.size()) != out_channels) return false;
      for (size_t i = 1; i < t.shape().size(); ++i)
        if (t.shape()[i] != 1 && out_channels > 1) return false;
      return true;
    };
    std::vector<float> sv, zv(static_cast<size_t>(out_channels), 0.f);
    if (!per_channel(scale, sv) || (has_zp && !per_channel(zp, zv))) return false;
    std::vector<float> qf = to_floats(q);
    int64_t per = q.size() / out_channels;
    out.i8.resize(qf.size());
    out.scale.resize(static_cast<size_t>(out_channels));
    for (int64_t oc = 0; oc < out_channels; ++oc) {
      float z = zv[static_cast<size_t>(oc)];
      if (std::fabs(z - std::nearbyint(z)) > 1e-3f) return false;
      for (int64_t i = 0; i < per; ++i) {
        size_t k = static_cast<size_t>(oc * per + i);
        auto v = static_cast<int64_t>(qf[k] - std::nearbyint(z));
        if (halve) v = static_cast<int64_t>(std::nearbyint(static_cast<float>(v) / 2.f));
        if (v < -128 || v > 127) return false;
        out.i8[k] = static_cast<int8_t>(v);
      }
      out.scale[static_cast<size_t>(oc)] =
          halve ? sv[static_cast<size_t>(oc)] * 2 : sv[static_cast<size_t>(oc)];
    }
    out.int8 = true;
    return true;
  }
  return false;
}

bool Lowering::lower_conv(const Node& n) {
  bool ip = n.type() == "MatMul";
  const Output x = n.inputs[0], w = n.inputs[1];
  // Weights FakeQuantize, possibly behind a Reshape (GroupConvolution's [G, O/G, ...] view).
  const bool w_fq = fq_weights_const(w);
  Output wfq = w;
  while (w_fq && wfq.node->type() != "FakeQuantize") wfq = wfq.node->inputs[0];
  if (!is_const(w) && !w_fq) return false;
  const Shape xs = x.node->outputs[static_cast<size_t>(x.index)].shape.to_shape();
  const Shape ys = n.outputs[0].shape.to_shape();
  ConvSpec spec;
  spec.inner_product = ip;
  int64_t out_channels = 0, macs = 0;
  const Tensor& wt = w_fq ? const_value(wfq.node->inputs[0]) : const_value(w);
  Shape ws = w.node->outputs[static_cast<size_t>(w.index)].shape.to_shape();  // wt in w's shape
  if (num_elements(ws) != wt.size()) return false;
  // f32 weights are read in place (no copy of a model's worth of weights at load); others converted.
  std::vector<float> wstore;
  const float* wf = nullptr;
  bool transpose_w = ip && ws.size() == 2 && !n.attr<bool>("transpose_b");
  if (wt.type() == ElementType::kF32 && !transpose_w) {
    wf = wt.data<float>();
  } else {
    wstore = to_floats(wt);
    if (transpose_w) wstore = transpose2(wstore, ws[0], ws[1]);
    wf = wstore.data();
  }
  if (ip) {
    if (xs.size() != 2 || ws.size() != 2) return false;
    if (n.attr<bool>("transpose_a")) return false;
    bool tb = n.attr<bool>("transpose_b");
    int64_t k = xs[1], o = tb ? ws[0] : ws[1];
    if ((tb ? ws[1] : ws[0]) != k) return false;
    spec.weight_dims = {o, k};
    out_channels = o;
    macs = xs[0] * o * k;
  } else {
    if (xs.size() != 4) return false;
    bool group = n.type() == "GroupConvolution";
    if (group && ws.size() != 5) return false;
    if (!group && ws.size() != 4) return false;
    spec.groups = group ? ws[0] : 1;
    spec.weight_dims = ws;
    out_channels = group ? ws[0] * ws[1] : ws[0];
    std::vector<int64_t> kernel(ws.end() - 2, ws.end());
    spec.strides = ints_attr(n, "strides", 2, 1);
    spec.dilations = ints_attr(n, "dilations", 2, 1);
    std::vector<int64_t> k_eff = {(kernel[0] - 1) * spec.dilations[0] + 1,
                                  (kernel[1] - 1) * spec.dilations[1] + 1};
    window_pads(n, xs, ys, k_eff, spec.strides, spec.pads_begin, spec.pads_end);
    macs = ys[0] * ys[1] * ys[2] * ys[3] * (xs[1] / spec.groups) * kernel[0] * kernel[1];
  }

  int xh = home(x);
  bool in_q = value(xh).quantized();
  Weights wts;
  bool halve = !dnnl_isa_has_vnni();
  if (in_q && w_fq) {
    const Node& fq = *wfq.node;
    std::vector<float> r[4];
    for (int i = 0; i < 4; ++i) r[i] = to_floats(const_value(fq.inputs[static_cast<size_t>(i + 1)]));
    quantize_weights(wf, num_elements(ws), out_channels, r, fq.attr<int64_t>("levels"), halve, wts);
  }
  if (in_q && !w_fq && !transpose_w) decompressed_int8_weights(w, out_channels, halve, wts);
  if (!wts.int8) {
    if (w_fq) {  // FakeQuantize applied in f32 when not int8-representable
      wts.f32 = to_floats(const_value(w));
      if (transpose_w) wts.f32 = transpose2(wts.f32, ws[0], ws[1]);
    } else if (wstore.empty()) {
      spec.w_f32_data = wf;
      spec.keep = wt;
    } else {
      wts.f32 = std::move(wstore);
    }
  }
  spec.int8 = wts.int8;
  spec.src = spec.int8 ? as(x, value(xh).type, Layout::kNhwc, value(xh).scale, value(xh).zero_point)
                       : as_real(x, Layout::kNhwc);
  if (value(spec.src).type != ElementType::kF32 && !spec.int8) return false;
  const float src_scale = spec.int8 ? value(spec.src).scale : 1.f;

  // Fusion chain: bias Add, activations, one residual Add (through the int8 model's FakeQuantize on the
  // convolution branch, whose rounding is skipped), then the FakeQuantize of the output.
  std::vector<const Node*> chain;
  std::vector<float> bias;
  Output cur = n.outputs.size() ? Output{const_cast<Node*>(&n), 0} : Output{};
  std::vector<std::pair<bool, ActSpec>> ops;  // (is_sum, activation)
  Output sum_other;
  bool have_sum = false;
  auto single_consumer = [&](const Output& o) -> Node* {
    auto cs = g_.consumers(o);
    return cs.size() == 1 ? cs[0].first : nullptr;
  };
  if (Node* c = single_consumer(cur); c && c->type() == "Add") {
    int other = c->inputs[0] == cur ? 1 : 0;
    const Output b = c->inputs[static_cast<size_t>(other)];
    if (is_const(b)) {
      std::vector<float> bv = to_floats(const_value(b));
      Shape bs = const_value(b).shape();
      bool per_channel = static_cast<int64_t>(bv.size()) == out_channels;
      if (per_channel) {
        // the vector must lie on the channel axis of the output
        int64_t non1 = 0, axis_from_end = -1;
        for (size_t i = 0; i < bs.size(); ++i)
          if (bs[i] != 1) non1++, axis_from_end = static_cast<int64_t>(bs.size() - i);
        per_channel =
            non1 <= 1 && (out_channels == 1 || axis_from_end == static_cast<int64_t>(ys.size()) - 1);
      } else if (bv.size() == 1) {
        bv.assign(static_cast<size_t>(out_channels), bv[0]);
        per_channel = true;
      }
      if (per_channel) {
        bias = bv;
        chain.push_back(c);
        cur = c->output(0);
      }
    }
  }
  for (int guard = 0; guard < 6; ++guard) {
    Node* c = single_consumer(cur);
    if (!c) break;
    if (c->inputs[0] == cur) {
      if (auto a = activation_of(*c)) {
        ops.push_back({false, *a});
        chain.push_back(c);
        cur = c->output(0);
        continue;
      }
    }
    if (have_sum) break;
    // Residual Add, possibly through the int8 model's FakeQuantize on this branch.
    Node* add = c;
    Node* branch_fq = nullptr;
    if (c->type() == "FakeQuantize" && spec.int8 && c->inputs[0] == cur && ranges_const(*c)) {
      branch_fq = c;
      add = single_consumer(c->output(0));
      if (!add) break;
    }
    if (add->type() != "Add") break;
    Output mine = branch_fq ? branch_fq->output(0) : cur;
    int other_idx = add->inputs[0] == mine ? 1 : 0;
    Output other = add->inputs[static_cast<size_t>(other_idx)];
    if (is_const(other) || !home_.count(port(other))) break;
    if (other.node->outputs[static_cast<size_t>(other.index)].shape != add->outputs[0].shape ||
        add->outputs[0].shape != PartialShape(ys))
      break;
    if (branch_fq) chain.push_back(branch_fq);
    chain.push_back(add);
    ops.push_back({true, {}});
    sum_other = other;
    have_sum = true;
    cur = add->output(0);
  }

  // Destination: quantized by the following FakeQuantize when everything before it scales linearly.
  std::optional<QuantFormat> dst_q;
  Node* out_fq = single_consumer(cur);
  if (spec.int8 && out_fq && out_fq->type() == "FakeQuantize" && out_fq->inputs[0] == cur) {
    dst_q = activation_quant(*out_fq);
    bool ok = dst_q && dst_q->in_equals_out && dst_q->zero_point == 0;
    for (auto& op : ops) ok = ok && (op.first || op.second.homogeneous);
    if (ok && have_sum) {
      int oh = home(sum_other);
      ok = value(oh).quantized();
    }
    if (!ok) dst_q.reset();
  }
  float dst_scale = dst_q ? dst_q->scale : 1.f;
  int dst = add_value(n.name(), ys, dst_q ? dst_q->type : ElementType::kF32,
                      ip ? Layout::kPlain : Layout::kNhwc, dst_scale, 0);
  spec.dst = dst;

  if (spec.int8) {
    spec.out_scale.resize(static_cast<size_t>(out_channels));
    for (int64_t oc = 0; oc < out_channels; ++oc)
      spec.out_scale[static_cast<size_t>(oc)] = src_scale * wts.scale[static_cast<size_t>(oc)] / dst_scale;
    if (!bias.empty())
      for (int64_t oc = 0; oc < out_channels; ++oc)
        bias[static_cast<size_t>(oc)] /= src_scale * wts.scale[static_cast<size_t>(oc)];
    spec.w_i8 = std::move(wts.i8);
  } else {
    spec.w_f32 = std::move(wts.f32);
  }
  spec.bias = bias;
  for (auto& [is_sum, a] : ops) {
    PostOp p;
    if (is_sum) {
      p.sum = true;
      int other;
      if (dst_q) {
        int oh = home(sum_other);
        other = as(sum_other, value(oh).type, ip ? Layout::kPlain : Layout::kNhwc, value(oh).scale,
                   value(oh).zero_point);
        p.sum_scale = value(other).scale / dst_scale;
        p.sum_zero_point = value(other).zero_point;
      } else {
        other = as_real(sum_other, ip ? Layout::kPlain : Layout::kNhwc);
      }
      spec.sum_value = other;
    } else {
      p.act = a.act;
      p.alpha = a.act == Act::kClip ? a.alpha / dst_scale : a.alpha;
      p.beta = a.act == Act::kClip ? a.beta / dst_scale : a.beta;
    }
    spec.post_ops.push_back(p);
  }

  std::string why;
  auto step = make_conv(prog_, spec, &why);
  if (!step) {
    warnings_.push_back(n.describe() + ": " + why + "; runs on the reference kernel");
    return false;
  }
  std::string type = n.type();
  for (const Node* c : chain) type += "+" + c->type();
  if (dst_q) type += "+FakeQuantize";
  add_step(std::move(step), n, type, spec.int8 ? "I8" : "FP32", macs);
  for (const Node* c : chain) fused_.insert(c);
  if (dst_q) {
    fused_.insert(out_fq);
    home_[{out_fq, 0}] = dst;
  } else {
    home_[port(cur)] = dst;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Other ops

bool Lowering::lower_pool(const Node& n) {
  const Output x = n.inputs[0];
  const Shape xs = x.node->outputs[static_cast<size_t>(x.index)].shape.to_shape();
  const Shape ys = n.outputs[0].shape.to_shape();
  if (xs.size() != 4) return false;
  if (n.outputs.size() > 1 && !g_.consumers(Output{const_cast<Node*>(&n), 1}).empty()) return false;
  PoolSpec s;
  s.max = n.type() == "MaxPool";
  s.exclude_pad = !s.max && n.attr<bool>("exclude-pad");
  s.kernel = ints_attr(n, "kernel", 2, 1);
  s.strides = ints_attr(n, "strides", 2, 1);
  auto dil = ints_attr(n, "dilations", 2, 1);
  if (dil[0] != 1 || dil[1] != 1) return false;
  window_pads(n, xs, ys, s.kernel, s.strides, s.pads_begin, s.pads_end);
  int xh = home(x);
  const Value hv = value(xh);
  if (hv.quantized()) {
    s.src = as(x, hv.type, Layout::kNhwc, hv.scale, hv.zero_point);
    s.dst = add_value(n.name(), ys, hv.type, Layout::kNhwc, hv.scale, hv.zero_point);
  } else {
    s.src = as_real(x, Layout::kNhwc);
    s.dst = add_value(n.name(), ys, ElementType::kF32, Layout::kNhwc);
  }
  std::string why;
  auto step = make_pool(prog_, s, &why);
  if (!step) {
    warnings_.push_back(n.describe() + ": " + why + "; runs on the reference kernel");
    return false;
  }
  add_step(std::move(step), n, n.type(), hv.quantized() ? "I8" : "FP32");
  home_[{&n, 0}] = s.dst;
  return true;
}

bool Lowering::lower_fq(const Node& n) {
  auto q = activation_quant(n);
  if (!q) return false;
  const Output x = n.inputs[0];
  int xh = home(x);
  const Value hv = value(xh);
  if (hv.quantized() && q->in_equals_out && hv.type == q->type && hv.scale == q->scale &&
      hv.zero_point == q->zero_point) {
    home_[{&n, 0}] = xh;  // already on this grid
    return true;
  }
  int dst = add_value(n.name(), hv.dims, q->type, layout_for(hv.dims), q->scale, q->zero_point);
  auto step = make_convert(prog_, xh, dst, &q->fq);
  add_step(std::move(step), n, "FakeQuantize", "I8");
  home_[{&n, 0}] = dst;
  return true;
}

bool Lowering::lower_binary(const Node& n) {
  const Output a = n.inputs[0], b = n.inputs[1];
  if (is_const(a) || is_const(b) || fq_weights_const(a) || fq_weights_const(b)) return false;
  const PartialShape& as_ = a.node->outputs[static_cast<size_t>(a.index)].shape;
  const PartialShape& bs = b.node->outputs[static_cast<size_t>(b.index)].shape;
  if (as_ != bs || as_ != n.outputs[0].shape) return false;
  Layout l = value(home(a)).layout;
  int va = as_real(a, l), vb = as_real(b, l);
  if (value(va).type != ElementType::kF32 || value(vb).type != ElementType::kF32) return false;
  if (value(va).layout != value(vb).layout) vb = as(b, ElementType::kF32, value(va).layout);
  const Node* relu = nullptr;
  auto cs = g_.consumers(Output{const_cast<Node*>(&n), 0});
  if (cs.size() == 1 && cs[0].first->type() == "ReLU") relu = cs[0].first;
  int dst = add_value(n.name(), n.outputs[0].shape.to_shape(), ElementType::kF32, value(va).layout);
  add_step(make_binary(prog_, n.type(), va, vb, dst, relu != nullptr), n,
           relu ? n.type() + "+Relu" : n.type(), "FP32");
  if (relu) {
    fused_.insert(relu);
    home_[{relu, 0}] = dst;
  } else {
    home_[{&n, 0}] = dst;
  }
  return true;
}

bool Lowering::lower_activation(const Node& n) {
  auto a = activation_of(n);
  if (!a) return false;
  const Output x = n.inputs[0];
  int src = as_real(x, value(home(x)).layout);
  if (value(src).type != ElementType::kF32) return false;
  int dst = add_value(n.name(), value(src).dims, ElementType::kF32, value(src).layout);
  add_step(make_activation(prog_, a->act, a->alpha, a->beta, src, dst), n, n.type(), "FP32");
  home_[{&n, 0}] = dst;
  return true;
}

bool Lowering::lower_concat(const Node& n) {
  const Shape ys = n.outputs[0].shape.to_shape();
  int64_t axis = n.attr<int64_t>("axis");
  if (axis < 0) axis += static_cast<int64_t>(ys.size());
  for (const Output& in : n.inputs)
    if (is_const(in) || fq_weights_const(in)) return false;
  Layout l = ys.size() == 4 && axis == 1 ? Layout::kNhwc : Layout::kPlain;
  // One quantization grid for all inputs (pot ties Concat inputs to one range): stay in int8.
  const Value first = value(home(n.inputs[0]));
  bool same_q = first.quantized();
  for (const Output& in : n.inputs) {
    const Value& v = value(home(in));
    same_q = same_q && v.type == first.type && v.scale == first.scale && v.zero_point == first.zero_point;
  }
  std::vector<int> srcs;
  for (const Output& in : n.inputs)
    srcs.push_back(same_q ? as(in, first.type, l, first.scale, first.zero_point) : as_real(in, l));
  ElementType t = same_q ? first.type : value(srcs[0]).type;
  for (int s : srcs)
    if (value(s).type != t) return false;
  int dst = add_value(n.name(), ys, t, l, same_q ? first.scale : 1.f, same_q ? first.zero_point : 0);
  add_step(make_concat(prog_, srcs, dst, axis), n, "Concat", same_q ? "I8" : "FP32");
  home_[{&n, 0}] = dst;
  return true;
}

bool Lowering::lower_reshape(const Node& n) {
  const Output x = n.inputs[0];
  const Shape ys = n.outputs[0].shape.to_shape();
  for (size_t i = 1; i < n.inputs.size(); ++i)
    if (!is_const(n.inputs[i])) return false;
  int h = home(x);
  const Value hv = value(h);
  int src = as(x, hv.type, Layout::kPlain, hv.scale, hv.zero_point);
  int v = add_value(n.name(), ys, hv.type, Layout::kPlain, hv.scale, hv.zero_point);
  prog_.values[static_cast<size_t>(v)].alias_of = src;
  home_[{&n, 0}] = v;
  return true;
}

// Transpose [N,C,H,W] -> [N,H,W,C] (SSD heads before their flatten) of an NHWC value: the bytes are
// already in that order, so the result is a plain view of them.
bool Lowering::lower_transpose(const Node& n) {
  const Output x = n.inputs[0];
  const PartialShape& xs = x.node->outputs[static_cast<size_t>(x.index)].shape;
  if (!xs.is_static() || xs.to_shape().size() != 4 || !is_const(n.inputs[1])) return false;
  if (to_ints(const_value(n.inputs[1])) != std::vector<int64_t>{0, 2, 3, 1}) return false;
  int h = home(x);
  const Value hv = value(h);
  if (hv.dynamic) return false;
  int src = as(x, hv.type, Layout::kNhwc, hv.scale, hv.zero_point);
  int v =
      add_value(n.name(), n.outputs[0].shape.to_shape(), hv.type, Layout::kPlain, hv.scale, hv.zero_point);
  prog_.values[static_cast<size_t>(v)].alias_of = src;
  home_[{&n, 0}] = v;
  return true;
}

bool Lowering::lower_reduce_mean(const Node& n) {
  const Output x = n.inputs[0];
  const Shape xs = x.node->outputs[static_cast<size_t>(x.index)].shape.to_shape();
  if (xs.size() != 4 || !is_const(n.inputs[1])) return false;
  std::vector<int64_t> axes = to_ints(const_value(n.inputs[1]));
  for (auto& a : axes)
    if (a < 0) a += 4;
  std::sort(axes.begin(), axes.end());
  if (axes != std::vector<int64_t>{2, 3}) return false;
  int src = home(x);
  int dst = add_value(n.name(), n.outputs[0].shape.to_shape(), ElementType::kF32, Layout::kPlain);
  add_step(make_global_avg(prog_, src, dst), n, "ReduceMean", value(src).quantized() ? "I8" : "FP32");
  home_[{&n, 0}] = dst;
  return true;
}

// The C per-channel values of a constant operand broadcast over an output of dims ys (one value,
// or C values on axis 1); a PReLU slope of rank 1 also lies on axis 1.
std::optional<std::vector<float>> Lowering::channel_const(const Output& o, const Shape& ys,
                                                          bool prelu_slope) {
  if (!is_const(o)) return std::nullopt;
  const Tensor& t = const_value(o);
  const Shape& cs = t.shape();
  const int64_t channels = ys[1];
  std::vector<float> v = to_floats(t);
  if (v.size() == 1) return std::vector<float>(static_cast<size_t>(channels), v[0]);
  if (static_cast<int64_t>(v.size()) != channels || cs.size() > ys.size()) return std::nullopt;
  if (prelu_slope && cs.size() == 1) return v;
  size_t lead = ys.size() - cs.size();
  for (size_t i = 0; i < cs.size(); ++i)
    if (cs[i] != 1 && lead + i != 1) return std::nullopt;
  return v;
}

// Adds node m (reading `cur`) to a per-channel chain if it is PReLU, Multiply / Add / Subtract by a
// per-channel constant, or a FakeQuantize with per-channel ranges, in an order the chain can express.
bool Lowering::absorb_channel_op(const Node& m, const Output& cur, const Shape& ys, ChannelSpec& spec) {
  if (m.outputs.size() != 1 || m.outputs[0].shape != PartialShape(ys) || !spec.fq_in_lo.empty()) return false;
  const std::string& t = m.type();
  if (t == "PReLU") {
    if (!(m.inputs[0] == cur) || !spec.slope.empty() || !spec.scale.empty()) return false;
    auto slope = channel_const(m.inputs[1], ys, true);
    if (!slope) return false;
    spec.slope = *slope;
    return true;
  }
  if (t == "FakeQuantize") {
    if (!(m.inputs[0] == cur) || !ranges_const(m) || activation_quant(m)) return false;  // scalar: lower_fq
    std::vector<float>* dst[4] = {&spec.fq_in_lo, &spec.fq_in_hi, &spec.fq_out_lo, &spec.fq_out_hi};
    std::vector<std::vector<float>> r;
    for (size_t i = 1; i < 5; ++i) {
      auto v = channel_const(m.inputs[i], ys, false);
      if (!v) return false;
      r.push_back(*v);
    }
    for (size_t i = 0; i < 4; ++i) *dst[i] = r[i];
    spec.fq_levels = m.attr<int64_t>("levels");
    return spec.fq_levels >= 2;
  }
  if (t != "Multiply" && t != "Add" && t != "Subtract") return false;
  int mine = m.inputs[0] == cur ? 0 : m.inputs[1] == cur ? 1 : -1;
  if (mine < 0 || (t == "Subtract" && mine != 0)) return false;
  auto k = channel_const(m.inputs[static_cast<size_t>(1 - mine)], ys, false);
  if (!k) return false;
  if (spec.scale.empty()) {
    spec.scale.assign(k->size(), 1.f);
    spec.shift.assign(k->size(), 0.f);
  }
  for (size_t c = 0; c < k->size(); ++c) {
    if (t == "Multiply") {
      spec.scale[c] *= (*k)[c];
      spec.shift[c] *= (*k)[c];
    } else {
      spec.shift[c] += t == "Add" ? (*k)[c] : -(*k)[c];
    }
  }
  return true;
}

// Un-fused scale-shift (per-channel constant Multiply/Add, as MO leaves after a pooling or PReLU),
// per-channel PReLU and per-channel-range FakeQuantize: one own step per chain of such nodes.
bool Lowering::lower_channel(const Node& n) {
  if (n.outputs.empty() || !n.outputs[0].shape.is_static()) return false;
  const Shape ys = n.outputs[0].shape.to_shape();
  if (ys.size() != 2 && ys.size() != 4) return false;
  const Output* data = nullptr;
  for (const Output& in : n.inputs)
    if (!is_const(in) && !fq_weights_const(in)) {
      if (data) return false;
      data = &in;
    }
  if (!data || data->node->outputs[static_cast<size_t>(data->index)].shape != PartialShape(ys)) return false;
  int h = home(*data);
  ChannelSpec spec;
  spec.src = value(h).type == ElementType::kF32 || value(h).quantized() ? h : as_real(*data, value(h).layout);
  if (value(spec.src).type != ElementType::kF32 && !value(spec.src).quantized()) return false;
  if (!absorb_channel_op(n, *data, ys, spec)) return false;
  std::string type = n.type();
  const Node* last = &n;
  for (;;) {
    auto cs = g_.consumers(Output{const_cast<Node*>(last), 0});
    if (cs.size() != 1 || !absorb_channel_op(*cs[0].first, Output{const_cast<Node*>(last), 0}, ys, spec))
      break;
    last = cs[0].first;
    fused_.insert(last);
    type += "+" + last->type();
  }
  spec.dst = add_value(last->name(), ys, ElementType::kF32, value(spec.src).layout);
  add_step(make_channel_op(prog_, std::move(spec)), n, type, "FP32");
  home_[{last, 0}] = prog_.steps.back()->outs[0];
  return true;
}

void Lowering::lower_reference(const Node& n, const std::string& why) {
  std::vector<RefInput> ins;
  for (const Output& in : n.inputs) {
    if (is_const(in) || fq_weights_const(in)) {
      ins.push_back({-1, const_value(in)});
    } else {
      ins.push_back({as_real(in, Layout::kPlain), Tensor()});
    }
  }
  std::vector<int> outs;
  for (size_t i = 0; i < n.outputs.size(); ++i) {
    const PortInfo& p = n.outputs[i];
    ElementType t = p.type == ElementType::kF16 || p.type == ElementType::kBF16 ? ElementType::kF32 : p.type;
    int v = add_value(n.name(), p.shape.is_static() ? p.shape.to_shape() : Shape{}, t, Layout::kPlain);
    prog_.values[static_cast<size_t>(v)].dynamic = !p.shape.is_static();
    outs.push_back(v);
    home_[{&n, static_cast<int>(i)}] = v;
  }
  add_step(make_reference(prog_, n, std::move(ins), outs), n, n.type(), "REF");
  if (!why.empty()) warnings_.push_back(n.describe() + ": " + why + "; runs on the reference kernel");
}

void Lowering::lower_node(const Node& n) {
  const std::string& t = n.type();
  bool done = false;
  bool dynamic = false;
  for (const auto& p : n.outputs) dynamic |= !p.shape.is_static();
  for (const Output& in : n.inputs)
    dynamic |= !in.node->outputs[static_cast<size_t>(in.index)].shape.is_static();
  if (dynamic) {
    lower_reference(n, "");
    return;
  }
  if (t == "Convolution" || t == "GroupConvolution" || t == "MatMul") {
    done = lower_conv(n);
  } else if (t == "MaxPool" || t == "AvgPool") {
    done = lower_pool(n);
  } else if (t == "FakeQuantize") {
    done = lower_fq(n) || lower_channel(n);
  } else if (t == "Add" || t == "Subtract" || t == "Multiply") {
    done = lower_binary(n) || lower_channel(n);
  } else if (is_activation(t)) {
    done = lower_activation(n) || (t == "PReLU" && lower_channel(n));
  } else if (t == "Concat") {
    done = lower_concat(n);
  } else if (t == "Reshape" || t == "Squeeze" || t == "Unsqueeze") {
    done = lower_reshape(n);
  } else if (t == "Transpose") {
    done = lower_transpose(n);
  } else if (t == "ReduceMean") {
    done = lower_reduce_mean(n);
  }
  if (done) return;
  // Ops the fast path never handles are not worth a warning each (they are cheap: softmax, detection
  // post-processing); conv/matmul/pool/FakeQuantize falling back are.
  static const std::set<std::string> expected = {"Convolution", "GroupConvolution", "MatMul",
                                                 "MaxPool",     "AvgPool",          "FakeQuantize"};
  lower_reference(n, expected.count(t) ? "no fast kernel for this case" : "");
}

Program Lowering::run(PlanSummary& summary, std::vector<TensorDesc>& ins, std::vector<TensorDesc>& outs) {
  auto order = g_.topological_order();
  std::vector<std::string> slow_ops;
  for (const Node* n : order) {
    if (n->type() == "Parameter") {
      Shape s = n->outputs[0].shape.to_shape();
      int v = add_value(n->name(), s, n->outputs[0].type, Layout::kPlain);
      home_[{n, 0}] = v;
      prog_.input_values.push_back(v);
      ins.push_back({n->name(), n->outputs[0].type, s});
      continue;
    }
    if (n->type() == "Result") {
      const Output src = n->inputs[0];
      int v = as_real(src, Layout::kPlain);
      prog_.output_values.push_back(v);
      outs.push_back({output_name(*src.node, src.index), value(v).type, value(v).dims});
      continue;
    }
    Output out0{const_cast<Node*>(n), 0};
    if (fused_.count(n) || (!n->outputs.empty() && (is_const(out0) || fq_weights_const(out0)))) continue;
    size_t before = prog_.steps.size();
    with_context(n->describe(), [&] { lower_node(*n); });
    for (size_t i = before; i < prog_.steps.size(); ++i)
      if (prog_.steps[i]->info.precision == "REF" && prog_.steps[i]->info.name == n->name())
        slow_ops.push_back(n->name() + " (" + n->type() + ")");
  }
  if (!slow_ops.empty()) {
    std::string list;
    for (size_t i = 0; i < slow_ops.size() && i < 8; ++i) list += (i ? ", " : "") + slow_ops[i];
    if (slow_ops.size() > 8) list += ", ...";
    summary.warnings.push_back(std::to_string(slow_ops.size()) +
                               " layer(s) run on reference kernels: " + list);
  }
  for (auto& w : warnings_) summary.warnings.push_back(w);
  return std::move(prog_);
}

}  // namespace

Program lower(const Graph& g, const CompileOptions& options, PlanSummary& summary,
              std::vector<TensorDesc>& inputs, std::vector<TensorDesc>& outputs) {
  Lowering l(g, options);
  return l.run(summary, inputs, outputs);
}

}  // namespace q8::runtime::fast
