#include "base/file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "base/error.h"

namespace q8 {
namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw_bad_input(path + ": cannot open: " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw_bad_input(path + ": is a directory, expected a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_bad_input(path + ": cannot open for reading");
  std::string data;
  data.resize(static_cast<size_t>(st.st_size));
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  if (in.gcount() != static_cast<std::streamsize>(data.size())) throw_bad_input(path + ": short read");
  return data;
}

MappedFile::MappedFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw_bad_input(path + ": cannot open: " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw_bad_input(path + ": is a directory, expected a file");
  size_ = static_cast<size_t>(st.st_size);
  if (size_ == 0) return;  // mmap of 0 bytes fails; an empty view is the answer
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw_bad_input(path + ": cannot open: " + std::strerror(errno));
  // Private and writable: tensors viewing the mapping (IR weights) may be modified in place like any
  // tensor; the pages are then copied, the file never changes.
  data_ = ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (data_ == MAP_FAILED) {
    data_ = nullptr;
    throw_bad_input(path + ": cannot map: " + std::strerror(errno));
  }
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(data_, size_);
}

bool file_exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

int64_t file_size(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int64_t>(st.st_size);
}

void check_not_same_file(const std::string& input, const std::string& output) {
  std::error_code ec;
  if (fs::exists(output, ec) && fs::equivalent(input, output, ec))
    throw_usage("output '" + output + "' is the input file; refusing to overwrite the input");
}

namespace {
void write_all(int fd, std::string_view data, const std::string& path) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_internal(path + ": write failed: " + std::strerror(errno));
    }
    off += static_cast<size_t>(n);
  }
}
}  // namespace

void AtomicOutputs::add(const std::string& path, std::string_view data) {
  add(path, std::vector<std::string_view>{data});
}

void AtomicOutputs::add(const std::string& path, const std::vector<std::string_view>& pieces) {
  fs::path target(path);
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw_usage("output directory '" + dir.string() + "' does not exist");
  std::string tmpl = (dir / ("." + target.filename().string() + ".tmp.XXXXXX")).string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  int fd = ::mkstemp(buf.data());
  if (fd < 0) throw_internal(path + ": cannot create temporary file: " + std::strerror(errno));
  std::string temp(buf.data());
  staged_.push_back({path, temp});
  try {
    for (std::string_view piece : pieces) write_all(fd, piece, path);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::fchmod(fd, 0644);
  if (::close(fd) != 0) throw_internal(path + ": close failed: " + std::strerror(errno));
}

namespace {
// Exclusive flock() on the output directories while a set is renamed into place, taken in path order
// so two committers never deadlock: runs writing the same model.xml + model.bin into one directory
// at the same time leave one complete pair, never the .xml of one and the .bin of the other.
class DirectoryLocks {
 public:
  explicit DirectoryLocks(std::vector<std::string> dirs) {
    std::sort(dirs.begin(), dirs.end());
    dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
    for (const auto& d : dirs) {
      int fd = ::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0) continue;  // the renames below report what is wrong with the directory
      while (::flock(fd, LOCK_EX) != 0 && errno == EINTR) {
      }
      fds_.push_back(fd);
    }
  }
  ~DirectoryLocks() {
    for (int fd : fds_) ::close(fd);  // releases the lock
  }
  DirectoryLocks(const DirectoryLocks&) = delete;
  DirectoryLocks& operator=(const DirectoryLocks&) = delete;

 private:
  std::vector<int> fds_;
};
}  // namespace

void AtomicOutputs::commit() {
  std::vector<std::string> dirs;
  for (const auto& s : staged_) {
    std::error_code ec;
    fs::path dir = fs::path(s.path).parent_path();
    dirs.push_back(fs::absolute(dir.empty() ? fs::path(".") : dir, ec).lexically_normal().string());
  }
  DirectoryLocks lock(std::move(dirs));
  for (const auto& s : staged_) {
    if (std::rename(s.temp.c_str(), s.path.c_str()) != 0)
      throw_internal(s.path + ": cannot move output into place: " + std::strerror(errno));
  }
  committed_ = true;
}

AtomicOutputs::~AtomicOutputs() {
  if (committed_) return;
  for (const auto& s : staged_) ::unlink(s.temp.c_str());
}

void write_file_atomic(const std::string& path, std::string_view data) {
  AtomicOutputs out;
  out.add(path, data);
  out.commit();
}

}  // namespace q8
