// Own kernels of the fast runtime: format conversion (quantize with FakeQuantize's exact rounding,
// dequantize, requantize, plain <-> NHWC), elementwise binary ops, concat, global average pooling,
// standalone activations, per-channel scale-shift / PReLU / FakeQuantize, copies and the
// reference-kernel fallback.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <vector>

#include "base/error.h"
#include "runtime/fast/steps.h"
#include "tensor/fp16.h"

namespace q8::runtime::fast {

namespace {

const Value& val(const Program& p, int v) {
  return p.values[static_cast<size_t>(v)];
}

// Element offset of logical index (n, c, s) (s = flattened spatial) in a 4-D value's layout; plain
// values of other ranks use the flat logical index.
struct Indexer {
  int64_t c = 1, hw = 1;
  bool nhwc = false;
  int64_t at(int64_t n, int64_t ch, int64_t s) const {
    return nhwc ? (n * hw + s) * c + ch : (n * c + ch) * hw + s;
  }
};

Indexer indexer(const Value& v) {
  Indexer ix;
  if (v.dims.size() >= 2) {
    ix.c = v.dims[1];
    for (size_t i = 2; i < v.dims.size(); ++i) ix.hw *= v.dims[i];
  } else {
    ix.c = 1;
    ix.hw = num_elements(v.dims);
  }
  ix.nhwc = v.layout == Layout::kNhwc;
  return ix;
}

float load(const Value& v, const std::byte* base, int64_t i) {
  switch (v.type) {
    case ElementType::kF32:
      return reinterpret_cast<const float*>(base)[i];
    case ElementType::kF16:
      return half_to_float(reinterpret_cast<const uint16_t*>(base)[i]);
    case ElementType::kU8:
      return v.scale * static_cast<float>(int32_t{reinterpret_cast<const uint8_t*>(base)[i]} - v.zero_point);
    case ElementType::kI8:
      return v.scale * static_cast<float>(int32_t{reinterpret_cast<const int8_t*>(base)[i]} - v.zero_point);
    default:
      return 0.f;
  }
}

struct ConvertStep : Step {
  bool has_fq = false;
  QuantParams fq;
  int32_t shift = 0;  // FakeQuantize level index -> stored integer: stored = level - shift

  // f32 -> u8/s8 through FakeQuantize: the hot case (model inputs, FP32 layer outputs); vectorizable.
  template <typename Q>
  void quantize_f32(const Value& s, const Value& d, const float* src, Q* dst) const {
    Indexer is = indexer(s), id = indexer(d);
    int64_t n_count = s.dims.size() >= 2 ? s.dims[0] : 1;
    const float steps = static_cast<float>(fq.levels - 1);
    const bool up = fq.in_lo <= fq.in_hi;
    const float lo = std::min(fq.in_lo, fq.in_hi), hi = std::max(fq.in_lo, fq.in_hi);
    const float below = up ? 0.f : steps, above = up ? steps : 0.f;
    const float range = fq.in_hi - fq.in_lo, in_lo = fq.in_lo;
    const int32_t qmin = std::is_same_v<Q, uint8_t> ? 0 : -128, qmax = std::is_same_v<Q, uint8_t> ? 255 : 127;
    const int32_t sh = shift;
#pragma omp parallel for collapse(2) schedule(static)
    for (int64_t n = 0; n < n_count; ++n)
      for (int64_t c = 0; c < is.c; ++c) {
        const float* in = src + is.at(n, c, 0);
        const int64_t in_stride = is.nhwc ? is.c : 1;
        Q* out = dst + id.at(n, c, 0);
        const int64_t out_stride = id.nhwc ? id.c : 1;
        for (int64_t sp = 0; sp < is.hw; ++sp) {
          float x = in[sp * in_stride];
          float level = x <= lo ? below : x > hi ? above : fq_level(x, in_lo, range, steps);
          int32_t q = std::clamp(static_cast<int32_t>(level) - sh, qmin, qmax);
          out[sp * out_stride] = static_cast<Q>(q);
        }
      }
  }

