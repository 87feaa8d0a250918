#pragma once
// Datasets as streams of samples: only the current sample (or batch) is ever decoded and held in
// memory, whatever the dataset's size. Every reader is deterministic (sorted directories, list
// order, file order), so calibration and evaluation see the same samples in the same order.
//
// Sources (open_dataset):
//   DIR                        every .jpg/.jpeg/.png in DIR (not recursive), sorted by name
//   DIR + list/val_map FILE    the files the list names (relative to DIR), in list order, with
//                              labels when the lines have them ("file label", ImageNet val_map)
//   DIR + COCO json            the json's images (file_name under DIR), in json order, with their
//                              ids and sizes (the ground truth for coco_map)
//   *-images-idx3-ubyte[.gz]   Fashion-MNIST/MNIST idx images (28x28 gray), labels from the
//                              matching *-labels-idx1-ubyte[.gz] beside it or the annotations
//   FILE.npy                   a [N, ...] array: sample i is [1, ...]; labels: one integer per line
//                              in the annotations file, or an integer .npy of N labels
//   DIR of .npy files          each file one sample (sorted); labels from a "file label" list
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dataset/coco.h"
#include "image/image.h"
#include "image/preprocess.h"
#include "tensor/tensor.h"

namespace q8::dataset {

struct Sample {
  size_t index = 0;                   // position in the dataset (0-based)
  std::string name;                   // file name, or "<file>[i]" for a record of an idx/npy file
  int64_t label = -1;                 // class label; -1 when the dataset has none
  int64_t image_id = -1;              // COCO image id; -1 otherwise
  int64_t width = 0, height = 0;      // original image size (COCO boxes are in these pixels)
  std::optional<image::Image> image;  // image datasets (idx images are 1-channel)
  std::optional<Tensor> tensor;       // .npy datasets: fed to the model as is
};

class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual size_t size() const = 0;
  virtual bool has_labels() const = 0;
  virtual std::string describe() const = 0;  // "ImageNet list val_map.txt over images/ (500 samples)"
  virtual void rewind() = 0;
  // Reads and decodes the next sample; false at the end. Errors name the file (and line/record).
  virtual bool next(Sample& s) = 0;
  // The COCO ground truth when the dataset was opened with a COCO json; else null.
  virtual const CocoGroundTruth* coco() const { return nullptr; }
};

struct DatasetSpec {
  DatasetSpec() = default;
  DatasetSpec(std::string src, std::string ann = {}, size_t lim = 0)  // NOLINT: {dir} / {dir, list} read well
      : source(std::move(src)), annotations(std::move(ann)), limit(lim) {}
  std::string source;       // see above
  std::string annotations;  // optional: list / val_map / COCO json / labels file
  size_t limit = 0;         // use only the first `limit` samples (0: all)
};

// Checks what can be checked up front (paths exist, lists parse, the files a list names exist,
// label files match the sample count) so a bad dataset fails before any work starts.
std::unique_ptr<Dataset> open_dataset(const DatasetSpec& spec);

// Batches of preprocessed samples for a model input.
struct Batch {
  Tensor input;                 // [n, ...] f32 (images through `pre`) or the .npy samples' type
  std::vector<Sample> samples;  // metadata of the n samples (image/tensor data released)
};
// Up to `batch_size` samples from `ds`; returns false when none are left. Image samples go through
// `pre`; tensor samples must have pre's sample shape with their own batch axis of 1 (or any shape
// when pre is null), else a bad-input error naming the sample.
bool next_batch(Dataset& ds, const image::Preprocess* pre, size_t batch_size, Batch& out);

}  // namespace q8::dataset
