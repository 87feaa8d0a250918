#include "dataset/annotations_filter.h"

#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <simdjson.h>

#include "base/error.h"
#include "dataset/json.h"

namespace q8::dataset {
namespace {

namespace od = simdjson::ondemand;

// The list's entries keyed by base name; the first occurrence of a name stands for all of them.
class ListIndex {
 public:
  explicit ListIndex(const std::vector<LabeledFile>& list) : list_(list), matched_(list.size(), false) {
    report_.list_entries = list.size();
    for (size_t i = 0; i < list.size(); ++i) {
      if (index_.emplace(base_name(list[i].file), i).second)
        unique_.push_back(i);
      else
        ++report_.duplicates;
    }
  }
  // Marks and returns whether some entry names `file`.
  bool match(std::string_view file) {
    auto it = index_.find(base_name(file));
    if (it == index_.end()) return false;
    matched_[it->second] = true;
    return true;
  }
  void mark(size_t i) { matched_[i] = true; }
  const std::vector<size_t>& unique() const { return unique_; }  // first occurrences, list order
  ListMatchReport report() const {
    ListMatchReport r = report_;
    for (size_t i : unique_)
      if (!matched_[i]) r.missing.push_back(list_[i].file);
    return r;
  }

 private:
  const std::vector<LabeledFile>& list_;
  std::unordered_map<std::string_view, size_t> index_;
  std::vector<size_t> unique_;
  std::vector<bool> matched_;
  ListMatchReport report_;
};

// Reading one COCO file: error messages and the pieces of json copied to the output.
class CocoReader {
 public:
  explicit CocoReader(const std::string& path) : file_(path) {}
  const JsonFile& file() const { return file_; }

  // "<path>: <array>[<index>] (line N): <what>"; `at` points into the input, or is null.
  [[noreturn]] void element_error(const char* array, size_t index, const char* at, const std::string& what) {
    std::string msg = file_.path() + ": " + array;
    if (index != kNoIndex) msg += "[" + std::to_string(index) + "]";
    msg += line_suffix(at) + ": " + what;
    throw_bad_input(msg);
  }
  [[noreturn]] void json_error(const char* array, size_t index, const char* at, simdjson::error_code e) {
    element_error(array, index, at, std::string("invalid json: ") + simdjson::error_message(e));
  }
  // Where a failed iteration stopped: the parser's current position, when it has one.
  const char* location(od::document& doc) {
    const char* at = nullptr;
    return doc.current_location().get(at) ? nullptr : at;
  }

  // Appends `piece` (a complete json value from the input) without whitespace, after checking it
  // in full: ondemand only follows the structure of what it skips, so the text copied to the output
  // is validated here.
  void append_value(std::string& out, std::string_view piece, const char* array, size_t index) {
    simdjson::dom::element ignored;
    if (auto e = dom_.parse(piece.data(), piece.size(), true).get(ignored))
      json_error(array, index, piece.data(), e);
    size_t start = out.size(), written = 0;
    out.resize(start + piece.size());
    if (auto e = simdjson::minify(piece.data(), piece.size(), out.data() + start, written))
      json_error(array, index, piece.data(), e);
    out.resize(start + written);
  }

  // The padded view of `slice`, a part of the file: the rest of the file buffer is its padding.
  simdjson::padded_string_view sub_view(std::string_view slice) const {
    size_t offset = static_cast<size_t>(slice.data() - file_.view().data());
    return simdjson::padded_string_view(slice.data(), slice.size(), file_.view().capacity() - offset);
  }

  static constexpr size_t kNoIndex = static_cast<size_t>(-1);

 private:
  std::string line_suffix(const char* at) const {
    std::string_view text = file_.text();
    if (!at || at < text.data() || at > text.data() + text.size()) return "";
    return " (line " + std::to_string(line_of(text, static_cast<size_t>(at - text.data()))) + ")";
  }