  void run(Ctx& ctx, StepState*) const override {
    const Value& s = val(*ctx.program, ins[0]);
    const Value& d = val(*ctx.program, outs[0]);
    const std::byte* src = ctx.ptr(ins[0]);
    std::byte* dst = ctx.ptr(outs[0]);
    if (has_fq && s.type == ElementType::kF32) {
      if (d.type == ElementType::kU8)
        quantize_f32(s, d, reinterpret_cast<const float*>(src), reinterpret_cast<uint8_t*>(dst));
      else
        quantize_f32(s, d, reinterpret_cast<const float*>(src), reinterpret_cast<int8_t*>(dst));
      return;
    }
    if (!has_fq && s.layout == d.layout && d.type == ElementType::kF32 && s.quantized()) {
      // Dequantize in place order: one flat vectorizable loop.
      const int64_t count = num_elements(s.dims);
      const float scale = s.scale, zp = static_cast<float>(s.zero_point);
      float* out = reinterpret_cast<float*>(dst);
      if (s.type == ElementType::kU8) {
        const uint8_t* in = reinterpret_cast<const uint8_t*>(src);
#pragma omp parallel for schedule(static)
        for (int64_t i = 0; i < count; ++i) out[i] = scale * (static_cast<float>(in[i]) - zp);
      } else {
        const int8_t* in = reinterpret_cast<const int8_t*>(src);
#pragma omp parallel for schedule(static)
        for (int64_t i = 0; i < count; ++i) out[i] = scale * (static_cast<float>(in[i]) - zp);
      }
      return;
    }
    Indexer is = indexer(s), id = indexer(d);
    int64_t n_count = s.dims.empty() ? 1 : (s.dims.size() >= 2 ? s.dims[0] : 1);
    if (s.dims.size() < 2) n_count = 1;
    const float steps = static_cast<float>(fq.levels - 1);
    const float lo = std::min(fq.in_lo, fq.in_hi), hi = std::max(fq.in_lo, fq.in_hi);
    const float inv_scale = d.quantized() ? 1.f / d.scale : 1.f;
    const int32_t qmin = d.type == ElementType::kU8 ? 0 : -128, qmax = d.type == ElementType::kU8 ? 255 : 127;
#pragma omp parallel for collapse(2) schedule(static)
    for (int64_t n = 0; n < n_count; ++n)
      for (int64_t c = 0; c < is.c; ++c)
        for (int64_t sp = 0; sp < is.hw; ++sp) {
          float x = load(s, src, is.at(n, c, sp));
          int64_t o = id.at(n, c, sp);
          if (d.type == ElementType::kF32) {
            reinterpret_cast<float*>(dst)[o] = x;
            continue;
          }
          int32_t q;
          if (has_fq) {
            // FakeQuantize's level index, with the reference kernel's exact float expression.
            float level = x <= lo  ? (fq.in_lo <= fq.in_hi ? 0.f : steps)
                          : x > hi ? (fq.in_lo <= fq.in_hi ? steps : 0.f)
                                   : std::nearbyint((x - fq.in_lo) / (fq.in_hi - fq.in_lo) * steps);
            q = static_cast<int32_t>(level) - shift;
          } else {
            q = static_cast<int32_t>(std::nearbyint(x * inv_scale)) + d.zero_point;
          }
          q = std::clamp(q, qmin, qmax);
          if (d.type == ElementType::kU8)
            reinterpret_cast<uint8_t*>(dst)[o] = static_cast<uint8_t>(q);
          else
            reinterpret_cast<int8_t*>(dst)[o] = static_cast<int8_t>(q);
        }
  }
};

struct BinaryStep : Step {
  char op = '+';
  bool relu = false;
  void run(Ctx& ctx, StepState*) const override {
    const Value& a = val(*ctx.program, ins[0]);
    const Value& b = val(*ctx.program, ins[1]);
    const std::byte* pa = ctx.ptr(ins[0]);
    const std::byte* pb = ctx.ptr(ins[1]);
    float* out = ctx.data<float>(outs[0]);
    int64_t n = num_elements(a.dims);
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; ++i) {
      float x = load(a, pa, i), y = load(b, pb, i);
      float r = op == '+' ? x + y : op == '-' ? x - y : x * y;
      out[i] = relu ? std::max(r, 0.f) : r;
    }
  }
};

struct ConcatStep : Step {
  int64_t axis = 1;
  void run(Ctx& ctx, StepState*) const override {
    const Value& d = val(*ctx.program, outs[0]);
    size_t esize = byte_size(d.type, 1);
    // Rows: everything before the concat axis in memory order; chunk: the axis and after.
    bool nhwc = d.layout == Layout::kNhwc;
    int64_t rows = 1;
    auto chunk_of = [&](const Value& v) {
      if (nhwc) return v.dims[1];
      int64_t c = 1;
      for (size_t i = static_cast<size_t>(axis); i < v.dims.size(); ++i) c *= v.dims[i];
      return c;
    };
    if (nhwc) {
      rows = d.dims[0] * d.dims[2] * d.dims[3];
    } else {
      for (int64_t i = 0; i < axis; ++i) rows *= d.dims[static_cast<size_t>(i)];
    }
    int64_t out_chunk = chunk_of(d);
    std::byte* out = ctx.ptr(outs[0]);
    int64_t at = 0;
    for (int in : ins) {
      const Value& s = val(*ctx.program, in);
      int64_t c = chunk_of(s);
      const std::byte* src = ctx.ptr(in);
#pragma omp parallel for schedule(static)
      for (int64_t r = 0; r < rows; ++r)
        std::memcpy(out + (r * out_chunk + at) * esize, src + r * c * esize, static_cast<size_t>(c) * esize);
      at += c;
    }
  }
};

struct GlobalAvgStep : Step {
  void run(Ctx& ctx, StepState*) const override {
    const Value& s = val(*ctx.program, ins[0]);
    const std::byte* src = ctx.ptr(ins[0]);
    float* out = ctx.data<float>(outs[0]);
    Indexer ix = indexer(s);
    int64_t n_count = s.dims[0];
    if (ix.nhwc && s.type != ElementType::kF16) {
      // Rows of C contiguous values: accumulate whole rows (vectorized over channels).
      for (int64_t n = 0; n < n_count; ++n) {
        float* o = out + n * ix.c;
        std::vector<float> acc(static_cast<size_t>(ix.c), 0.f);
        for (int64_t sp = 0; sp < ix.hw; ++sp) {
          int64_t base = ix.at(n, 0, sp);
          if (s.type == ElementType::kF32) {
            const float* row = reinterpret_cast<const float*>(src) + base;
            for (int64_t c = 0; c < ix.c; ++c) acc[static_cast<size_t>(c)] += row[c];
          } else if (s.type == ElementType::kU8) {
            const uint8_t* row = reinterpret_cast<const uint8_t*>(src) + base;
            for (int64_t c = 0; c < ix.c; ++c) acc[static_cast<size_t>(c)] += static_cast<float>(row[c]);
          } else {
            const int8_t* row = reinterpret_cast<const int8_t*>(src) + base;
            for (int64_t c = 0; c < ix.c; ++c) acc[static_cast<size_t>(c)] += static_cast<float>(row[c]);
          }
        }
        const float inv = 1.f / static_cast<float>(ix.hw);
        for (int64_t c = 0; c < ix.c; ++c)
          o[c] = s.quantized()
                     ? s.scale * (acc[static_cast<size_t>(c)] * inv - static_cast<float>(s.zero_point))
                     : acc[static_cast<size_t>(c)] * inv;
      }
      return;
    }
    for (int64_t n = 0; n < n_count; ++n) {
#pragma omp parallel for schedule(static)
      for (int64_t c = 0; c < ix.c; ++c) {
        double acc = 0;
        for (int64_t sp = 0; sp < ix.hw; ++sp) acc += load(s, src, ix.at(n, c, sp));
        out[n * ix.c + c] = static_cast<float>(acc / static_cast<double>(ix.hw));
      }
    }
  }
};

float activate(Act act, float x, float alpha, float beta) {
  switch (act) {
    case Act::kRelu:
      return x > 0 ? x : alpha * x;
    case Act::kClip:
      return std::min(std::max(x, alpha), beta);
    case Act::kSigmoid:
      return 1.f / (1.f + std::exp(-x));
    case Act::kSwish:
      return x / (1.f + std::exp(-alpha * x));
    case Act::kHSwish:
      return x * std::min(std::max(x + 3.f, 0.f), 6.f) / 6.f;
    case Act::kTanh:
      return std::tanh(x);
    case Act::kElu:
      return x > 0 ? x : alpha * (std::exp(x) - 1.f);
    case Act::kGelu:
      return 0.5f * x * (1.f + std::erf(x / std::sqrt(2.f)));
  }
  return x;
}

struct ActivationStep : Step {
  Act act = Act::kRelu;
  float alpha = 0, beta = 0;
  void run(Ctx& ctx, StepState*) const override {
    const float* in = ctx.data<float>(ins[0]);
    float* out = ctx.data<float>(outs[0]);
    int64_t n = num_elements(val(*ctx.program, ins[0]).dims);
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; ++i) out[i] = activate(act, in[i], alpha, beta);
  }
};

