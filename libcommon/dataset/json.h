#pragma once
// JSON input for the dataset readers: whole files handed to simdjson without a copy when the
// memory map already has the padding simdjson reads past the end (any file whose size is not
// within SIMDJSON_PADDING bytes of a page boundary), else copied once into a padded buffer.
#include <memory>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace q8::dataset {

class JsonFile {
 public:
  explicit JsonFile(const std::string& path);  // missing/unreadable -> bad-input error naming it
  JsonFile(const JsonFile&) = delete;
  JsonFile& operator=(const JsonFile&) = delete;
  ~JsonFile();
  const std::string& path() const { return path_; }
  simdjson::padded_string_view view() const { return view_; }
  std::string_view text() const { return {view_.data(), view_.size()}; }

 private:
  std::string path_;
  void* map_ = nullptr;
  size_t map_size_ = 0;
  simdjson::padded_string copy_;
  simdjson::padded_string_view view_;
};

// One-line bad-input error: "<path>: <what>: <simdjson message>" (e.g. truncated input).
[[noreturn]] void throw_json_error(const std::string& path, const std::string& what, simdjson::error_code e);

// The 1-based line of byte `offset` in `text` (for error messages).
size_t line_of(std::string_view text, size_t offset);

}  // namespace q8::dataset
