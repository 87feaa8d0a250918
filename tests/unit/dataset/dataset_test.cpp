// The dataset readers: directory, list / val_map, COCO json, idx (Fashion-MNIST), .npy, batching.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>

#include "base/error.h"
#include "dataset/coco.h"
#include "dataset/dataset.h"
#include "dataset/label_list.h"
#include "tensor/npy.h"
#include "test_support.h"

namespace q8::dataset {
namespace {

template <typename Fn>
void expect_error(Fn&& fn, const std::vector<std::string>& parts, ErrorKind kind = ErrorKind::kBadInput) {
  try {
    fn();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.describe();
    for (const auto& p : parts) EXPECT_NE(e.describe().find(p), std::string::npos) << e.describe();
  }
}

std::vector<Sample> all(Dataset& ds) {
  std::vector<Sample> out;
  Sample s;
  while (ds.next(s)) out.push_back(s);
  return out;
}

std::string images_dir() {
  return test::fixture("images/dir");
}

TEST(Dataset, DirectoryIsSortedAndSkipsOtherFiles) {
  auto ds = open_dataset({images_dir()});
  EXPECT_EQ(ds->size(), 3u);
  EXPECT_FALSE(ds->has_labels());
  auto s = all(*ds);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].name, "a.png");
  EXPECT_EQ(s[1].name, "b.png");
  EXPECT_EQ(s[2].name, "c.PNG");  // upper-case extensions count, notes.txt does not
  EXPECT_EQ(s[1].image->pixels[0], 100);
  EXPECT_EQ(s[1].width, 6);
  EXPECT_EQ(s[1].height, 4);
  // Deterministic again after rewind; limit keeps the first samples.
  ds->rewind();
  EXPECT_EQ(all(*ds).size(), 3u);
  EXPECT_EQ(open_dataset({images_dir(), "", 2})->size(), 2u);
}

TEST(Dataset, ListsGiveOrderAndLabels) {
  test::TempDir tmp;
  test::write(tmp.file("val_map.txt"), "c.PNG 7\n\n# comment\n./a.png 3\r\n");
  auto ds = open_dataset({images_dir(), tmp.file("val_map.txt")});
  EXPECT_TRUE(ds->has_labels());
  auto s = all(*ds);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].name, "c.PNG");
  EXPECT_EQ(s[0].label, 7);
  EXPECT_EQ(s[1].label, 3);
  EXPECT_EQ(s[1].image->pixels[0], 0);

  test::write(tmp.file("names.txt"), "b.png\na.png\n");
  auto names = open_dataset({images_dir(), tmp.file("names.txt")});
  EXPECT_FALSE(names->has_labels());
  EXPECT_EQ(all(*names)[0].name, "b.png");

  test::write(tmp.file("missing.txt"), "a.png 1\nzz.png 2\n");
  expect_error([&] { open_dataset({images_dir(), tmp.file("missing.txt")}); }, {"missing.txt:2", "zz.png"});
  test::write(tmp.file("mixed.txt"), "a.png 1\nb.png\n");
  expect_error([&] { open_dataset({images_dir(), tmp.file("mixed.txt")}); }, {"mixed.txt:2", "no label"});
  test::write(tmp.file("badlabel.txt"), "a.png 1\nb.png -3\n");
  expect_error([&] { open_dataset({images_dir(), tmp.file("badlabel.txt")}); }, {"badlabel.txt:2", "-3"});
  test::write(tmp.file("empty.txt"), "\n# nothing\n");
  expect_error([&] { open_dataset({images_dir(), tmp.file("empty.txt")}); }, {"empty.txt", "empty"});
  expect_error([&] { open_dataset({images_dir(), tmp.file("nope.txt")}); }, {"nope.txt"});
  expect_error([&] { open_dataset({tmp.file("nodir")}); }, {"nodir", "does not exist"});
  expect_error([&] { open_dataset({tmp.path()}); }, {tmp.path(), "no .jpg/.jpeg/.png"});
}

TEST(Dataset, CorruptImagesAreNamedWhenRead) {
  test::TempDir tmp;
  test::write(tmp.file("a.png"), test::read(test::fixture("images/rgb8.png")));
  test::write(tmp.file("b.jpg"), "\xff\xd8\xff garbage");
  auto ds = open_dataset({tmp.path()});
  Sample s;
  EXPECT_TRUE(ds->next(s));
  expect_error([&] { ds->next(s); }, {"b.jpg", "JPEG"});
}

