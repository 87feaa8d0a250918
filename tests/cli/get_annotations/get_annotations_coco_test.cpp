// get-annotations on COCO instances: listed images, exactly their annotations, every other key
// unchanged and in order, compact and deterministic output.
#include <algorithm>
#include <set>

#include "get_annotations_support.h"

namespace q8::test::ann {
namespace {

using Ids = std::vector<int64_t>;

struct Filtered {
  TempDir dir;
  std::string out = dir.file("cali.json");
  RunResult result;
  std::string json;
};

// Runs COCO mode on `instances` with `names` as the list; expects success.
void filter(Filtered& f, const std::vector<std::string>& names, const std::string& instances = kInstances,
            std::vector<std::string> extra = {}) {
  std::string list = write_list(f.dir, "list.txt", names);
  std::vector<std::string> args = {"--instances", instances, "--list", list, "-o", f.out};
  args.insert(args.end(), extra.begin(), extra.end());
  f.result = run(args);
  ASSERT_EQ(f.result.exit_code, 0) << f.result.err;
  f.json = read(f.out);
}

TEST(GetAnnotationsCoco, KeepsListedImagesWithAndWithoutDirectory) {
  Filtered f;
  filter(f, {"train2017/000000000009.jpg", "000000000030.jpg"});
  EXPECT_EQ(ids(f.json, "images"), (Ids{9, 31}));
  EXPECT_EQ(ids(f.json, "annotations"), (Ids{156, 509, 900100000009}));
  EXPECT_NE(f.result.err.find("kept 2 of 5 images, 3 of 6 annotations"), std::string::npos) << f.result.err;
}

// Every annotation of a kept image, none of the others: checked against the input itself.
TEST(GetAnnotationsCoco, AnnotationsKeptExactlyForKeptImages) {
  const std::vector<std::vector<std::string>> lists = {
      {"000000000009.jpg"},
      {"000000000777.jpg"},
      {"000000000100.jpg", "000000000030.jpg"},
      {"000000000009.jpg", "000000000030.jpg", "000000000777.jpg", "caf\xc3\xa9_000000000042.jpg",
       "000000000100.jpg"}};
  const std::string input = read(kInstances);
  for (const auto& names : lists) {
    Filtered f;
    filter(f, names);
    Ids kept_images = ids(f.json, "images");
    std::set<int64_t> kept(kept_images.begin(), kept_images.end());
    Ids expected;
    auto all = ids(input, "annotations"), image_of = ids(input, "annotations", "image_id");
    for (size_t i = 0; i < all.size(); ++i)
      if (kept.count(image_of[i])) expected.push_back(all[i]);
    EXPECT_EQ(ids(f.json, "annotations"), expected) << names[0];
    for (int64_t id : ids(f.json, "annotations", "image_id")) EXPECT_TRUE(kept.count(id));
  }
}

// An annotation with {"image_id": 9} nested in another field belongs to its own image_id (30).
TEST(GetAnnotationsCoco, NestedImageIdIsNotTheAnnotationsImage) {
  Filtered f;
  filter(f, {"000000000009.jpg"});
  auto kept = ids(f.json, "annotations");
  EXPECT_EQ(std::count(kept.begin(), kept.end(), 2043), 0);
  Filtered g;
  filter(g, {"000000000777.jpg"});
  EXPECT_EQ(ids(g.json, "annotations"), (Ids{1023, 2043}));
}

// The seed compared list names to numeric ids and kept nothing; names whose number is some other
// image's id must still select the image by name.
TEST(GetAnnotationsCoco, MatchesByFileNameNeverById) {
  Filtered f;
  filter(f, {"000000000030.jpg"});  // file of image 31; image 30 is 000000000777.jpg
  EXPECT_EQ(ids(f.json, "images"), (Ids{31}));
  EXPECT_EQ(ids(f.json, "annotations"), (Ids{509}));
  TempDir dir;
  write_list(dir, "ids.txt", {"30", "31"});  // bare ids are not file names
  expect_failure(dir, dir.file("o.json"),
                 {"--instances", kInstances, "--list", dir.file("ids.txt"), "-o", dir.file("o.json")},
                 kBadInput, {"2 of 2 names match no image", "30, 31"});
}

TEST(GetAnnotationsCoco, UnicodeEscapedFileName) {
  Filtered f;
  filter(f, {"train2017/caf\xc3\xa9_000000000042.jpg"});
  EXPECT_EQ(ids(f.json, "images"), (Ids{42}));
  EXPECT_EQ(ids(f.json, "annotations"), (Ids{2042}));
  // The element is copied as written: the escape stays an escape.
  EXPECT_NE(f.json.find(R"("file_name":"caf\u00e9_000000000042.jpg")"), std::string::npos);
}

TEST(GetAnnotationsCoco, OtherKeysKeptInInputOrder) {
  Filtered f;
  filter(f, {"000000000009.jpg"});
  const std::string input = read(kInstances);
  EXPECT_EQ(keys(f.json),
            (std::vector<std::string>{"info", "type", "licenses", "images", "annotations", "categories"}));
  for (const char* key : {"info", "type", "licenses", "categories"})
    EXPECT_EQ(value_text(f.json, key), value_text(input, key)) << key;
  // Kept elements are the input's text, keys in the input's order.
  EXPECT_NE(f.json.find(R"({"license":1,"file_name":"000000000009.jpg","coco_url")"), std::string::npos);
  EXPECT_NE(f.json.find(R"("area":2765.1486500000005,"iscrowd":0,"image_id":9,)"), std::string::npos);
}

TEST(GetAnnotationsCoco, ImageWithoutAnnotations) {
  Filtered f;
  filter(f, {"000000000100.jpg"});
  EXPECT_EQ(ids(f.json, "images"), (Ids{100}));
  EXPECT_NE(f.json.find(R"("annotations":[],)"), std::string::npos);
}

TEST(GetAnnotationsCoco, PrettyInputGivesTheCompactOutput) {
  Filtered compact, pretty;
  filter(compact, {"000000000009.jpg", "000000000777.jpg"});
  filter(pretty, {"000000000009.jpg", "000000000777.jpg"}, kPretty);
  EXPECT_EQ(pretty.json, compact.json);
  EXPECT_EQ(pretty.json.find('\n'), pretty.json.size() - 1);
  EXPECT_EQ(pretty.json.find("\": "), std::string::npos);
}

TEST(GetAnnotationsCoco, ByteIdenticalRunToRun) {
  Filtered a, b;
  filter(a, {"000000000030.jpg", "000000000009.jpg"});
  filter(b, {"000000000030.jpg", "000000000009.jpg"});
  EXPECT_EQ(a.json, b.json);
}

// List order does not matter: the output follows the input's element order.
TEST(GetAnnotationsCoco, OutputInInputOrder) {
  Filtered f;
  filter(f, {"000000000100.jpg", "000000000030.jpg", "000000000009.jpg"});
  EXPECT_EQ(ids(f.json, "images"), (Ids{9, 31, 100}));
}

TEST(GetAnnotationsCoco, AnnotationsBeforeImages) {
  TempDir dir;
  const std::string input = read(kInstances);
  std::string swapped = "{\"annotations\":" + value_text(input, "annotations") +
                        ",\n\"images\":" + value_text(input, "images") +
                        ",\"categories\":" + value_text(input, "categories") + "}";
  write(dir.file("swapped.json"), swapped);
  Filtered f;
  filter(f, {"000000000009.jpg", "000000000777.jpg"}, dir.file("swapped.json"));
  EXPECT_EQ(keys(f.json), (std::vector<std::string>{"annotations", "images", "categories"}));
  EXPECT_EQ(ids(f.json, "images"), (Ids{9, 30}));
  EXPECT_EQ(ids(f.json, "annotations"), (Ids{156, 1023, 900100000009, 2043}));
}

TEST(GetAnnotationsCoco, DuplicateListEntriesCountOnce) {
  Filtered plain, dup;
  filter(plain, {"000000000009.jpg"});
  filter(dup, {"000000000009.jpg", "train2017/000000000009.jpg", "000000000009.jpg"});
  EXPECT_EQ(dup.json, plain.json);
  EXPECT_NE(dup.result.err.find("3 names, 2 duplicates counted once"), std::string::npos) << dup.result.err;
}

TEST(GetAnnotationsCoco, MissingNamesFailWithCountAndFirstNames) {
  TempDir dir;
  std::string list = write_list(
      dir, "list.txt", {"000000000009.jpg", "m1.jpg", "m2.jpg", "m3.jpg", "m4.jpg", "m5.jpg", "m6.jpg"});
  std::string out = dir.file("o.json");
  std::string err =
      expect_failure(dir, out, {"--instances", kInstances, "--list", list, "-o", out}, kBadInput,
                     {list, "6 of 7 names match no image", kInstances,
                      "m1.jpg, m2.jpg, m3.jpg, m4.jpg, m5.jpg, ...", "--allow-missing"});
  EXPECT_EQ(err.find("m6.jpg"), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
}

TEST(GetAnnotationsCoco, MissingNamesAllowed) {
  Filtered f;
  filter(f, {"000000000009.jpg", "nowhere.jpg"}, kInstances, {"--allow-missing"});
  EXPECT_EQ(ids(f.json, "images"), (Ids{9}));
  EXPECT_NE(f.result.err.find("warning: "), std::string::npos);
  EXPECT_NE(f.result.err.find("nowhere.jpg"), std::string::npos);
}

TEST(GetAnnotationsCoco, NothingKeptIsAnErrorEvenWithAllowMissing) {
  TempDir dir;
  std::string list = write_list(dir, "list.txt", {"nowhere.jpg"});
  std::string out = dir.file("o.json");
  expect_failure(dir, out, {"--instances", kInstances, "--list", list, "-o", out, "--allow-missing"},
                 kBadInput, {"no image of", list});
}

TEST(GetAnnotationsCoco, FixtureList) {
  Filtered f;
  f.result = run({"--instances", kInstances, "--list", kCocoList, "-o", f.out, "--quiet"});
  ASSERT_EQ(f.result.exit_code, 0) << f.result.err;
  EXPECT_EQ(f.result.err, "");
  EXPECT_EQ(ids(read(f.out), "images"), (Ids{9, 31}));
}

}  // namespace
}  // namespace q8::test::ann
