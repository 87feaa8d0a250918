// Registers the detection family (TopK, NMS, priors, ROI pooling, DetectionOutput).
#include "runtime/ref/families.h"

namespace q8::ref {

void register_detection(KernelTable& t) {
  register_nms(t);
  register_priors(t);
  register_detection_output(t);
}

}  // namespace q8::ref
