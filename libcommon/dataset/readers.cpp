// The dataset readers of dataset.h: image files (directory, list, COCO json), .npy tensors, and
// next_batch. The idx (Fashion-MNIST) reader is in idx.cpp.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "base/error.h"
#include "base/file.h"
#include "dataset/dataset.h"
#include "dataset/idx.h"
#include "dataset/label_list.h"
#include "tensor/convert.h"
#include "tensor/npy.h"

namespace q8::dataset {
namespace fs = std::filesystem;
namespace {

std::string lower_extension(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

bool is_image_file(const fs::path& p) {
  std::string ext = lower_extension(p);
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png";
}

// Regular files of `dir` accepted by `keep`, sorted by name (byte order, like `LC_ALL=C ls`).
template <typename Keep>
std::vector<std::string> sorted_files(const std::string& dir, Keep&& keep) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && keep(it->path())) names.push_back(it->path().filename().string());
  if (ec) throw_bad_input(dir + ": cannot list the directory: " + ec.message());
  std::sort(names.begin(), names.end());
  return names;
}

struct Entry {
  std::string path;  // to read
  std::string name;  // to report
  int64_t label = -1, image_id = -1, width = 0, height = 0;
};

size_t limited(size_t n, size_t limit) {
  return limit ? std::min(n, limit) : n;
}

// Image files read one at a time.
class ImageFiles : public Dataset {
 public:
  ImageFiles(std::vector<Entry> entries, bool labels, std::string what, std::unique_ptr<CocoGroundTruth> gt)
      : entries_(std::move(entries)), labels_(labels), what_(std::move(what)), gt_(std::move(gt)) {}
  size_t size() const override { return entries_.size(); }
  bool has_labels() const override { return labels_; }
  std::string describe() const override {
    return what_ + " (" + std::to_string(entries_.size()) + " images)";
  }
  void rewind() override { pos_ = 0; }
  bool next(Sample& s) override {
    if (pos_ >= entries_.size()) return false;
    const Entry& e = entries_[pos_];
    s = Sample{};
    s.index = pos_++;
    s.name = e.name;
    s.label = e.label;
    s.image_id = e.image_id;
    s.image = image::read(e.path);
    s.width = e.width ? e.width : s.image->width;
    s.height = e.height ? e.height : s.image->height;
    return true;
  }
  const CocoGroundTruth* coco() const override { return gt_.get(); }

 private:
  std::vector<Entry> entries_;
  bool labels_;
  std::string what_;
  std::unique_ptr<CocoGroundTruth> gt_;
  size_t pos_ = 0;
};

void require_file(const std::string& path, const std::string& where) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw_bad_input(where + ": '" + path + "' does not exist");
}

bool looks_like_json(const std::string& path) {
  if (lower_extension(path) == ".json") return true;
  // Only the first bytes decide: the file may be a 450 MB instances json read later anyway.
  std::ifstream f(path, std::ios::binary);
  std::string head(64, '\0');
  f.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(f.gcount()));
  size_t i = head.find_first_not_of(" \t\r\n");
  return i != std::string::npos && (head[i] == '{' || head[i] == '[');
}

std::unique_ptr<Dataset> open_images(const DatasetSpec& spec) {
  const std::string& dir = spec.source;
  std::vector<Entry> entries;
  if (spec.annotations.empty()) {
    for (const auto& name : sorted_files(dir, is_image_file))
      entries.push_back({(fs::path(dir) / name).string(), name});
    if (entries.empty()) throw_bad_input(dir + ": no .jpg/.jpeg/.png images");
    entries.resize(limited(entries.size(), spec.limit));
    return std::make_unique<ImageFiles>(std::move(entries), false, "images in " + dir, nullptr);
  }
  if (looks_like_json(spec.annotations)) {
    auto gt = std::make_unique<CocoGroundTruth>(read_coco(spec.annotations));
    if (gt->images.empty()) throw_bad_input(spec.annotations + ": no images");
    size_t n = limited(gt->images.size(), spec.limit);
    for (size_t i = 0; i < n; ++i) {
      const CocoImage& im = gt->images[i];
      Entry e{(fs::path(dir) / im.file_name).string(), im.file_name, -1, im.id, im.width, im.height};
      require_file(e.path, spec.annotations + ": images[" + std::to_string(i) + "] (id " +
                               std::to_string(im.id) + ")");
      entries.push_back(std::move(e));
    }
    return std::make_unique<ImageFiles>(std::move(entries), false,
                                        "COCO " + spec.annotations + " over " + dir, std::move(gt));
  }
  auto list = read_label_list(spec.annotations, false);
  if (list.empty()) throw_bad_input(spec.annotations + ": the list is empty");
  bool labels = list[0].label >= 0;
  size_t n = limited(list.size(), spec.limit);
  for (size_t i = 0; i < n; ++i) {
    const LabeledFile& f = list[i];
    std::string where = spec.annotations + ":" + std::to_string(f.line);
    if ((f.label >= 0) != labels)
      throw_bad_input(where + ": " +
                      (labels ? "no label (earlier lines have one)" : "a label (earlier lines have none)"));
    Entry e{(fs::path(dir) / f.file).string(), f.file, f.label};
    require_file(e.path, where);
    entries.push_back(std::move(e));
  }
  return std::make_unique<ImageFiles>(std::move(entries), labels, "list " + spec.annotations + " over " + dir,
                                      nullptr);
}

