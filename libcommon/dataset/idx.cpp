#include "dataset/idx.h"

#include <zlib.h>

#include <array>
#include <filesystem>

#include "base/error.h"

namespace q8::dataset {
namespace fs = std::filesystem;
namespace {

class GzFile {
 public:
  explicit GzFile(const std::string& path) : path_(path), f_(gzopen(path.c_str(), "rb")) {
    if (!f_) throw_bad_input(path + ": cannot open");
    gzbuffer(f_, 1 << 16);
  }
  GzFile(const GzFile&) = delete;
  GzFile& operator=(const GzFile&) = delete;
  ~GzFile() { gzclose(f_); }
  // Reads exactly n bytes or fails naming `what`.
  void read(void* dst, size_t n, const std::string& what) {
    int got = gzread(f_, dst, static_cast<unsigned>(n));
    if (got < 0 || static_cast<size_t>(got) != n) {
      int code = 0;
      const char* msg = gzerror(f_, &code);
      throw_bad_input(path_ + ": " + what + ": " +
                      (code != Z_OK && code != Z_STREAM_END ? msg : "truncated file"));
    }
  }
  void seek_to(size_t offset) {
    if (gzseek(f_, static_cast<z_off_t>(offset), SEEK_SET) < 0) throw_bad_input(path_ + ": cannot seek");
  }
  uint32_t read_u32(const std::string& what) {
    std::array<unsigned char, 4> b{};
    read(b.data(), 4, what);
    return uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 | b[3];
  }

 private:
  std::string path_;
  gzFile f_;
};

class IdxImages : public Dataset {
 public:
  IdxImages(const std::string& images, const std::string& labels, size_t limit)
      : path_(images), file_(images) {
    uint32_t magic = file_.read_u32("header");
    if (magic != 0x00000803)
      throw_bad_input(images + ": not an idx3 u8 image file (magic " + std::to_string(magic) +
                      ", want 2051)");
    count_ = file_.read_u32("header");
    rows_ = file_.read_u32("header");
    cols_ = file_.read_u32("header");
    if (count_ == 0 || rows_ == 0 || cols_ == 0 || rows_ > 4096 || cols_ > 4096)
      throw_bad_input(images + ": implausible idx header: " + std::to_string(count_) + " images of " +
                      std::to_string(rows_) + "x" + std::to_string(cols_));
    n_ = limit ? std::min<size_t>(limit, count_) : count_;
    if (!labels.empty()) read_labels(labels);
  }
  size_t size() const override { return n_; }
  bool has_labels() const override { return !labels_.empty(); }
  std::string describe() const override {
    return "idx " + path_ + " (" + std::to_string(n_) + " images " + std::to_string(cols_) + "x" +
           std::to_string(rows_) + (labels_.empty() ? ", no labels)" : ", labels " + labels_path_ + ")");
  }
  void rewind() override {
    file_.seek_to(16);
    pos_ = 0;
  }
  bool next(Sample& s) override {
    if (pos_ >= n_) return false;
    s = Sample{};
    s.index = pos_;
    s.name = path_ + "[" + std::to_string(pos_) + "]";
    if (!labels_.empty()) s.label = labels_[pos_];
    image::Image img;
    img.width = static_cast<int>(cols_);
    img.height = static_cast<int>(rows_);
    img.channels = 1;
    img.pixels.resize(static_cast<size_t>(rows_) * cols_);
    file_.read(img.pixels.data(), img.pixels.size(), "image " + std::to_string(pos_));
    s.width = img.width;
    s.height = img.height;
    s.image = std::move(img);
    ++pos_;
    return true;
  }

 private:
  void read_labels(const std::string& path) {
    labels_path_ = path;
    GzFile f(path);
    uint32_t magic = f.read_u32("header");
    if (magic != 0x00000801)
      throw_bad_input(path + ": not an idx1 u8 label file (magic " + std::to_string(magic) + ", want 2049)");
    uint32_t count = f.read_u32("header");
    if (count != count_)
      throw_bad_input(path + ": " + std::to_string(count) + " labels for the " + std::to_string(count_) +
                      " images of " + path_);
    std::vector<unsigned char> raw(n_);
    f.read(raw.data(), raw.size(), "labels");
    labels_.assign(raw.begin(), raw.end());
  }

  std::string path_, labels_path_;
  GzFile file_;
  uint32_t count_ = 0, rows_ = 0, cols_ = 0;
  size_t n_ = 0, pos_ = 0;
  std::vector<int64_t> labels_;
};

}  // namespace

bool is_idx_images(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  return name.find("images-idx3-ubyte") != std::string::npos ||
         name.find("images.idx3-ubyte") != std::string::npos;
}

std::unique_ptr<Dataset> open_idx(const std::string& images, const std::string& labels, size_t limit) {
  std::string l = labels;
  if (l.empty()) {
    std::string name = fs::path(images).filename().string();
    for (const char* from : {"images-idx3-ubyte", "images.idx3-ubyte"})
      if (size_t at = name.find(from); at != std::string::npos) {
        std::string to = from[6] == '-' ? "labels-idx1-ubyte" : "labels.idx1-ubyte";
        std::string candidate =
            (fs::path(images).parent_path() / (name.substr(0, at) + to + name.substr(at + 17))).string();
        if (fs::exists(candidate)) l = candidate;
      }
  }
  return std::make_unique<IdxImages>(images, l, limit);
}

}  // namespace q8::dataset
