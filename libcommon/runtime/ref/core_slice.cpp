// Slicing and reordering: StridedSlice, Slice-8, Pad, Reverse, ReverseSequence, Roll,
// DepthToSpace, SpaceToDepth, ShuffleChannels, CumSum.
#include <algorithm>
#include <limits>

#include "runtime/ref/families.h"
#include "runtime/ref/util.h"

namespace q8::ref {
namespace {

// One output dim of a slice: `count` elements from `start` stepping by `step`.
struct Range1 {
  int64_t start = 0, step = 1, count = 0;
};

// numpy slice semantics for one dim; `begin`/`end` absent means the full extent.
Range1 slice_dim(int64_t dim, std::optional<int64_t> begin, std::optional<int64_t> end, int64_t step) {
  if (step == 0) throw_bad_input("slice step must not be zero");
  auto norm = [&](int64_t v, int64_t lo, int64_t hi) { return std::clamp(v < 0 ? v + dim : v, lo, hi); };
  Range1 r;
  r.step = step;
  if (step > 0) {
    r.start = begin ? norm(*begin, 0, dim) : 0;
    int64_t e = end ? norm(*end, 0, dim) : dim;
    r.count = std::max<int64_t>(0, (e - r.start + step - 1) / step);
  } else {
    r.start = begin ? norm(*begin, -1, dim - 1) : dim - 1;
    int64_t e = end ? norm(*end, -1, dim - 1) : -1;
    r.count = std::max<int64_t>(0, (r.start - e + (-step) - 1) / (-step));
  }
  return r;
}

// Copies the slice described per input dim by `ranges`, then gives it shape `out`.
Tensor take_ranges(const Tensor& t, const std::vector<Range1>& ranges, const Shape& out) {
  Shape st = strides_of(t.shape()), dims, src_strides;
  int64_t offset = 0;
  for (size_t d = 0; d < ranges.size(); ++d) {
    dims.push_back(ranges[d].count);
    src_strides.push_back(ranges[d].step * st[d]);
    if (ranges[d].count > 0) offset += ranges[d].start * st[d];
  }
  return reshaped(strided_copy(t, dims, src_strides, offset), out);
}

bool mask_at(const std::vector<int64_t>& m, size_t i) {
  return i < m.size() && m[i] != 0;
}

std::vector<Tensor> strided_slice(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 3);
  const Shape& s = in[0].shape();
  std::vector<int64_t> begin = to_ints(in[1]), end = to_ints(in[2]);
  std::vector<int64_t> stride = in.size() > 3 ? to_ints(in[3]) : std::vector<int64_t>(begin.size(), 1);
  if (end.size() != begin.size() || stride.size() != begin.size())
    throw_bad_input("StridedSlice begin, end and stride lengths differ");
  auto bm = n.attr<std::vector<int64_t>>("begin_mask"), em = n.attr<std::vector<int64_t>>("end_mask");
  auto nm = n.attr<std::vector<int64_t>>("new_axis_mask"),
       sm = n.attr<std::vector<int64_t>>("shrink_axis_mask");
  auto elm = n.attr<std::vector<int64_t>>("ellipsis_mask");
  std::vector<Range1> ranges;
  Shape out;
  size_t d = 0;
  for (size_t i = 0; i < begin.size(); ++i) {
    if (mask_at(elm, i)) {
      size_t consumed_after = 0;
      for (size_t j = i + 1; j < begin.size(); ++j) consumed_after += mask_at(nm, j) ? 0 : 1;
      for (; d + consumed_after < s.size(); ++d) {
        ranges.push_back({0, 1, s[d]});
        out.push_back(s[d]);
      }
    } else if (mask_at(nm, i)) {
      out.push_back(1);
    } else {
      if (d >= s.size()) throw_bad_input("StridedSlice has more dims than the data " + to_string(s));
      if (mask_at(sm, i)) {
        int64_t at = begin[i] < 0 ? begin[i] + s[d] : begin[i];
        if (at < 0 || at >= s[d]) throw_bad_input("StridedSlice shrinks to an index outside " + to_string(s));
        ranges.push_back({at, 1, 1});
      } else {
        ranges.push_back(slice_dim(s[d], mask_at(bm, i) ? std::nullopt : std::optional(begin[i]),
                                   mask_at(em, i) ? std::nullopt : std::optional(end[i]), stride[i]));
        out.push_back(ranges.back().count);
      }
      ++d;
    }
  }
  for (; d < s.size(); ++d) {
    ranges.push_back({0, 1, s[d]});
    out.push_back(s[d]);
  }
  return {take_ranges(in[0], ranges, out)};
}

std::vector<Tensor> slice(const Node&, const std::vector<Tensor>& in) {
  expect_inputs(in, 4);
  const Shape& s = in[0].shape();
  std::vector<int64_t> start = to_ints(in[1]), stop = to_ints(in[2]), step = to_ints(in[3]), axes;
  if (in.size() > 4)
    axes = normalize_axes(to_ints(in[4]), static_cast<int64_t>(s.size()));
  else
    for (size_t i = 0; i < start.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  if (stop.size() != start.size() || step.size() != start.size() || axes.size() != start.size())
    throw_bad_input("Slice start, stop, step and axes lengths differ");
  std::vector<Range1> ranges;
  for (int64_t dim : s) ranges.push_back({0, 1, dim});
  for (size_t i = 0; i < axes.size(); ++i) {
    auto a = static_cast<size_t>(axes[i]);
    if (a >= s.size()) throw_bad_input("Slice axis is out of range");
    ranges[a] = slice_dim(s[a], start[i], stop[i], step[i]);
  }
  Shape out;
  for (const auto& r : ranges) out.push_back(r.count);
  return {take_ranges(in[0], ranges, out)};
}

// Source coordinate of output coordinate `c` (already shifted by pads_begin), or -1 for the pad value.
int64_t pad_source(int64_t c, int64_t n, const std::string& mode) {
  if (c >= 0 && c < n) return c;
  if (mode == "constant") return -1;
  if (mode == "edge") return std::clamp<int64_t>(c, 0, n - 1);
  bool symmetric = mode == "symmetric";
  if (c < 0) return symmetric ? -c - 1 : -c;
  return symmetric ? 2 * n - 1 - c : 2 * n - 2 - c;
}

// Negative pads crop; reflect needs pads < dim, symmetric pads <= dim.
std::vector<Tensor> pad(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 3);
  const Shape& s = in[0].shape();
  std::vector<int64_t> pb = to_ints(in[1]), pe = to_ints(in[2]);
  if (pb.size() != s.size() || pe.size() != s.size()) throw_bad_input("Pad pads must have one value per dim");
  std::string mode = n.attr<std::string>("pad_mode");
  Shape out(s.size());
  for (size_t d = 0; d < s.size(); ++d) {
    out[d] = s[d] + pb[d] + pe[d];
    if (out[d] < 0) throw_bad_input("Pad would make a negative dim");
    int64_t limit = mode == "reflect"     ? s[d] - 1
                    : mode == "symmetric" ? s[d]
                                          : std::numeric_limits<int64_t>::max();
    if ((mode != "constant" && s[d] == 0 && out[d] > 0) || std::max(pb[d], pe[d]) > limit)
      throw_bad_input("Pad " + mode + " pads exceed the dims of " + to_string(s));
  }
  Tensor value(in[0].type(), {});
  if (in.size() > 3 && mode == "constant")
    value = reshaped(in[3].type() == in[0].type() ? in[3] : convert(in[3], in[0].type()), {});
  Tensor result(in[0].type(), out);
  Shape st = strides_of(s);
  const size_t eb = element_bytes(in[0].type());
  for_each_index(out, [&](const Shape& idx, int64_t o) {
    int64_t from = 0;
    for (size_t d = 0; d < s.size() && from >= 0; ++d) {
      int64_t c = pad_source(idx[d] - pb[d], s[d], mode);
      from = c < 0 ? -1 : from + c * st[d];
    }
    if (from < 0)
      copy_element(value, 0, result, o, eb);
    else
      copy_element(in[0], from, result, o, eb);
  });
  return {result};
}

std::vector<Tensor> reverse(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  const Shape& s = in[0].shape();
  std::vector<int64_t> axes;
  if (n.attr<std::string>("mode") == "mask") {
    if (in[1].size() != static_cast<int64_t>(s.size()))
      throw_bad_input("Reverse mask needs one value per dim");
    for (size_t d = 0; d < s.size(); ++d)
      if (in[1].value_as_double(static_cast<int64_t>(d)) != 0) axes.push_back(static_cast<int64_t>(d));
  } else {
    axes = normalize_axes(to_ints(in[1]), static_cast<int64_t>(s.size()));
  }
  std::vector<Range1> ranges;
  for (int64_t dim : s) ranges.push_back({0, 1, dim});
  for (int64_t a : axes)
    ranges[static_cast<size_t>(a)] = {s[static_cast<size_t>(a)] - 1, -1, s[static_cast<size_t>(a)]};
  return {take_ranges(in[0], ranges, s)};
}

std::vector<Tensor> reverse_sequence(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 2);
  const Shape& s = in[0].shape();
  auto rank = static_cast<int64_t>(s.size());
  auto b = static_cast<size_t>(normalize_axis(n.attr<int64_t>("batch_axis"), rank));
  auto q = static_cast<size_t>(normalize_axis(n.attr<int64_t>("seq_axis"), rank));
  std::vector<int64_t> lengths = to_ints(in[1]);
  if (static_cast<int64_t>(lengths.size()) != s[b])
    throw_bad_input("ReverseSequence needs one length per batch");
  Shape st = strides_of(s);
  Tensor result(in[0].type(), s);
  const size_t eb = element_bytes(in[0].type());
  for_each_index(s, [&](const Shape& idx, int64_t o) {
    int64_t len = lengths[static_cast<size_t>(idx[b])];
    if (len < 0 || len > s[q])
      throw_bad_input("ReverseSequence length " + std::to_string(len) + " is out of range");
    int64_t c = idx[q] < len ? len - 1 - idx[q] : idx[q];
    copy_element(in[0], o + (c - idx[q]) * st[q], result, o, eb);
  });
  return {result};
}