constexpr const char* kCoco = R"({"info":{"year":2017},"images":[
 {"id":7,"file_name":"b.png","width":6,"height":4},
 {"file_name":"a.png","id":3,"height":4,"width":6,"license":1}],
 "annotations":[{"segmentation":[[1,2,3,4,5,6]],"area":12.5,"iscrowd":0,"image_id":7,"bbox":[1,1,2,2.5],"category_id":18,"id":1},
  {"image_id":3,"bbox":[0,0,6,4],"category_id":1,"id":2,"iscrowd":1,"segmentation":{"counts":[1,2],"size":[4,6]}}],
 "categories":[{"supercategory":"animal","id":18,"name":"dog"},{"id":1,"name":"person"}]})";

TEST(Dataset, CocoJsonGivesImagesIdsAndGroundTruth) {
  test::TempDir tmp;
  test::write(tmp.file("gt.json"), kCoco);
  CocoGroundTruth gt = read_coco(tmp.file("gt.json"));
  ASSERT_EQ(gt.images.size(), 2u);
  EXPECT_EQ(gt.images[1].id, 3);
  EXPECT_EQ(gt.images[1].file_name, "a.png");
  ASSERT_EQ(gt.annotations.size(), 2u);
  EXPECT_EQ(gt.annotations[0].area, 12.5);
  EXPECT_EQ(gt.annotations[0].bbox[3], 2.5);
  EXPECT_TRUE(gt.annotations[1].iscrowd);
  EXPECT_EQ(gt.annotations[1].area, 24);  // no "area": the box's
  ASSERT_EQ(gt.categories.size(), 2u);
  EXPECT_EQ(gt.categories[0].name, "dog");

  auto ds = open_dataset({images_dir(), tmp.file("gt.json")});
  ASSERT_NE(ds->coco(), nullptr);
  auto s = all(*ds);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].image_id, 7);
  EXPECT_EQ(s[0].name, "b.png");
  EXPECT_EQ(s[1].image_id, 3);
}

TEST(Dataset, CocoSchemaAndSyntaxErrorsAreNamed) {
  test::TempDir tmp;
  std::string good = kCoco;
  struct Case {
    std::string text, expect;
  };
  for (
      const Case& c : std::vector<Case>{
          {good.substr(0, good.size() / 2), "gt.json"},
          {"[1,2]", "not a json object"},
          {"garbage", "gt.json"},
          {R"({"annotations":[],"categories":[]})", "no \"images\""},
          {R"({"images":{},"annotations":[],"categories":[]})", "\"images\" is not an array"},
          {R"({"images":[{"id":1}],"annotations":[],"categories":[]})", "images[0]: no \"file_name\""},
          {R"({"images":[{"id":1,"file_name":"a"},{"id":"x","file_name":"b"}],"annotations":[],"categories":[]})",
           "images[1]: \"id\" is not an integer"},
          {R"({"images":[],"annotations":[{"image_id":1,"category_id":1,"bbox":[1,2,3]}],"categories":[]})",
           "annotations[0]: \"bbox\" has 3 numbers"},
          {R"({"images":[],"annotations":[{"category_id":1,"bbox":[1,2,3,4]}],"categories":[]})",
           "annotations[0]: no \"image_id\""},
      }) {
    SCOPED_TRACE(c.text);
    test::write(tmp.file("gt.json"), c.text);
    expect_error([&] { read_coco(tmp.file("gt.json")); }, {"gt.json", c.expect});
  }
  // An image the json names but the directory lacks fails at open.
  test::write(tmp.file("gt.json"),
              R"({"images":[{"id":4,"file_name":"q.png"}],"annotations":[],"categories":[]})");
  expect_error([&] { open_dataset({images_dir(), tmp.file("gt.json")}); }, {"images[0]", "q.png"});
}

TEST(Dataset, CocoResultsRoundTrip) {
  std::vector<Detection> dets{{7, 18, {1.5, 2, 3.25, 4}, 0.9}, {3, 1, {0, 0, 1e-3, 640}, 0.123456789}};
  test::TempDir tmp;
  std::string text = coco_results_json(dets);
  test::write(tmp.file("r.json"), text);
  auto back = read_coco_results(tmp.file("r.json"));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].score, 0.123456789);
  EXPECT_EQ(back[0].bbox[2], 3.25);
  EXPECT_EQ(coco_results_json(back), text);
  test::write(tmp.file("bad.json"), R"([{"image_id":1,"bbox":[1,2,3,4],"score":1}])");
  expect_error([&] { read_coco_results(tmp.file("bad.json")); }, {"bad.json", "[0]", "category_id"});
}

