#include <libxml/parser.h>
#include <libxml/tree.h>

#include <map>
#include <memory>
#include <optional>

#include "base/error.h"
#include "base/file.h"
#include "base/strings.h"
#include "graph/ops/ops.h"
#include "graph/validate.h"
#include "ir/ir.h"

namespace q8::ir {
namespace {

using XmlDoc = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;

const char* cstr(const xmlChar* s) {
  return reinterpret_cast<const char*>(s);
}
bool is(const xmlNode* n, const char* name) {
  return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}

std::optional<std::string> prop(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (!v) return std::nullopt;
  std::string s(cstr(v));
  xmlFree(v);
  return s;
}

std::vector<const xmlNode*> children(const xmlNode* n, const char* name = nullptr) {
  std::vector<const xmlNode*> out;
  for (const xmlNode* c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && (!name || is(c, name))) out.push_back(c);
  return out;
}

const xmlNode* child(const xmlNode* n, const char* name) {
  auto c = children(n, name);
  return c.empty() ? nullptr : c.front();
}

std::string at_line(const xmlNode* n) {
  return "line " + std::to_string(xmlGetLineNo(n));
}

int64_t int_prop(const xmlNode* n, const char* name, const std::string& where) {
  auto s = prop(n, name);
  if (!s) throw_bad_input(where + ": missing attribute '" + name + "' (" + at_line(n) + ")");
  auto v = parse_int(*s);
  if (!v) throw_bad_input(where + ": attribute '" + name + "' is not an integer: '" + *s + "'");
  return *v;
}

struct PortRef {
  bool is_output;
  int index;
  PortInfo info;  // type/shape as written on the port
  bool has_precision;
};

struct Layer {
  Node* node;
  std::map<int64_t, PortRef> ports;  // by port id
};

PartialShape read_dims(const xmlNode* port, const std::string& where) {
  PartialShape s;
  for (const xmlNode* d : children(port, "dim")) {
    xmlChar* text = xmlNodeGetContent(d);
    std::string t = text ? cstr(text) : "";
    xmlFree(text);
    auto dim = parse_dim(t);
    if (!dim) throw_bad_input(where + ": bad <dim> value '" + t + "' (" + at_line(d) + ")");
    s.dims.push_back(*dim);
  }
  return s;
}

void read_ports(const xmlNode* layer, Layer& L) {
  Node& n = *L.node;
  for (bool output : {false, true}) {
    const xmlNode* group = child(layer, output ? "output" : "input");
    if (!group) continue;
    std::map<int64_t, const xmlNode*> by_id;
    for (const xmlNode* p : children(group, "port")) {
      int64_t id = int_prop(p, "id", n.describe());
      if (L.ports.count(id) || by_id.count(id))
        throw_bad_input(n.describe() + ": port id " + std::to_string(id) + " used twice");
      by_id[id] = p;
    }
    int index = 0;
    for (const auto& [id, p] : by_id) {
      std::string where = n.describe() + ": port " + std::to_string(id);
      PortRef ref{output, index++, {}, false};
      if (auto prec = prop(p, "precision")) {
        auto t = element_type_from_precision(*prec);
        if (!t) t = element_type_from_ir(*prec);
        if (!t) throw_bad_input(where + ": unknown precision '" + *prec + "'");
        ref.info.type = *t;
        ref.has_precision = true;
      }
      ref.info.shape = read_dims(p, where);
      if (auto names = prop(p, "names"); names && !names->empty()) {
        for (auto& nm : split(*names, ',')) ref.info.names.emplace_back(trim(nm));
      }
      L.ports[id] = ref;
    }
    if (output) {
      n.outputs.clear();
      for (const auto& [id, ref] : L.ports)
        if (ref.is_output) n.outputs.push_back(ref.info);
    } else {
      n.inputs.assign(static_cast<size_t>(index), Output{});
    }
  }
}

void read_attributes(const xmlNode* layer, Node& n) {
  const xmlNode* data = child(layer, "data");
  bool is_const = n.type() == "Const";
  if (data) {
    for (const xmlAttr* a = data->properties; a; a = a->next) {
      std::string name = cstr(a->name);
      if (is_const && (name == "offset" || name == "size")) continue;
      const AttrDef* def = n.def().attr(name);
      if (!def) throw_bad_input(n.describe() + ": unknown attribute '" + name + "' (" + at_line(data) + ")");
      auto text = prop(data, name.c_str()).value_or("");
      auto value = attr_from_text(def->kind, text);
      if (!value)
        throw_bad_input(n.describe() + ": attribute '" + name + "' = '" + text + "' is not a valid " +
                        kind_name(def->kind));
      n.set_attr(name, std::move(*value));
    }
  }
  for (const auto& def : n.def().attrs) {
    if (n.has_attr(def.name)) continue;
    if (def.required()) throw_bad_input(n.describe() + ": missing required attribute '" + def.name + "'");
    if (def.default_value) n.set_attr(def.name, *def.default_value);
  }
}

// Set by read() while parsing a memory-mapped .bin: constants become views that keep the mapping alive.
thread_local std::shared_ptr<void> t_bin_owner;

void read_const_data(const xmlNode* layer, Node& n, std::string_view bin, const std::string& bin_name) {
  const xmlNode* data = child(layer, "data");
  if (!data) throw_bad_input(n.describe() + ": constant has no <data>");
  int64_t offset = int_prop(data, "offset", n.describe());
  int64_t size = int_prop(data, "size", n.describe());
  ElementType t = n.attr<ElementType>("element_type");
  if (!is_static_type(t)) throw_bad_input(n.describe() + ": constant element type '" + to_string(t) + "'");
  const PartialShape& ps = n.attr<PartialShape>("shape");
  if (!ps.is_static())
    throw_bad_input(n.describe() + ": constant shape " + ps.to_string() + " is not static");
  Shape shape = ps.to_shape();
  int64_t need = with_context(n.describe(), [&] { return byte_size(t, num_elements(shape)); });
  if (bin.empty() && size > 0)
    throw_bad_input(n.describe() + ": weights file " + bin_name + " is missing or empty");
  const auto available = static_cast<int64_t>(bin.size());
  if (offset < 0 || size < 0 || offset > available || size > available - offset)
    throw_bad_input(n.describe() + ": data at offset " + std::to_string(offset) + " size " +
                    std::to_string(size) + " is past the end of " + bin_name + " (" +
                    std::to_string(bin.size()) + " bytes)");
  if (size != need)
    throw_bad_input(n.describe() + ": data size " + std::to_string(size) + " does not match " + to_string(t) +
                    to_string(shape) + " (" + std::to_string(need) + " bytes)");
  const char* bytes = bin.data() + offset;
  size_t align = std::max<size_t>(1, std::min<size_t>(8, static_cast<size_t>(byte_size(t, 1))));
  if (t_bin_owner && reinterpret_cast<uintptr_t>(bytes) % align == 0)
    n.value =
        Tensor::view(t, shape, t_bin_owner, bytes, static_cast<size_t>(size));  // no copy of the weights
  else
    n.value = with_context(n.describe(),
                           [&] { return Tensor::from_bytes(t, shape, bytes, static_cast<size_t>(size)); });
}

const OpDef* find_def(const std::string& type, const std::string& version) {
  const auto& reg = OpRegistry::instance();
  if (const char* canon = ops::canonical_type_name(type)) return reg.find(canon, version);
  return reg.find(type, version);
}

MetaEntry read_meta(const xmlNode* e) {
  MetaEntry m;
  m.name = cstr(e->name);
  for (const xmlAttr* a = e->properties; a; a = a->next)
    m.attrs.emplace_back(cstr(a->name), prop(e, cstr(a->name)).value_or(""));
  bool has_children = false;
  for (const xmlNode* c = e->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) {
      m.children.push_back(read_meta(c));
      has_children = true;
    }
  }
  if (!has_children) {
    xmlChar* text = xmlNodeGetContent(e);
    if (text) m.text = cstr(text);
    xmlFree(text);
  }
  return m;
}

void read_edges(const xmlNode* net, std::map<int64_t, Layer>& layers) {
  const xmlNode* edges = child(net, "edges");
  if (!edges) throw_bad_input("missing <edges>");
  for (const xmlNode* e : children(edges, "edge")) {
    int64_t fl = int_prop(e, "from-layer", "edge"), fp = int_prop(e, "from-port", "edge");
    int64_t tl = int_prop(e, "to-layer", "edge"), tp = int_prop(e, "to-port", "edge");
    std::string where = "edge from layer " + std::to_string(fl) + " port " + std::to_string(fp) +
                        " to layer " + std::to_string(tl) + " port " + std::to_string(tp) + " (" +
                        at_line(e) + ")";
    auto from = layers.find(fl), to = layers.find(tl);
    if (from == layers.end())
      throw_bad_input(where + ": dangling edge, no layer with id " + std::to_string(fl));
    if (to == layers.end())
      throw_bad_input(where + ": dangling edge, no layer with id " + std::to_string(tl));
    auto fport = from->second.ports.find(fp);
    if (fport == from->second.ports.end() || !fport->second.is_output)
      throw_bad_input(where + ": " + from->second.node->describe() + " has no output port " +
                      std::to_string(fp));
    auto tport = to->second.ports.find(tp);
    if (tport == to->second.ports.end() || tport->second.is_output)
      throw_bad_input(where + ": " + to->second.node->describe() + " has no input port " +
                      std::to_string(tp));
    Node* consumer = to->second.node;
    Output& slot = consumer->inputs[static_cast<size_t>(tport->second.index)];
    if (slot.node)
      throw_bad_input(where + ": input port " + std::to_string(tp) + " of " + consumer->describe() +
                      " is connected twice");
    slot = Output{from->second.node, fport->second.index};
    const PortInfo& produced = fport->second.info;
    const PortInfo& expected = tport->second.info;
    if (!compatible(produced.shape, expected.shape))
      throw_bad_input(where + ": shape mismatch, " + from->second.node->describe() + " produces " +
                      produced.shape.to_string() + " but " + consumer->describe() + " expects " +
                      expected.shape.to_string());
    if (tport->second.has_precision && expected.type != produced.type)
      throw_bad_input(where + ": precision mismatch, " + precision_name(produced.type) + " produced, " +
                      precision_name(expected.type) + " expected by " + consumer->describe());
  }
  for (auto& [id, L] : layers)
    for (size_t i = 0; i < L.node->inputs.size(); ++i)
      if (!L.node->inputs[i].node)
        throw_bad_input(L.node->describe() + ": input port " + std::to_string(i) + " is not connected");
}

void fill_port_types(Node& n) {
  // Ports without a precision take the type the op declares (Parameter/Const).
  if ((n.type() == "Parameter" || n.type() == "Const") && !n.outputs.empty() &&
      n.outputs[0].type == ElementType::kUndefined)
    n.outputs[0].type = n.attr<ElementType>("element_type");
}

ReadResult parse_doc(xmlDoc* doc, std::string_view bin, const std::string& bin_name) {
  const xmlNode* net = xmlDocGetRootElement(doc);
  if (!net || !is(net, "net")) throw_bad_input("root element is not <net>: not an OpenVINO IR file");
  ReadResult result;
  result.version = static_cast<int>(int_prop(net, "version", "<net>"));
  if (result.version != 10 && result.version != 11)
    throw_bad_input("IR version " + std::to_string(result.version) + " is not supported (10 and 11 are)");
  Graph& g = result.graph;
  g.name = prop(net, "name").value_or("");
  const xmlNode* layers_el = child(net, "layers");
  if (!layers_el) throw_bad_input("missing <layers>");
  std::map<int64_t, Layer> layers;
  for (const xmlNode* l : children(layers_el, "layer")) {
    int64_t id = int_prop(l, "id", "layer at " + at_line(l));
    std::string name = prop(l, "name").value_or("");
    std::string where = "layer '" + name + "' (id " + std::to_string(id) + ")";
    auto type = prop(l, "type"), version = prop(l, "version");
    if (!type) throw_bad_input(where + ": missing attribute 'type'");
    if (!version) throw_bad_input(where + ": missing attribute 'version'");
    if (layers.count(id)) throw_bad_input(where + ": layer id used twice");
    const OpDef* def = find_def(*type, *version);
    if (!def) throw_bad_input(where + ": unsupported op " + *type + " (version " + *version + ")");
    if (id < 0 || id > INT32_MAX) throw_bad_input(where + ": layer id out of range");
    Layer L{g.add(def, name, static_cast<int>(id)), {}};
    read_attributes(l, *L.node);
    read_ports(l, L);
    fill_port_types(*L.node);
    if (def->type == "Const") read_const_data(l, *L.node, bin, bin_name);
    layers.emplace(id, std::move(L));
  }
  read_edges(net, layers);
  for (const xmlNode* e : children(net))
    if (!is(e, "layers") && !is(e, "edges")) g.meta.push_back(read_meta(e));
  validate(g);
  return result;
}

}  // namespace