// Per-channel constants of a ChannelSpec, identity-filled so one branch-free expression serves
// every chain: y = (x < 0 ? x * slope : x) * scale + shift, then FakeQuantize when has_fq.
struct ChannelParams {
  std::vector<float> slope, scale, shift, lo, hi, in_lo, in_range, out_lo, out_hi, out_range;
  bool has_fq = false;
  float steps = 255;
};

ChannelParams channel_params(const ChannelSpec& k, int64_t channels) {
  ChannelParams p;
  auto n = static_cast<size_t>(channels);
  auto or_fill = [n](const std::vector<float>& v, float fill) {
    return v.empty() ? std::vector<float>(n, fill) : v;
  };
  p.slope = or_fill(k.slope, 1.f);
  p.scale = or_fill(k.scale, 1.f);
  p.shift = or_fill(k.shift, 0.f);
  p.has_fq = !k.fq_in_lo.empty();
  if (!p.has_fq) return p;
  p.steps = static_cast<float>(k.fq_levels - 1);
  for (size_t c = 0; c < n; ++c) {
    float il = k.fq_in_lo[c], ih = k.fq_in_hi[c];
    p.lo.push_back(std::min(il, ih));
    p.hi.push_back(std::max(il, ih));
    p.in_lo.push_back(il);
    p.in_range.push_back(ih - il);
    p.out_lo.push_back(k.fq_out_lo[c]);
    p.out_hi.push_back(k.fq_out_hi[c]);
    p.out_range.push_back(k.fq_out_hi[c] - k.fq_out_lo[c]);
  }
  return p;
}

