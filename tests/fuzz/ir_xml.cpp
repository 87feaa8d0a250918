// IR .xml and .bin together: [xml length, u32 little-endian][.xml bytes][.bin bytes]. A length past
// the end takes all the rest as .xml (with an empty .bin).
#include <algorithm>

#include "fuzz.h"
#include "ir/ir.h"

namespace q8::fuzz {

int ir_xml(const uint8_t* data, size_t size) {
  return run([&] {
    std::string_view all = as_text(data, size);
    std::string_view xml = all, bin;
    if (size >= 4) {
      size_t len = size_t{data[0]} | size_t{data[1]} << 8 | size_t{data[2]} << 16 | size_t{data[3]} << 24;
      xml = all.substr(4, std::min(len, size - 4));
      bin = all.substr(4 + xml.size());
    }
    ir::parse(xml, bin, "fuzz.xml", "fuzz.bin");
  });
}

}  // namespace q8::fuzz

Q8_FUZZ_ENTRY(ir_xml)
