#include <cstring>
#include <functional>
#include <map>
#include <unordered_map>

#include "base/error.h"
#include "base/file.h"
#include "ir/ir.h"

namespace q8::ir {
namespace {

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// IR v10 spells a fully dynamic dim as -1.
std::string dim_text(const Dim& d) {
  return (d.min == 0 && d.max == -1) ? "-1" : d.to_string();
}

std::string attr_text(const AttrValue& v) {
  if (const auto* p = std::get_if<PartialShape>(&v); p && !p->rank_dynamic) {
    std::string out;
    for (size_t i = 0; i < p->dims.size(); ++i) out += (i ? "," : "") + dim_text(p->dims[i]);
    return out;
  }
  return attr_to_text(v);
}

// Lays out constant blobs, each distinct blob once (e.g. shared scales get one offset). Keeps
// views into the tensors rather than copying them: write() streams the pieces to the file.
class BinBuilder {
 public:
  int64_t add(const Tensor& t) {
    std::string_view data(reinterpret_cast<const char*>(t.bytes()), t.byte_size());
    size_t h = std::hash<std::string_view>{}(data);
    for (size_t piece : seen_[h])
      if (pieces_[piece] == data) return offsets_[piece];
    seen_[h].push_back(pieces_.size());
    pieces_.push_back(data);
    offsets_.push_back(size_);
    size_ += static_cast<int64_t>(data.size());
    return offsets_.back();
  }
  const std::vector<std::string_view>& pieces() const { return pieces_; }

 private:
  std::vector<std::string_view> pieces_;
  std::vector<int64_t> offsets_;
  int64_t size_ = 0;
  std::unordered_map<size_t, std::vector<size_t>> seen_;
};

class XmlWriter {
 public:
  explicit XmlWriter(std::string& out) : out_(out) {}
  void line(int depth, const std::string& text) {
    out_.append(static_cast<size_t>(depth), '\t');
    out_ += text;
    out_ += '\n';
  }

