// Placeholder and cut points -> Parameter, Const -> Const, Identity-like ops -> nothing.
#include "base/error.h"
#include "tf/import/importers.h"
#include "tf/import/layout.h"

namespace q8::tffe {

namespace {

// The IR takes images as NCHW (what mo.py does): a 4-D input becomes an NCHW Parameter and a
// Transpose gives the NHWC body the tensor it expects; transpose_sinking removes it later.
Output parameter(Context& ctx, int index, ElementType type, const PartialShape& shape) {
  std::string tensor = tensor_name(ctx.name(), index);
  if (shape.rank_dynamic || shape.rank() != 4) {
    Node* p = ctx.add_parameter(type, shape);
    return p->output(0);
  }
  PartialShape nchw = shape;
  for (size_t i = 0; i < 4; ++i) nchw.dims[i] = shape.dims[static_cast<size_t>(kToNchw[i])];
  Node* p = ctx.add_parameter(type, nchw);
  p->outputs[0].names = {tensor};
  return ctx.op("Transpose", {p->output(0), ctx.const_i64(kToNhwc)});
}

}  // namespace

void import_input(Context& ctx, int index, const InputOverride* o) {
  bool placeholder = ctx.op_type() == "Placeholder";
  ElementType type = ctx.attr_type(placeholder ? "dtype" : "T", ElementType::kF32);
  if (o && o->type) type = *o->type;
  PartialShape shape = PartialShape::dynamic_rank();
  if (o && o->shape)
    shape = *o->shape;
  else if (placeholder && ctx.has_attr("shape"))
    shape = shape_from_proto(ctx.attr("shape").shape());
  else if (!placeholder)
    ctx.fail("cutting the graph here needs the input's shape (--input_shape or --input name[shape])");
  Output out = parameter(ctx, index, type, shape);
  ctx.set_output(index, out);
  if (out.node->type() == "Transpose") out.node->outputs[0].names.clear();  // the Parameter carries the name
}

void import_const(Context& ctx) {
  const tf::AttrValue& v = ctx.attr("value");
  if (v.value_case() != tf::AttrValue::kTensor) ctx.fail("attribute 'value' must be a tensor");
  ctx.set_output(0, ctx.constant(tensor_from_proto(v.tensor())));
}

// Identity, StopGradient, Snapshot, IdentityN: each output is the matching input.
void import_identity(Context& ctx) {
  for (int i = 0; i < ctx.input_count(); ++i) ctx.set_output(i, ctx.input(i));
}

void import_no_op(Context&) {}

}  // namespace q8::tffe
