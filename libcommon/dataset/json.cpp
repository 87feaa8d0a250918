#include "dataset/json.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/error.h"

namespace q8::dataset {

JsonFile::JsonFile(const std::string& path) : path_(path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_bad_input(path + ": cannot open: " + std::strerror(errno));
  struct stat st{};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw_bad_input(path + ": not a regular file");
  }
  size_t size = static_cast<size_t>(st.st_size);
  size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  size_t mapped = (size + page - 1) / page * page;
  // Bytes between the end of the file and the end of its last page read as zeros: enough
  // padding for simdjson when there are at least SIMDJSON_PADDING of them.
  if (size > 0 && mapped - size >= simdjson::SIMDJSON_PADDING) {
    void* p = ::mmap(nullptr, mapped, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) {
      map_ = p;
      map_size_ = mapped;
      ::madvise(p, mapped, MADV_SEQUENTIAL);
      view_ = simdjson::padded_string_view(static_cast<const char*>(p), size, mapped);
      ::close(fd);
      return;
    }
  }
  copy_ = simdjson::padded_string(size);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, copy_.data() + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      throw_bad_input(path + ": read failed: " + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  view_ = simdjson::padded_string_view(copy_.data(), size, size + simdjson::SIMDJSON_PADDING);
}

JsonFile::~JsonFile() {
  if (map_) ::munmap(map_, map_size_);
}

void throw_json_error(const std::string& path, const std::string& what, simdjson::error_code e) {
  throw_bad_input(path + ": " + what + ": " + simdjson::error_message(e));
}

size_t line_of(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

}  // namespace q8::dataset
