#include "dataset/label_list.h"

#include "base/error.h"
#include "base/file.h"
#include "base/strings.h"

namespace q8::dataset {
namespace {

// Splits `text` into lines (\n or \r\n) and calls fn(line_number, columns) for each non-blank,
// non-comment line.
template <typename Fn>
void for_each_line(const std::string& text, Fn&& fn) {
  size_t pos = 0, line = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view l(text.data() + pos, end - pos);
    pos = end + 1;
    ++line;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    std::vector<std::string_view> cols;
    size_t i = 0;
    while (i < l.size()) {
      while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
      size_t j = i;
      while (j < l.size() && l[j] != ' ' && l[j] != '\t') ++j;
      if (j > i) cols.push_back(l.substr(i, j - i));
      i = j;
    }
    if (cols.empty() || cols[0][0] == '#') continue;
    fn(line, cols);
  }
}

}  // namespace

std::vector<LabeledFile> read_label_list(const std::string& path, bool labels_required) {
  std::string text = read_file(path);
  std::vector<LabeledFile> out;
  for_each_line(text, [&](size_t line, const std::vector<std::string_view>& cols) {
    LabeledFile f{std::string(cols[0]), -1, line};
    if (cols.size() >= 2) {
      auto v = parse_int(std::string(cols[1]));
      if (!v || *v < 0)
        throw_bad_input(path + ":" + std::to_string(line) + ": label '" + std::string(cols[1]) +
                        "' is not a non-negative integer");
      f.label = *v;
    } else if (labels_required) {
      throw_bad_input(path + ":" + std::to_string(line) + ": expected 'file label', got '" +
                      std::string(cols[0]) + "'");
    }
    out.push_back(std::move(f));
  });
  return out;
}

std::vector<LabeledFile> read_name_list(const std::string& path) {
  std::string text = read_file(path);
  std::vector<LabeledFile> out;
  for_each_line(text, [&](size_t line, const std::vector<std::string_view>& cols) {
    out.push_back({std::string(cols[0]), -1, line});
  });
  return out;
}

std::vector<std::string> read_class_names(const std::string& path) {
  std::string text = read_file(path);
  std::vector<std::string> names;
  size_t pos = 0, line = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string l = text.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    if (!l.empty() && l.back() == '\r') l.pop_back();
    if (trim(l).empty()) throw_bad_input(path + ":" + std::to_string(line) + ": empty class name");
    names.push_back(l);
  }
  if (names.empty()) throw_bad_input(path + ": no class names");
  return names;
}

std::string_view base_name(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace q8::dataset