 private:
  std::string& out_;
};

void write_port(XmlWriter& w, int id, const PortInfo& p) {
  std::string head = "<port id=\"" + std::to_string(id) + "\" precision=\"" + precision_name(p.type) + "\"";
  if (!p.names.empty()) {
    std::string names;
    for (size_t i = 0; i < p.names.size(); ++i) names += (i ? "," : "") + p.names[i];
    head += " names=\"" + escape(names) + "\"";
  }
  if (p.shape.dims.empty()) {
    w.line(4, head + "/>");
    return;
  }
  w.line(4, head + ">");
  for (const auto& d : p.shape.dims) w.line(5, "<dim>" + dim_text(d) + "</dim>");
  w.line(4, "</port>");
}

void write_layer(XmlWriter& w, const Node& n, int id, BinBuilder& bin) {
  w.line(2, "<layer id=\"" + std::to_string(id) + "\" name=\"" + escape(n.name()) + "\" type=\"" + n.type() +
                "\" version=\"" + n.version() + "\">");
  std::string data;
  for (const auto& def : n.def().attrs) {
    auto it = n.attrs().find(def.name);
    if (it == n.attrs().end()) continue;
    data += " " + def.name + "=\"" + escape(attr_text(it->second)) + "\"";
  }
  if (n.type() == "Const") {
    int64_t off = bin.add(n.value);
    data += " offset=\"" + std::to_string(off) + "\" size=\"" + std::to_string(n.value.byte_size()) + "\"";
  }
  if (!data.empty()) w.line(3, "<data" + data + "/>");
  int port = 0;
  if (!n.inputs.empty()) {
    w.line(3, "<input>");
    for (const auto& in : n.inputs) write_port(w, port++, in.node->outputs.at(static_cast<size_t>(in.index)));
    w.line(3, "</input>");
  }
  if (!n.outputs.empty()) {
    w.line(3, "<output>");
    for (const auto& out : n.outputs) write_port(w, port++, out);
    w.line(3, "</output>");
  }
  w.line(2, "</layer>");
}

void write_meta(XmlWriter& w, const MetaEntry& m, int depth) {
  std::string head = "<" + m.name;
  for (const auto& [k, v] : m.attrs) head += " " + k + "=\"" + escape(v) + "\"";
  if (m.children.empty() && m.text.empty()) {
    w.line(depth, head + "/>");
    return;
  }
  if (m.children.empty()) {
    w.line(depth, head + ">" + escape(m.text) + "</" + m.name + ">");
    return;
  }
  w.line(depth, head + ">");
  for (const auto& c : m.children) write_meta(w, c, depth + 1);
  w.line(depth, "</" + m.name + ">");
}

}  // namespace

namespace {

// The XML text and the .bin as pieces (views into g's constants, valid while g lives).
std::string serialize_xml(const Graph& g, BinBuilder& bin) {
  auto order = g.topological_order();
  std::map<const Node*, int> ids;
  for (size_t i = 0; i < order.size(); ++i) ids[order[i]] = static_cast<int>(i);
  std::string xml;
  XmlWriter w(xml);
  w.line(0, "<?xml version=\"1.0\"?>");
  w.line(0, "<net name=\"" + escape(g.name) + "\" version=\"10\">");
  w.line(1, "<layers>");
  for (const Node* n : order) write_layer(w, *n, ids[n], bin);
  w.line(1, "</layers>");
  w.line(1, "<edges>");
  for (const Node* n : order) {
    for (size_t i = 0; i < n->inputs.size(); ++i) {
      const Output& in = n->inputs[i];
      int from_port = static_cast<int>(in.node->inputs.size()) + in.index;
      w.line(2, "<edge from-layer=\"" + std::to_string(ids[in.node]) + "\" from-port=\"" +
                    std::to_string(from_port) + "\" to-layer=\"" + std::to_string(ids[n]) + "\" to-port=\"" +
                    std::to_string(i) + "\"/>");
    }
  }
  w.line(1, "</edges>");
  for (const auto& m : g.meta) write_meta(w, m, 1);
  w.line(0, "</net>");
  return xml;
}

}  // namespace

Serialized serialize(const Graph& g) {
  BinBuilder bin;
  Serialized s;
  s.xml = serialize_xml(g, bin);
  for (std::string_view piece : bin.pieces()) s.bin.append(piece);
  return s;
}

void stage(const Graph& g, AtomicOutputs& out, const std::string& xml_path, const std::string& bin_path) {
  BinBuilder bin;
  out.add(xml_path, serialize_xml(g, bin));
  out.add(bin_path.empty() ? bin_path_for(xml_path) : bin_path, bin.pieces());
}

std::string mapping(const Graph& g) {
  std::string out;
  XmlWriter w(out);
  w.line(0, "<?xml version=\"1.0\"?>");
  w.line(0, "<mapping>");
  auto order = g.topological_order();
  for (size_t id = 0; id < order.size(); ++id) {
    const Node& n = *order[id];
    for (size_t i = 0; i < n.outputs.size(); ++i) {
      std::string port = std::to_string(n.inputs.size() + i);
      for (const auto& name : n.outputs[i].names) {
        w.line(1, "<map>");
        w.line(2, "<framework name=\"" + escape(name) + "\" out_port_id=\"" + escape(name) + "\"/>");
        w.line(2, "<IR name=\"" + escape(n.name()) + "\" out_port_id=\"" + port + "\" id=\"" +
                      std::to_string(id) + "\"/>");
        w.line(1, "</map>");
      }
    }
  }
  w.line(0, "</mapping>");
  return out;
}

void write(const Graph& g, const std::string& xml_path, const std::string& bin_path) {
  AtomicOutputs out;
  stage(g, out, xml_path, bin_path);
  out.commit();
}

}  // namespace q8::ir