// idx files: magic, count, rows, cols (big-endian), then bytes.
std::string idx_images(int n, int rows, int cols) {
  auto be = [](uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                       static_cast<char>(v)};
  };
  std::string s = be(0x803) + be(n) + be(rows) + be(cols);
  for (int i = 0; i < n * rows * cols; ++i) s += static_cast<char>(i % 251);
  return s;
}

std::string idx_labels(const std::vector<int>& labels) {
  std::string s{0, 0, 8, 1};
  uint32_t n = static_cast<uint32_t>(labels.size());
  s += std::string{static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                   static_cast<char>(n)};
  for (int l : labels) s += static_cast<char>(l);
  return s;
}

void write_gz(const std::string& path, const std::string& data) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  gzwrite(f, data.data(), static_cast<unsigned>(data.size()));
  gzclose(f);
}

TEST(Dataset, IdxPlainAndGzipWithLabelsBeside) {
  test::TempDir tmp;
  test::write(tmp.file("t-images-idx3-ubyte"), idx_images(3, 2, 4));
  test::write(tmp.file("t-labels-idx1-ubyte"), idx_labels({5, 0, 9}));
  write_gz(tmp.file("z-images-idx3-ubyte.gz"), idx_images(3, 2, 4));
  write_gz(tmp.file("z-labels-idx1-ubyte.gz"), idx_labels({5, 0, 9}));
  for (std::string name : {"t-images-idx3-ubyte", "z-images-idx3-ubyte.gz"}) {
    SCOPED_TRACE(name);
    auto ds = open_dataset({tmp.file(name)});
    EXPECT_EQ(ds->size(), 3u);
    EXPECT_TRUE(ds->has_labels());
    auto s = all(*ds);
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(s[2].label, 9);
    EXPECT_EQ(s[1].image->channels, 1);
    EXPECT_EQ(s[1].image->width, 4);
    EXPECT_EQ(s[1].image->pixels[0], 8);  // second image starts at byte 8
    ds->rewind();
    Sample again;
    ASSERT_TRUE(ds->next(again));
    EXPECT_EQ(again.image->pixels, s[0].image->pixels);
  }
  // Broken files.
  std::string images = idx_images(3, 2, 4);
  test::write(tmp.file("u-images-idx3-ubyte"), images.substr(0, images.size() - 3));
  auto cut = open_dataset({tmp.file("u-images-idx3-ubyte")});
  Sample s;
  EXPECT_TRUE(cut->next(s));
  EXPECT_TRUE(cut->next(s));
  expect_error([&] { cut->next(s); }, {"u-images-idx3-ubyte", "image 2", "truncated"});
  test::write(tmp.file("v-images-idx3-ubyte"), idx_labels({1, 2}));
  expect_error([&] { open_dataset({tmp.file("v-images-idx3-ubyte")}); }, {"v-images-idx3-ubyte", "magic"});
  test::write(tmp.file("w-images-idx3-ubyte"), images);
  test::write(tmp.file("w-labels-idx1-ubyte"), idx_labels({1, 2}));
  expect_error([&] { open_dataset({tmp.file("w-images-idx3-ubyte")}); },
               {"w-labels-idx1-ubyte", "2 labels", "3"});
}

TEST(Dataset, DebianFashionMnist) {
  std::string path = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";
  if (!test::exists(path)) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  auto ds = open_dataset({path});
  EXPECT_EQ(ds->size(), 10000u);
  ASSERT_TRUE(ds->has_labels());
  std::vector<int> per_class(10);
  Sample s;
  while (ds->next(s)) {
    ASSERT_EQ(s.image->width, 28);
    ASSERT_GE(s.label, 0);
    ASSERT_LT(s.label, 10);
    per_class[static_cast<size_t>(s.label)]++;
  }
  for (int c : per_class) EXPECT_EQ(c, 1000);  // the test set is balanced
}

