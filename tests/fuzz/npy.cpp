// .npy bytes -> the tensor layer's reader.
#include <string>

#include "fuzz.h"
#include "tensor/npy.h"

namespace q8::fuzz {

int npy(const uint8_t* data, size_t size) {
  return run([&] { parse_npy(std::string(as_text(data, size)), "fuzz.npy"); });
}

}  // namespace q8::fuzz

Q8_FUZZ_ENTRY(npy)
