// Shape and layout ops: ShapeOf, Reshape, Squeeze, Unsqueeze, Transpose, Concat, Split,
// VariadicSplit, Tile, Broadcast-1/-3, Range-1/-4. They move bytes, so any element type works.
#include <algorithm>
#include <cmath>

#include "runtime/ref/families.h"
#include "runtime/ref/util.h"

namespace q8::ref {
namespace {

std::vector<Tensor> shape_of(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  const Shape& s = in[0].shape();
  Tensor out = make_i64({static_cast<int64_t>(s.size())}, s);
  ElementType type = n.def().opset >= 3 ? n.attr<ElementType>("output_type") : ElementType::kI64;
  return {convert(out, type)};
}

// special_zero: a 0 copies the input dim at that index; one -1 takes what is left.
std::vector<Tensor> reshape(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  const Shape& s = in[0].shape();
  Shape target = to_ints(in[1]);
  bool special_zero = n.attr<bool>("special_zero");
  int64_t known = 1, infer_at = -1;
  for (size_t d = 0; d < target.size(); ++d) {
    if (target[d] == 0 && special_zero) {
      if (d >= s.size()) throw_bad_input("Reshape copies dim " + std::to_string(d) + " of " + to_string(s));
      target[d] = s[d];
    }
    if (target[d] == -1) {
      if (infer_at >= 0) throw_bad_input("Reshape pattern has more than one -1");
      infer_at = static_cast<int64_t>(d);
    } else if (target[d] < 0) {
      throw_bad_input("Reshape pattern has a negative dim " + std::to_string(target[d]));
    } else {
      known *= target[d];
    }
  }
  if (infer_at >= 0) {
    if (known == 0 || in[0].size() % known != 0)
      throw_bad_input("cannot reshape " + to_string(s) + " to " + to_string(to_ints(in[1])));
    target[static_cast<size_t>(infer_at)] = in[0].size() / known;
  }
  return {reshaped(in[0], target)};
}

std::vector<Tensor> squeeze(const Node&, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  const Shape& s = in[0].shape();
  std::vector<int64_t> axes;
  if (in.size() > 1) axes = normalize_axes(to_ints(in[1]), static_cast<int64_t>(s.size()));
  Shape out;
  for (size_t d = 0; d < s.size(); ++d) {
    bool listed = std::find(axes.begin(), axes.end(), static_cast<int64_t>(d)) != axes.end();
    if (listed && s[d] != 1)
      throw_bad_input("Squeeze axis " + std::to_string(d) + " of " + to_string(s) + " is not 1");
    if (!(listed || (in.size() < 2 && s[d] == 1))) out.push_back(s[d]);
  }
  return {reshaped(in[0], out)};
}

std::vector<Tensor> unsqueeze(const Node&, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  const Shape& s = in[0].shape();
  std::vector<int64_t> raw = to_ints(in[1]);
  auto axes = normalize_axes(raw, static_cast<int64_t>(s.size() + raw.size()));
  std::sort(axes.begin(), axes.end());
  Shape out = s;
  for (int64_t a : axes) out.insert(out.begin() + a, 1);
  return {reshaped(in[0], out)};
}

std::vector<Tensor> transpose(const Node&, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  const Shape& s = in[0].shape();
  std::vector<int64_t> order = to_ints(in[1]);
  if (order.empty())
    for (size_t d = s.size(); d-- > 0;) order.push_back(static_cast<int64_t>(d));
  if (order.size() != s.size())
    throw_bad_input("Transpose order " + to_string(order) + " does not fit " + to_string(s));
  order = normalize_axes(order, static_cast<int64_t>(s.size()));
  Shape st = strides_of(s), out(s.size()), src_strides(s.size());
  for (size_t d = 0; d < s.size(); ++d) {
    out[d] = s[static_cast<size_t>(order[d])];
    src_strides[d] = st[static_cast<size_t>(order[d])];
  }
  return {strided_copy(in[0], out, src_strides)};
}

std::vector<Tensor> concat(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  Shape out = in[0].shape();
  int64_t axis = normalize_axis(n.attr<int64_t>("axis"), static_cast<int64_t>(out.size()));
  auto a = static_cast<size_t>(axis);
  out[a] = 0;
  for (const Tensor& t : in) {
    const Shape& s = t.shape();
    bool fits = s.size() == out.size() && t.type() == in[0].type();
    for (size_t d = 0; fits && d < s.size(); ++d) fits = d == a || s[d] == out[d];
    if (!fits)
      throw_bad_input("Concat inputs " + to_string(in[0].shape()) + " and " + to_string(s) + " do not match");
    out[a] += s[a];
  }
  Tensor result(in[0].type(), out);
  const size_t eb = element_bytes(in[0].type());
  int64_t outer = product(out, 0, a), inner = product(out, a + 1, out.size());
  int64_t row = out[a] * inner, at = 0;
  for (const Tensor& t : in) {
    int64_t chunk = t.shape()[a] * inner;
    for (int64_t o = 0; o < outer; ++o)
      std::memcpy(result.mutable_bytes() + (o * row + at) * eb, t.bytes() + o * chunk * eb, chunk * eb);
    at += chunk;
  }
  return {result};
}

// Cuts `t` along `axis` into pieces of the given lengths.
std::vector<Tensor> split_lengths(const Tensor& t, int64_t axis, const std::vector<int64_t>& lengths) {
  const Shape& s = t.shape();
  auto a = static_cast<size_t>(axis);
  const size_t eb = element_bytes(t.type());
  int64_t outer = product(s, 0, a), inner = product(s, a + 1, s.size()), at = 0;
  std::vector<Tensor> outs;
  for (int64_t len : lengths) {
    Shape ps = s;
    ps[a] = len;
    Tensor piece(t.type(), ps);
    for (int64_t o = 0; o < outer; ++o)
      std::memcpy(piece.mutable_bytes() + o * len * inner * eb, t.bytes() + (o * s[a] + at) * inner * eb,
                  len * inner * eb);
    at += len;
    outs.push_back(piece);
  }
  return outs;
}

std::vector<Tensor> split(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  const Shape& s = in[0].shape();
  int64_t axis = normalize_axis(scalar_int(in[1]), static_cast<int64_t>(s.size()));
  int64_t parts = n.attr<int64_t>("num_splits");
  if (parts <= 0 || s[axis] % parts != 0)
    throw_bad_input("Split of dim " + std::to_string(s[axis]) + " into " + std::to_string(parts) +
                    " equal parts");
  return split_lengths(in[0], axis, std::vector<int64_t>(static_cast<size_t>(parts), s[axis] / parts));
}

std::vector<Tensor> variadic_split(const Node&, const std::vector<Tensor>& in) {
  expect_inputs(in, 3);
  const Shape& s = in[0].shape();
  int64_t axis = normalize_axis(scalar_int(in[1]), static_cast<int64_t>(s.size()));
  std::vector<int64_t> lengths = to_ints(in[2]);
  int64_t known = 0, infer_at = -1;
  for (size_t i = 0; i < lengths.size(); ++i) {
    if (lengths[i] == -1 && infer_at < 0)
      infer_at = static_cast<int64_t>(i);
    else if (lengths[i] < 0)
      throw_bad_input("VariadicSplit lengths " + to_string(lengths) + " are invalid");
    else
      known += lengths[i];
  }
  if (infer_at >= 0) lengths[static_cast<size_t>(infer_at)] = s[axis] - known;
  if ((infer_at >= 0 && known > s[axis]) || (infer_at < 0 && known != s[axis]))
    throw_bad_input("VariadicSplit lengths " + to_string(to_ints(in[2])) + " do not add up to " +
                    std::to_string(s[axis]));
  return split_lengths(in[0], axis, lengths);
}

std::vector<Tensor> tile(const Node&, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  Shape s = in[0].shape();
  std::vector<int64_t> reps = to_ints(in[1]);
  while (reps.size() < s.size()) reps.insert(reps.begin(), 1);
  while (s.size() < reps.size()) s.insert(s.begin(), 1);
  Shape out(s.size());
  for (size_t d = 0; d < s.size(); ++d) {
    if (reps[d] < 0) throw_bad_input("Tile repeats must not be negative");
    out[d] = s[d] * reps[d];
  }
  Tensor src = reshaped(in[0], s), result(in[0].type(), out);
  Shape st = strides_of(s);
  const size_t eb = element_bytes(src.type());
  for_each_index(out, [&](const Shape& idx, int64_t o) {
    int64_t from = 0;
    for (size_t d = 0; d < s.size(); ++d) from += (idx[d] % s[d]) * st[d];
    copy_element(src, from, result, o, eb);
  });
  return {result};
}

// Broadcast modes: numpy (data must broadcast to the target), bidirectional (both ways),
// explicit (axes_mapping puts data dims at output axes).
std::vector<Tensor> broadcast(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  Shape data = in[0].shape(), target = to_ints(in[1]);
  std::string mode = n.attr<std::string>("mode");
  Shape out;
  if (mode == "explicit") {
    expect_inputs(in, 3);
    std::vector<int64_t> mapping = to_ints(in[2]);
    if (mapping.size() != data.size())
      throw_bad_input("Broadcast axes_mapping does not fit " + to_string(data));
    Shape aligned(target.size(), 1);
    for (size_t i = 0; i < mapping.size(); ++i) {
      if (mapping[i] < 0 || mapping[i] >= static_cast<int64_t>(target.size()) ||
          (data[i] != 1 && data[i] != target[static_cast<size_t>(mapping[i])]))
        throw_bad_input("Broadcast axes_mapping " + to_string(mapping) + " does not fit " +
                        to_string(target));
      aligned[static_cast<size_t>(mapping[i])] = data[i];
    }
    data = aligned;
    out = target;
  } else if (mode == "bidirectional") {
    out = broadcast_or_throw(data, target);
  } else {
    out = broadcast_or_throw(data, target);
    if (out != target) throw_bad_input("cannot broadcast " + to_string(data) + " to " + to_string(target));
  }
  return {strided_copy(reshaped(in[0], data), out, broadcast_strides(data, out))};
}

std::vector<Tensor> range(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 3);
  double start = scalar_of(in[0]), stop = scalar_of(in[1]), step = scalar_of(in[2]);
  ElementType type = n.def().opset >= 4 ? n.attr<ElementType>("output_type") : in[0].type();
  if (!type_info(type).is_float) {  // integer ranges count in the output type's values
    start = std::trunc(start);
    stop = std::trunc(stop);
    step = std::trunc(step);
  }
  if (step == 0) throw_bad_input("Range step must not be zero");
  int64_t count = std::max<int64_t>(0, static_cast<int64_t>(std::ceil((stop - start) / step)));
  std::vector<double> values(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) values[i] = start + static_cast<double>(i) * step;
  Tensor out(type == ElementType::kF16 || type == ElementType::kBF16 ? ElementType::kF32 : type, {count});
  dispatch_type(out.type(), [&](auto tag) {
    using T = decltype(tag);
    for (int64_t i = 0; i < count; ++i) out.mutable_data<T>()[i] = saturate_cast<T>(values[i]);
  });
  return {convert(out, type)};
}

}  // namespace

void register_shape(KernelTable& t) {
  t.add("ShapeOf", shape_of);
  t.add("Reshape", reshape);
  t.add("Squeeze", squeeze);
  t.add("Unsqueeze", unsqueeze);
  t.add("Transpose", transpose);
  t.add("Concat", concat);
  t.add("Split", split);
  t.add("VariadicSplit", variadic_split);
  t.add("Tile", tile);
  t.add("Broadcast", broadcast);
  t.add("Range", range);
}

}  // namespace q8::ref
