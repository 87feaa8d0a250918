// JPEG bytes -> image decoding -> the preprocessing int8-run and pot apply.
#include "fuzz.h"

namespace q8::fuzz {

int jpeg(const uint8_t* data, size_t size) {
  return run([&] { decode_and_preprocess(as_text(data, size), "fuzz.jpg"); });
}

}  // namespace q8::fuzz

Q8_FUZZ_ENTRY(jpeg)
