// PNG bytes -> image decoding -> the preprocessing int8-run and pot apply.
#include "fuzz.h"

namespace q8::fuzz {

int png(const uint8_t* data, size_t size) {
  return run([&] { decode_and_preprocess(as_text(data, size), "fuzz.png"); });
}

}  // namespace q8::fuzz

Q8_FUZZ_ENTRY(png)
