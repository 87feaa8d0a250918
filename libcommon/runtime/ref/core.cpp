// Registers the core family (shape, data movement and indexing ops).
#include "runtime/ref/families.h"

namespace q8::ref {

void register_core(KernelTable& t) {
  register_shape(t);
  register_index(t);
  register_slice(t);
  register_resize(t);
  register_einsum(t);
}

}  // namespace q8::ref
