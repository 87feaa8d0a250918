#pragma once
// Text lists of images: ImageNet's val_map.txt / MLPerf's cal_image_list.txt style files.
//   val_map:   "ILSVRC2012_val_00000001.JPEG 65"     (file, whitespace, integer label)
//   name list: "ILSVRC2012_val_00000001.JPEG"        (first column only; more columns ignored)
// Blank lines and lines starting with '#' are skipped. Errors name the file and the line.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace q8::dataset {

struct LabeledFile {
  std::string file;
  int64_t label = -1;  // -1: the line had none (only with labels_required = false)
  size_t line = 0;     // 1-based line in the list file
};

// `labels_required`: every line must be "file label" with a non-negative integer label.
std::vector<LabeledFile> read_label_list(const std::string& path, bool labels_required);

// The first column of every line.
std::vector<LabeledFile> read_name_list(const std::string& path);

// One class name per line (ImageNet synset_words.txt / labels.txt); blank lines are errors.
std::vector<std::string> read_class_names(const std::string& path);

// "a/b/c.jpg" -> "c.jpg" (also for '\\' separators): list entries match with or without directory.
std::string_view base_name(std::string_view path);

}  // namespace q8::dataset
