#include "runtime/ref/util.h"

#include "tensor/convert.h"

#include <algorithm>

namespace q8::ref {

Shape strides_of(const Shape& s) {
  Shape st(s.size(), 1);
  for (size_t d = s.size(); d-- > 1;) st[d - 1] = st[d] * s[d];
  return st;
}

int64_t product(const Shape& s, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t d = begin; d < end && d < s.size(); ++d) p *= s[d];
  return p;
}

int64_t normalize_axis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1))
    throw_bad_input("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  return axis < 0 ? axis + rank : axis;
}

std::vector<int64_t> normalize_axes(const std::vector<int64_t>& axes, int64_t rank) {
  std::vector<int64_t> out;
  for (int64_t a : axes) {
    int64_t n = normalize_axis(a, rank);
    if (std::find(out.begin(), out.end(), n) != out.end())
      throw_bad_input("axis " + std::to_string(a) + " is given twice");
    out.push_back(n);
  }
  return out;
}

size_t element_bytes(ElementType t) {
  int bits = type_info(t).bits;
  if (bits < 8) throw_bad_input("element type " + to_string(t) + " is not supported by this kernel");
  return static_cast<size_t>(bits / 8);
}

void expect_inputs(const std::vector<Tensor>& in, size_t count) {
  if (in.size() < count)
    throw_bad_input("expected " + std::to_string(count) + " inputs, got " + std::to_string(in.size()));
}

int64_t scalar_int(const Tensor& t) {
  if (t.size() < 1) throw_bad_input("expected a scalar, got an empty tensor");
  return to_ints(t).at(0);
}

double scalar_of(const Tensor& t) {
  if (t.size() != 1) throw_bad_input("expected a scalar, got shape " + to_string(t.shape()));
  return t.value_as_double(0);
}

Shape broadcast_strides(const Shape& in, const Shape& out) {
  Shape st(out.size(), 0);
  Shape own = strides_of(in);
  size_t shift = out.size() - in.size();
  for (size_t d = 0; d < in.size(); ++d)
    if (in[d] != 1) st[d + shift] = own[d];
  return st;
}

Shape broadcast_or_throw(const Shape& a, const Shape& b) {
  auto s = broadcast_shapes(a, b);
  if (!s) throw_bad_input("shapes " + to_string(a) + " and " + to_string(b) + " do not broadcast");
  return *s;
}

Shape reduced_shape(const Shape& s, const std::vector<int64_t>& axes) {
  Shape r = s;
  for (int64_t a : axes) r[static_cast<size_t>(a)] = 1;
  return r;
}

void split_at_axis(const Shape& s, int64_t axis, int64_t& outer, int64_t& dim, int64_t& inner) {
  auto a = static_cast<size_t>(axis);
  outer = product(s, 0, a);
  dim = s[a];
  inner = product(s, a + 1, s.size());
}

Tensor strided_copy(const Tensor& src, const Shape& out, const Shape& src_strides, int64_t src_offset) {
  Tensor dst(src.type(), out);
  const size_t eb = element_bytes(src.type());
  const std::byte* s = src.bytes();
  std::byte* d = dst.mutable_bytes();
  const int64_t total = num_elements(out);
  Shape idx(out.size(), 0);
  int64_t off = src_offset;
  for (int64_t o = 0; o < total; ++o) {
    std::memcpy(d + o * eb, s + off * eb, eb);
    for (size_t k = out.size(); k-- > 0;) {
      off += src_strides[k];
      if (++idx[k] < out[k]) break;
      off -= src_strides[k] * out[k];
      idx[k] = 0;
    }
  }
  return dst;
}

Tensor reshaped(const Tensor& t, const Shape& shape) {
  if (num_elements(shape) != t.size())
    throw_bad_input("cannot reshape " + to_string(t.shape()) + " to " + to_string(shape));
  return Tensor::from_bytes(t.type(), shape, t.bytes(), t.byte_size());
}

Tensor floats_to_type(const Shape& shape, const std::vector<float>& values, ElementType type) {
  Tensor f = make_f32(shape, values);
  return type == ElementType::kF32 ? f : convert(f, type);
}

}  // namespace q8::ref
