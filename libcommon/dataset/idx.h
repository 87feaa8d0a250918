#pragma once
// MNIST / Fashion-MNIST idx files (Debian's dataset-fashion-mnist ships them gzipped in
// /usr/share/datasets/fashion-mnist): images are big-endian magic 0x00000803, count, rows, cols,
// then u8 pixels; labels 0x00000801, count, then u8 labels. Plain and .gz files both read.
#include <memory>
#include <string>

#include "dataset/dataset.h"

namespace q8::dataset {

// "...-images-idx3-ubyte" or "...-images-idx3-ubyte.gz" (also "...images.idx3-ubyte").
bool is_idx_images(const std::string& path);

// Streams the images one at a time (gzread); labels from `labels` or, when empty, from the
// "-labels-idx1-ubyte" file beside the images if there is one. Counts must agree.
std::unique_ptr<Dataset> open_idx(const std::string& images, const std::string& labels, size_t limit);

}  // namespace q8::dataset