// FakeQuantize with the reference kernel's float expression (fq_level), per channel.
inline float channel_fq(const ChannelParams& p, size_t c, float x) {
  // Every operand loaded before the selects: no conditional loads, so the loop if-converts.
  const float lo = p.lo[c], hi = p.hi[c], in_lo = p.in_lo[c], in_range = p.in_range[c];
  const float out_lo = p.out_lo[c], out_hi = p.out_hi[c], out_range = p.out_range[c];
  float level = fq_level(x, in_lo, in_range, p.steps);
  float y = level / p.steps * out_range + out_lo;
  y = x > hi ? out_hi : y;
  return x <= lo ? out_lo : y;
}

inline float channel_affine(const ChannelParams& p, size_t c, float x) {
  const float slope = p.slope[c], scale = p.scale[c], shift = p.shift[c];
  const float negative = x * slope;  // computed unconditionally: the select below if-converts
  return (x < 0 ? negative : x) * scale + shift;
}

struct ChannelStep : Step {
  ChannelSpec spec;
  ChannelParams params;

  void run(Ctx& ctx, StepState*) const override {
    const Value& s = val(*ctx.program, ins[0]);
    const std::byte* src = ctx.ptr(ins[0]);
    float* out = ctx.data<float>(outs[0]);
    const ChannelParams& p = params;
    Indexer ix = indexer(s);
    const int64_t n_count = s.dims[0];
    if (s.type == ElementType::kF32 && ix.nhwc) {  // the hot case: rows of C contiguous channels
      const float* in = reinterpret_cast<const float*>(src);
      const int64_t rows = n_count * ix.hw, channels = ix.c;
#pragma omp parallel for schedule(static)
      for (int64_t r = 0; r < rows; ++r) {
        const float* x = in + r * channels;
        float* y = out + r * channels;
        if (p.has_fq) {
#pragma omp simd
          for (int64_t c = 0; c < channels; ++c) {
            auto cc = static_cast<size_t>(c);
            y[c] = channel_fq(p, cc, channel_affine(p, cc, x[c]));
          }
        } else {
#pragma omp simd
          for (int64_t c = 0; c < channels; ++c) y[c] = channel_affine(p, static_cast<size_t>(c), x[c]);
        }
      }
      return;
    }
#pragma omp parallel for collapse(2) schedule(static)
    for (int64_t n = 0; n < n_count; ++n)
      for (int64_t c = 0; c < ix.c; ++c)
        for (int64_t sp = 0; sp < ix.hw; ++sp) {
          int64_t i = ix.at(n, c, sp);
          auto cc = static_cast<size_t>(c);
          float y = channel_affine(p, cc, load(s, src, i));
          out[i] = p.has_fq ? channel_fq(p, cc, y) : y;
        }
  }
};

struct CopyStep : Step {
  void run(Ctx& ctx, StepState*) const override {
    if (ctx.ptr(ins[0]) != ctx.ptr(outs[0]))
      std::memcpy(ctx.ptr(outs[0]), ctx.ptr(ins[0]), val(*ctx.program, outs[0]).bytes());
  }
};

struct ConstantStep : Step {
  Tensor value;
  void run(Ctx& ctx, StepState*) const override {
    std::memcpy(ctx.ptr(outs[0]), value.bytes(), value.byte_size());
  }
};