// Labels for N tensor samples: an integer .npy of N values, or a text file with one integer
// (first column) per line.
std::vector<int64_t> read_labels(const std::string& path, size_t n) {
  std::vector<int64_t> labels;
  if (lower_extension(path) == ".npy") {
    Tensor t = read_npy(path);
    if (type_info(t.type()).is_float)
      throw_bad_input(path + ": labels must be integers, not " + to_string(t.type()));
    for (int64_t v : to_ints(t)) labels.push_back(v);
  } else {
    std::string text = read_file(path);
    size_t pos = 0, line = 0;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      std::string l(text, pos, end - pos);
      pos = end + 1;
      ++line;
      size_t b = l.find_first_not_of(" \t\r");
      if (b == std::string::npos) continue;
      size_t e = l.find_first_of(" \t\r", b);
      std::string tok = l.substr(b, e == std::string::npos ? std::string::npos : e - b);
      char* rest = nullptr;
      long long v = std::strtoll(tok.c_str(), &rest, 10);
      if (tok.empty() || *rest || v < 0)
        throw_bad_input(path + ":" + std::to_string(line) + ": '" + tok +
                        "' is not a non-negative integer label");
      labels.push_back(v);
    }
  }
  if (labels.size() != n)
    throw_bad_input(path + ": " + std::to_string(labels.size()) + " labels for " + std::to_string(n) +
                    " samples");
  return labels;
}

// One [N, ...] .npy array, memory-mapped: sample i is copied out as [1, ...] when read.
class NpyArray : public Dataset {
 public:
  NpyArray(const std::string& path, const std::string& labels_path, size_t limit) : path_(path), map_(path) {
    h_ = parse_npy_header(map_.view(), path);
    if (h_.shape.empty() || h_.shape[0] < 1)
      throw_bad_input(path + ": " + to_string(h_.shape) + " has no samples (want [N, ...])");
    n_ = limited(static_cast<size_t>(h_.shape[0]), limit);
    sample_shape_ = h_.shape;
    sample_shape_[0] = 1;
    sample_bytes_ = static_cast<size_t>(byte_size(h_.type, num_elements(sample_shape_)));
    if (!labels_path.empty()) {
      labels_ = read_labels(labels_path, static_cast<size_t>(h_.shape[0]));
      labels_.resize(n_);
    }
  }
  size_t size() const override { return n_; }
  bool has_labels() const override { return !labels_.empty(); }
  std::string describe() const override {
    return path_ + " " + to_string(h_.type) + to_string(h_.shape) + " (" + std::to_string(n_) + " samples)";
  }
  void rewind() override { pos_ = 0; }
  bool next(Sample& s) override {
    if (pos_ >= n_) return false;
    s = Sample{};
    s.index = pos_;
    s.name = path_ + "[" + std::to_string(pos_) + "]";
    if (!labels_.empty()) s.label = labels_[pos_];
    s.tensor = Tensor::from_bytes(h_.type, sample_shape_,
                                  map_.view().data() + h_.data_offset + pos_ * sample_bytes_, sample_bytes_);
    ++pos_;
    return true;
  }

 private:
  std::string path_;
  MappedFile map_;
  NpyHeader h_;
  Shape sample_shape_;
  size_t sample_bytes_ = 0, n_ = 0, pos_ = 0;
  std::vector<int64_t> labels_;
};

