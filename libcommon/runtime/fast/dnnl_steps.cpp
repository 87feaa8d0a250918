// oneDNN steps: convolution (incl. grouped/depthwise), inner product (MatMul with constant weights) and
// pooling, in fp32 and int8, NHWC activations, weights reordered once into the primitive's layout.
#include <cstring>
#include <oneapi/dnnl/dnnl.hpp>
#include <unordered_map>

#include "base/error.h"
#include "runtime/fast/steps.h"

namespace q8::runtime::fast {

namespace {

using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

dnnl::engine& engine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

dt to_dnnl(ElementType t) {
  switch (t) {
    case ElementType::kF32:
      return dt::f32;
    case ElementType::kU8:
      return dt::u8;
    case ElementType::kI8:
      return dt::s8;
    default:
      return dt::undef;
  }
}

memory::dims dims_of(const Shape& s) {
  return memory::dims(s.begin(), s.end());
}

memory::desc activation_md(const Value& v) {
  tag t = tag::undef;
  if (v.dims.size() == 4) t = v.layout == Layout::kNhwc ? tag::nhwc : tag::nchw;
  if (v.dims.size() == 2) t = tag::nc;
  if (t == tag::undef || to_dnnl(v.type) == dt::undef) return memory::desc();
  return memory::desc(dims_of(v.dims), to_dnnl(v.type), t);
}

dnnl::algorithm act_alg(Act a) {
  switch (a) {
    case Act::kRelu:
      return dnnl::algorithm::eltwise_relu;
    case Act::kClip:
      return dnnl::algorithm::eltwise_clip;
    case Act::kSigmoid:
      return dnnl::algorithm::eltwise_logistic;
    case Act::kSwish:
      return dnnl::algorithm::eltwise_swish;
    case Act::kHSwish:
      return dnnl::algorithm::eltwise_hardswish;
    case Act::kTanh:
      return dnnl::algorithm::eltwise_tanh;
    case Act::kElu:
      return dnnl::algorithm::eltwise_elu;
    case Act::kGelu:
      return dnnl::algorithm::eltwise_gelu_erf;
  }
  return dnnl::algorithm::eltwise_relu;
}

struct DnnlState : StepState {
  std::unordered_map<int, memory> args;
};

// One oneDNN primitive reading value `src` and writing value `dst`, with constant weights/bias.
struct DnnlStep : Step {
  dnnl::primitive prim;
  memory::desc src_md, dst_md, scratch_md;
  memory weights, bias;  // shared by all requests (read-only)
  int sum_value = -1;

  std::unique_ptr<StepState> bind(Ctx& ctx) const override {
    auto s = std::make_unique<DnnlState>();
    s->args[DNNL_ARG_SRC] = memory(src_md, engine(), ctx.ptr(ins[0]));
    s->args[DNNL_ARG_DST] = memory(dst_md, engine(), ctx.ptr(outs[0]));
    if (weights) s->args[DNNL_ARG_WEIGHTS] = weights;
    if (bias) s->args[DNNL_ARG_BIAS] = bias;
    if (scratch_md.get_size() > 0)
      s->args[DNNL_ARG_SCRATCHPAD] = memory(scratch_md, engine(), ctx.scratchpad);
    return s;
  }

  void run(Ctx& ctx, StepState* state) const override {
    if (sum_value >= 0 && ctx.ptr(sum_value) != ctx.ptr(outs[0]))
      std::memcpy(ctx.ptr(outs[0]), ctx.ptr(sum_value), ctx.program->values[sum_value].bytes());
    prim.execute(*static_cast<dnnl::stream*>(ctx.stream), static_cast<DnnlState*>(state)->args);
  }
};

memory constant_memory(const memory::desc& md, const void* data) {
  memory m(md, engine());
  std::memcpy(m.get_data_handle(), data, md.get_size());
  return m;
}

memory reorder_weights(const memory::desc& user_md, const void* data, const memory::desc& want) {
  memory user(user_md, engine(), const_cast<void*>(data));
  memory out(want, engine());
  dnnl::stream s(engine());
  dnnl::reorder(user, out).execute(s, user, out);
  s.wait();
  return out;
}

}  // namespace

std::unique_ptr<StepState> Step::bind(Ctx&) const {
  return nullptr;
}

std::string dnnl_isa_name() {
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::sse41:
      return "sse41";
    case dnnl::cpu_isa::avx:
      return "avx";
    case dnnl::cpu_isa::avx2:
      return "avx2";
    case dnnl::cpu_isa::avx2_vnni:
      return "avx2_vnni";
    case dnnl::cpu_isa::avx512_mic:
      return "avx512_mic";
    case dnnl::cpu_isa::avx512_mic_4ops:
      return "avx512_mic_4ops";
    case dnnl::cpu_isa::avx512_core:
      return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni:
      return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16:
      return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx:
      return "avx512_core_amx";
    default:
      return "generic";
  }
}

bool dnnl_isa_has_vnni() {
  auto isa = dnnl::get_effective_cpu_isa();
  return isa == dnnl::cpu_isa::avx2_vnni || isa == dnnl::cpu_isa::avx512_core_vnni ||
         isa == dnnl::cpu_isa::avx512_core_bf16 || isa == dnnl::cpu_isa::avx512_core_amx;
}