TEST(Dataset, NpyArrayAndDirectory) {
  test::TempDir tmp;
  Tensor t(ElementType::kF32, Shape{4, 2, 3});
  for (int i = 0; i < 24; ++i) t.mutable_data<float>()[i] = static_cast<float>(i);
  test::write(tmp.file("x.npy"), to_npy(t));
  test::write(tmp.file("labels.txt"), "1\n0\n3\n2\n");
  auto ds = open_dataset({tmp.file("x.npy"), tmp.file("labels.txt")});
  EXPECT_EQ(ds->size(), 4u);
  auto s = all(*ds);
  EXPECT_EQ(s[2].tensor->shape(), (Shape{1, 2, 3}));
  EXPECT_EQ(s[2].tensor->data<float>()[0], 12.f);
  EXPECT_EQ(s[2].label, 3);
  Tensor lab(ElementType::kI64, Shape{4});
  test::write(tmp.file("labels.npy"), to_npy(lab));
  EXPECT_EQ(all(*open_dataset({tmp.file("x.npy"), tmp.file("labels.npy")}))[3].label, 0);
  test::write(tmp.file("short.txt"), "1\n0\n");
  expect_error(
      [&] {
        open_dataset({tmp.file("x.npy"), tmp.file("short.txt")});
      },
      {"short.txt", "2 labels for 4"});
  test::write(tmp.file("word.txt"), "1\nzero\n3\n2\n");
  expect_error([&] { open_dataset({tmp.file("x.npy"), tmp.file("word.txt")}); }, {"word.txt:2", "zero"});

  std::string dir = tmp.file("tensors");
  std::filesystem::create_directory(dir);
  test::write(dir + "/b.npy", to_npy(Tensor(ElementType::kF32, Shape{1, 2, 3})));
  test::write(dir + "/a.npy", to_npy(t));
  test::write(tmp.file("map.txt"), "a.npy 4\nb.npy 5\n");
  auto files = all(*open_dataset({dir, tmp.file("map.txt")}));
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].name, "a.npy");
  EXPECT_EQ(files[1].label, 5);
}

TEST(Dataset, BatchesPreprocessImagesAndStackTensors) {
  auto ds = open_dataset({images_dir()});
  image::Preprocess pre = image::Preprocess::for_input(Shape{1, 3, 4, 6}, {}, "x");
  Batch b;
  ASSERT_TRUE(next_batch(*ds, &pre, 2, b));
  EXPECT_EQ(b.input.shape(), (Shape{2, 3, 4, 6}));
  EXPECT_EQ(b.samples.size(), 2u);
  EXPECT_FALSE(b.samples[0].image.has_value());        // pixels are not kept once in the batch
  EXPECT_EQ(b.input.data<float>()[3 * 4 * 6], 100.f);  // b.png's R at (0, 0)
  ASSERT_TRUE(next_batch(*ds, &pre, 2, b));
  EXPECT_EQ(b.input.shape(), (Shape{1, 3, 4, 6}));
  EXPECT_FALSE(next_batch(*ds, &pre, 2, b));

  test::TempDir tmp;
  test::write(tmp.file("x.npy"), to_npy(Tensor(ElementType::kF32, Shape{3, 3, 4, 6})));
  auto arr = open_dataset({tmp.file("x.npy")});
  ASSERT_TRUE(next_batch(*arr, &pre, 8, b));
  EXPECT_EQ(b.input.shape(), (Shape{3, 3, 4, 6}));
  image::Preprocess other = image::Preprocess::for_input(Shape{1, 3, 5, 6}, {}, "x");
  arr->rewind();
  expect_error([&] { next_batch(*arr, &other, 1, b); }, {"x.npy[0]", "[1,3,4,6]", "[1,3,5,6]"});
}

TEST(LabelList, BaseNamesAndClassNames) {
  EXPECT_EQ(base_name("train2017/000000391895.jpg"), "000000391895.jpg");
  EXPECT_EQ(base_name("a\\b.jpg"), "b.jpg");
  EXPECT_EQ(base_name("b.jpg"), "b.jpg");
  test::TempDir tmp;
  test::write(tmp.file("classes.txt"), "tench\ngoldfish\r\n");
  EXPECT_EQ(read_class_names(tmp.file("classes.txt")), (std::vector<std::string>{"tench", "goldfish"}));
  test::write(tmp.file("gap.txt"), "tench\n\ngoldfish\n");
  expect_error([&] { read_class_names(tmp.file("gap.txt")); }, {"gap.txt:2", "empty"});
  test::write(tmp.file("vm.txt"), "a.JPEG 1\nb.JPEG\n");
  expect_error([&] { read_label_list(tmp.file("vm.txt"), true); }, {"vm.txt:2", "file label"});
}

}  // namespace
}  // namespace q8::dataset
