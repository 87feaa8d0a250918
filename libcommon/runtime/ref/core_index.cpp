// Indexing ops: Gather-1/7/8, GatherND-5/8, GatherElements, ScatterUpdate,
// ScatterElementsUpdate, ScatterNDUpdate, OneHot, NonZero. An index outside its
// dimension is a bad-input error; negative indices count from the end where the
// spec allows them.
#include <algorithm>

#include "runtime/ref/families.h"
#include "runtime/ref/util.h"

namespace q8::ref {
namespace {

int64_t checked_index(int64_t i, int64_t dim, bool allow_negative) {
  if (allow_negative && i < 0) i += dim;
  if (i < 0 || i >= dim)
    throw_bad_input("index " + std::to_string(i) + " is out of range for a dimension of " +
                    std::to_string(dim));
  return i;
}

std::vector<Tensor> gather(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 3);
  const Shape& ds = in[0].shape();
  const Shape& is = in[1].shape();
  std::vector<int64_t> idx = to_ints(in[1]);
  int64_t rank = static_cast<int64_t>(ds.size());
  int64_t axis = normalize_axis(scalar_int(in[2]), rank);
  int64_t b = n.def().opset >= 7 ? n.attr<int64_t>("batch_dims") : 0;
  if (b < 0) b += static_cast<int64_t>(is.size());
  if (b < 0 || b > axis || b > static_cast<int64_t>(is.size()))
    throw_bad_input("Gather batch_dims is out of range");
  for (int64_t d = 0; d < b; ++d)
    if (ds[d] != is[d])
      throw_bad_input("Gather batch dims of " + to_string(ds) + " and " + to_string(is) + " differ");
  auto a = static_cast<size_t>(axis);
  int64_t batch = product(ds, 0, b), pre = product(ds, b, a), dim = ds[a],
          post = product(ds, a + 1, ds.size());
  int64_t per_batch = product(is, b, is.size());
  Shape out(ds.begin(), ds.begin() + axis);
  out.insert(out.end(), is.begin() + b, is.end());
  out.insert(out.end(), ds.begin() + axis + 1, ds.end());
  Tensor result(in[0].type(), out);
  const size_t eb = element_bytes(in[0].type());
  bool negative_ok = n.def().opset >= 8;
  for (int64_t bi = 0; bi < batch; ++bi)
    for (int64_t p = 0; p < pre; ++p)
      for (int64_t j = 0; j < per_batch; ++j) {
        int64_t at = checked_index(idx[bi * per_batch + j], dim, negative_ok);
        const std::byte* src = in[0].bytes() + (((bi * pre + p) * dim + at) * post) * eb;
        std::memcpy(result.mutable_bytes() + (((bi * pre + p) * per_batch + j) * post) * eb, src, post * eb);
      }
  return {result};
}

// GatherND-5 flattens the batch dims of the output into one; -8 keeps them.
std::vector<Tensor> gather_nd(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  const Shape& ds = in[0].shape();
  const Shape& is = in[1].shape();
  auto b = static_cast<size_t>(n.attr<int64_t>("batch_dims"));
  if (is.empty() || b >= is.size() || b > ds.size())
    throw_bad_input("GatherND indices " + to_string(is) + " are invalid");
  auto k = static_cast<size_t>(is.back());
  if (b + k > ds.size()) throw_bad_input("GatherND index depth exceeds the data rank of " + to_string(ds));
  for (size_t d = 0; d < b; ++d)
    if (ds[d] != is[d])
      throw_bad_input("GatherND batch dims of " + to_string(ds) + " and " + to_string(is) + " differ");
  std::vector<int64_t> idx = to_ints(in[1]);
  int64_t batch = product(ds, 0, b), per_batch = product(is, b, is.size() - 1);
  int64_t slice = product(ds, b + k, ds.size());
  Shape st = strides_of(ds);
  Shape out;
  if (n.def().opset >= 8)
    out.assign(is.begin(), is.begin() + static_cast<int64_t>(b));
  else if (b > 0)
    out.push_back(batch);
  out.insert(out.end(), is.begin() + static_cast<int64_t>(b), is.end() - 1);
  out.insert(out.end(), ds.begin() + static_cast<int64_t>(b + k), ds.end());
  Tensor result(in[0].type(), out);
  const size_t eb = element_bytes(in[0].type());
  int64_t batch_stride = b > 0 ? st[b - 1] : 0;
  for (int64_t bi = 0; bi < batch; ++bi)
    for (int64_t j = 0; j < per_batch; ++j) {
      int64_t from = bi * batch_stride;
      const int64_t* tuple = idx.data() + (bi * per_batch + j) * static_cast<int64_t>(k);
      for (size_t d = 0; d < k; ++d) from += checked_index(tuple[d], ds[b + d], true) * st[b + d];
      std::memcpy(result.mutable_bytes() + (bi * per_batch + j) * slice * eb, in[0].bytes() + from * eb,
                  slice * eb);
    }
  return {result};
}

// Offset into `data` of `idx` with the axis coordinate replaced by `at`.
int64_t offset_with(const Shape& idx, const Shape& strides, size_t axis, int64_t at) {
  int64_t off = 0;
  for (size_t d = 0; d < idx.size(); ++d) off += (d == axis ? at : idx[d]) * strides[d];
  return off;
}

void check_same_rank(const Shape& a, const Shape& b, const char* what) {
  if (a.size() != b.size())
    throw_bad_input(std::string(what) + ": ranks of " + to_string(a) + " and " + to_string(b) + " differ");
}

std::vector<Tensor> gather_elements(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  const Shape& ds = in[0].shape();
  const Shape& is = in[1].shape();
  check_same_rank(ds, is, "GatherElements");
  auto axis = static_cast<size_t>(normalize_axis(n.attr<int64_t>("axis"), static_cast<int64_t>(ds.size())));
  std::vector<int64_t> idx = to_ints(in[1]);
  Shape st = strides_of(ds);
  Tensor result(in[0].type(), is);
  const size_t eb = element_bytes(in[0].type());
  for_each_index(is, [&](const Shape& i, int64_t o) {
    copy_element(in[0], offset_with(i, st, axis, checked_index(idx[o], ds[axis], true)), result, o, eb);
  });
  return {result};
}

std::vector<Tensor> scatter_update(const Node&, const std::vector<Tensor>& in) {
  expect_inputs(in, 4);
  const Shape& ds = in[0].shape();
  auto axis = static_cast<size_t>(normalize_axis(scalar_int(in[3]), static_cast<int64_t>(ds.size())));
  std::vector<int64_t> idx = to_ints(in[1]);
  Shape expected(ds.begin(), ds.begin() + static_cast<int64_t>(axis));
  expected.insert(expected.end(), in[1].shape().begin(), in[1].shape().end());
  expected.insert(expected.end(), ds.begin() + static_cast<int64_t>(axis) + 1, ds.end());
  if (in[2].shape() != expected)
    throw_bad_input("ScatterUpdate updates must have shape " + to_string(expected) + ", got " +
                    to_string(in[2].shape()));
  Tensor result = in[0].clone();
  Tensor updates = in[2].type() == in[0].type() ? in[2] : convert(in[2], in[0].type());
  const size_t eb = element_bytes(in[0].type());
  int64_t pre = product(ds, 0, axis), post = product(ds, axis + 1, ds.size()), count = in[1].size();
  for (int64_t p = 0; p < pre; ++p)
    for (int64_t j = 0; j < count; ++j) {
      int64_t at = checked_index(idx[j], ds[axis], true);
      std::memcpy(result.mutable_bytes() + ((p * ds[axis] + at) * post) * eb,
                  updates.bytes() + ((p * count + j) * post) * eb, post * eb);
    }
  return {result};
}

std::vector<Tensor> scatter_elements_update(const Node&, const std::vector<Tensor>& in) {
  expect_inputs(in, 4);
  const Shape& ds = in[0].shape();
  const Shape& is = in[1].shape();
  check_same_rank(ds, is, "ScatterElementsUpdate");
  if (in[2].shape() != is) throw_bad_input("ScatterElementsUpdate updates and indices shapes differ");
  auto axis = static_cast<size_t>(normalize_axis(scalar_int(in[3]), static_cast<int64_t>(ds.size())));
  std::vector<int64_t> idx = to_ints(in[1]);
  Shape st = strides_of(ds);
  Tensor result = in[0].clone();
  Tensor updates = in[2].type() == in[0].type() ? in[2] : convert(in[2], in[0].type());
  const size_t eb = element_bytes(in[0].type());
  for_each_index(is, [&](const Shape& i, int64_t o) {
    for (size_t d = 0; d < i.size(); ++d)
      if (d != axis && i[d] >= ds[d]) throw_bad_input("ScatterElementsUpdate indices exceed the data shape");
    copy_element(updates, o, result, offset_with(i, st, axis, checked_index(idx[o], ds[axis], true)), eb);
  });
  return {result};
}

std::vector<Tensor> scatter_nd_update(const Node&, const std::vector<Tensor>& in) {
  expect_inputs(in, 3);
  const Shape& ds = in[0].shape();
  const Shape& is = in[1].shape();
  if (is.empty() || is.back() > static_cast<int64_t>(ds.size()))
    throw_bad_input("ScatterNDUpdate indices " + to_string(is) + " do not fit data " + to_string(ds));
  auto k = static_cast<size_t>(is.back());
  std::vector<int64_t> idx = to_ints(in[1]);
  int64_t count = product(is, 0, is.size() - 1), slice = product(ds, k, ds.size());
  if (in[2].size() != count * slice) throw_bad_input("ScatterNDUpdate updates have the wrong size");
  Shape st = strides_of(ds);
  Tensor result = in[0].clone();
  Tensor updates = in[2].type() == in[0].type() ? in[2] : convert(in[2], in[0].type());
  const size_t eb = element_bytes(in[0].type());
  for (int64_t j = 0; j < count; ++j) {
    int64_t to = 0;
    for (size_t d = 0; d < k; ++d)
      to += checked_index(idx[j * static_cast<int64_t>(k) + d], ds[d], true) * st[d];
    std::memcpy(result.mutable_bytes() + to * eb, updates.bytes() + j * slice * eb, slice * eb);
  }
  return {result};
}

// Indices outside [0, depth) give an all-off row; negative ones count from the end.
std::vector<Tensor> one_hot(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 4);
  const Shape& is = in[0].shape();
  int64_t depth = scalar_int(in[1]);
  if (depth < 0) throw_bad_input("OneHot depth must not be negative");
  auto axis =
      static_cast<size_t>(normalize_axis(n.attr<int64_t>("axis"), static_cast<int64_t>(is.size()) + 1));
  const Tensor& on = in[2];
  Tensor off = in[3].type() == on.type() ? in[3] : convert(in[3], on.type());
  if (on.size() != 1 || off.size() != 1) throw_bad_input("OneHot on/off values must be scalars");
  Shape out = is;
  out.insert(out.begin() + static_cast<int64_t>(axis), depth);
  std::vector<int64_t> idx = to_ints(in[0]);
  Tensor result(on.type(), out);
  const size_t eb = element_bytes(on.type());
  int64_t pre = product(is, 0, axis), post = product(is, axis, is.size());
  for (int64_t p = 0; p < pre; ++p)
    for (int64_t d = 0; d < depth; ++d)
      for (int64_t q = 0; q < post; ++q) {
        int64_t v = idx[p * post + q];
        if (v < 0) v += depth;
        copy_element(v == d ? on : off, 0, result, (p * depth + d) * post + q, eb);
      }
  return {result};
}

std::vector<Tensor> non_zero(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  const Shape& s = in[0].shape();
  std::vector<Shape> hits;
  for_each_index(s, [&](const Shape& i, int64_t o) {
    if (in[0].value_as_double(o) != 0) hits.push_back(i);
  });
  auto count = static_cast<int64_t>(hits.size());
  std::vector<int64_t> values(s.size() * hits.size());
  for (size_t d = 0; d < s.size(); ++d)
    for (size_t h = 0; h < hits.size(); ++h) values[d * hits.size() + h] = hits[h][d];
  return {
      convert(make_i64({static_cast<int64_t>(s.size()), count}, values), n.attr<ElementType>("output_type"))};
}

}  // namespace

void register_index(KernelTable& t) {
  t.add("Gather", gather);
  t.add("GatherND", gather_nd);
  t.add("GatherElements", gather_elements);
  t.add("ScatterUpdate", scatter_update);
  t.add("ScatterElementsUpdate", scatter_elements_update);
  t.add("ScatterNDUpdate", scatter_nd_update);
  t.add("OneHot", one_hot);
  t.add("NonZero", non_zero);
}

}  // namespace q8::ref
