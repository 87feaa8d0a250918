#pragma once
// Loading and saving TensorFlow frozen graphs (GraphDef .pb) with q8's own copy of the
// GraphDef protos. Fields our .proto leaves out (function library, debug info, ...) are
// kept as protobuf unknown fields and written back unchanged.
#include <string>
#include <string_view>

#include "tf/graph_def.pb.h"

namespace q8::tf {

// Parses GraphDef bytes; `name` (usually the path) prefixes error messages. Empty,
// truncated, garbage input and messages with no nodes (an empty byte string, an ONNX file
// and many random files all parse as a node-less GraphDef) -> bad-input error.
GraphDef parse_graph_def(std::string_view bytes, const std::string& name);
GraphDef load_graph_def(const std::string& path);

// Serializes deterministically (map entries sorted by key): same graph -> same bytes.
std::string serialize_graph_def(const GraphDef& graph);
// Serializes and writes atomically (temp file + rename).
void save_graph_def(const GraphDef& graph, const std::string& path);

// Cheap content sniff used to pick a file format: does `bytes` start like a serialized
// GraphDef (a `node` field first)? A true answer is not a validation.
bool looks_like_graph_def(std::string_view bytes);

}  // namespace q8::tf
