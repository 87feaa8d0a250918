// Normalizations: BatchNormInference-1/-5, LRN, MVN-1/-6, NormalizeL2, SoftMax-1/-8, LogSoftmax.
#include <cmath>

#include "runtime/ref/families.h"
#include "runtime/ref/util.h"

namespace q8::ref {
namespace {

// Input order differs between versions: opset1 is (gamma, beta, data, mean, variance).
std::vector<Tensor> batch_norm(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 5);
  bool v1 = n.def().opset < 5;
  const Tensor& data = v1 ? in[2] : in[0];
  std::vector<float> gamma = to_floats(v1 ? in[0] : in[1]), beta = to_floats(v1 ? in[1] : in[2]);
  std::vector<float> mean = to_floats(in[3]), var = to_floats(in[4]);
  const Shape& s = data.shape();
  if (s.size() < 2) throw_bad_input("BatchNormInference needs rank >= 2, got " + to_string(s));
  int64_t outer, c, inner;
  split_at_axis(s, 1, outer, c, inner);
  for (const auto* v : {&gamma, &beta, &mean, &var})
    if (static_cast<int64_t>(v->size()) != c)
      throw_bad_input("BatchNormInference parameters must have " + std::to_string(c) + " values");
  double eps = n.attr<double>("epsilon");
  std::vector<float> x = to_floats(data);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t k = 0; k < c; ++k) {
      float scale = static_cast<float>(gamma[k] / std::sqrt(var[k] + eps));
      float* p = x.data() + (o * c + k) * inner;
      for (int64_t i = 0; i < inner; ++i) p[i] = (p[i] - mean[k]) * scale + beta[k];
    }
  return {floats_to_type(s, x, data.type())};
}

// Sums of `v` over windows [i - (size-1)/2, i + size/2] along one axis (clipped to the tensor).
void window_sum(std::vector<double>& v, const Shape& s, int64_t axis, int64_t size) {
  int64_t outer, dim, inner;
  split_at_axis(s, axis, outer, dim, inner);
  std::vector<double> line(static_cast<size_t>(dim));
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      double* p = v.data() + o * dim * inner + i;
      for (int64_t d = 0; d < dim; ++d) line[d] = p[d * inner];
      for (int64_t d = 0; d < dim; ++d) {
        double sum = 0;
        for (int64_t j = std::max<int64_t>(0, d - (size - 1) / 2); j < std::min(dim, d + size / 2 + 1); ++j)
          sum += line[j];
        p[d * inner] = sum;
      }
    }
}

// The region is a box over `axes`, so its sum is separable: one 1-D window sum per axis.
std::vector<Tensor> lrn(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  const Shape& s = in[0].shape();
  auto axes = normalize_axes(to_ints(in[1]), static_cast<int64_t>(s.size()));
  int64_t size = n.attr<int64_t>("size");
  double alpha = n.attr<double>("alpha"), beta = n.attr<double>("beta"), bias = n.attr<double>("bias");
  std::vector<float> x = to_floats(in[0]);
  std::vector<double> sq(x.size());
  for (size_t i = 0; i < x.size(); ++i) sq[i] = double(x[i]) * x[i];
  for (int64_t a : axes) window_sum(sq, s, a, size);
  double scale = alpha / std::pow(static_cast<double>(size), static_cast<double>(axes.size()));
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<float>(x[i] / std::pow(bias + scale * sq[i], beta));
  return {floats_to_type(s, x, in[0].type())};
}

// Mean (and variance) over `axes`; eps inside or outside the square root.
Tensor mvn(const Tensor& t, const std::vector<int64_t>& axes, bool normalize_variance, double eps,
           bool inside) {
  const Shape& s = t.shape();
  Shape rs = reduced_shape(s, axes);
  std::vector<float> x = to_floats(t);
  int64_t count = num_elements(s) / std::max<int64_t>(num_elements(rs), 1);
  std::vector<double> mean(static_cast<size_t>(num_elements(rs))), var(mean.size());
  for_each_broadcast<1>(s, {rs}, [&](int64_t o, const std::array<int64_t, 1>& r) { mean[r[0]] += x[o]; });
  for (auto& m : mean) m /= static_cast<double>(count);
  for_each_broadcast<1>(s, {rs}, [&](int64_t o, const std::array<int64_t, 1>& r) {
    double d = x[o] - mean[r[0]];
    var[r[0]] += d * d;
  });
  for (auto& v : var) {
    v /= static_cast<double>(count);
    v = inside ? std::sqrt(v + eps) : std::sqrt(v) + eps;
  }
  for_each_broadcast<1>(s, {rs}, [&](int64_t o, const std::array<int64_t, 1>& r) {
    double d = x[o] - mean[r[0]];
    x[o] = static_cast<float>(normalize_variance ? d / var[r[0]] : d);
  });
  return floats_to_type(s, x, t.type());
}

