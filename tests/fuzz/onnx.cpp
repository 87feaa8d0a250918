// ONNX ModelProto bytes -> load -> mo's ONNX frontend (import + shape inference).
#include "fuzz.h"
#include "onnx/frontend.h"
#include "onnx/onnx_io.h"

namespace q8::fuzz {

int onnx(const uint8_t* data, size_t size) {
  return run([&] {
    ::onnx::ModelProto model = onnxio::parse_model(as_text(data, size), "fuzz.onnx");
    onnxfe::import_model(model, {}, "fuzz.onnx");
  });
}

}  // namespace q8::fuzz

Q8_FUZZ_ENTRY(onnx)
