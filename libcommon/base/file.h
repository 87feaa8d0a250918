#pragma once
// File input and atomic file output. Outputs are written to a temporary file beside
// the target and renamed into place on commit(), so a failed run never leaves a
// half-written file and never clobbers an existing one.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace q8 {

// Whole file as bytes. Missing/unreadable -> bad-input error naming the path.
std::string read_file(const std::string& path);

// A read-only memory map of a whole file: large inputs (weights) are parsed in place
// instead of being copied into a string first. Same errors as read_file.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path);
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();
  std::string_view view() const { return {static_cast<const char*>(data_), size_}; }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
};
bool file_exists(const std::string& path);
int64_t file_size(const std::string& path);  // -1 if missing

// Refuses (usage error) when `output` names the same file as `input`.
void check_not_same_file(const std::string& input, const std::string& output);

// A set of output files that appear together or not at all (e.g. model.xml + model.bin).
class AtomicOutputs {
 public:
  AtomicOutputs() = default;
  AtomicOutputs(const AtomicOutputs&) = delete;
  AtomicOutputs& operator=(const AtomicOutputs&) = delete;
  ~AtomicOutputs();  // removes temporaries of an uncommitted set

  // Stages `data` for `path` (written to a temp file now).
  void add(const std::string& path, std::string_view data);
  // Same, from pieces written one after another (no need to join them in memory first).
  void add(const std::string& path, const std::vector<std::string_view>& pieces);
  // Renames every staged file into place.
  void commit();

 private:
  struct Staged {
    std::string path, temp;
  };
  std::vector<Staged> staged_;
  bool committed_ = false;
};

// Writes one file atomically.
void write_file_atomic(const std::string& path, std::string_view data);

}  // namespace q8
