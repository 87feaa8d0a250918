#include "graph/infer/infer.h"
#include "graph/ops/ops.h"

namespace q8::ops {

void register_shape_inference(OpRegistry& r) {
  infer::register_core(r);
  infer::register_reshape(r);
  infer::register_layout(r);
  infer::register_indexing(r);
  infer::register_slice(r);
  infer::register_elementwise(r);
  infer::register_conv(r);
  infer::register_nn(r);
  infer::register_resample(r);
  infer::register_detection(r);
  infer::register_recurrent(r);
}

}  // namespace q8::ops