  JsonFile file_;
  simdjson::dom::parser dom_;
};

// ondemand reports a value position holding '}' (e.g. "[}") as a value of the wrong type: say what
// it is, invalid json.
bool is_punctuation(const char* at) {
  return at && (*at == '}' || *at == ']' || *at == ',' || *at == ':');
}

// The object at `v` (an element of `array`), or a schema error.
od::object element_object(CocoReader& r, od::value& v, const char* array, size_t index, const char* at) {
  od::object obj;
  auto e = v.get_object().get(obj);
  if (e == simdjson::INCORRECT_TYPE && is_punctuation(at))
    r.element_error(array, index, at, std::string("invalid json: unexpected '") + *at + "'");
  if (e == simdjson::INCORRECT_TYPE) r.element_error(array, index, at, "not an object");
  if (e) r.json_error(array, index, at, e);
  return obj;
}

// Integer field `key` of an element, or an error naming it.
int64_t int_field(CocoReader& r, od::object& obj, const char* key, const char* array, size_t index,
                  const char* at) {
  int64_t v = 0;
  auto e = obj.find_field_unordered(key).get_int64().get(v);
  if (e == simdjson::NO_SUCH_FIELD) r.element_error(array, index, at, std::string("no \"") + key + "\"");
  if (e == simdjson::INCORRECT_TYPE || e == simdjson::NUMBER_ERROR || e == simdjson::NUMBER_OUT_OF_RANGE)
    r.element_error(array, index, at, std::string("\"") + key + "\" is not an integer");
  if (e) r.json_error(array, index, at, e);
  return v;
}

// Appends the raw text of `obj` (already partly read) to `out`, with the separator.
void keep_element(CocoReader& r, od::object& obj, std::string& out, size_t kept, const char* array,
                  size_t index, const char* at) {
  std::string_view raw;
  auto e = obj.reset().error();
  if (!e) e = obj.raw_json().get(raw);
  if (e) r.json_error(array, index, at, e);
  if (kept) out += ',';
  r.append_value(out, raw, array, index);
}

// Writes "[kept images]" to `out`; collects the kept images' ids.
void filter_images(CocoReader& r, od::document& doc, od::array images, ListIndex& names,
                   std::unordered_set<int64_t>& kept_ids, std::string& out, CocoFilterResult& res) {
  constexpr const char* kArray = "images";
  out += '[';
  size_t index = 0;
  for (auto element : images) {
    od::value v;
    if (auto e = element.get(v)) r.json_error(kArray, index, r.location(doc), e);
    const char* at = v.raw_json_token().data();
    od::object obj = element_object(r, v, kArray, index, at);
    std::string_view name;
    auto e = obj.find_field_unordered("file_name").get_string().get(name);
    if (e == simdjson::NO_SUCH_FIELD) r.element_error(kArray, index, at, "no \"file_name\"");
    if (e == simdjson::INCORRECT_TYPE) r.element_error(kArray, index, at, "\"file_name\" is not a string");
    if (e) r.json_error(kArray, index, at, e);
    bool keep = names.match(name);
    int64_t id = int_field(r, obj, "id", kArray, index, at);
    if (keep) {
      kept_ids.insert(id);
      keep_element(r, obj, out, res.images_kept++, kArray, index, at);
    }
    ++index;
  }
  out += ']';
  res.images_total = index;
}

// Writes "[kept annotations]" to `out`. Only image_id is read; the segmentation polygons that make
// up most of the file are skipped by ondemand without being parsed.
void filter_annotations(CocoReader& r, od::document& doc, od::array annotations,
                        const std::unordered_set<int64_t>& kept_ids, std::string& out,
                        CocoFilterResult& res) {
  constexpr const char* kArray = "annotations";
  out += '[';
  size_t index = 0;
  for (auto element : annotations) {
    od::value v;
    if (auto e = element.get(v)) r.json_error(kArray, index, r.location(doc), e);
    const char* at = v.raw_json_token().data();
    od::object obj = element_object(r, v, kArray, index, at);
    int64_t image_id = int_field(r, obj, "image_id", kArray, index, at);
    if (kept_ids.count(image_id)) keep_element(r, obj, out, res.annotations_kept++, kArray, index, at);
    ++index;
  }
  out += ']';
  res.annotations_total = index;
}

// The array at `v` (top-level key `key`), or a schema error.
od::array top_array(CocoReader& r, od::value& v, const char* key, const char* at) {
  od::array a;
  auto e = v.get_array().get(a);
  if (e == simdjson::INCORRECT_TYPE && is_punctuation(at))
    r.element_error(key, CocoReader::kNoIndex, at, std::string("invalid json: unexpected '") + *at + "'");
  if (e == simdjson::INCORRECT_TYPE) r.element_error(key, CocoReader::kNoIndex, at, "not an array");
  if (e) r.json_error(key, CocoReader::kNoIndex, at, e);
  return a;
}

// The raw text of a top-level key (between the quotes, escapes kept): it is copied as is.
std::string_view raw_key(const char* after_quote) {
  const char* p = after_quote;
  while (*p != '"') p += (*p == '\\') ? 2 : 1;
  return {after_quote, static_cast<size_t>(p - after_quote)};
}

}  // namespace

CocoFilterResult filter_coco(const std::string& instances_path, const std::vector<LabeledFile>& list) {
  CocoReader r(instances_path);
  const std::string& path = r.file().path();
  ListIndex names(list);
  CocoFilterResult res;

  od::parser parser;
  od::document doc;
  if (auto e = parser.iterate(r.file().view()).get(doc)) throw_json_error(path, "invalid json", e);
  od::object top;
  auto e = doc.get_object().get(top);
  if (e == simdjson::INCORRECT_TYPE)
    throw_bad_input(path + ": not a COCO instances file: the top level is not a json object");
  if (e) throw_json_error(path, "invalid json", e);

  // The output, one part per top-level key in input order ("key":value). "annotations" before
  // "images" (legal, if unusual) is filtered once the kept ids are known, from its raw text.
  std::vector<std::string> parts;
  std::unordered_set<int64_t> kept_ids;
  bool seen_images = false, seen_annotations = false;
  std::string_view deferred_annotations;
  size_t deferred_part = 0;
  for (auto field : top) {
    const char* at = r.location(doc);
    od::field f;
    if (auto fe = std::move(field).get(f)) r.json_error("top-level object", CocoReader::kNoIndex, at, fe);
    std::string_view key_text = raw_key(f.key().raw());
    std::string_view key;
    if (auto ke = f.unescaped_key().get(key)) r.json_error("top-level object", CocoReader::kNoIndex, at, ke);
    std::string part = "\"" + std::string(key_text) + "\":";
    od::value v = f.value();
    const char* value_at = v.raw_json_token().data();
    if (key == "images" || key == "annotations") {
      bool images = key == "images";
      bool& seen = images ? seen_images : seen_annotations;
      if (seen)
        r.element_error(images ? "images" : "annotations", CocoReader::kNoIndex, value_at,
                        "the key appears twice in the top-level object");
      seen = true;
      od::array a = top_array(r, v, images ? "images" : "annotations", value_at);
      if (images) {
        filter_images(r, doc, a, names, kept_ids, part, res);
      } else if (seen_images) {
        filter_annotations(r, doc, a, kept_ids, part, res);
      } else {
        if (auto ae = a.raw_json().get(deferred_annotations)) r.json_error("annotations", 0, value_at, ae);
        deferred_part = parts.size();
      }
    } else {
      std::string_view raw;
      od::json_type type;
      auto te = v.type().get(type);
      if (te) r.json_error(std::string(key).c_str(), CocoReader::kNoIndex, value_at, te);
      od::object obj;
      od::array arr;
      if (type == od::json_type::object) {
        te = v.get_object().get(obj);
        if (!te) te = obj.raw_json().get(raw);
      } else if (type == od::json_type::array) {
        te = v.get_array().get(arr);
        if (!te) te = arr.raw_json().get(raw);
      } else {
        raw = v.raw_json_token();
      }
      if (te) r.json_error(std::string(key).c_str(), CocoReader::kNoIndex, value_at, te);
      r.append_value(part, raw, std::string(key).c_str(), CocoReader::kNoIndex);
    }
    parts.push_back(std::move(part));
  }
  const char* rest = nullptr;
  if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS)
    r.element_error("top-level object", CocoReader::kNoIndex, rest, "content after its end");
  if (!seen_images) throw_bad_input(path + ": not a COCO instances file: no \"images\" array");
  res.has_annotations = seen_annotations;

