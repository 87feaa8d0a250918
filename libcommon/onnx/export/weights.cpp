// Quantized constants: FakeQuantize on a constant (pot's weights; IR v10 keeps them as u8/i8
// levels behind a Convert) and IR v11's compressed weights (i8/u8 Const -> Convert -> [Subtract
// zero point] -> Multiply scale). Both become the integer level of every element plus the affine
// map back to floats, written as an int8 initializer + DequantizeLinear.
#include <algorithm>
#include <cmath>

#include "onnx/export/context.h"
#include "tensor/convert.h"

namespace q8::onnxexp {

namespace {

// For each element of `full`, the index of the element of `part` it reads under NumPy
// broadcasting (right-aligned); nullopt when `part` does not broadcast into `full`.
std::optional<std::vector<int64_t>> broadcast_index(const Shape& full, const Shape& part) {
  if (part.size() > full.size()) return std::nullopt;
  size_t off = full.size() - part.size();
  std::vector<int64_t> stride(full.size(), 0);
  int64_t s = 1;
  for (size_t i = part.size(); i-- > 0;) {
    if (part[i] != 1 && part[i] != full[i + off]) return std::nullopt;
    stride[i + off] = part[i] == 1 ? 0 : s;
    s *= part[i];
  }
  std::vector<int64_t> index(static_cast<size_t>(num_elements(full)));
  std::vector<int64_t> coord(full.size(), 0);
  for (size_t e = 0; e < index.size(); ++e) {
    int64_t at = 0;
    for (size_t d = 0; d < full.size(); ++d) at += coord[d] * stride[d];
    index[e] = at;
    for (size_t d = full.size(); d-- > 0;) {
      if (++coord[d] < full[d]) break;
      coord[d] = 0;
    }
  }
  return index;
}

// The level index FakeQuantize rounds a value to, computed in float exactly as the reference
// kernel (runtime/ref/nn.cpp) does, so the stored integers are the levels our int8 run uses.
int32_t fq_level(float v, float lo, float hi, float steps) {
  if (v <= std::min(lo, hi)) return 0;
  if (v > std::max(lo, hi)) return static_cast<int32_t>(steps);
  return static_cast<int32_t>(std::nearbyint((v - lo) / (hi - lo) * steps));
}

std::optional<QuantWeight> fq_weight(const Node& fq, const std::vector<Tensor>& in) {
  int64_t levels = fq.attr<int64_t>("levels");
  if (levels < 2 || levels > 256) return std::nullopt;
  const Shape& shape = in[0].shape();
  std::vector<std::vector<float>> v;
  std::vector<std::vector<int64_t>> idx;
  for (int i = 0; i < 5; ++i) {
    v.push_back(to_floats(in[static_cast<size_t>(i)]));
    auto ix = broadcast_index(shape, in[static_cast<size_t>(i)].shape());
    if (!ix) return std::nullopt;
    idx.push_back(std::move(*ix));
  }
  const float steps = static_cast<float>(levels - 1);
  const int32_t c =
      static_cast<int32_t>(levels / 2);  // level -> int8: 255 levels [-127, 127], 256 [-128, 127]
  QuantWeight w;
  w.shape = shape;
  size_t n = static_cast<size_t>(num_elements(shape));
  w.q.resize(n);
  w.scale.resize(n);
  w.zero.resize(n);
  w.exact.resize(n);
  for (size_t e = 0; e < n; ++e) {
    float x = v[0][static_cast<size_t>(idx[0][e])], lo = v[1][static_cast<size_t>(idx[1][e])],
          hi = v[2][static_cast<size_t>(idx[2][e])], olo = v[3][static_cast<size_t>(idx[3][e])],
          ohi = v[4][static_cast<size_t>(idx[4][e])];
    if (!(lo < hi)) return std::nullopt;
    int32_t k = fq_level(x, lo, hi, steps);
    w.exact[e] = static_cast<float>(k) / steps * (ohi - olo) + olo;
    double s = (static_cast<double>(ohi) - olo) / steps;
    if (s == 0) {
      // A constant channel: every level maps to out_low.
      w.scale[e] = olo == 0 ? 1.0 : std::fabs(static_cast<double>(olo));
      w.zero[e] = 0;
      w.q[e] = olo == 0 ? 0 : (olo > 0 ? 1 : -1);
      continue;
    }
    w.scale[e] = s;
    w.zero[e] = -olo / s - c;
    w.q[e] = k - c;
  }
  return w;
}

// Multiply(Convert(int Const) [- zero point], scale): the values are the integers themselves.
std::optional<QuantWeight> decompressed_weight(const Tensor& ints, const std::optional<Tensor>& zp,
                                               const Tensor& scale) {
  int32_t c = 0;
  if (ints.type() == ElementType::kU8)
    c = 128;
  else if (ints.type() != ElementType::kI8)
    return std::nullopt;
  const Shape& shape = ints.shape();
  auto si = broadcast_index(shape, scale.shape());
  if (!si) return std::nullopt;
  std::optional<std::vector<int64_t>> zi;
  std::vector<float> zv;
  if (zp) {
    zi = broadcast_index(shape, zp->shape());
    if (!zi) return std::nullopt;
    zv = to_floats(*zp);
  }
  std::vector<int64_t> iv = to_ints(ints);
  std::vector<float> sv = to_floats(scale);
  QuantWeight w;
  w.shape = shape;
  size_t n = iv.size();
  w.q.resize(n);
  w.scale.resize(n);
  w.zero.resize(n);
  w.exact.resize(n);
  for (size_t e = 0; e < n; ++e) {
    float z = zp ? zv[static_cast<size_t>((*zi)[e])] : 0.0f, s = sv[static_cast<size_t>((*si)[e])];
    w.q[e] = static_cast<int32_t>(iv[e]) - c;
    w.zero[e] = static_cast<double>(z) - c;
    w.scale[e] = s;
    w.exact[e] = (static_cast<float>(iv[e]) - z) * s;
  }
  return w;
}

template <typename T>
std::vector<T> swap_last2(const std::vector<T>& v, const Shape& shape) {
  int64_t r = shape[shape.size() - 2], c = shape.back(), plane = r * c;
  std::vector<T> out(v.size());
  for (size_t b = 0; b < v.size(); b += static_cast<size_t>(plane))
    for (int64_t i = 0; i < r; ++i)
      for (int64_t j = 0; j < c; ++j)
        out[b + static_cast<size_t>(j * r + i)] = v[b + static_cast<size_t>(i * c + j)];
  return out;
}

Shape swapped(Shape s) {
  std::swap(s[s.size() - 1], s[s.size() - 2]);
  return s;
}

}  // namespace

std::optional<QuantWeight> Context::quant_weight(Output out) {
  const PortInfo& port = out.node->outputs.at(static_cast<size_t>(out.index));
  if (!port.shape.is_static()) return std::nullopt;
  while (
      (out.node->type() == "Reshape" || out.node->type() == "Squeeze" || out.node->type() == "Unsqueeze") &&
      is_constant(out.node))
    out = out.node->input(0);
  const Node* p = out.node;
  if (!is_constant(p)) return std::nullopt;
  std::optional<QuantWeight> w;
  if (p->type() == "FakeQuantize") {
    std::vector<Tensor> in;
    for (const Output& i : p->inputs) {
      auto v = value_of(i);
      if (!v) return std::nullopt;
      in.push_back(*v);
    }
    w = fq_weight(*p, in);
  } else if (p->type() == "Multiply") {
    for (int s = 0; s < 2 && !w; ++s) {
      Output data = p->input(1 - s);
      auto scale = value_of(p->input(s));
      if (!scale) continue;
      std::optional<Tensor> zp;
      if (data.node->type() == "Subtract") {
        zp = value_of(data.node->input(1));
        if (!zp) continue;
        data = data.node->input(0);
      }
      if (data.node->type() != "Convert" || data.node->input(0).node->type() != "Const") continue;
      w = decompressed_weight(data.node->input(0).node->value, zp, *scale);
    }
  }
  if (!w || num_elements(w->shape) != num_elements(port.shape.to_shape())) return std::nullopt;
  w->shape = port.shape.to_shape();
  return w;
}

std::string Context::emit_weight(const QuantWeight& w, const std::string& name) {
  const size_t n = w.q.size();
  std::string why;
  for (size_t e = 0; e < n && why.empty(); ++e) {
    if (w.q[e] < -128 || w.q[e] > 127) why = "a level does not fit int8";
    double zr = std::nearbyint(w.zero[e]);
    if (std::fabs(w.zero[e] - zr) > 1e-3 || zr < -128 || zr > 127)
      why = "its zero point " + std::to_string(w.zero[e]) + " is not an int8 integer";
  }
  // Scale and zero point must vary along one axis at most (per-tensor or per-axis).
  int axis = -1;
  bool per_tensor = true;
  for (size_t e = 1; e < n && per_tensor; ++e)
    per_tensor = w.scale[e] == w.scale[0] && w.zero[e] == w.zero[0];
  if (why.empty() && !per_tensor) {
    int64_t stride = 1;
    for (int a = static_cast<int>(w.shape.size()) - 1; a >= 0 && axis < 0; --a) {
      int64_t dim = w.shape[static_cast<size_t>(a)];
      bool ok = true;
      for (size_t e = 0; e < n && ok; ++e) {
        size_t base = static_cast<size_t>((static_cast<int64_t>(e) / stride) % dim * stride);
        ok = w.scale[e] == w.scale[base] && w.zero[e] == w.zero[base];
      }
      if (ok) axis = a;
      stride *= dim;
    }
    if (axis < 0) why = "its scales vary along more than one axis";
  }
  auto* init = model_.mutable_graph()->add_initializer();
  if (!why.empty()) {
    warn("quantized weights kept as f32 (exactly dequantized): " + why);
    ++report_.float_weights;
    init->set_name(name);
    init->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : w.shape) init->add_dims(d);
    init->set_raw_data(std::string(reinterpret_cast<const char*>(w.exact.data()), n * sizeof(float)));
    return name;
  }
  std::string qname = reserve(name + "/int8");
  init->set_name(qname);
  init->set_data_type(onnx::TensorProto::INT8);
  for (int64_t d : w.shape) init->add_dims(d);
  std::string bytes(n, '\0');
  for (size_t e = 0; e < n; ++e) bytes[e] = static_cast<char>(static_cast<int8_t>(w.q[e]));
  init->set_raw_data(bytes);
  std::vector<float> scales;
  std::vector<int8_t> zeros;
  if (per_tensor) {
    scales.push_back(static_cast<float>(w.scale[0]));
    zeros.push_back(static_cast<int8_t>(std::nearbyint(w.zero[0])));
  } else {
    int64_t stride = 1;
    for (size_t d = static_cast<size_t>(axis) + 1; d < w.shape.size(); ++d) stride *= w.shape[d];
    for (int64_t i = 0; i < w.shape[static_cast<size_t>(axis)]; ++i) {
      scales.push_back(static_cast<float>(w.scale[static_cast<size_t>(i * stride)]));
      zeros.push_back(static_cast<int8_t>(std::nearbyint(w.zero[static_cast<size_t>(i * stride)])));
    }
  }
  Shape ps = per_tensor ? Shape{} : Shape{static_cast<int64_t>(scales.size())};
  std::string sname = reserve(name + "/scale"), zname = reserve(name + "/zero_point");
  auto* st = model_.mutable_graph()->add_initializer();
  st->set_name(sname);
  st->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : ps) st->add_dims(d);
  st->set_raw_data(std::string(reinterpret_cast<const char*>(scales.data()), scales.size() * sizeof(float)));
  auto* zt = model_.mutable_graph()->add_initializer();
  zt->set_name(zname);
  zt->set_data_type(onnx::TensorProto::INT8);
  for (int64_t d : ps) zt->add_dims(d);
  zt->set_raw_data(std::string(reinterpret_cast<const char*>(zeros.data()), zeros.size()));
  auto& dq = emit("DequantizeLinear", {qname, sname, zname}, {name});
  if (!per_tensor) set_attr(dq, "axis", static_cast<int64_t>(axis));
  ++report_.quantized_weights;
  return name;
}