std::vector<Tensor> roll(const Node&, const std::vector<Tensor>& in) {
  expect_inputs(in, 3);
  const Shape& s = in[0].shape();
  std::vector<int64_t> shift = to_ints(in[1]), raw_axes = to_ints(in[2]);
  if (shift.size() == 1) shift.resize(raw_axes.size(), shift[0]);
  if (shift.size() != raw_axes.size()) throw_bad_input("Roll shift and axes lengths differ");
  Shape total(s.size(), 0);
  for (size_t i = 0; i < raw_axes.size(); ++i)  // repeated axes add up
    total[static_cast<size_t>(normalize_axis(raw_axes[i], static_cast<int64_t>(s.size())))] += shift[i];
  Shape st = strides_of(s);
  Tensor result(in[0].type(), s);
  const size_t eb = element_bytes(in[0].type());
  for_each_index(s, [&](const Shape& idx, int64_t o) {
    int64_t from = 0;
    for (size_t d = 0; d < s.size(); ++d) from += (((idx[d] - total[d]) % s[d] + s[d]) % s[d]) * st[d];
    copy_element(in[0], from, result, o, eb);
  });
  return {result};
}

// DepthToSpace and SpaceToDepth as one index map between [N, C*bs^k, D...] and [N, C, D*bs...].
Tensor depth_space(const Node& n, const Tensor& t, bool to_space) {
  const Shape& s = t.shape();
  if (s.size() < 3) throw_bad_input("DepthToSpace/SpaceToDepth need rank >= 3, got " + to_string(s));
  int64_t bs = n.attr<int64_t>("block_size");
  size_t k = s.size() - 2;
  int64_t blocks = 1;
  for (size_t i = 0; i < k; ++i) blocks *= bs;
  bool blocks_first = n.attr<std::string>("mode") == "blocks_first";
  Shape deep = s, wide = s;  // the channel-heavy and the space-heavy shapes
  if (to_space) {
    if (bs <= 0 || s[1] % blocks != 0)
      throw_bad_input("channels of " + to_string(s) + " do not divide by the blocks");
    for (size_t d = 0; d < k; ++d) wide[2 + d] *= bs;
    wide[1] /= blocks;
  } else {
    for (size_t d = 0; d < k; ++d)
      if (bs <= 0 || s[2 + d] % bs != 0)
        throw_bad_input("spatial dims of " + to_string(s) + " do not divide by the block");
    for (size_t d = 0; d < k; ++d) deep[2 + d] /= bs;
    deep[1] *= blocks;
  }
  Shape deep_st = strides_of(deep);
  int64_t c_small = wide[1];
  Tensor result(t.type(), to_space ? wide : deep);
  const size_t eb = element_bytes(t.type());
  for_each_index(wide, [&](const Shape& w, int64_t wo) {
    int64_t block = 0, off = w[0] * deep_st[0];
    for (size_t d = 0; d < k; ++d) {
      block = block * bs + w[2 + d] % bs;
      off += (w[2 + d] / bs) * deep_st[2 + d];
    }
    int64_t channel = blocks_first ? block * c_small + w[1] : w[1] * blocks + block;
    off += channel * deep_st[1];
    if (to_space)
      copy_element(t, off, result, wo, eb);
    else
      copy_element(t, wo, result, off, eb);
  });
  return result;
}

