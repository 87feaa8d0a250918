#include "tf/graph_def_io.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/stubs/logging.h>

#include <limits>

#include "base/error.h"
#include "base/file.h"

namespace q8::tf {

namespace {

// protobuf reports some parse problems (invalid UTF-8 in a string field) by logging to
// stderr itself. Tools must print one error line, so while parsing we keep the last
// message and fold it into our own error instead.
std::string g_protobuf_message;
void keep_protobuf_message(google::protobuf::LogLevel, const char*, int, const std::string& message) {
  g_protobuf_message = message;
}

class CaptureProtobufLog {
 public:
  CaptureProtobufLog() : previous_(google::protobuf::SetLogHandler(&keep_protobuf_message)) {
    g_protobuf_message.clear();
  }
  ~CaptureProtobufLog() { google::protobuf::SetLogHandler(previous_); }
  CaptureProtobufLog(const CaptureProtobufLog&) = delete;
  CaptureProtobufLog& operator=(const CaptureProtobufLog&) = delete;

 private:
  google::protobuf::LogHandler* previous_;
};

void check_nodes(const GraphDef& graph, const std::string& name) {
  if (graph.node_size() == 0) throw_bad_input(name + ": not a TensorFlow GraphDef (no nodes)");
  for (int i = 0; i < graph.node_size(); ++i) {
    const NodeDef& node = graph.node(i);
    if (node.name().empty() || node.op().empty())
      throw_bad_input(name + ": not a TensorFlow GraphDef (node #" + std::to_string(i) +
                      " has no name or no op)");
  }
}

}  // namespace

GraphDef parse_graph_def(std::string_view bytes, const std::string& name) {
  if (bytes.empty()) throw_bad_input(name + ": empty file, expected a TensorFlow GraphDef");
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
    throw_bad_input(name + ": larger than 2 GiB, more than a protobuf GraphDef can hold");
  GraphDef graph;
  bool ok = false;
  {
    CaptureProtobufLog capture;
    google::protobuf::io::CodedInputStream coded(reinterpret_cast<const uint8_t*>(bytes.data()),
                                                 static_cast<int>(bytes.size()));
    coded.SetTotalBytesLimit(std::numeric_limits<int>::max());
    ok = graph.ParseFromCodedStream(&coded) && coded.ConsumedEntireMessage();
  }
  if (!ok) {
    std::string why = g_protobuf_message.empty() ? "truncated or not a GraphDef" : g_protobuf_message;
    throw_bad_input(name + ": not a valid TensorFlow GraphDef (protobuf parse failed: " + why + ")");
  }
  check_nodes(graph, name);
  return graph;
}

GraphDef load_graph_def(const std::string& path) {
  return parse_graph_def(read_file(path), path);
}

std::string serialize_graph_def(const GraphDef& graph) {
  std::string out;
  google::protobuf::io::StringOutputStream raw(&out);
  {
    google::protobuf::io::CodedOutputStream coded(&raw);
    coded.SetSerializationDeterministic(true);
    if (!graph.SerializeToCodedStream(&coded)) throw_internal("GraphDef serialization failed");
  }
  return out;
}

void save_graph_def(const GraphDef& graph, const std::string& path) {
  write_file_atomic(path, serialize_graph_def(graph));
}

bool looks_like_graph_def(std::string_view bytes) {
  // Tag of field 1 (node) with wire type 2 (length-delimited): TensorFlow writes nodes first.
  return !bytes.empty() && static_cast<unsigned char>(bytes[0]) == 0x0A;
}

}  // namespace q8::tf
