#pragma once
// get-annotations: restrict a dataset's annotations to a list of image file names (the MLPerf
// calibration list): a COCO instances json, or an ImageNet val_map.txt.
// List entries match by file name with or without a directory ("train2017/x.jpg" matches an image
// whose file_name is "x.jpg"), never by numeric id. Entries repeated in the list count once.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dataset/label_list.h"

namespace q8::dataset {

// How the list matched the annotation file.
struct ListMatchReport {
  size_t list_entries = 0;           // non-blank lines of the list
  size_t duplicates = 0;             // entries whose file name appeared earlier in the list
  std::vector<std::string> missing;  // entries (as written in the list) matching nothing, list order
};

struct CocoFilterResult {
  std::string json;  // the filtered file: compact json, input key and element order, ends with '\n'
  size_t images_total = 0, images_kept = 0;
  size_t annotations_total = 0, annotations_kept = 0;
  bool has_annotations = true;  // false: the file has no "annotations" key (an image-info file)
  ListMatchReport match;
};

// Keeps the images whose file_name matches a list entry, the annotations whose image_id is a kept
// image's id, and every other top-level key unchanged. Elements are copied from the input's text
// (minified), so numbers and strings keep their exact spelling. Invalid json or a wrong schema ->
// bad-input error naming the file, the array, the element index and its line.
CocoFilterResult filter_coco(const std::string& instances_path, const std::vector<LabeledFile>& list);

struct ValMapFilterResult {
  std::string text;  // "file label\n" per kept entry, list order, file as written in the val_map
  size_t entries_total = 0, entries_kept = 0;
  ListMatchReport match;
};

// Keeps the val_map lines whose file matches a list entry, in list order. A file listed twice in
// the val_map with different labels is an error naming both lines. `num_classes` > 0: every kept
// label must be below it (error naming the val_map line).
ValMapFilterResult filter_val_map(const std::string& val_map_path, const std::vector<LabeledFile>& list,
                                  int64_t num_classes = 0);

}  // namespace q8::dataset
