// Pad/PadV2/MirrorPad, ConcatV2, Pack, StridedSlice.
#include "tensor/convert.h"
#include "tf/import/importers.h"

namespace q8::tffe {

namespace {

// TF's bitmask attribute as OpenVINO's per-entry 0/1 list.
std::vector<int64_t> mask_list(Context& ctx, const std::string& name, size_t entries) {
  int64_t mask = ctx.attr_int(name, 0);
  std::vector<int64_t> out(entries);
  for (size_t i = 0; i < entries; ++i) out[i] = (mask >> i) & 1;
  return out;
}

std::string pad_mode(Context& ctx) {
  if (ctx.op_type() != "MirrorPad") return "constant";
  std::string m = ctx.attr_string("mode", "");
  if (m == "REFLECT") return "reflect";
  if (m == "SYMMETRIC") return "symmetric";
  ctx.fail("MirrorPad mode '" + m + "' is not supported (REFLECT, SYMMETRIC are)");
}

}  // namespace

// paddings is [rank, 2]: (before, after) for each dim.
void import_pad(Context& ctx) {
  std::vector<int64_t> p = ctx.require_ints(1, "paddings");
  if (p.size() % 2) ctx.fail("paddings must be [rank, 2]");
  std::vector<int64_t> begin, end;
  for (size_t i = 0; i < p.size(); i += 2) {
    begin.push_back(p[i]);
    end.push_back(p[i + 1]);
  }
  std::vector<Output> in = {ctx.input(0), ctx.const_i64(begin), ctx.const_i64(end)};
  if (ctx.op_type() == "PadV2") in.push_back(ctx.input(2));
  ctx.set_output(0, ctx.op("Pad", in, {{"pad_mode", pad_mode(ctx)}}));
}

// The axis is the last input; the N values come before it.
void import_concat_v2(Context& ctx) {
  int n = ctx.input_count() - 1;
  if (n < 1) ctx.fail("ConcatV2 needs at least one value and the axis");
  auto axis = ctx.require_ints(n, "the axis");
  std::vector<Output> values;
  for (int i = 0; i < n; ++i) values.push_back(ctx.input(i));
  int64_t a = ctx.axis(axis.at(0), ctx.rank_of(values[0], "for ConcatV2"));
  ctx.set_output(0, n == 1 ? values[0] : ctx.op("Concat", values, {{"axis", a}}));
}

// Stacking = each value unsqueezed at the new axis, then concatenated along it.
void import_pack(Context& ctx) {
  int64_t rank = ctx.rank_of(ctx.input(0), "for Pack") + 1;
  int64_t a = ctx.axis(ctx.attr_int("axis", 0), rank);
  std::vector<Output> values;
  for (int i = 0; i < ctx.input_count(); ++i)
    values.push_back(ctx.op("Unsqueeze", {ctx.input(i), ctx.const_i64({a})}));
  ctx.set_output(0, values.size() == 1 ? values[0] : ctx.op("Concat", values, {{"axis", a}}));
}

// OpenVINO's StridedSlice-1 has TF's semantics; only the masks change form.
void import_strided_slice(Context& ctx) {
  size_t entries = ctx.require_ints(1, "begin").size();
  Attrs a = {{"begin_mask", mask_list(ctx, "begin_mask", entries)},
             {"end_mask", mask_list(ctx, "end_mask", entries)},
             {"new_axis_mask", mask_list(ctx, "new_axis_mask", entries)},
             {"shrink_axis_mask", mask_list(ctx, "shrink_axis_mask", entries)},
             {"ellipsis_mask", mask_list(ctx, "ellipsis_mask", entries)}};
  std::vector<Output> in;
  for (int i = 0; i < 4; ++i) {
    auto v = ctx.const_value(i);
    in.push_back(i > 0 && v ? ctx.const_i64(to_ints(*v)) : ctx.input(i));
  }
  ctx.set_output(0, ctx.op("StridedSlice", in, a));
}

}  // namespace q8::tffe