struct ReferenceStep : Step {
  const Node* node = nullptr;
  std::vector<RefInput> inputs;
  void run(Ctx& ctx, StepState*) const override {
    std::vector<Tensor> args;
    args.reserve(inputs.size());
    for (const RefInput& in : inputs) {
      if (in.value < 0) {
        args.push_back(in.constant);
        continue;
      }
      const Value& v = val(*ctx.program, in.value);
      if (v.dynamic)
        args.push_back((*ctx.dynamic)[static_cast<size_t>(in.value)]);
      else
        args.push_back(Tensor::from_bytes(v.type, v.dims, ctx.ptr(in.value), v.bytes()));
    }
    std::vector<Tensor> res = evaluate(*node, args);
    for (size_t i = 0; i < outs.size(); ++i) {
      if (outs[i] < 0) continue;
      const Value& v = val(*ctx.program, outs[i]);
      if (v.dynamic) {
        (*ctx.dynamic)[static_cast<size_t>(outs[i])] = res[i];
        continue;
      }
      if (res[i].type() != v.type || res[i].shape() != v.dims)
        throw_bad_input(node->describe() + ": reference kernel produced " + to_string(res[i].shape()) + " " +
                        to_string(res[i].type()) + ", the plan expected " + to_string(v.dims) + " " +
                        to_string(v.type));
      std::memcpy(ctx.ptr(outs[i]), res[i].bytes(), v.bytes());
    }
  }
};

}  // namespace

std::unique_ptr<Step> make_convert(const Program& p, int src, int dst, const QuantParams* fq) {
  auto s = std::make_unique<ConvertStep>();
  const Value& d = val(p, dst);
  if (fq) {
    s->has_fq = true;
    s->fq = *fq;
    // stored = level - shift, with real = scale * (stored - zero_point) = out_lo + level * step.
    float step = (fq->out_hi - fq->out_lo) / static_cast<float>(fq->levels - 1);
    s->shift = static_cast<int32_t>(std::lround(-fq->out_lo / step)) - d.zero_point;
  }
  s->ins = {src};
  s->outs = {dst};
  s->info.kernel = "q8:convert";
  return s;
}

std::unique_ptr<Step> make_binary(const Program&, const std::string& op, int a, int b, int dst, bool relu) {
  auto s = std::make_unique<BinaryStep>();
  s->op = op == "Add" ? '+' : op == "Subtract" ? '-' : '*';
  s->relu = relu;
  s->ins = {a, b};
  s->outs = {dst};
  s->info.kernel = "q8:eltwise";
  return s;
}

std::unique_ptr<Step> make_concat(const Program&, const std::vector<int>& srcs, int dst, int64_t axis) {
  auto s = std::make_unique<ConcatStep>();
  s->axis = axis;
  s->ins = srcs;
  s->outs = {dst};
  s->info.kernel = "q8:concat";
  return s;
}

std::unique_ptr<Step> make_global_avg(const Program&, int src, int dst) {
  auto s = std::make_unique<GlobalAvgStep>();
  s->ins = {src};
  s->outs = {dst};
  s->info.kernel = "q8:global_avg";
  return s;
}

std::unique_ptr<Step> make_activation(const Program&, Act act, float alpha, float beta, int src, int dst) {
  auto s = std::make_unique<ActivationStep>();
  s->act = act;
  s->alpha = alpha;
  s->beta = beta;
  s->ins = {src};
  s->outs = {dst};
  s->info.kernel = "q8:activation";
  return s;
}

std::unique_ptr<Step> make_channel_op(const Program& p, ChannelSpec spec) {
  auto s = std::make_unique<ChannelStep>();
  s->ins = {spec.src};
  s->outs = {spec.dst};
  s->params = channel_params(spec, p.values[static_cast<size_t>(spec.src)].dims[1]);
  s->spec = std::move(spec);
  s->info.kernel = "q8:channel";
  return s;
}

std::unique_ptr<Step> make_reference(const Program&, const Node& node, std::vector<RefInput> inputs,
                                     std::vector<int> outs) {
  auto s = std::make_unique<ReferenceStep>();
  s->node = &node;
  for (const RefInput& in : inputs)
    if (in.value >= 0) s->ins.push_back(in.value);
  s->inputs = std::move(inputs);
  s->outs = std::move(outs);  // by output port; -1 where the plan does not use the output
  s->info.kernel = "ref";
  return s;
}

std::unique_ptr<Step> make_constant(const Program&, const Tensor& t, int dst) {
  auto s = std::make_unique<ConstantStep>();
  s->value = t;
  s->outs = {dst};
  s->info.kernel = "q8:constant";
  return s;
}

std::unique_ptr<Step> make_copy(const Program&, int src, int dst) {
  auto s = std::make_unique<CopyStep>();
  s->ins = {src};
  s->outs = {dst};
  s->info.kernel = "q8:copy";
  return s;
}

}  // namespace q8::runtime::fast