std::string Context::weights(Output out, const Shape& shape, bool transpose_last2) {
  const PortInfo& port = out.node->outputs.at(static_cast<size_t>(out.index));
  if (!transpose_last2 && port.shape.is_static() && port.shape.to_shape() == shape) return tensor(out);
  if (auto w = quant_weight(out)) {
    if (num_elements(shape) != num_elements(w->shape)) fail("weights do not fit shape " + to_string(shape));
    w->shape = shape;
    if (transpose_last2) {
      w->q = swap_last2(w->q, shape);
      w->scale = swap_last2(w->scale, shape);
      w->zero = swap_last2(w->zero, shape);
      w->exact = swap_last2(w->exact, shape);
      w->shape = swapped(shape);
    }
    return emit_weight(*w, fresh("weights"));
  }
  if (auto v = value_of(out)) {
    Tensor t = v->type() == ElementType::kF16 || v->type() == ElementType::kBF16
                   ? convert(*v, ElementType::kF32)
                   : *v;
    if (num_elements(shape) != t.size()) fail("weights do not fit shape " + to_string(shape));
    if (t.type() == ElementType::kF32 && transpose_last2) {
      std::vector<float> f = swap_last2(to_floats(t), shape);
      return initializer("weights", make_f32(swapped(shape), f));
    }
    if (!transpose_last2)
      return initializer("weights", Tensor::from_bytes(t.type(), shape, t.bytes(), t.byte_size()));
  }
  std::string t = tensor(out);
  if (!(port.shape.is_static() && port.shape.to_shape() == shape))
    t = emit("Reshape", {t, ints("weights_shape", shape)}).output(0);
  if (transpose_last2) {
    std::vector<int64_t> perm;
    for (size_t i = 0; i < shape.size(); ++i) perm.push_back(static_cast<int64_t>(i));
    std::swap(perm[perm.size() - 1], perm[perm.size() - 2]);
    auto& tr = emit("Transpose", {t});
    set_attr(tr, "perm", perm);
    t = tr.output(0);
  }
  return t;
}

}  // namespace q8::onnxexp