std::vector<Tensor> depth_to_space(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  return {depth_space(n, in[0], true)};
}
std::vector<Tensor> space_to_depth(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  return {depth_space(n, in[0], false)};
}

std::vector<Tensor> shuffle_channels(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  const Shape& s = in[0].shape();
  int64_t outer, dim, inner;
  split_at_axis(s, normalize_axis(n.attr<int64_t>("axis"), static_cast<int64_t>(s.size())), outer, dim,
                inner);
  int64_t group = n.attr<int64_t>("group");
  if (group <= 0 || dim % group != 0)
    throw_bad_input("ShuffleChannels group does not divide " + to_string(s));
  int64_t per = dim / group;
  Tensor result(in[0].type(), s);
  const size_t eb = element_bytes(in[0].type());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t c = 0; c < dim; ++c) {  // output channel c = i * group + g reads input g * per + i
      int64_t from = (c % group) * per + c / group;
      std::memcpy(result.mutable_bytes() + (o * dim + c) * inner * eb,
                  in[0].bytes() + (o * dim + from) * inner * eb, inner * eb);
    }
  return {result};
}

std::vector<Tensor> cum_sum(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  const Shape& s = in[0].shape();
  int64_t axis = in.size() > 1 ? scalar_int(in[1]) : 0;
  int64_t outer, dim, inner;
  split_at_axis(s, normalize_axis(axis, static_cast<int64_t>(s.size())), outer, dim, inner);
  bool exclusive = n.attr<bool>("exclusive"), rev = n.attr<bool>("reverse");
  Tensor result(in[0].type(), s);
  dispatch_type(in[0].type(), [&](auto tag) {
    using T = decltype(tag);
    const T* x = in[0].data<T>();
    T* y = result.mutable_data<T>();
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < inner; ++i) {
        T acc = 0;
        for (int64_t j = 0; j < dim; ++j) {
          int64_t at = (o * dim + (rev ? dim - 1 - j : j)) * inner + i;
          if (exclusive) y[at] = acc;
          acc = static_cast<T>(acc + x[at]);
          if (!exclusive) y[at] = acc;
        }
      }
  });
  return {result};
}

}  // namespace

void register_slice(KernelTable& t) {
  t.add("StridedSlice", strided_slice);
  t.add("Slice", slice);
  t.add("Pad", pad);
  t.add("Reverse", reverse);
  t.add("ReverseSequence", reverse_sequence);
  t.add("Roll", roll);
  t.add("DepthToSpace", depth_to_space);
  t.add("SpaceToDepth", space_to_depth);
  t.add("ShuffleChannels", shuffle_channels);
  t.add("CumSum", cum_sum);
}

}  // namespace q8::ref