std::vector<Tensor> mvn_kernel(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  int64_t rank = static_cast<int64_t>(in[0].shape().size());
  std::vector<int64_t> axes;
  if (n.def().opset >= 6) {
    expect_inputs(in, 2);
    axes = normalize_axes(to_ints(in[1]), rank);
    return {mvn(in[0], axes, n.attr<bool>("normalize_variance"), n.attr<double>("eps"),
                n.attr<std::string>("eps_mode") == "inside_sqrt")};
  }
  axes = n.attr<std::vector<int64_t>>("reduction_axes");
  if (axes.empty())
    for (int64_t a = n.attr<bool>("across_channels") ? 1 : 2; a < rank; ++a) axes.push_back(a);
  axes = normalize_axes(axes, rank);
  return {mvn(in[0], axes, n.attr<bool>("normalize_variance"), n.attr<double>("eps"), true)};
}

std::vector<Tensor> normalize_l2(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  const Shape& s = in[0].shape();
  auto axes = normalize_axes(to_ints(in[1]), static_cast<int64_t>(s.size()));
  Shape rs = reduced_shape(s, axes);
  std::vector<float> x = to_floats(in[0]);
  std::vector<double> sum(static_cast<size_t>(num_elements(rs)));
  for_each_broadcast<1>(
      s, {rs}, [&](int64_t o, const std::array<int64_t, 1>& r) { sum[r[0]] += double(x[o]) * x[o]; });
  double eps = n.attr<double>("eps");
  bool add = n.attr<std::string>("eps_mode") == "add";
  for (auto& v : sum) v = std::sqrt(add ? v + eps : std::max(v, eps));
  for_each_broadcast<1>(s, {rs}, [&](int64_t o, const std::array<int64_t, 1>& r) {
    x[o] = static_cast<float>(x[o] / sum[r[0]]);
  });
  return {floats_to_type(s, x, in[0].type())};
}

std::vector<Tensor> softmax_impl(const Node& n, const std::vector<Tensor>& in, bool log) {
  expect_inputs(in, 1);
  const Shape& s = in[0].shape();
  int64_t outer, dim, inner;
  split_at_axis(s, normalize_axis(n.attr<int64_t>("axis"), static_cast<int64_t>(s.size())), outer, dim,
                inner);
  if (dim == 0) return {in[0]};
  std::vector<float> x = to_floats(in[0]);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      float* p = x.data() + o * dim * inner + i;
      float mx = p[0];
      for (int64_t d = 1; d < dim; ++d) mx = std::max(mx, p[d * inner]);
      double sum = 0;
      for (int64_t d = 0; d < dim; ++d) sum += std::exp(double(p[d * inner]) - mx);
      for (int64_t d = 0; d < dim; ++d)
        p[d * inner] = static_cast<float>(log ? p[d * inner] - mx - std::log(sum)
                                              : std::exp(double(p[d * inner]) - mx) / sum);
    }
  return {floats_to_type(s, x, in[0].type())};
}

std::vector<Tensor> softmax(const Node& n, const std::vector<Tensor>& in) {
  return softmax_impl(n, in, false);
}
std::vector<Tensor> log_softmax(const Node& n, const std::vector<Tensor>& in) {
  return softmax_impl(n, in, true);
}

}  // namespace

void register_norm(KernelTable& t) {
  t.add("BatchNormInference", batch_norm);
  t.add("LRN", lrn);
  t.add("MVN", mvn_kernel);
  t.add("NormalizeL2", normalize_l2);
  t.add("SoftMax", softmax);
  t.add("LogSoftmax", log_softmax);
}

}  // namespace q8::ref
