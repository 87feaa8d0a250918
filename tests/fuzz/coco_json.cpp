// COCO annotations json -> the dataset layer's COCO reader.
#include "dataset/coco.h"
#include "fuzz.h"

namespace q8::fuzz {

int coco_json(const uint8_t* data, size_t size) {
  return run([&] { dataset::parse_coco(as_text(data, size), "fuzz.json"); });
}

}  // namespace q8::fuzz

Q8_FUZZ_ENTRY(coco_json)
