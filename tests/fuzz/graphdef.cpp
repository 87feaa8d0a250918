// TensorFlow GraphDef bytes -> load -> mo's TF frontend (import + shape inference).
#include "fuzz.h"
#include "tf/frontend.h"
#include "tf/graph_def_io.h"

namespace q8::fuzz {

int graphdef(const uint8_t* data, size_t size) {
  return run([&] {
    tf::GraphDef graph = tf::parse_graph_def(as_text(data, size), "fuzz.pb");
    tffe::import_graph_def(graph, {}, "fuzz.pb");
  });
}

}  // namespace q8::fuzz

Q8_FUZZ_ENTRY(graphdef)