  if (!deferred_annotations.empty()) {
    od::parser sub_parser;
    od::document sub;
    od::array a;
    if (auto se = sub_parser.iterate(r.sub_view(deferred_annotations)).get(sub))
      r.json_error("annotations", CocoReader::kNoIndex, deferred_annotations.data(), se);
    if (auto se = sub.get_array().get(a))
      r.json_error("annotations", CocoReader::kNoIndex, deferred_annotations.data(), se);
    filter_annotations(r, sub, a, kept_ids, parts[deferred_part], res);
  }

  size_t size = 2;
  for (const auto& p : parts) size += p.size() + 1;
  res.json.reserve(size);
  res.json += '{';
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) res.json += ',';
    res.json += parts[i];
  }
  res.json += "}\n";
  res.match = names.report();
  return res;
}

ValMapFilterResult filter_val_map(const std::string& val_map_path, const std::vector<LabeledFile>& list,
                                  int64_t num_classes) {
  std::vector<LabeledFile> entries = read_label_list(val_map_path, true);
  ValMapFilterResult res;
  res.entries_total = entries.size();
  // Base name -> entry: the same file twice is harmless with one label, ambiguous with two.
  std::unordered_map<std::string_view, size_t> by_name;
  for (size_t i = 0; i < entries.size(); ++i) {
    auto [it, inserted] = by_name.emplace(base_name(entries[i].file), i);
    const LabeledFile& first = entries[it->second];
    if (!inserted && first.label != entries[i].label)
      throw_bad_input(val_map_path + ":" + std::to_string(entries[i].line) + ": '" + entries[i].file +
                      "' has label " + std::to_string(entries[i].label) + ", but line " +
                      std::to_string(first.line) + " gives '" + first.file + "' label " +
                      std::to_string(first.label));
  }
  ListIndex names(list);
  for (size_t i : names.unique()) {
    auto it = by_name.find(base_name(list[i].file));
    if (it == by_name.end()) continue;
    names.mark(i);
    const LabeledFile& e = entries[it->second];
    if (num_classes > 0 && e.label >= num_classes)
      throw_bad_input(val_map_path + ":" + std::to_string(e.line) + ": label " + std::to_string(e.label) +
                      " of '" + e.file + "' is out of range: there are " + std::to_string(num_classes) +
                      " classes (labels 0.." + std::to_string(num_classes - 1) + ")");
    res.text += e.file;
    res.text += ' ';
    res.text += std::to_string(e.label);
    res.text += '\n';
    ++res.entries_kept;
  }
  res.match = names.report();
  return res;
}

}  // namespace q8::dataset
