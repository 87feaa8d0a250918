// POT json config text -> pot's strict config parser.
#include <string>

#include "fuzz.h"
#include "quant/config.h"

namespace q8::fuzz {

int pot_json(const uint8_t* data, size_t size) {
  return run([&] { quant::parse_pot_config(std::string(as_text(data, size)), "fuzz/config.json"); });
}

}  // namespace q8::fuzz

Q8_FUZZ_ENTRY(pot_json)
