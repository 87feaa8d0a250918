#pragma once
// The fuzz targets' entry functions, one per reader (tests/fuzz/<target>.cpp). Built with libFuzzer
// (-DQ8_FUZZ=ON) each file also defines its binary's LLVMFuzzerTestOneInput; in the normal build
// the replay test calls them all on the corpus and on every input a fuzzer once crashed on.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/error.h"

namespace q8::fuzz {

int onnx(const uint8_t* data, size_t size);       // ModelProto -> ONNX frontend -> Graph
int graphdef(const uint8_t* data, size_t size);   // GraphDef -> TF frontend -> Graph
int ir_xml(const uint8_t* data, size_t size);     // [u32 LE xml length][.xml][.bin] -> IR reader
int ir_bin(const uint8_t* data, size_t size);     // a fixed .xml reading its constants from these bytes
int pot_json(const uint8_t* data, size_t size);   // POT json config
int coco_json(const uint8_t* data, size_t size);  // COCO annotations json
int jpeg(const uint8_t* data, size_t size);       // image decode + preprocessing
int png(const uint8_t* data, size_t size);        // image decode + preprocessing
int npy(const uint8_t* data, size_t size);        // .npy tensor

// Fuzzing limits, set once: quiet logs, tensors up to 64 MiB and images up to 4 megapixels, so
// that a claimed huge size is an error well below the fuzzer's malloc limit.
void init();

// image::decode, then two preprocessings: RGB NCHW 8x8 (short side 10 + crop, bilinear) and gray
// NHWC 5x7 (stretch, area).
void decode_and_preprocess(std::string_view bytes, const char* name);

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Whether the last input run() saw on this thread was accepted (read without a q8::Error).
bool& last_accepted();

// Runs fn on one input. A q8::Error is the expected outcome for a malformed input; any other
// exception escapes and is a finding (libFuzzer reports it as a crash, the replay test fails).
template <typename Fn>
int run(Fn&& fn) {
  init();
  last_accepted() = false;
  try {
    fn();
    last_accepted() = true;
  } catch (const Error&) {
  }
  return 0;
}

// Runs an entry function; true when the input was accepted.
inline bool accepts(int (*entry)(const uint8_t*, size_t), const uint8_t* data, size_t size) {
  entry(data, size);
  return last_accepted();
}

}  // namespace q8::fuzz

#ifdef Q8_LIBFUZZER
#define Q8_FUZZ_ENTRY(fn)                                                   \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { \
    return q8::fuzz::fn(data, size);                                        \
  }
#else
#define Q8_FUZZ_ENTRY(fn)
#endif
