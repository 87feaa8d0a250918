#pragma once
// Byte-preserving GraphDef edits: set one attr of one node while every other byte of the
// file is copied verbatim. Only the edited attr-map entry, the NodeDef's length prefix and
// (if the entry grows or shrinks) nothing else is re-encoded. This keeps diffs of a
// 100 MB frozen graph down to a few bytes, and keeps fields q8's .proto does not know.
#include <string>
#include <string_view>
#include <vector>

#include "tf/graph_def.pb.h"

namespace q8::tf {

struct AttrEdit {
  int node_index = 0;  // position of the node in GraphDef.node (file order)
  std::string attr;    // attr-map key; an absent key is appended to the node
  AttrValue value;
};

// Applies `edits` to serialized GraphDef `graph_bytes`; `name` prefixes errors.
// Malformed wire data -> bad-input error; a node_index past the last node -> internal error.
std::string edit_node_attrs(std::string_view graph_bytes, const std::vector<AttrEdit>& edits,
                            const std::string& name);

}  // namespace q8::tf