std::unique_ptr<Step> make_conv(const Program& p, const ConvSpec& s, std::string* why) {
  const Value& src = p.values[static_cast<size_t>(s.src)];
  const Value& dst = p.values[static_cast<size_t>(s.dst)];
  memory::desc src_md = activation_md(src), dst_md = activation_md(dst);
  if (!src_md || !dst_md) {
    *why = "unsupported tensor format for oneDNN";
    return nullptr;
  }
  dt wdt = s.int8 ? dt::s8 : dt::f32;
  memory::dims wdims = dims_of(s.weight_dims);
  memory::desc wany(wdims, wdt, tag::any);
  tag wtag = s.inner_product ? tag::oi : (s.groups > 1 ? tag::goihw : tag::oihw);
  memory::desc wuser(wdims, wdt, wtag);
  memory::desc bias_md;
  if (!s.bias.empty()) bias_md = memory::desc({static_cast<int64_t>(s.bias.size())}, dt::f32, tag::x);

  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  if (s.int8) attr.set_output_scales(s.out_scale.size() > 1 ? 1 << 1 : 0, s.out_scale);
  if (src.zero_point != 0) attr.set_zero_points(DNNL_ARG_SRC, 0, {src.zero_point});
  if (dst.quantized() && dst.zero_point != 0) attr.set_zero_points(DNNL_ARG_DST, 0, {dst.zero_point});
  dnnl::post_ops po;
  for (const PostOp& op : s.post_ops) {
    if (op.sum) {
      const Value& prev = p.values[static_cast<size_t>(s.sum_value)];
      po.append_sum(op.sum_scale, op.sum_zero_point, to_dnnl(prev.type));
    } else {
      po.append_eltwise(1.f, act_alg(op.act), op.alpha, op.beta);
    }
  }
  attr.set_post_ops(po);

  auto step = std::make_unique<DnnlStep>();
  try {
    memory::desc wmd;
    if (s.inner_product) {
      dnnl::inner_product_forward::desc d(dnnl::prop_kind::forward_inference, src_md, wany, bias_md, dst_md);
      dnnl::inner_product_forward::primitive_desc pd(d, attr, engine());
      step->prim = dnnl::inner_product_forward(pd);
      step->info.kernel = pd.impl_info_str();
      step->scratch_md = pd.scratchpad_desc();
      wmd = pd.weights_desc();
    } else {
      memory::dims dil;
      for (int64_t d : s.dilations) dil.push_back(d - 1);
      dnnl::convolution_forward::desc d(
          dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, src_md, wany, bias_md,
          dst_md, memory::dims(s.strides), dil, memory::dims(s.pads_begin), memory::dims(s.pads_end));
      dnnl::convolution_forward::primitive_desc pd(d, attr, engine());
      step->prim = dnnl::convolution_forward(pd);
      step->info.kernel = pd.impl_info_str();
      step->scratch_md = pd.scratchpad_desc();
      wmd = pd.weights_desc();
    }
    const void* wdata =
        s.int8 ? static_cast<const void*>(s.w_i8.data()) : (s.w_f32_data ? s.w_f32_data : s.w_f32.data());
    step->weights = reorder_weights(wuser, wdata, wmd);
    if (!s.bias.empty()) step->bias = constant_memory(bias_md, s.bias.data());
  } catch (const dnnl::error& e) {
    *why = std::string("oneDNN has no implementation (") + e.what() + ")";
    return nullptr;
  }
  step->src_md = src_md;
  step->dst_md = dst_md;
  step->sum_value = s.sum_value;
  step->ins = {s.src};
  if (s.sum_value >= 0) {
    step->ins.push_back(s.sum_value);
    step->in_place_input = 1;
  }
  step->outs = {s.dst};
  return step;
}

std::unique_ptr<Step> make_pool(const Program& p, const PoolSpec& s, std::string* why) {
  const Value& src = p.values[static_cast<size_t>(s.src)];
  const Value& dst = p.values[static_cast<size_t>(s.dst)];
  memory::desc src_md = activation_md(src), dst_md = activation_md(dst);
  if (!src_md || !dst_md) {
    *why = "unsupported tensor format for oneDNN";
    return nullptr;
  }
  auto alg = s.max ? dnnl::algorithm::pooling_max
                   : (s.exclude_pad ? dnnl::algorithm::pooling_avg_exclude_padding
                                    : dnnl::algorithm::pooling_avg_include_padding);
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  auto step = std::make_unique<DnnlStep>();
  try {
    dnnl::pooling_forward::desc d(dnnl::prop_kind::forward_inference, alg, src_md, dst_md,
                                  memory::dims(s.strides), memory::dims(s.kernel), memory::dims(s.pads_begin),
                                  memory::dims(s.pads_end));
    dnnl::pooling_forward::primitive_desc pd(d, attr, engine());
    step->prim = dnnl::pooling_forward(pd);
    step->info.kernel = pd.impl_info_str();
    step->scratch_md = pd.scratchpad_desc();
  } catch (const dnnl::error& e) {
    *why = std::string("oneDNN has no implementation (") + e.what() + ")";
    return nullptr;
  }
  step->src_md = src_md;
  step->dst_md = dst_md;
  step->ins = {s.src};
  step->outs = {s.dst};
  return step;
}

size_t max_scratchpad(const Program& p) {
  size_t m = 0;
  for (const auto& s : p.steps)
    if (auto* d = dynamic_cast<const DnnlStep*>(s.get())) m = std::max(m, d->scratch_md.get_size());
  return m;
}

// Used by plan.cpp: a stream per request.
void* new_stream() {
  return new dnnl::stream(engine());
}
void delete_stream(void* s) {
  delete static_cast<dnnl::stream*>(s);
}

}  // namespace q8::runtime::fast
