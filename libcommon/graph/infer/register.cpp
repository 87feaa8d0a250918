#include "graph/infer/infer.h"
#include "graph/ops/ops.h"

namespace q8::ops {

void register_shape_inference(OpRegistry& r) {
  infer::register_core(r);
  infer::register_elementwise(r);
  infer::register_nn(r);
  infer::register_detection(r);
}

}  // namespace q8::ops