// A directory of .npy files, one sample each.
class NpyFiles : public Dataset {
 public:
  NpyFiles(std::vector<Entry> entries, bool labels, std::string what)
      : entries_(std::move(entries)), labels_(labels), what_(std::move(what)) {}
  size_t size() const override { return entries_.size(); }
  bool has_labels() const override { return labels_; }
  std::string describe() const override {
    return what_ + " (" + std::to_string(entries_.size()) + " tensors)";
  }
  void rewind() override { pos_ = 0; }
  bool next(Sample& s) override {
    if (pos_ >= entries_.size()) return false;
    s = Sample{};
    s.index = pos_;
    s.name = entries_[pos_].name;
    s.label = entries_[pos_].label;
    s.tensor = read_npy(entries_[pos_].path);
    ++pos_;
    return true;
  }

 private:
  std::vector<Entry> entries_;
  bool labels_;
  std::string what_;
  size_t pos_ = 0;
};

std::unique_ptr<Dataset> open_npy_dir(const DatasetSpec& spec, const std::vector<std::string>& files) {
  std::map<std::string, int64_t> labels;
  if (!spec.annotations.empty())
    for (const auto& f : read_label_list(spec.annotations, true))
      labels[std::string(base_name(f.file))] = f.label;
  std::vector<Entry> entries;
  for (size_t i = 0; i < limited(files.size(), spec.limit); ++i) {
    Entry e{(fs::path(spec.source) / files[i]).string(), files[i]};
    if (!spec.annotations.empty()) {
      auto it = labels.find(files[i]);
      if (it == labels.end()) throw_bad_input(spec.annotations + ": no label for '" + files[i] + "'");
      e.label = it->second;
    }
    entries.push_back(std::move(e));
  }
  return std::make_unique<NpyFiles>(std::move(entries), !spec.annotations.empty(),
                                    ".npy files in " + spec.source);
}

}  // namespace

std::unique_ptr<Dataset> open_dataset(const DatasetSpec& spec) {
  if (spec.source.empty()) throw_usage("no dataset given");
  std::error_code ec;
  if (!spec.annotations.empty()) require_file(spec.annotations, "annotations");
  if (fs::is_directory(spec.source, ec)) {
    auto npys = sorted_files(spec.source, [](const fs::path& p) { return lower_extension(p) == ".npy"; });
    bool images = !sorted_files(spec.source, is_image_file).empty();
    if (!npys.empty() && !images) return open_npy_dir(spec, npys);
    return open_images(spec);
  }
  if (!fs::exists(spec.source, ec)) throw_bad_input("dataset '" + spec.source + "' does not exist");
  if (is_idx_images(spec.source)) return open_idx(spec.source, spec.annotations, spec.limit);
  if (lower_extension(spec.source) == ".npy")
    return std::make_unique<NpyArray>(spec.source, spec.annotations, spec.limit);
  throw_bad_input("dataset '" + spec.source +
                  "': expected a directory, a .npy file or an idx file (*-images-idx3-ubyte[.gz])");
}

bool next_batch(Dataset& ds, const image::Preprocess* pre, size_t batch_size, Batch& out) {
  out.samples.clear();
  std::vector<Tensor> parts;
  Sample s;
  while (out.samples.size() < batch_size && ds.next(s)) {
    if (s.image) {
      if (!pre) throw_usage(s.name + ": an image sample needs a model input to preprocess it for");
      parts.push_back(pre->apply(*s.image));
    } else {
      Tensor t = std::move(*s.tensor);
      if (pre && t.shape() != pre->sample_shape())
        throw_bad_input(s.name + ": tensor " + to_string(t.shape()) +
                        " does not match the model input's sample shape " + to_string(pre->sample_shape()));
      if (!parts.empty() && (t.shape() != parts[0].shape() || t.type() != parts[0].type()))
        throw_bad_input(s.name + ": " + to_string(t.type()) + to_string(t.shape()) +
                        " differs from earlier samples' " + to_string(parts[0].type()) +
                        to_string(parts[0].shape()));
      parts.push_back(std::move(t));
    }
    s.image.reset();
    s.tensor.reset();
    out.samples.push_back(std::move(s));
  }
  if (parts.empty()) return false;
  if (parts.size() == 1) {
    out.input = std::move(parts[0]);
    return true;
  }
  Shape shape = parts[0].shape();
  int64_t each = shape.empty() ? 1 : shape[0];
  if (!shape.empty()) shape[0] = each * static_cast<int64_t>(parts.size());
  out.input = Tensor(parts[0].type(), shape);
  std::byte* dst = out.input.mutable_bytes();
  for (const Tensor& p : parts) {
    std::memcpy(dst, p.bytes(), p.byte_size());
    dst += p.byte_size();
  }
  return true;
}

}  // namespace q8::dataset
