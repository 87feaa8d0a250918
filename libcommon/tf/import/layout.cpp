#include "tf/import/layout.h"

#include <cstring>

#include "base/error.h"

namespace q8::tffe {

const std::vector<int64_t> kToNchw = {0, 3, 1, 2};
const std::vector<int64_t> kToNhwc = {0, 2, 3, 1};

bool is_nhwc(Context& ctx) {
  std::string f = ctx.attr_string("data_format", "NHWC");
  if (f != "NHWC" && f != "NCHW") ctx.fail("data_format '" + f + "' is not supported (NHWC and NCHW are)");
  return f == "NHWC";
}

Tensor permuted(const Tensor& t, const std::vector<int64_t>& perm) {
  const Shape& in = t.shape();
  size_t rank = in.size();
  if (perm.size() != rank) throw_internal("permutation rank does not match the tensor");
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) out[i] = in[static_cast<size_t>(perm[i])];
  // stride[i]: elements of the input skipped by one step along output dim i.
  std::vector<int64_t> stride(rank, 1);
  for (size_t i = 0; i < rank; ++i)
    for (auto j = static_cast<size_t>(perm[i]) + 1; j < rank; ++j) stride[i] *= in[j];
  Tensor r(t.type(), out);
  size_t elem = t.size() ? t.byte_size() / static_cast<size_t>(t.size()) : 0;
  std::vector<int64_t> idx(rank, 0);
  for (int64_t o = 0; o < t.size(); ++o) {
    int64_t src = 0;
    for (size_t i = 0; i < rank; ++i) src += idx[i] * stride[i];
    std::memcpy(r.mutable_bytes() + static_cast<size_t>(o) * elem,
                t.bytes() + static_cast<size_t>(src) * elem, elem);
    for (size_t i = rank; i-- > 0;) {
      if (++idx[i] < out[i]) break;
      idx[i] = 0;
    }
  }
  return r;
}

Output transpose(Context& ctx, Output x, const std::vector<int64_t>& perm) {
  if (x.node->type() == "Const") return ctx.constant(permuted(x.node->value, perm));
  return ctx.op("Transpose", {x, ctx.const_i64(perm)});
}

Output to_nchw(Context& ctx, Output x, bool nhwc) {
  if (ctx.rank_of(x, "(a 4-D NHWC or NCHW tensor)") != 4) ctx.fail("expected a 4-D input");
  return nhwc ? transpose(ctx, x, kToNchw) : x;
}

Output from_nchw(Context& ctx, Output y, bool nhwc) {
  return nhwc ? transpose(ctx, y, kToNhwc) : y;
}

std::vector<int64_t> spatial_pair(Context& ctx, const std::string& attr, bool nhwc) {
  std::vector<int64_t> v = ctx.attr_ints(attr, {1, 1, 1, 1});
  if (v.size() != 4) ctx.fail("attribute '" + attr + "' must have 4 values, got " + std::to_string(v.size()));
  return nhwc ? std::vector<int64_t>{v[1], v[2]} : std::vector<int64_t>{v[2], v[3]};
}

Attrs padding_attrs(Context& ctx, bool nhwc) {
  std::string padding = ctx.attr_string("padding", "");
  std::vector<int64_t> begin = {0, 0}, end = {0, 0};
  if (padding == "SAME")
    return {{"auto_pad", std::string("same_upper")}, {"pads_begin", begin}, {"pads_end", end}};
  if (padding == "VALID")
    return {{"auto_pad", std::string("valid")}, {"pads_begin", begin}, {"pads_end", end}};
  if (padding != "EXPLICIT")
    ctx.fail("padding '" + padding + "' is not supported (SAME, VALID, EXPLICIT are)");
  // explicit_paddings: (before, after) for each of the four dims in data_format order.
  std::vector<int64_t> p = ctx.attr_ints("explicit_paddings");
  if (p.size() != 8) ctx.fail("explicit_paddings must have 8 values, got " + std::to_string(p.size()));
  size_t h = nhwc ? 1 : 2;
  begin = {p[2 * h], p[2 * (h + 1)]};
  end = {p[2 * h + 1], p[2 * (h + 1) + 1]};
  return {{"auto_pad", std::string("explicit")}, {"pads_begin", begin}, {"pads_end", end}};
}

}  // namespace q8::tffe
