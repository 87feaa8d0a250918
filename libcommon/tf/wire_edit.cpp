#include "tf/wire_edit.h"

#include <map>

#include "base/error.h"
#include "tf/wire_fields.h"

namespace q8::tf {

namespace {

// Field numbers from TensorFlow's protos (see graph_def.proto).
constexpr uint32_t kGraphNode = 1;
constexpr uint32_t kNodeAttr = 5;
constexpr uint32_t kEntryKey = 1;
constexpr uint32_t kEntryValue = 2;

std::string serialize_value(const AttrValue& value) {
  std::string out;
  if (!value.SerializeToString(&out)) throw_internal("AttrValue serialization failed");
  return out;
}

// Key of one attr-map entry; protobuf keeps the last occurrence, so do we.
std::string entry_key(std::string_view entry, const std::string& what) {
  std::string key;
  for (const auto& f : wire::split_fields(entry, what))
    if (f.is_message(kEntryKey)) key = std::string(wire::payload_of(entry, f));
  return key;
}

// The entry with its value replaced: the first value field is rewritten in place, repeated
// ones (which protobuf would merge) are dropped, other fields are copied.
std::string rewrite_entry(std::string_view entry, const std::string& value, const std::string& what) {
  std::string out;
  bool written = false;
  for (const auto& f : wire::split_fields(entry, what)) {
    if (f.is_message(kEntryValue)) {
      if (!written) wire::append_with_tag(out, entry.substr(f.begin, f.value - f.begin), value);
      written = true;
      continue;
    }
    out.append(wire::bytes_of(entry, f));
  }
  if (!written) wire::append_message_field(out, kEntryValue, value);
  return out;
}

std::string new_entry(const std::string& key, const std::string& value) {
  std::string out;
  wire::append_message_field(out, kEntryKey, key);
  wire::append_message_field(out, kEntryValue, value);
  return out;
}

std::string edit_node(std::string_view node, const std::vector<const AttrEdit*>& edits,
                      const std::string& what) {
  std::map<std::string, std::string> pending;  // attr -> serialized new value
  for (const AttrEdit* e : edits) pending[e->attr] = serialize_value(e->value);
  std::map<std::string, bool> found;
  std::string out;
  for (const auto& f : wire::split_fields(node, what)) {
    if (f.is_message(kNodeAttr)) {
      std::string_view entry = wire::payload_of(node, f);
      auto it = pending.find(entry_key(entry, what + ": attr entry"));
      if (it != pending.end()) {
        wire::append_with_tag(out, node.substr(f.begin, f.value - f.begin),
                              rewrite_entry(entry, it->second, what + ": attr '" + it->first + "'"));
        found[it->first] = true;
        continue;
      }
    }
    out.append(wire::bytes_of(node, f));
  }
  for (const auto& [attr, value] : pending)
    if (!found[attr]) wire::append_message_field(out, kNodeAttr, new_entry(attr, value));
  return out;
}

}  // namespace

std::string edit_node_attrs(std::string_view graph_bytes, const std::vector<AttrEdit>& edits,
                            const std::string& name) {
  std::map<int, std::vector<const AttrEdit*>> by_node;
  for (const auto& e : edits) by_node[e.node_index].push_back(&e);
  std::string out;
  out.reserve(graph_bytes.size() + 64);
  int index = 0;
  for (const auto& f : wire::split_fields(graph_bytes, name)) {
    if (f.is_message(kGraphNode)) {
      auto it = by_node.find(index);
      const std::string what = name + ": node #" + std::to_string(index);
      ++index;
      if (it != by_node.end()) {
        std::string node = edit_node(wire::payload_of(graph_bytes, f), it->second, what);
        wire::append_with_tag(out, graph_bytes.substr(f.begin, f.value - f.begin), node);
        by_node.erase(it);
        continue;
      }
    }
    out.append(wire::bytes_of(graph_bytes, f));
  }
  if (!by_node.empty())
    throw_internal(name + ": attr edit for node #" + std::to_string(by_node.begin()->first) +
                   " but the graph has " + std::to_string(index) + " nodes");
  return out;
}

}  // namespace q8::tf
