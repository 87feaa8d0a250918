#pragma once
// OpenVINO IR (.xml topology + .bin weights).
// Reading accepts IR v10 and v11 written by OpenVINO (opset1..opset9 version names);
// writing produces IR v10, deterministically (same Graph -> same bytes).
#include <string>
#include <string_view>

#include "base/file.h"
#include "graph/graph.h"

namespace q8::ir {

struct ReadResult {
  Graph graph;
  int version = 0;  // the file's IR version (10 or 11)
};

// Reads `xml_path` and its weights (`bin_path`, default: the .xml path with .bin).
// Every problem is a bad-input error naming the file and, where it applies, the layer.
ReadResult read(const std::string& xml_path, const std::string& bin_path = "");
// Same from memory; the names are used in messages.
ReadResult parse(std::string_view xml, std::string_view bin, const std::string& xml_name,
                 const std::string& bin_name);

struct Serialized {
  std::string xml;
  std::string bin;
};
// IR v10. Layers are numbered in topological order; identical constant blobs are stored once.
Serialized serialize(const Graph& g);
// The .mapping file mo writes beside the IR: for each framework tensor name on an output
// port, the IR layer (name, id) and port id, numbered exactly as serialize() numbers them.
std::string mapping(const Graph& g);

// Stages the .xml and .bin of `g` in `out` (committed together with the caller's other files).
void stage(const Graph& g, AtomicOutputs& out, const std::string& xml_path, const std::string& bin_path = "");
// Writes both files atomically (neither appears unless both are complete).
void write(const Graph& g, const std::string& xml_path, const std::string& bin_path = "");

// "model.xml" -> "model.bin"
std::string bin_path_for(const std::string& xml_path);

}  // namespace q8::ir