std::string bin_path_for(const std::string& xml_path) {
  std::string base = xml_path;
  if (base.size() > 4 && base.substr(base.size() - 4) == ".xml") base.resize(base.size() - 4);
  return base + ".bin";
}

ReadResult parse(std::string_view xml, std::string_view bin, const std::string& xml_name,
                 const std::string& bin_name) {
  return with_context(xml_name, [&] {
    if (xml.empty()) throw_bad_input("empty file, expected an OpenVINO IR .xml");
    xmlResetLastError();
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE;
    XmlDoc doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr, opts), &xmlFreeDoc);
    if (!doc) {
      const xmlError* err = xmlGetLastError();
      std::string msg(trim(err && err->message ? err->message : "unknown error"));
      throw_bad_input("not well-formed XML at line " + std::to_string(err ? err->line : 0) + ": " + msg);
    }
    return parse_doc(doc.get(), bin, bin_name);
  });
}

ReadResult read(const std::string& xml_path, const std::string& bin_path) {
  std::string bin_file = bin_path.empty() ? bin_path_for(xml_path) : bin_path;
  std::string xml = read_file(xml_path);
  if (!file_exists(bin_file)) return parse(xml, std::string_view(), xml_path, bin_file);
  auto bin = std::make_shared<MappedFile>(bin_file);
  t_bin_owner = bin;
  struct Reset {
    ~Reset() { t_bin_owner.reset(); }
  } reset;
  return parse(xml, bin->view(), xml_path, bin_file);
}

}  // namespace q8::ir
